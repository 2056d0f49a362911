// SPDX-License-Identifier: MIT
#include "discgeom/mask/postprocess.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

#include <catch2/catch.hpp>

#include "discgeom/image.hpp"

namespace {

using discgeom::image;
using labels_image = image<std::uint16_t>;

void fill_box(labels_image& img, std::array<std::size_t, 3> lo, std::array<std::size_t, 3> hi,
              std::uint16_t value) {  // hi inclusive
  for (std::size_t k = lo[2]; k <= hi[2]; ++k)
    for (std::size_t j = lo[1]; j <= hi[1]; ++j)
      for (std::size_t i = lo[0]; i <= hi[0]; ++i)
        img.voxels(i, j, k) = value;
}

std::size_t count(const labels_image& img, std::uint16_t value) {
  std::size_t n = 0;
  for (const auto v : img.voxels)
    n += v == value ? 1 : 0;
  return n;
}

// Label 1: a 12 x 12 x 4 box (i, j 2-13, k 1-4) with a 3 x 3 hole in slice k = 2 (i, j 7-9), a
// one-voxel notch in its face i = 2 (at j 7, k 3), a one-voxel spur on its face i = 13 (at
// (14, 7, 2)), and a 2 x 2 blob apart (i, j 16-17, k 2). Label 2: a 3 x 4 x 4 slab touching the
// array border j = 0 (i 16-18, j 0-3, k 1-4). 576 - 9 - 1 + 1 + 4 = 571 and 48 voxels.
labels_image messy(const discgeom::vec3& spacing) {
  auto img = labels_image::filled({20, 20, 6}, {.spacing = spacing}, 0);
  fill_box(img, {2, 2, 1}, {13, 13, 4}, 1);
  fill_box(img, {7, 7, 2}, {9, 9, 2}, 0);
  img.voxels(2, 7, 3) = 0;
  img.voxels(14, 7, 2) = 1;
  fill_box(img, {16, 16, 2}, {17, 17, 2}, 1);
  fill_box(img, {16, 0, 1}, {18, 3, 4}, 2);
  return img;
}

}  // namespace

TEST_CASE("postprocess_labels: smoothing in mm, then holes, then the largest component") {
  // r = 1.5 mm on 1 x 1 x 3 mm voxels: the ball is the 3 x 3 square in each slice (offsets with
  // a^2 + b^2 <= 2.25; 1.5 mm < 3 mm, so no reach across slices). The opening removes the spur and
  // the blob (neither holds a 3 x 3 square), the closing fills the notch but not the 3 x 3 hole
  // (its centre is not reached by the dilation); then the hole is filled; one component is left.
  auto img = messy({1.0, 1.0, 3.0});
  REQUIRE(count(img, 1) == 571);
  const auto report =
      discgeom::postprocess_labels(img.voxels, img.geometry, {.smoothing_radius_mm = 1.5});
  CHECK(report.labels == 2);
  CHECK(report.smoothing_removed == 5);
  CHECK(report.smoothing_added == 1);
  CHECK(report.holes_filled == 9);
  CHECK(report.components_removed == 0);
  CHECK(report.component_voxels_removed == 0);
  CHECK(count(img, 1) == 576);
  CHECK(img.voxels(14, 7, 2) == 0);   // spur
  CHECK(img.voxels(2, 7, 3) == 1);    // notch
  CHECK(img.voxels(8, 8, 2) == 1);    // hole
  CHECK(img.voxels(16, 16, 2) == 0);  // blob
  // The slab on the array border keeps its border row: the closing never erodes from the border.
  CHECK(count(img, 2) == 48);
  CHECK(img.voxels(17, 0, 2) == 2);
}

TEST_CASE("postprocess_labels: the same radius on coarser voxels does not smooth") {
  // 1.5 mm on 2 x 2 x 3 mm voxels: the ball is one voxel, open and close change nothing. Holes
  // are filled; the blob is the second component of label 1 and goes.
  auto img = messy({2.0, 2.0, 3.0});
  const auto report =
      discgeom::postprocess_labels(img.voxels, img.geometry, {.smoothing_radius_mm = 1.5});
  CHECK(report.smoothing_removed == 0);
  CHECK(report.smoothing_added == 0);
  CHECK(report.holes_filled == 9);
  CHECK(report.components_removed == 1);
  CHECK(report.component_voxels_removed == 4);
  CHECK(img.voxels(14, 7, 2) == 1);
  CHECK(img.voxels(2, 7, 3) == 0);
  CHECK(count(img, 1) == 576);
  CHECK(count(img, 2) == 48);
}

