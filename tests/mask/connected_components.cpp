// SPDX-License-Identifier: MIT
#include "discgeom/mask/connected_components.hpp"

#include <cstdint>
#include <random>
#include <set>

#include <catch2/catch.hpp>
#include <xtensor/xtensor.hpp>

#include "discgeom/adapters/xtensor.hpp"
#include "discgeom/image.hpp"
#include "discgeom/mask/structures.hpp"
#include "user_voxels.hpp"

TEST_CASE("connected_components: labels never merge, connectivity decides diagonal contacts") {
  // Label 1: a 2 x 2 x 2 cube and a voxel touching its corner; label 2 touching the cube's face.
  discgeom::image<std::uint16_t> img =
      discgeom::image<std::uint16_t>::filled({6, 6, 6}, {.spacing = {0.5, 0.5, 2.0}}, 0);
  for (std::size_t i = 1; i <= 2; ++i)
    for (std::size_t j = 1; j <= 2; ++j)
      for (std::size_t k = 1; k <= 2; ++k)
        img.voxels(i, j, k) = 1;
  img.voxels(3, 3, 3) = 1;  // corner contact
  img.voxels(3, 1, 1) = 2;  // face contact, other label
  const auto c26 = discgeom::connected_components(img, img.geometry);
  REQUIRE(c26.components.size() == 2);
  CHECK(c26.components[0].label == 1);
  CHECK(c26.components[0].voxels == 9);
  CHECK(c26.components[0].volume_mm3 == Approx(9 * 0.5));
  CHECK(c26.components[1].label == 2);
  CHECK(c26.ids(3, 3, 3) == c26.ids(1, 1, 1));
  CHECK(c26.ids(3, 1, 1) == 2);
  CHECK(c26.ids(0, 0, 0) == 0);
  const auto c18 =
      discgeom::connected_components(img, img.geometry, discgeom::connectivity3::edges);
  CHECK(c18.components.size() == 3);
  const auto c6 = discgeom::connected_components(img, img.geometry, discgeom::connectivity3::faces);
  REQUIRE(c6.components.size() == 3);
  CHECK(c6.components[0].voxels == 8);
  CHECK(c6.components[0].lower == std::array<std::size_t, 3>{1, 1, 1});
  CHECK(c6.components[0].upper == std::array<std::size_t, 3>{2, 2, 2});
  CHECK(c6.components[0].centroid_index[0] == Approx(1.5));
}

TEST_CASE("connected_components: a U shape needs the union of provisional ids") {
  xt::xtensor<std::uint8_t, 3> u = xt::zeros<std::uint8_t>({5, 4, 1});
  for (std::size_t j = 0; j < 4; ++j) {
    u(0, j, 0) = 7;
    u(4, j, 0) = 7;
  }
  for (std::size_t i = 0; i < 5; ++i)
    u(i, 3, 0) = 7;
  // Row-major xtensor input: the result is the same whatever the layout.
  const auto c = discgeom::connected_components(u, {}, discgeom::connectivity3::faces);
  REQUIRE(c.components.size() == 1);
  CHECK(c.components[0].voxels == 11);
}

TEST_CASE("connected_components agrees with split_components on random multi-label volumes") {
  std::mt19937 random(11);
  for (const auto connectivity : {discgeom::connectivity3::faces, discgeom::connectivity3::edges,
                                  discgeom::connectivity3::corners}) {
    auto img = discgeom::image<user::opaque_label>::filled({13, 11, 9}, {}, user::opaque_label{0});
    for (auto& v : img.voxels)
      v.id = random() % 3 == 0 ? 0u : 1u + random() % 3;
    const auto c = discgeom::connected_components(img, img.geometry, connectivity);
    std::multiset<std::pair<std::int64_t, std::size_t>> expected, found;
    for (const auto& s : discgeom::collect_label_voxels(img, img.geometry)) {
      for (const auto& part : discgeom::split_components(s.set, connectivity)) {
        expected.insert({s.label, part.voxels.size()});
      }
    }
    for (const auto& stats : c.components)
      found.insert({stats.label, stats.voxels});
    CHECK(found == expected);
    // Every voxel's id points at a component of its own label.
    for (std::size_t k = 0; k < 9; ++k)
      for (std::size_t j = 0; j < 11; ++j)
        for (std::size_t i = 0; i < 13; ++i) {
          const auto id = c.ids(i, j, k);
          CHECK((id == 0) == (img.voxels(i, j, k).id == 0));
          if (id != 0)
            CHECK(c.components[id - 1].label == img.voxels(i, j, k).id);
        }
  }
}

TEST_CASE("connected_components_2d: 4 and 8 connectivity") {
  xt::xtensor<int, 2> plane = {{1, 0, 0}, {0, 1, 0}, {0, 0, 2}};
  CHECK(discgeom::connected_components_2d(plane, {}, discgeom::connectivity2::edges)
            .components.size() == 3);
  const auto eight = discgeom::connected_components_2d(plane, {}, discgeom::connectivity2::corners);
  REQUIRE(eight.components.size() == 2);
  CHECK(eight.components[0].voxels == 2);
  CHECK(eight.ids.shape()[2] == 1);
}

TEST_CASE("connected_components: empty volume, invalid geometry") {
  xt::xtensor<std::uint8_t, 3> zeros = xt::zeros<std::uint8_t>({3, 3, 3});
  CHECK(discgeom::connected_components(zeros, {}).components.empty());
  CHECK_THROWS_AS(discgeom::connected_components(zeros, {.spacing = {1, 1, 0}}),
                  discgeom::precondition_error);
}
