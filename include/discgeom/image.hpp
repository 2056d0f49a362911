// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// `image<T>`: an owning 3D image, voxels plus `image_geometry`. Storage is column-major (array
/// axis 0 fastest) with the shape in file (i, j, k) order, the memory layout of NIfTI, MetaImage
/// and ITK, so reading and writing need no transposition. Algorithms never take `image<T>` as
/// such: it is one more container that `as_volume` views.

#include <array>
#include <cstddef>

#include <xtensor/xtensor.hpp>

#include "discgeom/adapters/xtensor.hpp"
#include "discgeom/concepts.hpp"
#include "discgeom/image_geometry.hpp"
#include "discgeom/volume_view.hpp"

namespace discgeom {

template <voxel T>
struct image {
  using value_type = T;
  using storage_type = xt::xtensor<T, 3, xt::layout_type::column_major>;

  storage_type voxels;      ///< shape (n0, n1, n2), axis 0 fastest in memory
  image_geometry geometry;  ///< spacing, origin, direction of the array axes

  /// An image of the given shape with every voxel set to `fill`.
  [[nodiscard]] static image filled(const std::array<std::size_t, 3>& shape,
                                    const image_geometry& geometry, const T& fill = T{}) {
    image result{storage_type::from_shape(shape), geometry};
    result.voxels.fill(fill);
    return result;
  }

  [[nodiscard]] std::array<std::size_t, 3> shape() const noexcept {
    return {voxels.shape()[0], voxels.shape()[1], voxels.shape()[2]};
  }
  [[nodiscard]] volume_view<T, 3> view() noexcept {
    return {detail::unchecked, voxels.data(), shape(), column_major_strides(shape())};
  }
  [[nodiscard]] volume_view<const T, 3> view() const noexcept {
    return {detail::unchecked, voxels.data(), shape(), column_major_strides(shape())};
  }
};

/// `as_volume(img)` views the voxels of an image.
template <class T>
struct volume_adapter<image<T>> {
  static constexpr std::size_t rank = 3;
  static T* data(image<T>& img) noexcept { return img.voxels.data(); }
  static const T* data(const image<T>& img) noexcept { return img.voxels.data(); }
  static std::array<std::size_t, 3> shape(const image<T>& img) noexcept { return img.shape(); }
  static std::array<std::ptrdiff_t, 3> strides(const image<T>& img) noexcept {
    return column_major_strides(img.shape());
  }
};

}  // namespace discgeom
