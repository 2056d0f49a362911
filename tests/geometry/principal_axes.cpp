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

TEST_CASE("principal_frame: a box's height and widths exactly, a tilted box is not overestimated") {
  // 30 (AP) x 8 (SI) x 20 (LR) mm box, at 0.5 x 0.5 x 2.0 mm, aligned with the grid.
  const discgeom::image_geometry g{.spacing = {2.0, 0.5, 0.5}};
  const auto box = [&](double tilt_deg) {
    const double t = tilt_deg * test_shapes::pi / 180.0;
    auto img = discgeom::image<std::uint8_t>::filled({15, 121, 121}, g, 0);
    test_shapes::rasterise(img, std::uint8_t{1}, [&](const discgeom::vec3& p) {
      // Centres off the voxel grid by half a voxel, so no voxel centre lies on a face.
      const double anterior = -(p[1] - 30.25), superior = p[2] - 30.25, left = p[0] - 15.0;
      const double u = anterior * std::cos(t) + superior * std::sin(t);
      const double v = -anterior * std::sin(t) + superior * std::cos(t);
      return std::abs(u) < 15.0 && std::abs(v) < 4.0 && std::abs(left) < 10.0;
    });
    return discgeom::collect_foreground_voxels(img, g);
  };
  const auto straight = discgeom::principal_frame(box(0.0));
  CHECK(straight.height_mm == Approx(8.0));
  CHECK(straight.ap_width_mm == Approx(30.0));
  CHECK(straight.lateral_width_mm == Approx(20.0));

  const auto tilted_set = box(25.0);
  const auto tilted = discgeom::principal_frame(tilted_set);
  CHECK(tilted.height_mm == Approx(8.0).epsilon(0.03));
  CHECK(tilted.ap_width_mm == Approx(30.0).margin(1.0));
  // Columns along the array's SI axis measure the tilted box's volume over its larger shadow,
  // 30 x 8 / (30 cos 25 + 8 sin 25) = 7.85 mm, not its thickness.
  CHECK(discgeom::disc_height(tilted_set) ==
        Approx(240.0 / (30.0 * std::cos(25.0 * test_shapes::pi / 180.0) +
                        8.0 * std::sin(25.0 * test_shapes::pi / 180.0)))
            .epsilon(0.02));
  CHECK_THROWS_AS(discgeom::principal_frame(discgeom::voxel_set{{}, {2, 2, 2}, {}}),
                  discgeom::precondition_error);
}
