// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// `voxel_traits<V>`: what discgeom needs to know about a voxel type, supplied non-intrusively
/// (cf. vigra::NumericTraits, Eigen::NumTraits).
///
/// discgeom never applies `operator==`, arithmetic or conversions to a voxel directly: it asks
/// the traits. A specialisation may provide, as static members:
///
/// | member                                | needed by                    | meaning                    |
/// |---------------------------------------|------------------------------|----------------------------|
/// | `using value_type = V;`               | every voxel (`voxel`)        | the voxel type itself      |
/// | `static bool is_foreground(const V&)` | masks (`mask_voxel`)         | inside the structure?      |
/// | `using label_type = <integral>;`      | label maps (`label_voxel`)   | integer label type         |
/// | `static label_type label(const V&)`   | label maps (`label_voxel`)   | the voxel's label, 0 = none|
/// | `using real_type = <floating>;`       | intensities (`scalar_voxel`) | type of real values        |
/// | `static real_type to_real(const V&)`  | intensities (`scalar_voxel`) | the voxel's value          |
///
/// The primary template is declared and never defined, so using a type without a specialisation
/// fails to compile with a diagnostic naming `discgeom::voxel_traits<YourType>`.
/// Specialisations for bool and all arithmetic types are provided here; `enum_label_traits<E>`
/// is a ready base for enumerations used as labels. See docs/customisation.md.

#include <concepts>
#include <cstdint>
#include <type_traits>

namespace discgeom {

/// Customisation point for voxel types. Deliberately undefined: specialise it for your type.
template <class V>
struct voxel_traits;

/// Traits of the floating-point types: scalars whose real value is the value as double, and
/// masks whose foreground is every non-zero value. They are not labels: a label of 2.5 would
/// have to be rounded silently.
template <std::floating_point V>
struct voxel_traits<V> {
  using value_type = V;
  using real_type = double;
  static constexpr bool is_foreground(V value) noexcept { return value != V{}; }
  static constexpr real_type to_real(V value) noexcept { return static_cast<real_type>(value); }
};

/// Traits of bool and the integer types: labels whose label is the value itself (bool: 0 or 1),
/// foreground when non-zero, and scalars whose real value is the value as double.
template <std::integral V>
struct voxel_traits<V> {
  using value_type = V;
  using real_type = double;
  using label_type = std::conditional_t<std::is_same_v<V, bool>, std::uint8_t, V>;
  static constexpr bool is_foreground(V value) noexcept { return value != V{}; }
  static constexpr label_type label(V value) noexcept { return static_cast<label_type>(value); }
  static constexpr real_type to_real(V value) noexcept { return static_cast<real_type>(value); }
};

/// A ready base for an enumeration used as a label voxel:
///   enum class tissue : std::uint8_t { background, disc, vertebra };
///   template <> struct discgeom::voxel_traits<tissue> : discgeom::enum_label_traits<tissue> {};
/// The label is the underlying value; foreground is every enumerator whose value is not 0.
/// No comparison or arithmetic operator of the enumeration is used.
template <class E>
requires std::is_enum_v<E>
struct enum_label_traits {
  using value_type = E;
  using label_type = std::underlying_type_t<E>;
  static constexpr label_type label(E value) noexcept { return static_cast<label_type>(value); }
  static constexpr bool is_foreground(E value) noexcept { return label(value) != label_type{}; }
};

}  // namespace discgeom
