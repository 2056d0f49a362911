// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// `volume_view<T, Rank>`: a non-owning view of a strided N-dimensional array of voxels
/// (pointer + shape + strides, the mdspan model), and `for_each_voxel` / `slice` on it.
///
/// Array axis `d` of a view is axis `d` of its `image_geometry` (for images read from NIfTI or
/// MetaImage: the file's i, j, k order). How the voxels lie in memory is described by the strides
/// alone, counted in elements and possibly negative or zero, so a view of an ITK image (i fastest)
/// and a view of a row-major xtensor (last axis fastest) are used the same way.

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "discgeom/error.hpp"

namespace discgeom {

namespace detail {
/// Tag selecting the constructor that skips validation (used after a caller validated).
struct unchecked_t {
  explicit unchecked_t() = default;
};
inline constexpr unchecked_t unchecked{};
}  // namespace detail

/// Strides of a row-major (C order, last axis fastest) array of the given shape, in elements.
template <std::size_t Rank>
[[nodiscard]] constexpr std::array<std::ptrdiff_t, Rank> row_major_strides(
    const std::array<std::size_t, Rank>& shape) noexcept {
  std::array<std::ptrdiff_t, Rank> strides{};
  std::size_t step = 1;  // unsigned: an overflowing shape wraps, and validation rejects it
  for (std::size_t axis = Rank; axis-- > 0;) {
    strides[axis] = static_cast<std::ptrdiff_t>(step);
    step *= shape[axis];
  }
  return strides;
}

/// Strides of a column-major (Fortran order, first axis fastest) array, in elements. This is the
/// layout of NIfTI, MetaImage and ITK images with the shape given in file (i, j, k) order.
template <std::size_t Rank>
[[nodiscard]] constexpr std::array<std::ptrdiff_t, Rank> column_major_strides(
    const std::array<std::size_t, Rank>& shape) noexcept {
  std::array<std::ptrdiff_t, Rank> strides{};
  std::size_t step = 1;  // unsigned: an overflowing shape wraps, and validation rejects it
  for (std::size_t axis = 0; axis < Rank; ++axis) {
    strides[axis] = static_cast<std::ptrdiff_t>(step);
    step *= shape[axis];
  }
  return strides;
}

namespace detail {

/// Number of voxels of `shape`; throws precondition_error when the product overflows size_t.
template <std::size_t Rank>
[[nodiscard]] std::size_t checked_voxel_count(const char* function,
                                              const std::array<std::size_t, Rank>& shape) {
  std::size_t count = 1;
  for (std::size_t extent : shape) {
    if (extent != 0 && count > std::numeric_limits<std::size_t>::max() / extent) {
      throw_error<precondition_error>(function, "shape ", shape,
                                      " holds more voxels than size_t can count");
    }
    count *= extent;
  }
  return count;
}

/// Checks what a view needs to be safe to index: data present when the shape holds voxels, and
/// every element offset representable as ptrdiff_t.
template <class T, std::size_t Rank>
void validate_view(const char* function, const T* data, const std::array<std::size_t, Rank>& shape,
                   const std::array<std::ptrdiff_t, Rank>& strides) {
  const std::size_t count = checked_voxel_count(function, shape);
  if (count == 0) {
    return;
  }
  if (count > static_cast<std::size_t>(std::numeric_limits<std::ptrdiff_t>::max())) {
    throw_error<precondition_error>(function, "shape ", shape, " holds ", count,
                                    " voxels, more than ptrdiff_t can address");
  }
  if (data == nullptr) {
    throw_error<precondition_error>(function, "data is null but shape ", shape, " holds ", count,
                                    " voxels");
  }
  // Each axis may contribute at most PTRDIFF_MAX / Rank to an offset, so no sum overflows.
  constexpr auto limit =
      static_cast<std::uintmax_t>(std::numeric_limits<std::ptrdiff_t>::max() / Rank);
  for (std::size_t axis = 0; axis < Rank; ++axis) {
    const auto stride = strides[axis];
    if (stride == std::numeric_limits<std::ptrdiff_t>::min()) {
      throw_error<precondition_error>(function, "strides[", axis, "] = ", stride,
                                      " is out of range");
    }
    const auto magnitude = static_cast<std::uintmax_t>(stride < 0 ? -stride : stride);
    const auto last = static_cast<std::uintmax_t>(shape[axis] - 1);
    if (magnitude != 0 && last > limit / magnitude) {
      throw_error<precondition_error>(function, "strides ", strides, " with shape ", shape,
                                      " reach offsets beyond ptrdiff_t");
    }
  }
}

}  // namespace detail

/// A non-owning view of a `Rank`-dimensional strided array of `T`.
///
/// Element `[i0, ..., i(Rank-1)]` lives at `data()[i0 * strides()[0] + ... ]`. The view never
/// allocates, frees or copies voxels; it is cheap to copy and pass by value. It converts
/// implicitly from `volume_view<U, Rank>` when an array of U converts to an array of T, i.e.
/// only by adding const (never from a derived to a base type, whose elements differ in size).
///
/// \tparam T     the voxel type, possibly const; any type (see `voxel_traits` for what
///               algorithms need)
/// \tparam Rank  number of array axes, >= 1
///
/// Preconditions (checked, `precondition_error`): data is not null when the shape holds voxels;
/// the voxel count and every offset are representable.
///
///   std::vector<std::uint8_t> buffer(4 * 5 * 6);
///   discgeom::volume_view<std::uint8_t, 3> view(buffer.data(), {4, 5, 6});  // row-major
template <class T, std::size_t Rank>
class volume_view {
  static_assert(Rank >= 1, "volume_view: Rank must be at least 1");

