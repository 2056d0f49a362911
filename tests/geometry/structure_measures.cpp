// SPDX-License-Identifier: MIT
#include "discgeom/geometry/structure_measures.hpp"

#include <cmath>
#include <cstdint>

#include <catch2/catch.hpp>

#include "discgeom/image.hpp"
#include "discgeom/mask/structures.hpp"
#include "shapes.hpp"

using discgeom::anatomical_axis;
using discgeom::anatomical_plane;

namespace {

// A box of 10 (LR) x 40 (AP) x 4 (SI) voxels at spacing 0.5 x 0.6 x 4.0 mm, identity direction
// (axis 0 -> Left, 1 -> Posterior, 2 -> Superior), indices i 3..12, j 5..44, k 2..5.
discgeom::voxel_set make_box() {
  const discgeom::image_geometry g{.spacing = {0.5, 0.6, 4.0}, .origin = {10.0, -20.0, 5.0}};
  auto img = discgeom::image<std::uint8_t>::filled({30, 50, 12}, g, 0);
  for (std::size_t i = 3; i <= 12; ++i)
    for (std::size_t j = 5; j <= 44; ++j)
      for (std::size_t k = 2; k <= 5; ++k)
        img.voxels(i, j, k) = 1;
  return discgeom::collect_foreground_voxels(img, g);
}

}  // namespace

TEST_CASE("box at anisotropic spacing: every measure by hand") {
  const auto box = make_box();
  REQUIRE(box.voxels.size() == 1600);
  CHECK(discgeom::volume_mm3(box) == Approx(1600 * 0.5 * 0.6 * 4.0));
  const auto c = discgeom::centroid(box);
  CHECK(c.index[0] == Approx(7.5));
  CHECK(c.index[1] == Approx(24.5));
  CHECK(c.index[2] == Approx(3.5));
  CHECK(c.physical[0] == Approx(10.0 + 7.5 * 0.5));
  CHECK(c.physical[1] == Approx(-20.0 + 24.5 * 0.6));
  CHECK(c.physical[2] == Approx(5.0 + 3.5 * 4.0));
  const auto bb = discgeom::bounding_box(box);
  CHECK(bb.lower == std::array<std::size_t, 3>{3, 5, 2});
  CHECK(bb.upper == std::array<std::size_t, 3>{12, 44, 5});
  CHECK_FALSE(discgeom::touches_border(box));
  CHECK(discgeom::disc_height(box) == Approx(4 * 4.0));
  // Middle slices round half up: LR 7.5 -> 8, SI 3.5 -> 4.
  CHECK(discgeom::middle_slice(box, anatomical_axis::lr) == 8);
  CHECK(discgeom::middle_slice(box, anatomical_axis::si) == 4);
  CHECK(*discgeom::slice_width(box, anatomical_axis::lr, anatomical_axis::ap) == Approx(40 * 0.6));
  CHECK(*discgeom::slice_width(box, anatomical_axis::si, anatomical_axis::lr) == Approx(10 * 0.5));
  // Sagittal: AP spread (24 mm) beats SI (16 mm): the major axis is horizontal, 0 degrees.
  CHECK(*discgeom::inclination_deg(box, anatomical_plane::sagittal) == Approx(0.0).margin(1e-9));
  // Coronal: SI (16 mm) beats LR (5 mm): vertical, 90 degrees (first component 0, second > 0).
  CHECK(*discgeom::inclination_deg(box, anatomical_plane::coronal) == Approx(90.0));
  // Transverse: AP (24 mm) beats LR (5 mm): the major axis is along "anterior", 90 degrees.
  CHECK(*discgeom::inclination_deg(box, anatomical_plane::transverse) == Approx(90.0));
  const auto rect = discgeom::slice_min_area_rectangle(box, anatomical_axis::lr);
  REQUIRE(rect);
  CHECK(rect->short_side == Approx(16.0));
  CHECK(rect->long_side == Approx(24.0));
  // Maximal Feret diameter of the 24 x 16 mm middle sagittal section: its diagonal.
  CHECK(*discgeom::slice_max_feret(box, anatomical_axis::lr) == Approx(std::hypot(24.0, 16.0)));
  CHECK(*discgeom::slice_max_feret(box, anatomical_axis::si) == Approx(std::hypot(24.0, 5.0)));
}

