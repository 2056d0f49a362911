// SPDX-License-Identifier: MIT
#include "discgeom/transform/crop.hpp"

#include <cmath>
#include <cstdint>
#include <limits>

#include <catch2/catch.hpp>
#include <xtensor/xtensor.hpp>

#include "discgeom/mask/structures.hpp"

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
