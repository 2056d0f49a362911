// SPDX-License-Identifier: MIT
// Tests of transform/reorient.hpp, transform/resample.hpp and transform/crop.hpp.
#include <cmath>
#include <cstdint>
#include <limits>

#include <catch2/catch.hpp>
#include <xtensor/xtensor.hpp>

#include "discgeom/mask/labels.hpp"
#include "discgeom/mask/structures.hpp"
#include "discgeom/transform/crop.hpp"
#include "discgeom/transform/reorient.hpp"
#include "discgeom/transform/resample.hpp"

namespace {
discgeom::image<std::int16_t> counting(const char* code) {
  const discgeom::image_geometry g{.spacing = {0.5, 0.7, 3.0},
                                   .origin = {10, -4, 60},
                                   .direction = discgeom::direction_from_orientation(code)};
  auto img = discgeom::image<std::int16_t>::filled({4, 5, 3}, g, 0);
  std::int16_t next = 1;
  for (auto& v : img.voxels)
    v = next++;
  return img;
}
}  // namespace

TEST_CASE("reorient: every voxel keeps its value at its physical position") {
  for (const char* source : {"PIL", "LPS", "ASR", "IRA"}) {
    const auto img = counting(source);
    for (const char* target : {"LPS", "RAS", "PIL", "SLA"}) {
      const auto out = discgeom::reorient(img, img.geometry, target);
      INFO(source << " -> " << target);
      CHECK(out.geometry.orientation_code() == target);
      CHECK(out.voxels.size() == img.voxels.size());
      for (std::size_t k = 0; k < out.shape()[2]; ++k)
        for (std::size_t j = 0; j < out.shape()[1]; ++j)
          for (std::size_t i = 0; i < out.shape()[0]; ++i) {
            const auto p = out.geometry.index_to_physical(std::array<std::size_t, 3>{i, j, k});
            const auto x = img.geometry.physical_to_index(p);
            const std::array<std::size_t, 3> src{static_cast<std::size_t>(std::lround(x[0])),
                                                 static_cast<std::size_t>(std::lround(x[1])),
                                                 static_cast<std::size_t>(std::lround(x[2]))};
            REQUIRE(std::abs(x[0] - static_cast<double>(src[0])) < 1e-9);
            CHECK(out.voxels(i, j, k) == img.voxels(src[0], src[1], src[2]));
          }
    }
  }
  const auto img = counting("LPS");
  CHECK_THROWS_AS(discgeom::reorient(img, img.geometry, "LPQ"), discgeom::precondition_error);
}

TEST_CASE("resample_nearest keeps labels exact; the field of view is kept") {
  // A 20 x 20 x 4 label map at 0.5 x 0.5 x 4.0 with a 10 x 10 x 2 block of label 201.
  const discgeom::image_geometry g{.spacing = {0.5, 0.5, 4.0}};
  auto img = discgeom::image<std::uint8_t>::filled({20, 20, 4}, g, 0);
  for (std::size_t i = 5; i < 15; ++i)
    for (std::size_t j = 5; j < 15; ++j)
      for (std::size_t k = 1; k < 3; ++k)
        img.voxels(i, j, k) = 201;
  const auto out = discgeom::resample_nearest(img, g, {1.0, 1.0, 1.0});
  CHECK(out.shape() == std::array<std::size_t, 3>{10, 10, 16});
  // Field-of-view corner preserved: origin moves by (t - s) / 2 = (0.25, 0.25, -1.5) mm.
  CHECK(out.geometry.origin[0] == Approx(0.25));
  CHECK(out.geometry.origin[2] == Approx(-1.5));
  const auto counts = discgeom::label_voxel_counts(out);
  REQUIRE(counts.size() == 1);  // no label value was invented
  CHECK(counts[0].label == 201);
  // The block is 5 x 5 x 8 mm: 5 x 5 x 8 voxels of 1 mm.
  CHECK(counts[0].voxels == 5 * 5 * 8);
  CHECK_THROWS_WITH(discgeom::resample_nearest(img, g, {1.0, 0.0, 1.0}),
                    "resample(): spacing[1] must be finite and > 0, got 0");
}

TEST_CASE("resample_linear: a linear ramp is reproduced exactly inside; NaN refused") {
  const discgeom::image_geometry g{.spacing = {1.0, 1.0, 1.0}};
  auto ramp = discgeom::image<float>::filled({8, 3, 3}, g, 0.0f);
  for (std::size_t i = 0; i < 8; ++i)
    for (std::size_t j = 0; j < 3; ++j)
      for (std::size_t k = 0; k < 3; ++k)
        ramp.voxels(i, j, k) = static_cast<float>(2 * i + 1);
  const auto fine = discgeom::resample_linear(ramp, g, {0.5, 1.0, 1.0});
  REQUIRE(fine.shape() == std::array<std::size_t, 3>{16, 3, 3});
  // Output j samples x = (j + 1/2) / 2 - 1/2; value 2x + 1 between the outermost centres.
  for (std::size_t j = 1; j < 15; ++j)
    CHECK(fine.voxels(j, 1, 1) == Approx(2 * ((j + 0.5) / 2 - 0.5) + 1));
  CHECK(fine.voxels(0, 1, 1) == Approx(1.0));  // beyond the first centre: the edge value
  ramp.voxels(3, 1, 1) = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_WITH(discgeom::resample_linear(ramp, g, {0.5, 1.0, 1.0}),
                    "resample_linear(): intensity at voxel [3,1,1] is nan");
}

TEST_CASE("crop_structure: centred in the box, flagged or refused when it does not fit") {
  const discgeom::image_geometry g{.spacing = {0.6, 0.6, 3.3}, .origin = {1, 2, 3}};
  auto img = discgeom::image<std::uint8_t>::filled({100, 100, 12}, g, 0);
  for (std::size_t i = 40; i < 50; ++i)  // bounding box 40..49, 60..63, 3..6
    for (std::size_t j = 60; j < 64; ++j)
      for (std::size_t k = 3; k < 7; ++k)
        img.voxels(i, j, k) = 1;
  const auto set = discgeom::collect_foreground_voxels(img, g);
  const auto crop = discgeom::crop_structure(set, {.size = {16, 16, 8}});
  CHECK(crop.fits);
  // Centre 44.5 -> 45, minus 8 = 37; 61.5 -> 62 - 8 = 54; 4.5 -> 5 - 4 = 1.
  CHECK(crop.offset == std::array<std::ptrdiff_t, 3>{37, 54, 1});
  CHECK(crop.box.voxels(40 - 37, 60 - 54, 3 - 1) == 1);
  CHECK(crop.box.geometry.origin[0] == Approx(1 + 37 * 0.6));
  std::size_t inside = 0;
  for (auto v : crop.box.voxels)
    inside += v;
  CHECK(inside == set.voxels.size());

  const auto small = discgeom::crop_structure(set, {.size = {8, 8, 8}});
  CHECK_FALSE(small.fits);
  CHECK(small.voxels_outside == 2 * 4 * 4);  // 10 voxels wide in an 8-voxel box
  CHECK_THROWS_WITH(discgeom::crop_structure(
                        set, {.size = {8, 8, 8}, .on_overflow = discgeom::crop_overflow::error}),
                    "crop_structure(): the structure spans [10,4,4] voxels and 32 of its voxels "
                    "fall outside the box [8,8,8]");
  CHECK_THROWS_AS(discgeom::crop_structure(discgeom::voxel_set{{}, {4, 4, 4}, {}}),
                  discgeom::precondition_error);
}