TEST_CASE("a structure on the array boundary touches the border") {
  const discgeom::voxel_set edge{{{0, 3, 3}, {1, 3, 3}}, {5, 6, 7}, {}};
  CHECK(discgeom::touches_border(edge));
  const discgeom::voxel_set top{{{2, 3, 6}}, {5, 6, 7}, {}};
  CHECK(discgeom::touches_border(top));
  const discgeom::voxel_set inside{{{2, 3, 5}}, {5, 6, 7}, {}};
  CHECK_FALSE(discgeom::touches_border(inside));
}

TEST_CASE("tilted ellipsoid at 4.4 x 0.3 x 0.3 mm: angle, height, widths, rectangle") {
  // Semi-axes 18 mm (AP, tilted), 4 mm (SI, tilted), 21 mm (LR); tilted 20 degrees, anterior up.
  const test_shapes::sagittal_ellipsoid shape{{5.0, -30.0, 80.0}, 18.0, 4.0, 21.0, 20.0};
  const auto g = test_shapes::centred_geometry("LPS", {4.4, 0.3, 0.3}, {7, 80, 80}, shape.c);
  auto img = discgeom::image<std::uint8_t>::filled({15, 161, 161}, g, 0);
  test_shapes::rasterise(img, std::uint8_t{1}, shape);
  const auto set = discgeom::collect_foreground_voxels(img, g);

  const double volume = 4.0 / 3.0 * test_shapes::pi * 18.0 * 4.0 * 21.0;
  CHECK(discgeom::volume_mm3(set) == Approx(volume).epsilon(0.03));
  const auto c = discgeom::centroid(set);
  for (std::size_t i = 0; i < 3; ++i)
    CHECK(c.physical[i] == Approx(shape.c[i]).margin(1e-6));

  CHECK(*discgeom::inclination_deg(set, anatomical_plane::sagittal) == Approx(20.0).margin(0.3));
  // The coronal and transverse sections through the centre are symmetric: exactly 0 degrees.
  CHECK(*discgeom::inclination_deg(set, anatomical_plane::coronal) == Approx(0.0).margin(1e-9));
  CHECK(*discgeom::inclination_deg(set, anatomical_plane::transverse) == Approx(0.0).margin(1e-9));

  // Mean thickness along SI = volume / shadow area = 4ab / (3W), W = sqrt(a^2 cos^2 + b^2 sin^2).
  const double t = 20.0 * test_shapes::pi / 180.0;
  const double w =
      std::sqrt(18.0 * 18.0 * std::cos(t) * std::cos(t) + 16.0 * std::sin(t) * std::sin(t));
  CHECK(discgeom::disc_height(set) == Approx(4.0 * 18.0 * 4.0 / (3.0 * w)).epsilon(0.04));
  // The middle sagittal slice cuts the full ellipse: AP extent 2W, within a voxel at each end.
  CHECK(*discgeom::slice_width(set, anatomical_axis::lr, anatomical_axis::ap) ==
        Approx(2.0 * w).margin(0.6));
  // LR slices are centred at k * 4.4 mm from the centre; |k| <= 4 lie inside 21 mm: 9 slices.
  CHECK(*discgeom::slice_width(set, anatomical_axis::si, anatomical_axis::lr) == Approx(9 * 4.4));
  // Minimum-area rectangle of the middle sagittal ellipse: short side 2b, plus at most a pixel.
  const auto rect = discgeom::slice_min_area_rectangle(set, anatomical_axis::lr);
  REQUIRE(rect);
  CHECK(rect->short_side >= 8.0);
  CHECK(rect->short_side <= 8.0 + 0.3 * std::sqrt(2.0) + 0.05);
  CHECK(rect->long_side == Approx(36.0).margin(0.3 * std::sqrt(2.0) + 0.05));
}

