// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The concepts discgeom's algorithms are written against.
///
/// Voxels (each refines the previous one where indented):
///   voxel          `voxel_traits<V>` is specialised (nothing else is demanded: no `operator==`,
///                  no arithmetic, no conversion)
///     mask_voxel   the traits say whether a voxel is foreground: `is_foreground(v) -> bool`
///       label_voxel  ... and give its integer label: `label(v) -> label_type`
///     scalar_voxel the traits give a real value: `to_real(v) -> real_type` (intensities)
///
/// Volumes:
///   volume           `value_type` is a voxel, static `rank()`, `shape()`, `size()`,
///                    `operator[](std::array<std::size_t, rank()>)`
///   strided_volume   ... plus `data()` and `strides()` (in elements): viewable without copying
///   writable_volume  ... whose elements can be assigned
///   mask             a volume of mask voxels
///   volume_like      anything `as_volume` turns into a `volume_view`: a strided array, or a
///                    container with a `volume_adapter` specialisation (xtensor, ITK, LibTorch and
///                    the user's own); the voxel type is checked by each algorithm

#include <array>
#include <concepts>
#include <cstddef>
#include <type_traits>

#include "discgeom/traits.hpp"

namespace discgeom {

/// Customisation point for foreign containers (cf. nanoflann's dataset adaptor, made
/// non-intrusive). Deliberately undefined; see as_volume.hpp for what a specialisation provides.
template <class Container>
struct volume_adapter;

namespace detail {
template <class V>
using traits_of = voxel_traits<std::remove_cv_t<V>>;
}  // namespace detail

/// A type for which `voxel_traits` is specialised. When this is not satisfied the compiler names
/// the missing `discgeom::voxel_traits<V>::value_type`.
template <class V>
concept voxel = requires {
  typename voxel_traits<std::remove_cv_t<V>>::value_type;
}
&&std::same_as<typename voxel_traits<std::remove_cv_t<V>>::value_type, std::remove_cv_t<V>>;

/// A voxel whose traits decide foreground: `voxel_traits<V>::is_foreground(v)`.
template <class V>
concept mask_voxel = voxel<V> && requires(const std::remove_cv_t<V>& value) {
  { voxel_traits<std::remove_cv_t<V>>::is_foreground(value) } -> std::convertible_to<bool>;
};

/// A mask voxel that also carries an integer label: `voxel_traits<V>::label(v)`.
template <class V>
concept label_voxel = mask_voxel<V> && requires(const std::remove_cv_t<V>& value) {
  typename detail::traits_of<V>::label_type;
  requires std::integral<typename detail::traits_of<V>::label_type>;
  { detail::traits_of<V>::label(value) } -> std::same_as<typename detail::traits_of<V>::label_type>;
};

/// A voxel with a real value: `voxel_traits<V>::to_real(v)` (image intensities, probabilities).
template <class V>
concept scalar_voxel = voxel<V> && requires(const std::remove_cv_t<V>& value) {
  typename detail::traits_of<V>::real_type;
  requires std::floating_point<typename detail::traits_of<V>::real_type>;
  {
    detail::traits_of<V>::to_real(value)
    } -> std::convertible_to<typename detail::traits_of<V>::real_type>;
};

/// Read access to a `rank()`-dimensional array of voxels.
template <class Vol>
concept volume = requires(const Vol& vol) {
  typename Vol::value_type;
  requires voxel<typename Vol::value_type>;
  { Vol::rank() } -> std::convertible_to<std::size_t>;
  requires(Vol::rank() >= 1);
  {vol.shape()};
  { vol.size() } -> std::convertible_to<std::size_t>;
  {
    vol[std::array<std::size_t, Vol::rank()>{}]
    } -> std::convertible_to<const typename Vol::value_type&>;
};

namespace detail {
/// The structure of a strided array, whatever its element type: static rank(), data(), shape()
/// and strides() in elements. This is what `as_volume` needs; voxel requirements are checked by
/// the algorithms, which can then name `voxel_traits` in their diagnostics.
template <class Vol>
concept strided_storage = requires(const Vol& vol, std::size_t axis) {
  typename Vol::value_type;
  { Vol::rank() } -> std::convertible_to<std::size_t>;
  { vol.data() } -> std::convertible_to<const typename Vol::value_type*>;
  { vol.shape()[axis] } -> std::convertible_to<std::size_t>;
  { vol.strides()[axis] } -> std::convertible_to<std::ptrdiff_t>;
};
}  // namespace detail

/// A volume whose voxels are addressed by a pointer and strides counted in elements, so it can be
/// viewed without copying.
template <class Vol>
concept strided_volume = volume<Vol> && detail::strided_storage<Vol>;

/// A volume whose voxels can be assigned through `vol[index] = value`.
template <class Vol>
concept writable_volume = volume<Vol> &&
    requires(const Vol& vol, const typename Vol::value_type& value) {
  vol[std::array<std::size_t, Vol::rank()>{}] = value;
};

/// A volume of mask voxels (binary masks and label maps).
template <class Vol>
concept mask = volume<Vol> && mask_voxel<typename Vol::value_type>;

/// A container with a `volume_adapter` specialisation providing `data(c)` and `shape(c)`.
template <class Container>
concept adapted_container = requires(Container& container) {
  volume_adapter<std::remove_cvref_t<Container>>::data(container);
  volume_adapter<std::remove_cvref_t<Container>>::shape(container);
};

/// Anything `as_volume` can view: a strided array (including any `volume_view`) or an adapted
/// container. This is a property of the type, and says nothing of the voxel type: algorithms
/// check that (`mask_voxel`, `label_voxel`, ...) with a diagnostic naming `voxel_traits`.
/// `as_volume` additionally refuses temporaries of owning containers, whose view would dangle.
template <class Container>
concept volume_like =
    detail::strided_storage<std::remove_cvref_t<Container>> || adapted_container<Container>;

}  // namespace discgeom
