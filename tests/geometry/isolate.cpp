// SPDX-License-Identifier: MIT
#include "discgeom/geometry/isolate.hpp"

#include <cstdint>

#include <catch2/catch.hpp>

#include "discgeom/image.hpp"

TEST_CASE("isolate_structures: discs of a binary mask, lowest first, specks kept aside") {
  // Axis 1 grows inferior (PIL): the disc at j 40..44 is the lowest.
  const discgeom::image_geometry g{.spacing = {0.5, 0.5, 3.0},
                                   .direction = discgeom::direction_from_orientation("PIL")};
  auto mask = discgeom::image<bool>::filled({20, 50, 5}, g, false);
  const auto slab = [&](std::size_t j0, std::size_t j1, std::size_t i1) {
    for (std::size_t i = 2; i < i1; ++i)
      for (std::size_t j = j0; j <= j1; ++j)
        for (std::size_t k = 1; k < 4; ++k)
          mask.voxels(i, j, k) = true;
  };
  slab(5, 8, 18);                 // top disc
  slab(20, 24, 12);               // middle disc
  slab(40, 44, 16);               // bottom disc
  mask.voxels(19, 30, 0) = true;  // a speck
  const auto isolated = discgeom::isolate_structures(mask, g, 10);
  REQUIRE(isolated.structures.size() == 3);
  CHECK(isolated.structures[0].voxels.size() == 14 * 5 * 3);  // bottom first
  CHECK(isolated.structures[1].voxels.size() == 10 * 5 * 3);
  CHECK(isolated.structures[2].voxels.size() == 16 * 4 * 3);
  REQUIRE(isolated.too_small.size() == 1);
  CHECK(isolated.too_small[0].voxels.size() == 1);
}
