// SPDX-License-Identifier: MIT
#include "discgeom/concepts.hpp"

#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>
#include <xtensor/xarray.hpp>
#include <xtensor/xtensor.hpp>

#include "discgeom/adapters/xtensor.hpp"
#include "discgeom/image.hpp"
#include "discgeom/volume_view.hpp"
#include "user_voxels.hpp"

namespace {
struct no_traits {};
struct no_operators_at_all {
  no_operators_at_all() = delete;
};
}  // namespace

TEST_CASE("voxel concepts: built-in types") {
  STATIC_REQUIRE(discgeom::label_voxel<std::uint8_t>);
  STATIC_REQUIRE(discgeom::label_voxel<const std::uint32_t>);
  STATIC_REQUIRE(discgeom::label_voxel<bool>);
  STATIC_REQUIRE(discgeom::scalar_voxel<std::int16_t>);
  STATIC_REQUIRE(discgeom::scalar_voxel<float>);
  STATIC_REQUIRE(discgeom::mask_voxel<float>);
  STATIC_REQUIRE_FALSE(discgeom::label_voxel<float>);
}

TEST_CASE("voxel concepts: user types need voxel_traits and nothing else") {
  STATIC_REQUIRE(discgeom::label_voxel<user::spine_label>);
  STATIC_REQUIRE_FALSE(discgeom::scalar_voxel<user::spine_label>);
  STATIC_REQUIRE(discgeom::label_voxel<user::opaque_label>);
  STATIC_REQUIRE(discgeom::mask_voxel<user::probability>);
  STATIC_REQUIRE(discgeom::scalar_voxel<user::probability>);
  STATIC_REQUIRE_FALSE(discgeom::label_voxel<user::probability>);
  STATIC_REQUIRE_FALSE(discgeom::voxel<no_traits>);
  STATIC_REQUIRE_FALSE(discgeom::voxel<no_operators_at_all>);
}

TEST_CASE("volume concepts") {
  using view = discgeom::volume_view<std::uint8_t, 3>;
  using const_view = discgeom::volume_view<const std::uint8_t, 3>;
  STATIC_REQUIRE(discgeom::volume<view>);
  STATIC_REQUIRE(discgeom::strided_volume<view>);
  STATIC_REQUIRE(discgeom::writable_volume<view>);
  STATIC_REQUIRE(discgeom::mask<view>);
  STATIC_REQUIRE(discgeom::strided_volume<const_view>);
  STATIC_REQUIRE_FALSE(discgeom::writable_volume<const_view>);
  STATIC_REQUIRE(discgeom::mask<discgeom::volume_view<user::opaque_label, 2>>);
  STATIC_REQUIRE_FALSE(discgeom::mask<discgeom::volume_view<no_traits, 3>>);
  STATIC_REQUIRE_FALSE(discgeom::volume<discgeom::volume_view<no_traits, 3>>);
  // volume_like is about structure: what as_volume accepts.
  STATIC_REQUIRE(discgeom::volume_like<view>);
  STATIC_REQUIRE(discgeom::volume_like<discgeom::volume_view<no_traits, 3>>);
  STATIC_REQUIRE(discgeom::volume_like<xt::xtensor<float, 3>&>);
  STATIC_REQUIRE(discgeom::volume_like<const xt::xarray<int>&>);
  STATIC_REQUIRE(discgeom::volume_like<discgeom::image<user::spine_label>&>);
  STATIC_REQUIRE_FALSE(discgeom::volume_like<std::vector<float>&>);
  STATIC_REQUIRE_FALSE(discgeom::volume_like<int>);
}
