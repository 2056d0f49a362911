// SPDX-License-Identifier: MIT
#include "discgeom/traits.hpp"

#include <cstdint>
#include <type_traits>

#include <catch2/catch.hpp>

#include "user_voxels.hpp"

using discgeom::voxel_traits;

TEST_CASE("integer voxels are labels whose label is the value, zero is background") {
  STATIC_REQUIRE(std::is_same_v<voxel_traits<std::uint16_t>::label_type, std::uint16_t>);
  STATIC_REQUIRE(std::is_same_v<voxel_traits<bool>::label_type, std::uint8_t>);
  CHECK(voxel_traits<std::uint32_t>::label(4000000000u) == 4000000000u);
  CHECK(voxel_traits<std::int16_t>::label(-3) == -3);
  CHECK(voxel_traits<bool>::label(true) == 1);
  CHECK_FALSE(voxel_traits<std::uint8_t>::is_foreground(0));
  CHECK(voxel_traits<std::uint8_t>::is_foreground(255));
  CHECK(voxel_traits<std::int32_t>::is_foreground(-1));
  CHECK(voxel_traits<std::int32_t>::to_real(-7) == -7.0);
}

TEST_CASE("floating-point voxels are scalars and masks but not labels") {
  CHECK(voxel_traits<float>::to_real(0.25f) == 0.25);
  CHECK(voxel_traits<double>::is_foreground(1e-300));
  CHECK_FALSE(voxel_traits<double>::is_foreground(0.0));
  CHECK_FALSE(voxel_traits<double>::is_foreground(-0.0));
}

TEST_CASE("enum_label_traits labels by the underlying value") {
  using traits = voxel_traits<user::spine_label>;
  STATIC_REQUIRE(std::is_same_v<traits::label_type, std::uint16_t>);
  CHECK(traits::label(user::spine_label::l5_s1) == 201);
  CHECK_FALSE(traits::is_foreground(user::spine_label::background));
  CHECK(traits::is_foreground(user::spine_label::canal));
}
