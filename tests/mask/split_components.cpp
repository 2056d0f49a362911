// SPDX-License-Identifier: MIT
#include "discgeom/mask/split_components.hpp"

#include <catch2/catch.hpp>

namespace {
discgeom::voxel_set three_pieces() {
  // A 2 x 2 x 2 cube, a voxel touching its corner diagonally, and an isolated voxel; plus a voxel
  // touching the cube along an edge.
  discgeom::voxel_set set{{}, {10, 10, 10}, {}};
  for (std::uint32_t i = 1; i <= 2; ++i)
    for (std::uint32_t j = 1; j <= 2; ++j)
      for (std::uint32_t k = 1; k <= 2; ++k)
        set.voxels.push_back({i, j, k});
  set.voxels.push_back({3, 3, 3});  // corner neighbour of (2,2,2)
  set.voxels.push_back({3, 3, 1});  // edge neighbour of (2,2,1)
  set.voxels.push_back({8, 8, 8});  // isolated
  return set;
}
}  // namespace

TEST_CASE("split_components: 6, 18 and 26 connectivity, largest first") {
  const auto set = three_pieces();
  const auto faces = discgeom::split_components(set, discgeom::connectivity3::faces);
  REQUIRE(faces.size() == 4);
  CHECK(faces[0].voxels.size() == 8);
  const auto edges = discgeom::split_components(set, discgeom::connectivity3::edges);
  REQUIRE(edges.size() == 3);
  CHECK(edges[0].voxels.size() == 9);
  const auto corners = discgeom::split_components(set, discgeom::connectivity3::corners);
  REQUIRE(corners.size() == 2);
  CHECK(corners[0].voxels.size() == 10);
  CHECK(corners[1].voxels == std::vector<discgeom::voxel_index>{{8, 8, 8}});
  CHECK(corners[0].shape == set.shape);
  CHECK(discgeom::split_components(discgeom::voxel_set{{}, {2, 2, 2}, {}}).empty());
}
