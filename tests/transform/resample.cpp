// SPDX-License-Identifier: MIT
#include "discgeom/transform/resample.hpp"

#include <cmath>
#include <cstdint>
#include <limits>

#include <catch2/catch.hpp>
#include <xtensor/xtensor.hpp>

#include "discgeom/mask/labels.hpp"

TEST_CASE("resample_nearest keeps labels exact, the field of view is kept") {
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

TEST_CASE("resample_linear: a linear ramp is reproduced exactly inside, NaN refused") {
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
  // Negative intensities (z-scored images) are valid: interpolated as they are, never clamped.
  auto negative = ramp;
  for (auto& v : negative.voxels)
    v = -v;
  CHECK(discgeom::resample_linear(negative, g, {0.5, 1.0, 1.0}).voxels(5, 1, 1) ==
        Approx(-(2 * (5.5 / 2 - 0.5) + 1)));
  ramp.voxels(3, 1, 1) = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_WITH(discgeom::resample_linear(ramp, g, {0.5, 1.0, 1.0}),
                    "resample_linear(): intensity at voxel [3,1,1] is nan");
}
