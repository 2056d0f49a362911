// SPDX-License-Identifier: MIT
#include "discgeom/mask/morphology.hpp"

#include <cstdint>

#include <catch2/catch.hpp>
#include <xtensor/xtensor.hpp>

#include "discgeom/adapters/xtensor.hpp"

namespace {
std::size_t count(const discgeom::image<std::uint8_t>& img) {
  std::size_t n = 0;
  for (auto v : img.voxels)
    n += v;
  return n;
}
}  // namespace

TEST_CASE("ellipsoid_element in mm on anisotropic voxels") {
  const discgeom::image_geometry g{.spacing = {0.5, 0.5, 2.0}};
  // Radius 1 mm: 2 voxels in plane, 0 through plane (2 mm > 1 mm): the 13 lattice points of a disc.
  CHECK(discgeom::ellipsoid_element(g, {1.0, 1.0, 1.0}).offsets.size() == 13);
  // Radius 2 mm: through plane reaches +-1 (exactly 2 mm, on the surface).
  const auto ball = discgeom::ellipsoid_element(g, {2.0, 2.0, 2.0});
  CHECK(std::count(ball.offsets.begin(), ball.offsets.end(), std::array<int, 3>{0, 0, 1}) == 1);
  CHECK(discgeom::ellipsoid_element(g, {0.0, 0.0, 0.0}).offsets.size() == 1);
  CHECK_THROWS_WITH(discgeom::ellipsoid_element(g, {1.0, -1.0, 1.0}),
                    "ellipsoid_element(): radii_mm[1] must be finite and >= 0, got -1");
}

TEST_CASE(
    "dilate and erode a box by one in-plane voxel, open removes a speck, close bridges a gap") {
  const discgeom::image_geometry g{.spacing = {0.5, 0.5, 2.0}};
  xt::xtensor<std::uint8_t, 3> box = xt::zeros<std::uint8_t>({12, 12, 5});
  for (std::size_t i = 3; i < 8; ++i)
    for (std::size_t j = 3; j < 8; ++j)
      for (std::size_t k = 1; k < 4; ++k)
        box(i, j, k) = 1;
  // 0.5 mm reaches one voxel along axes 0 and 1 (a plus sign), none along axis 2.
  const discgeom::vec3 half_mm{0.5, 0.5, 0.5};
  CHECK(count(discgeom::dilate(box, g, half_mm)) == (5 * 5 + 4 * 5) * 3);
  CHECK(count(discgeom::erode(box, g, half_mm)) == 3 * 3 * 3);
  CHECK(count(discgeom::open(box, g, half_mm)) == (3 * 3 + 4 * 3) * 3);

  box(10, 10, 2) = 1;  // a one-voxel speck
  CHECK(discgeom::open(box, g, half_mm).voxels(10, 10, 2) == 0);
  // A bar three voxels thick (j 1..3) cut at i = 5: closing bridges the cut's middle row.
  xt::xtensor<std::uint8_t, 3> gap = xt::zeros<std::uint8_t>({12, 5, 3});
  for (std::size_t i = 1; i < 11; ++i)
    for (std::size_t j = 1; j <= 3; ++j)
      if (i != 5)
        gap(i, j, 1) = 1;
  const auto closed = discgeom::close(gap, g, half_mm);
  CHECK(closed.voxels(5, 2, 1) == 1);
  CHECK(closed.voxels(5, 1, 1) == 0);  // a plus-shaped element cannot reach the cut's edge rows
  // Erosion at the array border: outside counts as background.
  xt::xtensor<std::uint8_t, 3> full = xt::ones<std::uint8_t>({4, 4, 1});
  CHECK(count(discgeom::erode(full, g, half_mm)) == 4);
}
