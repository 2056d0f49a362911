// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// `as_volume`: the one door from any storage to a `volume_view`, and the `volume_adapter`
/// customisation point for containers discgeom does not know.
///
/// Every public algorithm calls `as_volume` on its arguments, checks its preconditions on the
/// resulting views, and hands them to a kernel instantiated on view types only.
///
/// A `volume_adapter<Container>` specialisation provides static members:
///   data(c)       pointer to the voxel at index [0, ..., 0] (const when `c` is const)
///   shape(c)      the extents, any range of integers (`std::array` or `std::vector`, ...)
///   strides(c)    optional: element strides per axis; row-major when absent
///   rank          optional: `static constexpr std::size_t`; without it the rank is known only
///                 at run time and callers write `as_volume<3>(c)`
///   borrowed      optional: `static constexpr bool`, true when the container does not own its
///                 voxels, so a view of a temporary of it cannot dangle (default false)
/// See docs/customisation.md for a worked example.

#include <array>
#include <concepts>
#include <cstddef>
#include <limits>
#include <ranges>
#include <span>
#include <type_traits>
#include <utility>

#include "discgeom/concepts.hpp"
#include "discgeom/error.hpp"
#include "discgeom/volume_view.hpp"

namespace discgeom {

/// The rank of an adapter that knows its rank only at run time.
inline constexpr std::size_t dynamic_rank = std::numeric_limits<std::size_t>::max();

namespace detail {

template <class Container>
using adapter_of = volume_adapter<std::remove_cvref_t<Container>>;

template <class Container>
[[nodiscard]] consteval std::size_t static_rank_of() {
  using plain = std::remove_cvref_t<Container>;
  if constexpr (strided_storage<plain>) {
    return plain::rank();
  } else if constexpr (requires { adapter_of<Container>::rank; }) {
    return adapter_of<Container>::rank;
  } else {
    return dynamic_rank;
  }
}

template <class Container>
[[nodiscard]] consteval bool is_borrowed() {
  if constexpr (requires { adapter_of<Container>::borrowed; }) {
    return adapter_of<Container>::borrowed;
  } else {
    return strided_storage<std::remove_cvref_t<Container>>;  // views are borrowed by nature
  }
}

/// Copies a run-time range of extents (or strides) into a fixed array, checking its length
/// against `Rank` and, for extents, that no value is negative.
template <class Out, std::size_t Rank, class Range>
[[nodiscard]] std::array<Out, Rank> to_fixed(const char* function, const char* argument,
                                             const Range& values) {
  const auto count = static_cast<std::size_t>(std::ranges::distance(values));
  if (count != Rank) {
    throw_error<precondition_error>(function, argument, " has ", count, " entries ", values,
                                    " but the rank is ", Rank);
  }
  std::array<Out, Rank> result{};
  std::size_t axis = 0;
  for (const auto& value : values) {
    using in = std::remove_cvref_t<decltype(value)>;
    if constexpr (std::is_signed_v<in> && std::is_unsigned_v<Out>) {
      if (value < 0) {
        throw_error<precondition_error>(function, argument, "[", axis, "] = ", value,
                                        " is negative");
      }
    }
    if (!std::in_range<Out>(value)) {
      throw_error<precondition_error>(function, argument, "[", axis, "] = ", value,
                                      " is out of range");
    }
    result[axis++] = static_cast<Out>(value);
  }
  return result;
}

template <class T, std::size_t Rank>
[[nodiscard]] volume_view<T, Rank> checked_view(const char* function, T* data,
                                                const std::array<std::size_t, Rank>& shape,
                                                const std::array<std::ptrdiff_t, Rank>& strides) {
  validate_view(function, data, shape, strides);
  return {unchecked, data, shape, strides};
}

}  // namespace detail

/// A view is already a view.
template <class T, std::size_t Rank>
[[nodiscard]] constexpr volume_view<T, Rank> as_volume(volume_view<T, Rank> view) noexcept {
  return view;
}

/// Row-major (last axis fastest) view of `data` with the given shape:
/// `as_volume(buffer.data(), {64, 64, 64})`.
/// \throws precondition_error when data is null and the shape holds voxels
template <class T, std::size_t Rank>
[[nodiscard]] volume_view<T, Rank> as_volume(T* data, const std::size_t (&shape)[Rank]) {
  const auto fixed = std::to_array(shape);
  return detail::checked_view("as_volume", data, fixed, row_major_strides(fixed));
}

template <class T, std::size_t Rank>
[[nodiscard]] volume_view<T, Rank> as_volume(T* data, const std::array<std::size_t, Rank>& shape) {
  return detail::checked_view("as_volume", data, shape, row_major_strides(shape));
}

/// View with explicit strides, in elements (negative and zero strides allowed).
template <class T, std::size_t Rank>
[[nodiscard]] volume_view<T, Rank> as_volume(T* data, const std::array<std::size_t, Rank>& shape,
                                             const std::array<std::ptrdiff_t, Rank>& strides) {
  return detail::checked_view("as_volume", data, shape, strides);
}

/// Row-major view with a shape known at run time (a std::vector, a span):
/// `as_volume<3>(data, header.dims)`.
/// \throws precondition_error when the shape does not have `Rank` entries or has a negative one
template <std::size_t Rank, class T, std::ranges::input_range Shape>
[[nodiscard]] volume_view<T, Rank> as_volume(T* data, const Shape& shape) {
  const auto fixed = detail::to_fixed<std::size_t, Rank>("as_volume", "shape", shape);
  return detail::checked_view("as_volume", data, fixed, row_major_strides(fixed));
}

/// Strided view with shape and strides known at run time.
template <std::size_t Rank, class T, std::ranges::input_range Shape,
          std::ranges::input_range Strides>
[[nodiscard]] volume_view<T, Rank> as_volume(T* data, const Shape& shape, const Strides& strides) {
  const auto fixed_shape = detail::to_fixed<std::size_t, Rank>("as_volume", "shape", shape);
  const auto fixed_strides =
      detail::to_fixed<std::ptrdiff_t, Rank>("as_volume", "strides", strides);
  return detail::checked_view("as_volume", data, fixed_shape, fixed_strides);
}

/// Row-major view of a contiguous buffer whose length must equal the voxel count of `shape`.
/// \throws precondition_error on a length mismatch, naming both numbers
template <class T, std::size_t Extent, std::size_t Rank>
[[nodiscard]] volume_view<T, Rank> as_volume(std::span<T, Extent> data,
                                             const std::array<std::size_t, Rank>& shape) {
  const std::size_t needed = detail::checked_voxel_count("as_volume", shape);
  DISCGEOM_PRECONDITION(data.size() == needed, "as_volume", "data holds ", data.size(),
                        " voxels but shape ", shape, " needs ", needed);
  return detail::checked_view("as_volume", data.data(), shape, row_major_strides(shape));
}

/// View of any strided volume or adapted container, with the rank given explicitly (required
/// when the container's rank is known only at run time, e.g. `xt::xarray`).
/// \throws precondition_error when the container's rank differs from `Rank`
template <std::size_t Rank, volume_like Container>
[[nodiscard]] auto as_volume(Container&& container) {
  static_assert(std::is_lvalue_reference_v<Container> || detail::is_borrowed<Container>(),
                "as_volume(): the argument is a temporary container that owns its voxels, so the "
                "view would dangle; keep the container in a variable first");
  constexpr std::size_t known = detail::static_rank_of<Container>();
  static_assert(known == dynamic_rank || known == Rank,
                "as_volume<Rank>(): Rank differs from the container's rank");
  using plain = std::remove_cvref_t<Container>;
  if constexpr (detail::strided_storage<plain>) {
    auto* data = container.data();
    using T = std::remove_pointer_t<decltype(data)>;
    const auto shape = detail::to_fixed<std::size_t, Rank>("as_volume", "shape", container.shape());
    const auto strides =
        detail::to_fixed<std::ptrdiff_t, Rank>("as_volume", "strides", container.strides());
    return detail::checked_view<T, Rank>("as_volume", data, shape, strides);
  } else {
    using adapter = detail::adapter_of<Container>;
    auto* data = adapter::data(container);
    using T = std::remove_pointer_t<decltype(data)>;
    const auto shape =
        detail::to_fixed<std::size_t, Rank>("as_volume", "shape", adapter::shape(container));
    if constexpr (requires { adapter::strides(container); }) {
      const auto strides = detail::to_fixed<std::ptrdiff_t, Rank>("as_volume", "strides",
                                                                  adapter::strides(container));
      return detail::checked_view<T, Rank>("as_volume", data, shape, strides);
    } else {
      return detail::checked_view<T, Rank>("as_volume", data, shape, row_major_strides(shape));
    }
  }
}

/// View of any strided volume or adapted container whose rank is known at compile time:
/// `auto view = discgeom::as_volume(tensor);`
template <volume_like Container>
requires(detail::static_rank_of<Container>() != dynamic_rank)
    [[nodiscard]] auto as_volume(Container&& container) {
  return as_volume<detail::static_rank_of<Container>()>(std::forward<Container>(container));
}

/// The type `as_volume` makes of a `Container` (of static rank).
template <class Container>
using volume_view_of = decltype(as_volume(std::declval<Container&>()));

}  // namespace discgeom
