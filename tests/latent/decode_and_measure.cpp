// SPDX-License-Identifier: MIT
#include "discgeom/latent/decode_and_measure.hpp"

#include <cmath>
#include <cstdint>
#include <random>
#include <span>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "shapes.hpp"

namespace {

/// An analytic decoder: code (z0, z1, z2) -> an axis-aligned ellipsoid with semi-axes
/// lateral 10 + 2 z0, AP 15 + 2 z1 and SI 4 + z2 mm, on a sagittal grid of 0.8 x 0.8 x 0.5 mm
/// (LR x AP x SI) centred on the ellipsoid.
struct ellipsoid_decoder {
  std::size_t calls = 0;
  discgeom::image<std::uint8_t> operator()(std::span<const double> z) {
    ++calls;
    const auto geometry =
        test_shapes::centred_geometry("LPS", {0.8, 0.8, 0.5}, {24, 28, 32}, {0.0, 0.0, 0.0});
    auto mask = discgeom::image<std::uint8_t>::filled({48, 56, 64}, geometry, 0);
    const double lateral = 10.0 + 2.0 * z[0];
    const double ap = 15.0 + 2.0 * z[1];
    const double si = 4.0 + z[2];
    test_shapes::rasterise(mask, std::uint8_t{1}, [&](const discgeom::vec3& p) {
      return (p[0] / lateral) * (p[0] / lateral) + (p[1] / ap) * (p[1] / ap) +
                 (p[2] / si) * (p[2] / si) <=
             1.0;
    });
    return mask;
  }
};

std::vector<std::vector<double>> random_codes(std::size_t count) {
  std::mt19937_64 generator(21);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  std::vector<std::vector<double>> columns(3, std::vector<double>(count));
  for (auto& column : columns) {
    for (double& v : column) {
      v = uniform(generator);
    }
  }
  return columns;
}

const discgeom::correlation_result& correlation_of(const discgeom::traversal_study& study,
                                                   std::size_t feature, std::string_view name) {
  for (const auto& c : study.correlations) {
    if (c.feature == feature && c.geometric_feature == name) {
      return c.correlation;
    }
  }
  FAIL("no correlation for feature " << feature << " and " << name);
  throw;
}

}  // namespace

TEST_CASE("decode_and_measure: an analytic ellipsoid measures as its axes", "[latent]") {
  ellipsoid_decoder decode;
  const std::vector<double> code{0.5, -1.0, 1.0};  // semi-axes 11, 13, 5 mm
  const auto m = discgeom::decode_and_measure(code, decode);
  CHECK(m.status == "ok");
  // Widths of the middle slices: the diameters within one voxel.
  CHECK(*m.lateral_width_mm == Approx(22.0).margin(0.8));
  CHECK(*m.ap_width_mm == Approx(26.0).margin(0.8));
  // Mean SI chord of an ellipsoid = volume / projected area = 4 c / 3.
  CHECK(*m.height_mm == Approx(4.0 * 5.0 / 3.0).margin(0.25));
  CHECK(m.volume_mm3 == Approx(4.0 / 3.0 * test_shapes::pi * 11.0 * 13.0 * 5.0).epsilon(0.02));
}

TEST_CASE("decode_and_measure: a plain volume needs the geometry", "[latent]") {
  auto as_array = [](std::span<const double>) {
    auto mask = discgeom::image<std::uint8_t>::filled({4, 4, 4}, {}, 0);
    mask.voxels(1, 1, 1) = 1;
    return mask.voxels;  // an xtensor: no geometry
  };
  const std::vector<double> code{0.0};
  REQUIRE_THROWS_WITH(
      discgeom::decode_and_measure(code, as_array),
      Catch::Contains("decode_and_measure()") && Catch::Contains("options.geometry is empty"));
  const auto m = discgeom::decode_and_measure(
      code, as_array, {.geometry = discgeom::image_geometry{.spacing = {2.0, 2.0, 3.0}}});
  CHECK(m.voxels == 1);
  CHECK(m.volume_mm3 == 12.0);
  auto nothing = [](std::span<const double>) {
    return discgeom::image<std::uint8_t>::filled({4, 4, 4}, {}, 0);
  };
  CHECK(discgeom::decode_and_measure(code, nothing).status == "empty");
}

TEST_CASE("study_traversal: each swept feature drives its own axis only", "[latent]") {
  const auto codes = random_codes(40);
  ellipsoid_decoder decode;
  const auto study = discgeom::study_traversal(codes, decode);
  REQUIRE(study.traversal.points.size() == 3 * 6);
  CHECK(decode.calls == 18);
  REQUIRE(study.measures.size() == 18);
  REQUIRE(study.correlations.size() == 3 * discgeom::disc_geometric_features.size());

  // Feature 2 sweeps the SI semi-axis: height rises with it at every step (Spearman rho = 1),
  // close to 4 (4 + z2) / 3; the lateral width does not move at all.
  for (std::size_t s = 0; s < 6; ++s) {
    const auto& point = study.traversal.points[2 * 6 + s];
    CHECK(*study.measures[2 * 6 + s].height_mm ==
          Approx(4.0 * (4.0 + point.value) / 3.0).margin(0.25));
  }
  CHECK(correlation_of(study, 2, "height_mm").r == 1.0);
  CHECK(correlation_of(study, 2, "volume_mm3").r == 1.0);
  CHECK(correlation_of(study, 2, "lateral_width_mm").status ==
        discgeom::correlation_status::constant_y);
  CHECK(correlation_of(study, 0, "lateral_width_mm").r > 0.9);
  CHECK(correlation_of(study, 1, "ap_width_mm").r > 0.9);
  CHECK(correlation_of(study, 0, "ap_width_mm").status == discgeom::correlation_status::constant_y);

  // Plausibility: the grid points near the centre of the codes are as close to real codes as
  // real codes are to each other; the ends of a sweep with the others at the mean are not far.
  REQUIRE(study.plausibility.size() == 18);
  CHECK(study.typical_distance > 0.0);
  for (double ratio : study.plausibility) {
    CHECK(ratio > 0.0);
    CHECK(ratio < 4.0);
  }
  const auto without = discgeom::study_traversal(
      codes, decode, {.traversal = {.steps = 3}, .plausibility = std::nullopt});
  CHECK(without.traversal.points.size() == 9);
  CHECK(std::isnan(without.plausibility[0]));
}
