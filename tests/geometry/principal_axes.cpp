// SPDX-License-Identifier: MIT
#include "discgeom/geometry/principal_axes.hpp"

#include <cmath>
#include <cstdint>

#include <catch2/catch.hpp>

#include "discgeom/image.hpp"
#include "discgeom/mask/structures.hpp"
#include "shapes.hpp"

using discgeom::anatomical_axis;

TEST_CASE("principal_axes of a box: exact lengths and extents, named and signed axes") {
  // 10 (LR) x 40 (AP) x 4 (SI) voxels at 0.5 x 0.6 x 4.0 mm: 5 x 24 x 16 mm, stored as PIL.
  const discgeom::image_geometry g{.spacing = {0.6, 4.0, 0.5},
                                   .direction = discgeom::direction_from_orientation("PIL")};
  auto img = discgeom::image<std::uint8_t>::filled({50, 8, 14}, g, 0);
  for (std::size_t i = 5; i < 45; ++i)
    for (std::size_t j = 2; j < 6; ++j)
      for (std::size_t k = 2; k < 12; ++k)
        img.voxels(i, j, k) = 1;
  const auto axes = discgeom::principal_axes(discgeom::collect_foreground_voxels(img, g));
  CHECK(axes.names == std::array<anatomical_axis, 3>{anatomical_axis::ap, anatomical_axis::si,
                                                     anatomical_axis::lr});
  CHECK(axes.lengths_mm[0] == Approx(24.0));
  CHECK(axes.lengths_mm[1] == Approx(16.0));
  CHECK(axes.lengths_mm[2] == Approx(5.0));
  CHECK(axes.extents_mm[0] == Approx(24.0));
  CHECK(axes.extents_mm[1] == Approx(16.0));
  CHECK(axes.extents_mm[2] == Approx(5.0));
  // Signs: the AP axis points anterior (-y), SI superior (+z), LR left (+x).
  CHECK(axes.axes[0][1] == Approx(-1.0));
  CHECK(axes.axes[1][2] == Approx(1.0));
  CHECK(axes.axes[2][0] == Approx(1.0));
}

TEST_CASE("principal_axes of a tilted ellipsoid: the major axis follows the tilt") {
  const test_shapes::sagittal_ellipsoid shape{{0.0, 0.0, 0.0}, 18.0, 4.0, 12.0, 20.0};
  const auto g = test_shapes::centred_geometry("LPS", {1.1, 0.3, 0.3}, {15, 80, 80}, shape.c);
  auto img = discgeom::image<std::uint8_t>::filled({31, 161, 161}, g, 0);
  test_shapes::rasterise(img, std::uint8_t{1}, shape);
  const auto axes = discgeom::principal_axes(discgeom::collect_foreground_voxels(img, g));
  CHECK(axes.names[0] == anatomical_axis::ap);
  CHECK(axes.names[2] == anatomical_axis::si);
  // Major axis: anterior cos 20, superior sin 20 (pointing anterior, so y < 0 and z > 0).
  const double t = 20.0 * test_shapes::pi / 180.0;
  CHECK(-axes.axes[0][1] == Approx(std::cos(t)).margin(2e-3));
  CHECK(axes.axes[0][2] == Approx(std::sin(t)).margin(3e-3));
  // Thin axis points superior-posterior: (-sin 20 anterior, cos 20 superior).
  CHECK(axes.axes[2][2] == Approx(std::cos(t)).margin(3e-3));
  // Lengths sqrt(12 a^2 / 5) of the solid ellipsoid.
  CHECK(axes.lengths_mm[0] == Approx(std::sqrt(12.0 / 5.0) * 18.0).epsilon(0.01));
  CHECK(axes.lengths_mm[1] == Approx(std::sqrt(12.0 / 5.0) * 12.0).epsilon(0.03));
  CHECK(axes.lengths_mm[2] == Approx(std::sqrt(12.0 / 5.0) * 4.0).epsilon(0.02));
  CHECK_THROWS_AS(discgeom::principal_axes(discgeom::voxel_set{{}, {2, 2, 2}, {}}),
                  discgeom::precondition_error);
}