 public:
  using element_type = T;
  using value_type = std::remove_cv_t<T>;
  using pointer = T*;
  using reference = T&;
  using index_type = std::array<std::size_t, Rank>;
  using shape_type = std::array<std::size_t, Rank>;
  using strides_type = std::array<std::ptrdiff_t, Rank>;

  [[nodiscard]] static constexpr std::size_t rank() noexcept { return Rank; }

  /// An empty view: null data, every extent 0.
  constexpr volume_view() noexcept = default;

  /// A row-major (last axis fastest) view of `shape` voxels starting at `data`.
  volume_view(T* data, const shape_type& shape)
      : volume_view(data, shape, row_major_strides(shape)) {}

  /// A view with explicit strides, in elements.
  volume_view(T* data, const shape_type& shape, const strides_type& strides)
      : data_(data), shape_(shape), strides_(strides) {
    detail::validate_view("volume_view", data_, shape_, strides_);
  }

  /// Builds the view without checking; the caller has validated (see detail::validate_view).
  constexpr volume_view(detail::unchecked_t, T* data, const shape_type& shape,
                        const strides_type& strides) noexcept
      : data_(data), shape_(shape), strides_(strides) {}

  template <class U>
  requires(!std::is_same_v<U, T> && std::is_convertible_v<U (*)[], T (*)[]>) constexpr volume_view(
      const volume_view<U, Rank>& other) noexcept  // NOLINT: implicit by design
      : data_(other.data()), shape_(other.shape()), strides_(other.strides()) {}

  [[nodiscard]] constexpr T* data() const noexcept { return data_; }
  [[nodiscard]] constexpr const shape_type& shape() const noexcept { return shape_; }
  [[nodiscard]] constexpr std::size_t shape(std::size_t axis) const noexcept {
    return shape_[axis];
  }
  [[nodiscard]] constexpr const strides_type& strides() const noexcept { return strides_; }
  [[nodiscard]] constexpr std::ptrdiff_t stride(std::size_t axis) const noexcept {
    return strides_[axis];
  }

  /// Number of voxels (product of the extents).
  [[nodiscard]] constexpr std::size_t size() const noexcept {
    std::size_t count = 1;
    for (std::size_t extent : shape_) {
      count *= extent;
    }
    return count;
  }
  [[nodiscard]] constexpr bool empty() const noexcept { return size() == 0; }

  /// Element offset of `index` from data(), in elements.
  [[nodiscard]] constexpr std::ptrdiff_t offset(const index_type& index) const noexcept {
    std::ptrdiff_t result = 0;
    for (std::size_t axis = 0; axis < Rank; ++axis) {
      result += static_cast<std::ptrdiff_t>(index[axis]) * strides_[axis];
    }
    return result;
  }

  /// Unchecked access. Precondition: index[d] < shape(d) for every axis d.
  [[nodiscard]] constexpr reference operator[](const index_type& index) const noexcept {
    return data_[offset(index)];
  }

  /// Unchecked access by Rank integral indices: `view(i, j, k)`.
  template <std::integral... Index>
  requires(sizeof...(Index) == Rank) [[nodiscard]] constexpr reference operator()(
      Index... index) const noexcept {
    return (*this)[index_type{static_cast<std::size_t>(index)...}];
  }

  /// Bounds-checked access; throws precondition_error naming the index and the shape.
  [[nodiscard]] reference at(const index_type& index) const {
    for (std::size_t axis = 0; axis < Rank; ++axis) {
      DISCGEOM_PRECONDITION(index[axis] < shape_[axis], "volume_view::at", "index ", index,
                            " is outside shape ", shape_);
    }
    return (*this)[index];
  }

  /// True when the voxels are contiguous in row-major order (axes of extent 1 ignored).
  [[nodiscard]] constexpr bool is_row_major() const noexcept {
    return has_strides(row_major_strides(shape_));
  }
  /// True when the voxels are contiguous in column-major order (axes of extent 1 ignored).
  [[nodiscard]] constexpr bool is_column_major() const noexcept {
    return has_strides(column_major_strides(shape_));
  }

