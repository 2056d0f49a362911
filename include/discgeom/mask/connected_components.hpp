// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Connected components of a whole label map, all labels in one pass: two voxels are connected
/// when they carry the same foreground label and are neighbours (6, 18 or 26 in 3D; 4 or 8 in 2D).
/// Output: 32-bit component ids (0 = background) and per-component statistics.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "discgeom/as_volume.hpp"
#include "discgeom/concepts.hpp"
#include "discgeom/error.hpp"
#include "discgeom/image_geometry.hpp"
#include "discgeom/mask/split_components.hpp"

namespace discgeom {

/// Connectivity in 2D: 4 (edges) or 8 (edges and corners).
enum class connectivity2 { edges = 4, corners = 8 };

/// One connected component.
struct component_statistics {
  std::uint32_t id = 0;    ///< 1, 2, ... in order of first voxel (axis 0 fastest, then 1, then 2)
  std::int64_t label = 0;  ///< the source label all its voxels carry
  std::size_t voxels = 0;
  double volume_mm3 = 0.0;                      ///< voxels x voxel volume
  vec3 centroid_index{};                        ///< mean voxel index
  std::array<std::size_t, 3> lower{}, upper{};  ///< inclusive index bounds
};

/// Component ids per voxel (0 = background), column-major in the source's index order, and the
/// statistics of each component (components[c - 1] describes id c).
struct connected_components_result {
  xt::xtensor<std::uint32_t, 3, xt::layout_type::column_major> ids;
  std::vector<component_statistics> components;
};

namespace detail {

inline std::uint32_t find_root(std::vector<std::uint32_t>& parent, std::uint32_t x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];  // path halving
    x = parent[x];
  }
  return x;
}

template <class T>
connected_components_result connected_components_kernel(const volume_view<T, 3>& labels,
                                                        const image_geometry& geometry,
                                                        connectivity3 connectivity) {
  using traits = voxel_traits<std::remove_cv_t<T>>;
  const auto shape = labels.shape();
  connected_components_result result{decltype(result.ids)::from_shape(shape), {}};
  result.ids.fill(0);
  // Neighbours already visited in the scan (axis 0 fastest): the half of the neighbourhood with
  // offset (a, b, c) lexicographically before (0, 0, 0) read from axis 2 down.
  std::vector<std::array<int, 3>> previous;
  for (const auto& o : neighbour_offsets(connectivity)) {
    if (o[2] < 0 || (o[2] == 0 && (o[1] < 0 || (o[1] == 0 && o[0] < 0))))
      previous.push_back(o);
  }
  std::vector<std::uint32_t> parent{0};  // provisional ids; 0 unused
  auto* ids = result.ids.data();
  const std::ptrdiff_t s1 = static_cast<std::ptrdiff_t>(shape[0]),
                       s2 = s1 * static_cast<std::ptrdiff_t>(shape[1]);
  for (std::size_t k = 0; k < shape[2]; ++k) {
    for (std::size_t j = 0; j < shape[1]; ++j) {
      for (std::size_t i = 0; i < shape[0]; ++i) {
        const T& value = labels(i, j, k);
        if (!traits::is_foreground(value))
          continue;
        const auto label = traits::label(value);
        const std::ptrdiff_t here = static_cast<std::ptrdiff_t>(i) +
                                    static_cast<std::ptrdiff_t>(j) * s1 +
                                    static_cast<std::ptrdiff_t>(k) * s2;
        std::uint32_t assigned = 0;
        for (const auto& o : previous) {
          const auto ni = static_cast<std::ptrdiff_t>(i) + o[0],
                     nj = static_cast<std::ptrdiff_t>(j) + o[1],
                     nk = static_cast<std::ptrdiff_t>(k) + o[2];
          if (ni < 0 || nj < 0 || nk < 0 || ni >= s1 || nj >= static_cast<std::ptrdiff_t>(shape[1]))
            continue;
          const std::uint32_t neighbour = ids[ni + nj * s1 + nk * s2];
          if (neighbour == 0 ||
              traits::label(labels(static_cast<std::size_t>(ni), static_cast<std::size_t>(nj),
                                   static_cast<std::size_t>(nk))) != label) {
            continue;
          }
          const std::uint32_t root = find_root(parent, neighbour);
          if (assigned == 0) {
            assigned = root;
          } else if (root != assigned) {  // union: the smaller id becomes the root
            const auto [low, high] = std::minmax(root, assigned);
            parent[high] = low;
            assigned = low;
          }
        }
        if (assigned == 0) {
          DISCGEOM_PRECONDITION(parent.size() < std::numeric_limits<std::uint32_t>::max(),
                                "connected_components", "more than 2^32 - 2 components");
          assigned = static_cast<std::uint32_t>(parent.size());
          parent.push_back(assigned);
        }
        ids[here] = assigned;
      }
    }
  }
  // Second pass: final ids 1..n in order of first voxel, and statistics.
  std::vector<std::uint32_t> final_id(parent.size(), 0);
  std::vector<std::array<double, 3>> sums;
  const double voxel_volume = geometry.voxel_volume();
  for (std::size_t k = 0; k < shape[2]; ++k) {
    for (std::size_t j = 0; j < shape[1]; ++j) {
      for (std::size_t i = 0; i < shape[0]; ++i) {
        std::uint32_t& id = ids[i + j * shape[0] + k * shape[0] * shape[1]];
        if (id == 0)
          continue;
        const std::uint32_t root = find_root(parent, id);
        if (final_id[root] == 0) {
          final_id[root] = static_cast<std::uint32_t>(result.components.size() + 1);
          component_statistics stats;
          stats.id = final_id[root];
          stats.label = static_cast<std::int64_t>(traits::label(labels(i, j, k)));
          stats.lower = {i, j, k};
          stats.upper = {i, j, k};
          result.components.push_back(stats);
          sums.push_back({0.0, 0.0, 0.0});
        }
        id = final_id[root];
        auto& stats = result.components[id - 1];
        ++stats.voxels;
        const std::array<std::size_t, 3> index{i, j, k};
        for (std::size_t d = 0; d < 3; ++d) {
          stats.lower[d] = std::min(stats.lower[d], index[d]);
          stats.upper[d] = std::max(stats.upper[d], index[d]);
          sums[id - 1][d] += static_cast<double>(index[d]);
        }
      }
    }
  }
  for (auto& stats : result.components) {
    stats.volume_mm3 = static_cast<double>(stats.voxels) * voxel_volume;
    for (std::size_t d = 0; d < 3; ++d)
      stats.centroid_index[d] = sums[stats.id - 1][d] / static_cast<double>(stats.voxels);
  }
  return result;
}

}  // namespace detail

