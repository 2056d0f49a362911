// SPDX-License-Identifier: MIT
#include "discgeom/mask/cleanup.hpp"

#include <cstdint>

#include <catch2/catch.hpp>
#include <xtensor/xtensor.hpp>

#include "discgeom/adapters/xtensor.hpp"
#include "discgeom/image.hpp"
#include "discgeom/mask/labels.hpp"
#include "user_voxels.hpp"

namespace {
// Label 201: a 3 x 3 x 3 cube and a stray voxel; label 5: two separate voxels.
discgeom::image<std::uint16_t> messy() {
  auto img = discgeom::image<std::uint16_t>::filled({10, 10, 10}, {.spacing = {0.5, 0.5, 2.0}}, 0);
  for (std::size_t i = 1; i <= 3; ++i)
    for (std::size_t j = 1; j <= 3; ++j)
      for (std::size_t k = 1; k <= 3; ++k)
        img.voxels(i, j, k) = 201;
  img.voxels(8, 8, 8) = 201;
  img.voxels(6, 1, 1) = 5;
  img.voxels(6, 6, 1) = 5;
  return img;
}
}  // namespace

TEST_CASE("keep_largest_component keeps one component per label") {
  auto img = messy();
  const auto report = discgeom::keep_largest_component(img, img.geometry);
  CHECK(report.components_removed == 2);  // the stray 201 voxel and the second label-5 voxel
  CHECK(report.voxels_changed == 2);
  const auto counts = discgeom::label_voxel_counts(img);
  REQUIRE(counts.size() == 2);
  CHECK(counts[0].voxels == 1);   // label 5: the first in scan order kept on a tie
  CHECK(counts[1].voxels == 27);  // label 201
  CHECK(img.voxels(8, 8, 8) == 0);
  CHECK(img.voxels(6, 1, 1) == 5);
}

TEST_CASE("remove_small_components by voxels and by mm^3") {
  auto by_voxels = messy();
  CHECK(discgeom::remove_small_components(by_voxels, by_voxels.geometry, {.voxels = 2})
            .voxels_changed == 3);
  CHECK(discgeom::label_voxel_counts(by_voxels).size() == 1);
  auto by_volume = messy();  // a voxel is 0.5 mm^3, the cube 13.5 mm^3
  CHECK(discgeom::remove_small_components(by_volume, by_volume.geometry, {.volume_mm3 = 13.5})
            .components_removed == 3);
  CHECK(by_volume.voxels(2, 2, 2) == 201);
  auto kept = messy();
  CHECK(discgeom::remove_small_components(kept, kept.geometry, {.volume_mm3 = 13.6})
            .components_removed == 4);
  CHECK_THROWS_WITH(
      discgeom::remove_small_components(kept, kept.geometry, {.volume_mm3 = -1.0}),
      "remove_small_components(): minimum.volume_mm3 must be finite and >= 0, got -1");
}

TEST_CASE("a user label type is cleaned with a chosen background") {
  auto img =
      discgeom::image<user::spine_label>::filled({4, 4, 4}, {}, user::spine_label::background);
  img.voxels(0, 0, 0) = user::spine_label::l5;
  img.voxels(3, 3, 3) = user::spine_label::l5;
  img.voxels(0, 1, 0) = user::spine_label::l5;
  discgeom::keep_largest_component(img, img.geometry, discgeom::connectivity3::faces,
                                   user::spine_label::canal);
  CHECK(img.voxels(3, 3, 3) == user::spine_label::canal);
}

TEST_CASE("fill_holes: enclosed background only, in 3D and slice by slice") {
  // A hollow 5 x 5 x 5 shell with a 3 x 3 x 3 cavity, and a tunnel through another box.
  xt::xtensor<std::uint8_t, 3> shell = xt::zeros<std::uint8_t>({9, 9, 9});
  for (std::size_t i = 1; i <= 5; ++i)
    for (std::size_t j = 1; j <= 5; ++j)
      for (std::size_t k = 1; k <= 5; ++k)
        shell(i, j, k) = (i == 1 || i == 5 || j == 1 || j == 5 || k == 1 || k == 5) ? 1 : 0;
  auto filled = shell;
  const auto report = discgeom::fill_holes(filled, std::uint8_t{1});
  CHECK(report.components_removed == 1);
  CHECK(report.voxels_changed == 27);
  CHECK(filled(3, 3, 3) == 1);
  CHECK(filled(0, 0, 0) == 0);

  // Open the shell's top (k = 5): no 3D hole remains, but each middle slice k has a hole.
  for (std::size_t i = 2; i <= 4; ++i)
    for (std::size_t j = 2; j <= 4; ++j)
      shell(i, j, 5) = 0;
  auto open_top = shell;
  CHECK(discgeom::fill_holes(open_top, std::uint8_t{1}).voxels_changed == 0);
  const auto slicewise = discgeom::fill_holes_slicewise(open_top, 2, std::uint8_t{1});
  CHECK(slicewise.components_removed == 4);  // slices k = 2, 3, 4, 5
  CHECK(slicewise.voxels_changed == 36);
  CHECK(open_top(3, 3, 3) == 1);
  // The same through the anatomical plane: with the identity direction, transverse slices are
  // normal to array axis 2.
  auto transverse = shell;
  CHECK(discgeom::fill_holes_slicewise(transverse, discgeom::image_geometry{},
                                       discgeom::anatomical_plane::transverse, std::uint8_t{1})
            .voxels_changed == 36);
  // Slices normal to axis 0 cut the open box in U shapes: nothing enclosed except in i = 1, 5
  // walls.
  auto sideways = shell;
  CHECK(discgeom::fill_holes_slicewise(sideways, 0, std::uint8_t{1}).voxels_changed == 0);
  CHECK_THROWS_WITH(discgeom::fill_holes_slicewise(sideways, 3, std::uint8_t{1}),
                    "fill_holes_slicewise(): normal_axis 3 is not 0, 1 or 2");
}