TEST_CASE("measures do not depend on how the array is stored (PIL vs LPS, flipped axes)") {
  const test_shapes::sagittal_ellipsoid shape{{0.0, 0.0, 0.0}, 15.0, 5.0, 12.0, -25.0};
  const auto lps = test_shapes::centred_geometry("LPS", {3.3, 0.5, 0.5}, {5, 50, 50}, shape.c);
  auto a = discgeom::image<std::uint8_t>::filled({11, 101, 101}, lps, 0);
  test_shapes::rasterise(a, std::uint8_t{1}, shape);
  // Stored as (posterior, inferior, left): AP on axis 0, SI on axis 1 growing downwards.
  const auto pil = test_shapes::centred_geometry("PIL", {0.5, 0.5, 3.3}, {50, 50, 5}, shape.c);
  auto b = discgeom::image<std::uint8_t>::filled({101, 101, 11}, pil, 0);
  test_shapes::rasterise(b, std::uint8_t{1}, shape);
  const auto sa = discgeom::collect_foreground_voxels(a, lps);
  const auto sb = discgeom::collect_foreground_voxels(b, pil);
  REQUIRE(sa.voxels.size() == sb.voxels.size());
  CHECK(discgeom::disc_height(sa) == Approx(discgeom::disc_height(sb)));
  CHECK(*discgeom::inclination_deg(sa, anatomical_plane::sagittal) == Approx(-25.0).margin(0.5));
  for (const auto plane :
       {anatomical_plane::sagittal, anatomical_plane::coronal, anatomical_plane::transverse}) {
    CHECK(*discgeom::inclination_deg(sa, plane) ==
          Approx(*discgeom::inclination_deg(sb, plane)).margin(1e-9));
  }
  CHECK(*discgeom::slice_width(sa, anatomical_axis::lr, anatomical_axis::ap) ==
        Approx(*discgeom::slice_width(sb, anatomical_axis::lr, anatomical_axis::ap)));
  CHECK(*discgeom::slice_width(sa, anatomical_axis::si, anatomical_axis::lr) ==
        Approx(*discgeom::slice_width(sb, anatomical_axis::si, anatomical_axis::lr)));
  CHECK(discgeom::slice_min_area_rectangle(sa, anatomical_axis::lr)->short_side ==
        Approx(discgeom::slice_min_area_rectangle(sb, anatomical_axis::lr)->short_side));
}

TEST_CASE("an empty middle slice leaves slice measures empty, an empty set is a precondition") {
  // Two slabs at LR slices 2-3 and 7-8: the centroid (5.0) is on slice 5, which holds nothing.
  discgeom::voxel_set split{{}, {12, 6, 6}, {}};
  for (std::uint32_t i : {2u, 3u, 7u, 8u})
    for (std::uint32_t j = 1; j < 5; ++j)
      for (std::uint32_t k = 1; k < 5; ++k)
        split.voxels.push_back({i, j, k});
  CHECK(discgeom::middle_slice(split, anatomical_axis::lr) == 5);
  CHECK_FALSE(discgeom::slice_width(split, anatomical_axis::lr, anatomical_axis::ap));
  CHECK_FALSE(discgeom::inclination_deg(split, anatomical_plane::sagittal));
  CHECK_FALSE(discgeom::slice_min_area_rectangle(split, anatomical_axis::lr));
  CHECK_FALSE(discgeom::slice_max_feret(split, anatomical_axis::lr));
  CHECK(discgeom::slice_width(split, anatomical_axis::si, anatomical_axis::lr));

  const discgeom::voxel_set none{{}, {4, 4, 4}, {}};
  CHECK_THROWS_WITH(discgeom::centroid(none), "centroid(): the structure has no voxels");
  CHECK_THROWS_AS(discgeom::disc_height(none), discgeom::precondition_error);
  CHECK_THROWS_WITH(discgeom::slice_width(split, anatomical_axis::ap, anatomical_axis::ap),
                    "slice_width(): the measured axis AP is the slice normal");
}

TEST_CASE("a single voxel or a round section has no inclination") {
  const discgeom::voxel_set one{{{2, 2, 2}}, {5, 5, 5}, {}};
  CHECK_FALSE(discgeom::inclination_deg(one, anatomical_plane::sagittal));
  // A 3 x 3 square in the sagittal slice at isotropic spacing: isotropic covariance.
  discgeom::voxel_set square{{}, {5, 5, 5}, {}};
  for (std::uint32_t j = 1; j <= 3; ++j)
    for (std::uint32_t k = 1; k <= 3; ++k)
      square.voxels.push_back({2, j, k});
  CHECK_FALSE(discgeom::inclination_deg(square, anatomical_plane::sagittal));
}