 private:
  [[nodiscard]] constexpr bool has_strides(const strides_type& expected) const noexcept {
    for (std::size_t axis = 0; axis < Rank; ++axis) {
      if (shape_[axis] > 1 && strides_[axis] != expected[axis]) {
        return false;
      }
    }
    return true;
  }

  T* data_ = nullptr;
  shape_type shape_{};
  strides_type strides_{};
};

/// Calls `visit(index, voxel)` once for every voxel of `view`, in memory order (the axis with the
/// smallest stride innermost), so a column-major ITK image and a row-major xtensor are both walked
/// contiguously. `index` is a `std::array<std::size_t, Rank>`; `voxel` a reference to the element.
///
/// Complexity: one call per voxel.
template <class T, std::size_t Rank, class Visitor>
void for_each_voxel(const volume_view<T, Rank>& view, Visitor&& visit) {
  if (view.empty()) {
    return;
  }
  // Axis order from outermost to innermost: descending |stride|, ties by axis number.
  std::array<std::size_t, Rank> order{};
  for (std::size_t axis = 0; axis < Rank; ++axis) {
    order[axis] = axis;
  }
  const auto magnitude = [&](std::size_t axis) {
    const auto stride = view.stride(axis);
    return stride < 0 ? -stride : stride;
  };
  for (std::size_t i = 1; i < Rank; ++i) {  // insertion sort: Rank is tiny
    for (std::size_t j = i; j > 0 && magnitude(order[j - 1]) < magnitude(order[j]); --j) {
      std::swap(order[j - 1], order[j]);
    }
  }
  const std::size_t inner = order[Rank - 1];
  const std::size_t inner_extent = view.shape(inner);
  const std::ptrdiff_t inner_stride = view.stride(inner);

  std::array<std::size_t, Rank> index{};
  while (true) {
    T* element = view.data() + view.offset(index);
    if (inner_stride == 1) {  // the common contiguous case, written so that it vectorises
      for (std::size_t i = 0; i < inner_extent; ++i) {
        index[inner] = i;
        visit(static_cast<const std::array<std::size_t, Rank>&>(index), element[i]);
      }
    } else {
      for (std::size_t i = 0; i < inner_extent; ++i, element += inner_stride) {
        index[inner] = i;
        visit(static_cast<const std::array<std::size_t, Rank>&>(index), *element);
      }
    }
    index[inner] = 0;
    // Advance the outer axes like an odometer.
    std::size_t level = Rank - 1;
    while (level-- > 0) {
      const std::size_t axis = order[level];
      if (++index[axis] < view.shape(axis)) {
        break;
      }
      index[axis] = 0;
    }
    if (level == static_cast<std::size_t>(-1)) {
      return;
    }
  }
}

/// The (Rank-1)-dimensional view of `view` at position `position` along `axis` (a sagittal slice
/// of a volume whose axis 0 is left-right is `slice(view, 0, i)`). No voxel is copied.
///
/// Preconditions (precondition_error): `axis < Rank`, `position < view.shape(axis)`, Rank >= 2.
template <class T, std::size_t Rank>
requires(Rank >= 2)
    [[nodiscard]] volume_view<T, Rank - 1> slice(const volume_view<T, Rank>& view, std::size_t axis,
                                                 std::size_t position) {
  DISCGEOM_PRECONDITION(axis < Rank, "slice", "axis ", axis, " is not below the rank ", Rank);
  DISCGEOM_PRECONDITION(position < view.shape(axis), "slice", "position ", position,
                        " is outside axis ", axis, " of shape ", view.shape());
  std::array<std::size_t, Rank - 1> shape{};
  std::array<std::ptrdiff_t, Rank - 1> strides{};
  for (std::size_t from = 0, to = 0; from < Rank; ++from) {
    if (from != axis) {
      shape[to] = view.shape(from);
      strides[to] = view.stride(from);
      ++to;
    }
  }
  // An empty view may have null data and unchecked strides: it is sliced without moving the
  // pointer.
  T* start = view.empty() ? view.data()
                          : view.data() + static_cast<std::ptrdiff_t>(position) * view.stride(axis);
  return {detail::unchecked, start, shape, strides};
}

namespace detail {
/// A 2D view as a 3D view of one slice (axis 2 of extent 1), for running 3D kernels on a plane.
template <class T>
[[nodiscard]] volume_view<T, 3> as_one_slice_volume(const volume_view<T, 2>& plane) noexcept {
  return {unchecked,
          plane.data(),
          {plane.shape(0), plane.shape(1), 1},
          {plane.stride(0), plane.stride(1), 0}};
}
}  // namespace detail

}  // namespace discgeom
