// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Binary morphology (dilate, erode, open, close) with structuring elements given in millimetres,
/// so the same call means the same physical operation at 0.4 mm in plane and 4.4 mm through plane.

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "discgeom/as_volume.hpp"
#include "discgeom/concepts.hpp"
#include "discgeom/error.hpp"
#include "discgeom/image.hpp"
#include "discgeom/image_geometry.hpp"

namespace discgeom {

/// Voxel offsets of a structuring element.
struct structuring_element {
  std::vector<std::array<int, 3>> offsets;
};

/// The ellipsoid of semi-axes `radii_mm` (per array axis) on the voxel grid of `geometry`: the
/// offsets o with sum_d (o_d s_d / r_d)^2 <= 1 (an axis with radius 0 takes only o_d = 0). A
/// radius below the spacing of an axis therefore does not reach along that axis.
/// \throws precondition_error for a negative or non-finite radius, or an invalid geometry.
[[nodiscard]] inline structuring_element ellipsoid_element(const image_geometry& geometry,
                                                           const vec3& radii_mm) {
  geometry.validate("ellipsoid_element");
  std::array<int, 3> reach{};
  for (std::size_t d = 0; d < 3; ++d) {
    DISCGEOM_PRECONDITION(std::isfinite(radii_mm[d]) && radii_mm[d] >= 0.0, "ellipsoid_element",
                          "radii_mm[", d, "] must be finite and >= 0, got ", radii_mm[d]);
    reach[d] = static_cast<int>(std::floor(radii_mm[d] / geometry.spacing[d]));
  }
  structuring_element element;
  for (int a = -reach[0]; a <= reach[0]; ++a)
    for (int b = -reach[1]; b <= reach[1]; ++b)
      for (int c = -reach[2]; c <= reach[2]; ++c) {
        const std::array<int, 3> o{a, b, c};
        double sum = 0.0;
        for (std::size_t d = 0; d < 3; ++d) {
          if (o[d] != 0)
            sum += std::pow(o[d] * geometry.spacing[d] / radii_mm[d], 2);
        }
        if (sum <= 1.0 + 1e-12)
          element.offsets.push_back(o);
      }
  return element;
}

namespace detail {

template <class T>
image<std::uint8_t> foreground_of(const volume_view<T, 3>& view, const image_geometry& geometry) {
  auto result = image<std::uint8_t>::filled(view.shape(), geometry, 0);
  for (std::size_t k = 0; k < view.shape(2); ++k)
    for (std::size_t j = 0; j < view.shape(1); ++j)
      for (std::size_t i = 0; i < view.shape(0); ++i)
        result.voxels(i, j, k) =
            voxel_traits<std::remove_cv_t<T>>::is_foreground(view(i, j, k)) ? 1 : 0;
  return result;
}

inline bool inside(const std::array<std::size_t, 3>& shape, std::ptrdiff_t i, std::ptrdiff_t j,
                   std::ptrdiff_t k) {
  return i >= 0 && j >= 0 && k >= 0 && i < static_cast<std::ptrdiff_t>(shape[0]) &&
         j < static_cast<std::ptrdiff_t>(shape[1]) && k < static_cast<std::ptrdiff_t>(shape[2]);
}

/// dilate: the union of the element placed on every foreground voxel.
/// erode: the voxels whose whole element lies on foreground; outside the array is background.
inline image<std::uint8_t> apply(const image<std::uint8_t>& in, const structuring_element& element,
                                 bool dilation) {
  const auto shape = in.shape();
  auto out = image<std::uint8_t>::filled(shape, in.geometry, 0);
  for (std::size_t k = 0; k < shape[2]; ++k)
    for (std::size_t j = 0; j < shape[1]; ++j)
      for (std::size_t i = 0; i < shape[0]; ++i) {
        if (in.voxels(i, j, k) == 0)
          continue;
        if (dilation) {
          for (const auto& o : element.offsets) {
            const auto a = static_cast<std::ptrdiff_t>(i) + o[0],
                       b = static_cast<std::ptrdiff_t>(j) + o[1],
                       c = static_cast<std::ptrdiff_t>(k) + o[2];
            if (inside(shape, a, b, c)) {
              out.voxels(static_cast<std::size_t>(a), static_cast<std::size_t>(b),
                         static_cast<std::size_t>(c)) = 1;
            }
          }
        } else {
          bool keep = true;
          for (const auto& o : element.offsets) {
            const auto a = static_cast<std::ptrdiff_t>(i) + o[0],
                       b = static_cast<std::ptrdiff_t>(j) + o[1],
                       c = static_cast<std::ptrdiff_t>(k) + o[2];
            if (!inside(shape, a, b, c) ||
                in.voxels(static_cast<std::size_t>(a), static_cast<std::size_t>(b),
                          static_cast<std::size_t>(c)) == 0) {
              keep = false;
              break;
            }
          }
          out.voxels(i, j, k) = keep ? 1 : 0;
        }
      }
  return out;
}

template <class Mask>
image<std::uint8_t> binary_of(Mask& mask, const image_geometry& geometry, const char* function) {
  const auto view = as_volume<3>(mask);
  using voxel_type = std::remove_cv_t<typename decltype(view)::element_type>;
  static_assert(
      mask_voxel<voxel_type>,
      "morphology needs mask voxels: specialise discgeom::voxel_traits with is_foreground()");
  geometry.validate(function);
  return foreground_of(view, geometry);
}

}  // namespace detail

/// Dilation by an ellipsoid of semi-axes `radii_mm`: a 0/1 image, foreground where the element
/// centred there meets the mask's foreground. Complexity: O(foreground x element).
template <volume_like Mask>
[[nodiscard]] image<std::uint8_t> dilate(Mask&& mask, const image_geometry& geometry,
                                         const vec3& radii_mm) {
  return detail::apply(detail::binary_of(mask, geometry, "dilate"),
                       ellipsoid_element(geometry, radii_mm), true);
}

/// Erosion by an ellipsoid of semi-axes `radii_mm`: foreground where the whole element lies on
/// the mask's foreground (outside the array counts as background, as in scipy's default).
template <volume_like Mask>
[[nodiscard]] image<std::uint8_t> erode(Mask&& mask, const image_geometry& geometry,
                                        const vec3& radii_mm) {
  return detail::apply(detail::binary_of(mask, geometry, "erode"),
                       ellipsoid_element(geometry, radii_mm), false);
}

/// Opening (erode, then dilate): removes parts thinner than the element.
template <volume_like Mask>
[[nodiscard]] image<std::uint8_t> open(Mask&& mask, const image_geometry& geometry,
                                       const vec3& radii_mm) {
  const auto element = ellipsoid_element(geometry, radii_mm);
  return detail::apply(detail::apply(detail::binary_of(mask, geometry, "open"), element, false),
                       element, true);
}

/// Closing (dilate, then erode): fills gaps narrower than the element.
template <volume_like Mask>
[[nodiscard]] image<std::uint8_t> close(Mask&& mask, const image_geometry& geometry,
                                        const vec3& radii_mm) {
  const auto element = ellipsoid_element(geometry, radii_mm);
  return detail::apply(detail::apply(detail::binary_of(mask, geometry, "close"), element, true),
                       element, false);
}

}  // namespace discgeom
