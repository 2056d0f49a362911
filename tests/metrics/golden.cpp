// SPDX-License-Identifier: MIT
// The default metrics against golden values computed with scipy by
// tests/golden/make_metrics_golden.py (stored in tests/data/metrics_golden.txt; Python is not
// run here).
#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "discgeom/image.hpp"
#include "discgeom/metrics/evaluate.hpp"
#include "golden_runs.hpp"

namespace {

struct golden_case {
  std::string name;
  std::array<std::size_t, 3> shape{};
  discgeom::vec3 spacing{};
  std::vector<std::uint16_t> reference, prediction;  // axis 0 fastest
  std::map<discgeom::label_value, std::map<std::string, double>> expected;
};

using golden::decode_runs;

std::vector<golden_case> read_golden() {
  std::ifstream file(DISCGEOM_TEST_DATA_DIR "/metrics_golden.txt");
  REQUIRE(file.good());
  std::vector<golden_case> cases;
  std::string text;
  while (std::getline(file, text)) {
    std::istringstream line(text);
    std::string key;
    line >> key;
    if (key == "case") {
      cases.emplace_back();
      line >> cases.back().name;
    } else if (key == "shape") {
      for (auto& n : cases.back().shape)
        line >> n;
    } else if (key == "spacing") {
      for (auto& s : cases.back().spacing)
        line >> s;
    } else if (key == "reference" || key == "prediction") {
      const auto& shape = cases.back().shape;
      (key == "reference" ? cases.back().reference : cases.back().prediction) =
          decode_runs(line, shape[0] * shape[1] * shape[2]);
    } else if (key == "label") {
      discgeom::label_value label = 0;
      line >> label;
      std::string name;
      double value = 0;
      while (line >> name >> value)
        cases.back().expected[label][name] = value;
    }
  }
  REQUIRE(cases.size() == 3);
  return cases;
}

discgeom::image<std::uint16_t> to_image(const std::vector<std::uint16_t>& values,
                                        const std::array<std::size_t, 3>& shape,
                                        const discgeom::image_geometry& geometry) {
  auto img = discgeom::image<std::uint16_t>::filled(shape, geometry, 0);
  std::copy(values.begin(), values.end(), img.voxels.data());
  return img;
}

}  // namespace

TEST_CASE("default metrics equal scipy's on stored cases, for any direction and both engines",
          "[metrics][golden]") {
  for (const auto& c : read_golden()) {
    // The same grid as scipy's (identity, origin 0), and an oblique one: distances in mm do
    // not depend on where the grid lies or how it is turned.
    const discgeom::image_geometry straight{.spacing = c.spacing};
    const discgeom::image_geometry oblique{
        .spacing = c.spacing,
        .origin = {12.5, -30.0, 5.25},
        .direction = {{{0.0, 0.6, 0.8}, {-1.0, 0.0, 0.0}, {0.0, -0.8, 0.6}}}};
    for (const auto& geometry : {straight, oblique}) {
      const auto reference = to_image(c.reference, c.shape, geometry);
      const auto prediction = to_image(c.prediction, c.shape, geometry);
      for (const auto engine :
           {discgeom::distance_engine::kd_tree, discgeom::distance_engine::distance_transform}) {
        INFO(c.name << ", engine " << discgeom::to_string(engine) << ", origin "
                    << geometry.origin[0]);
        discgeom::evaluation_options options{.engine = engine};
        const auto result =
            discgeom::evaluate_segmentation(reference.view(), prediction.view(), geometry, options);
        REQUIRE(result.size() == c.expected.size());
        for (const auto& e : result) {
          INFO("label " << e.label);
          const auto& want = c.expected.at(e.label);
          const auto near = [](double expected) {
            return Approx(expected).epsilon(1e-12).margin(1e-12);
          };
          CHECK(static_cast<double>(e.surface.reference_points) == want.at("reference_points"));
          CHECK(static_cast<double>(e.surface.prediction_points) == want.at("prediction_points"));
          CHECK(e.overlap.dice == near(want.at("dice")));
          CHECK(e.overlap.iou == near(want.at("iou")));
          CHECK(e.surface.hausdorff_mm == near(want.at("hd")));
          CHECK(e.surface.hausdorff_percentile_mm == near(want.at("hd95")));
          CHECK(e.surface.assd_mm == near(want.at("assd")));
          CHECK(e.surface.masd_mm == near(want.at("masd")));
          CHECK(e.surface.asd_reference_to_prediction_mm == near(want.at("asd_rp")));
          CHECK(e.surface.nsd == near(want.at("nsd1")));
        }
        // The variants, from the same distances.
        const auto distances = discgeom::directed_surface_distances(
            reference.view(), prediction.view(), geometry, {.engine = engine});
        for (const auto& d : distances) {
          const auto& want = c.expected.at(d.label);
          CHECK(discgeom::hausdorff_percentile_distance(
                    d, {.aggregation = discgeom::percentile_aggregation::pooled}) ==
                Approx(want.at("hd95_pooled")).epsilon(1e-12));
          CHECK(discgeom::hausdorff_percentile_distance(d, {.percentile = 90}) ==
                Approx(want.at("hd90")).epsilon(1e-12).margin(1e-12));
          CHECK(discgeom::normalised_surface_distance(d, {.tolerance_mm = 2.0}) ==
                Approx(want.at("nsd2")).epsilon(1e-12));
        }
      }
    }
  }
}
