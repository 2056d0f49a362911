// SPDX-License-Identifier: MIT
#include "discgeom/mask/structures.hpp"

#include <algorithm>
#include <cstdint>

#include <catch2/catch.hpp>
#include <xtensor/xtensor.hpp>

#include "discgeom/adapters/xtensor.hpp"
#include "discgeom/image.hpp"
#include "user_voxels.hpp"

TEST_CASE(
    "collect_label_voxels: every foreground voxel once, grouped by label, with shape and "
    "geometry") {
  const discgeom::image_geometry g{.spacing = {0.5, 0.5, 3.3}};
  auto img =
      discgeom::image<user::spine_label>::filled({4, 5, 6}, g, user::spine_label::background);
  img.voxels(0, 0, 0) = user::spine_label::l5_s1;
  img.voxels(3, 4, 5) = user::spine_label::l5_s1;
  img.voxels(1, 2, 3) = user::spine_label::canal;
  const auto sets = discgeom::collect_label_voxels(img, g);
  REQUIRE(sets.size() == 2);
  CHECK(sets[0].label == 100);
  CHECK(sets[0].set.voxels == std::vector<discgeom::voxel_index>{{1, 2, 3}});
  CHECK(sets[1].label == 201);
  auto voxels = sets[1].set.voxels;
  std::sort(voxels.begin(), voxels.end());
  CHECK(voxels == std::vector<discgeom::voxel_index>{{0, 0, 0}, {3, 4, 5}});
  CHECK(sets[1].set.shape == std::array<std::size_t, 3>{4, 5, 6});
  CHECK(sets[1].set.geometry == g);
}

TEST_CASE("collect_foreground_voxels takes any mask voxel, and validates the geometry") {
  xt::xtensor<float, 3> probabilities = xt::zeros<float>({3, 3, 3});
  probabilities(2, 1, 0) = 0.7f;
  const auto set = discgeom::collect_foreground_voxels(probabilities, {});
  CHECK(set.voxels == std::vector<discgeom::voxel_index>{{2, 1, 0}});
  const discgeom::image_geometry bad{.spacing = {1.0, -1.0, 1.0}};
  CHECK_THROWS_WITH(
      discgeom::collect_foreground_voxels(probabilities, bad),
      Catch::StartsWith(
          "collect_foreground_voxels(): geometry.spacing[1] must be finite and > 0, got -1"));
  const xt::xtensor<int, 3> labels = xt::ones<int>({2, 2, 2});
  CHECK_THROWS_AS(discgeom::collect_label_voxels(labels, bad), discgeom::precondition_error);
}
