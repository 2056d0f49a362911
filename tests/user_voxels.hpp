// SPDX-License-Identifier: MIT
#pragma once
// Voxel types a user might bring, shared by the tests. None has operator== or arithmetic.

#include <cstdint>
#include <type_traits>

#include "discgeom/traits.hpp"

namespace user {

/// A label enumeration, with values far apart as in SPIDER.
enum class spine_label : std::uint16_t { background = 0, l5 = 1, canal = 100, l5_s1 = 201 };

/// A label held in a struct with no operators at all, 32-bit.
struct opaque_label {
  std::uint32_t id = 0;
};

/// A segmentation network's output: foreground when the probability is at least one half.
struct probability {
  float p = 0.0f;
};

/// A label voxel of type T holding `value` (whatever T's way of being built).
template <class T>
T make_label(std::uint32_t value) {
  if constexpr (std::is_same_v<T, opaque_label>) {
    return T{value};
  } else {
    return static_cast<T>(value);
  }
}

}  // namespace user

template <>
struct discgeom::voxel_traits<user::spine_label> : discgeom::enum_label_traits<user::spine_label> {
};

template <>
struct discgeom::voxel_traits<user::opaque_label> {
  using value_type = user::opaque_label;
  using label_type = std::uint32_t;
  static constexpr bool is_foreground(const user::opaque_label& v) noexcept { return v.id != 0; }
  static constexpr label_type label(const user::opaque_label& v) noexcept { return v.id; }
};

template <>
struct discgeom::voxel_traits<user::probability> {
  using value_type = user::probability;
  using real_type = double;
  static constexpr bool is_foreground(const user::probability& v) noexcept { return v.p >= 0.5f; }
  static constexpr real_type to_real(const user::probability& v) noexcept { return v.p; }
};