/// Connected components of a 3D label map, every label in one pass (no one-hot).
///
/// Two voxels belong to one component when they carry the same foreground label and are
/// connected through such voxels under `connectivity` (6: faces, 18: + edges, 26: + corners).
/// Component ids are 32-bit, numbered 1, 2, ... by first voxel in scan order (axis 0 fastest).
/// Algorithm: one raster scan with union-find over provisional ids (path halving), then a pass
/// that relabels and gathers statistics (Rosenfeld & Pfaltz, J. ACM 13(4), 1966).
///
/// \param labels    a volume_like 3D map of `label_voxel`s
/// \param geometry  its geometry (validated), for the volumes in mm^3
/// \throws precondition_error for an invalid geometry or more than 2^32 - 2 components
/// Complexity: O(voxels x neighbours / 2); memory 4 bytes per voxel plus 4 per provisional id.
template <volume_like Labels>
[[nodiscard]] connected_components_result connected_components(
    Labels&& labels, const image_geometry& geometry,
    connectivity3 connectivity = connectivity3::corners) {
  const auto view = as_volume<3>(labels);
  using voxel_type = typename decltype(view)::value_type;
  static_assert(label_voxel<voxel_type>,
                "connected_components(): the voxel type is not a label_voxel; specialise "
                "discgeom::voxel_traits for it with is_foreground() and label()");
  geometry.validate("connected_components");
  if constexpr (label_voxel<voxel_type>) {
    return detail::connected_components_kernel(view, geometry, connectivity);
  }
}

/// Connected components of a 2D label map (4 or 8 connectivity): the 3D result with axis 2 of
/// extent 1. Spacing of axis 2 in `geometry` only scales the reported volumes (use 1 for areas).
template <volume_like Labels>
[[nodiscard]] connected_components_result connected_components_2d(
    Labels&& labels, const image_geometry& geometry,
    connectivity2 connectivity = connectivity2::corners) {
  const auto plane = as_volume<2>(labels);
  return connected_components(
      detail::as_one_slice_volume(plane), geometry,
      connectivity == connectivity2::edges ? connectivity3::faces : connectivity3::edges);
}

}  // namespace discgeom