TEST_CASE("postprocess_labels: each step can be switched off") {
  auto img = messy({1.0, 1.0, 3.0});
  const auto untouched = img;
  const auto none = discgeom::postprocess_labels(
      img.voxels, img.geometry,
      {.holes = discgeom::hole_filling::off, .keep_largest_component = false});
  CHECK(none.labels == 2);
  CHECK(none.smoothing_removed + none.smoothing_added + none.holes_filled +
            none.components_removed ==
        0);
  const bool unchanged = img.voxels == untouched.voxels;
  CHECK(unchanged);
  // Largest component only: the blob goes, the hole stays.
  const auto largest = discgeom::postprocess_labels(img.voxels, img.geometry,
                                                    {.holes = discgeom::hole_filling::off});
  CHECK(largest.components_removed == 1);
  CHECK(largest.holes_filled == 0);
  CHECK(count(img, 1) == 567);
  // An empty map: nothing to do.
  auto empty = labels_image::filled({4, 4, 4}, {}, 0);
  const auto nothing =
      discgeom::postprocess_labels(empty.voxels, empty.geometry, {.smoothing_radius_mm = 2.0});
  CHECK(nothing.labels == 0);
  CHECK(count(empty, 0) == 64);
}

TEST_CASE("postprocess_labels: holes slice by slice in a named plane") {
  // A 6 x 6 x 4 box (i, j 2-7, k 1-4) pierced along axis 2 by a one-voxel tunnel at (4, 4): no
  // hole in 3D (the tunnel reaches the background above and below) nor in sagittal slices
  // (normal i), but one per transverse slice (normal k): 4 voxels.
  const auto tunnel = [](const discgeom::image_geometry& geometry) {
    auto img = labels_image::filled({10, 10, 6}, geometry, 0);
    fill_box(img, {2, 2, 1}, {7, 7, 4}, 3);
    fill_box(img, {4, 4, 1}, {4, 4, 4}, 0);
    return img;
  };
  const discgeom::image_geometry lps{.spacing = {0.5, 0.5, 4.0}};
  auto volume = tunnel(lps);
  CHECK(discgeom::postprocess_labels(volume.voxels, volume.geometry).holes_filled == 0);
  auto sagittal = tunnel(lps);
  CHECK(discgeom::postprocess_labels(sagittal.voxels, sagittal.geometry,
                                     {.holes = discgeom::hole_filling::slices,
                                      .hole_plane = discgeom::anatomical_plane::sagittal})
            .holes_filled == 0);
  auto transverse = tunnel(lps);
  CHECK(discgeom::postprocess_labels(transverse.voxels, transverse.geometry,
                                     {.holes = discgeom::hole_filling::slices,
                                      .hole_plane = discgeom::anatomical_plane::transverse})
            .holes_filled == 4);
  CHECK(transverse.voxels(4, 4, 2) == 3);
  // The plane follows the direction cosines: with array axis 0 along SI ("SPL"-like: axis 0
  // superior, axis 2 left), the tunnel's axis 2 is LR, so the sagittal slices hold the holes.
  discgeom::image_geometry turned{.spacing = {0.5, 0.5, 4.0},
                                  .direction = discgeom::direction_from_orientation("SPL")};
  auto rotated = tunnel(turned);
  CHECK(discgeom::postprocess_labels(rotated.voxels, rotated.geometry,
                                     {.holes = discgeom::hole_filling::slices,
                                      .hole_plane = discgeom::anatomical_plane::sagittal})
            .holes_filled == 4);
}

TEST_CASE("postprocess_labels: a bad radius names the function, argument and value") {
  auto img = messy({1.0, 1.0, 3.0});
  CHECK_THROWS_WITH(
      discgeom::postprocess_labels(img.voxels, img.geometry, {.smoothing_radius_mm = -1.0}),
      "postprocess_labels(): settings.smoothing_radius_mm must be finite and >= 0, got -1");
  CHECK_THROWS_WITH(
      discgeom::postprocess_labels(
          img.voxels, img.geometry,
          {.smoothing_radius_mm = std::numeric_limits<double>::infinity()}),
      "postprocess_labels(): settings.smoothing_radius_mm must be finite and >= 0, got inf");
}
