// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Resampling to a target spacing over the same field of view: nearest neighbour for labels
/// (label values are copied, never interpolated: the released code of Perrone et al. interpolated
/// and clipped labels, which dilates them), trilinear for intensities.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <vector>

#include "discgeom/as_volume.hpp"
#include "discgeom/concepts.hpp"
#include "discgeom/error.hpp"
#include "discgeom/image.hpp"
#include "discgeom/image_geometry.hpp"

namespace discgeom {

/// The grid of a resampling: same direction, same field of view (the outer faces of the voxels,
/// from index -1/2 to n - 1/2 on each axis), new spacing t. Shape m_d = max(1, round(n_d s_d /
/// t_d)); the new origin is the old one moved by (t_d - s_d) / 2 along each axis, so both grids
/// share the corner of the field of view. Output index j samples the source continuous index x_d =
/// (j + 1/2) t_d / s_d - 1/2.
struct resampling_grid {
  std::array<std::size_t, 3> shape{};
  image_geometry geometry;
};

/// \throws precondition_error when a target spacing is not finite and > 0 or geometry is invalid.
[[nodiscard]] inline resampling_grid resampled_grid(const std::array<std::size_t, 3>& shape,
                                                    const image_geometry& geometry,
                                                    const vec3& spacing) {
  geometry.validate("resample");
  resampling_grid grid{{}, geometry};
  vec3 shift{};
  for (std::size_t d = 0; d < 3; ++d) {
    DISCGEOM_PRECONDITION(std::isfinite(spacing[d]) && spacing[d] > 0.0, "resample", "spacing[", d,
                          "] must be finite and > 0, got ", spacing[d]);
    grid.shape[d] = std::max<std::size_t>(
        1, static_cast<std::size_t>(
               std::llround(static_cast<double>(shape[d]) * geometry.spacing[d] / spacing[d])));
    grid.geometry.spacing[d] = spacing[d];
    shift[d] =
        (spacing[d] - geometry.spacing[d]) / (2.0 * geometry.spacing[d]);  // in source voxels
  }
  grid.geometry.origin = geometry.index_to_physical(shift);
  return grid;
}

namespace detail {
inline double source_index(std::size_t j, double target, double source) {
  return (static_cast<double>(j) + 0.5) * target / source - 0.5;
}
}  // namespace detail

/// Nearest-neighbour resampling of a label map (or any voxels): each output voxel copies the
/// source voxel nearest to its centre (ties round up; clamped into the array).
template <volume_like Labels>
[[nodiscard]] auto resample_nearest(Labels&& labels, const image_geometry& geometry,
                                    const vec3& spacing) {
  const auto view = as_volume<3>(labels);
  using T = std::remove_cv_t<typename decltype(view)::element_type>;
  const auto grid = resampled_grid(view.shape(), geometry, spacing);
  auto result = image<T>::filled(grid.shape, grid.geometry);
  std::array<std::vector<std::size_t>, 3> nearest;
  for (std::size_t d = 0; d < 3; ++d) {
    for (std::size_t j = 0; j < grid.shape[d]; ++j) {
      const double x = std::floor(detail::source_index(j, spacing[d], geometry.spacing[d]) + 0.5);
      nearest[d].push_back(
          static_cast<std::size_t>(std::clamp(x, 0.0, static_cast<double>(view.shape(d) - 1))));
    }
  }
  for (std::size_t k = 0; k < grid.shape[2]; ++k)
    for (std::size_t j = 0; j < grid.shape[1]; ++j)
      for (std::size_t i = 0; i < grid.shape[0]; ++i)
        result.voxels(i, j, k) = view(nearest[0][i], nearest[1][j], nearest[2][k]);
  return result;
}

/// Trilinear resampling of an intensity image (scalar voxels) to `Out` (default double); samples
/// beyond the outermost voxel centres take the edge value.
/// \throws precondition_error when a voxel value is not finite (NaN or infinite intensities
///         would spread silently through the interpolation).
template <class Out = double, volume_like Intensities>
[[nodiscard]] image<Out> resample_linear(Intensities&& intensities, const image_geometry& geometry,
                                         const vec3& spacing) {
  const auto view = as_volume<3>(intensities);
  using T = std::remove_cv_t<typename decltype(view)::element_type>;
  static_assert(scalar_voxel<T>,
                "resample_linear(): intensities must be scalar voxels (voxel_traits::to_real)");
  for_each_voxel(view, [&](const auto& index, const auto& value) {
    const double real = voxel_traits<T>::to_real(value);
    DISCGEOM_PRECONDITION(std::isfinite(real), "resample_linear", "intensity at voxel ", index,
                          " is ", real);
  });
  const auto grid = resampled_grid(view.shape(), geometry, spacing);
  auto result = image<Out>::filled(grid.shape, grid.geometry);
  struct weight {
    std::size_t low, high;
    double t;
  };
  std::array<std::vector<weight>, 3> weights;
  for (std::size_t d = 0; d < 3; ++d) {
    const double last = static_cast<double>(view.shape(d) - 1);
    for (std::size_t j = 0; j < grid.shape[d]; ++j) {
      const double x =
          std::clamp(detail::source_index(j, spacing[d], geometry.spacing[d]), 0.0, last);
      const auto low = static_cast<std::size_t>(std::floor(x));
      weights[d].push_back(
          {low, std::min(low + 1, view.shape(d) - 1), x - static_cast<double>(low)});
    }
  }
  const auto at = [&](std::size_t i, std::size_t j, std::size_t k) {
    return voxel_traits<T>::to_real(view(i, j, k));
  };
  for (std::size_t k = 0; k < grid.shape[2]; ++k)
    for (std::size_t j = 0; j < grid.shape[1]; ++j)
      for (std::size_t i = 0; i < grid.shape[0]; ++i) {
        const auto &a = weights[0][i], &b = weights[1][j], &c = weights[2][k];
        const double v00 = at(a.low, b.low, c.low) * (1 - a.t) + at(a.high, b.low, c.low) * a.t;
        const double v10 = at(a.low, b.high, c.low) * (1 - a.t) + at(a.high, b.high, c.low) * a.t;
        const double v01 = at(a.low, b.low, c.high) * (1 - a.t) + at(a.high, b.low, c.high) * a.t;
        const double v11 = at(a.low, b.high, c.high) * (1 - a.t) + at(a.high, b.high, c.high) * a.t;
        const double v0 = v00 * (1 - b.t) + v10 * b.t, v1 = v01 * (1 - b.t) + v11 * b.t;
        result.voxels(i, j, k) = static_cast<Out>(v0 * (1 - c.t) + v1 * c.t);
      }
  return result;
}

}  // namespace discgeom
