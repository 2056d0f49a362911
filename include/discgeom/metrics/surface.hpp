// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The surface of a labelled structure, as the surface-distance metrics see it: surface voxels
/// (face-connected by default, or fully connected) or DeepMind-style corner surfels with areas.
/// Definitions: docs/metrics.md.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "discgeom/as_volume.hpp"
#include "discgeom/concepts.hpp"
#include "discgeom/enum_names.hpp"
#include "discgeom/error.hpp"
#include "discgeom/image_geometry.hpp"
#include "discgeom/metrics/detail/corner_surfels.hpp"
#include "discgeom/metrics/label_pairs.hpp"

namespace discgeom {

/// Which points make up the surface of a mask.
enum class surface_kind {
  /// Foreground voxels with at least one of their 6 face neighbours outside the mask; voxels on
  /// the image border count as surface (the image is padded with background). Points: voxel
  /// centres. The default (MONAI, MedPy connectivity 1, domain.md).
  face_connected,
  /// Foreground voxels with at least one of their 26 neighbours outside the mask.
  fully_connected,
  /// DeepMind surface-distance: the corners between voxels (voxel centre +- half a voxel) whose
  /// eight surrounding voxels are neither all inside nor all outside, each weighted by the area
  /// of the marching-cubes surface around it (mm^2).
  corner_surfels,
};

/// "face_connected", "fully_connected", "corner_surfels".
template <>
struct enum_names<surface_kind> {
  static constexpr std::array<enum_name<surface_kind>, 3> table{{
      {surface_kind::face_connected, "face_connected"},
      {surface_kind::fully_connected, "fully_connected"},
      {surface_kind::corner_surfels, "corner_surfels"},
  }};
};

/// The surface of one structure: its points in LPS mm and, for corner surfels, their areas.
struct surface {
  std::vector<vec3> points_mm{};
  std::vector<double> areas_mm2{};  ///< one per point for corner_surfels, else empty
};

namespace detail {

/// A half-open box of voxel indices: begin[d] <= i[d] < end[d].
struct voxel_window {
  std::array<std::size_t, 3> begin{};
  std::array<std::size_t, 3> end{};

  [[nodiscard]] constexpr bool empty() const noexcept {
    return end[0] <= begin[0] || end[1] <= begin[1] || end[2] <= begin[2];
  }
  [[nodiscard]] constexpr std::size_t extent(std::size_t axis) const noexcept {
    return end[axis] > begin[axis] ? end[axis] - begin[axis] : 0;
  }
  /// The smallest box holding both (an empty box holds nothing).
  [[nodiscard]] constexpr voxel_window united(const voxel_window& other) const noexcept {
    if (empty()) {
      return other;
    }
    if (other.empty()) {
      return *this;
    }
    voxel_window box;
    for (std::size_t d = 0; d < 3; ++d) {
      box.begin[d] = std::min(begin[d], other.begin[d]);
      box.end[d] = std::max(end[d], other.end[d]);
    }
    return box;
  }
  friend constexpr bool operator==(const voxel_window&, const voxel_window&) = default;
};

/// Grows the boxes of the labels met along every line of `labels` parallel to axis `inner`:
/// runs of one label update their box once, and blocks of 64 background voxels are skipped with
/// one comparison that vectorises when the line is contiguous.
template <bool UnitStride, class T>
void scan_label_lines(const volume_view<T, 3>& labels, std::size_t inner,
                      std::unordered_map<label_value, voxel_window>& boxes, bool& valid) {
  const std::size_t a = inner == 0 ? 1 : 0;
  const std::size_t b = inner == 2 ? 1 : 2;
  const std::size_t n = labels.shape(inner);
  const std::ptrdiff_t stride = UnitStride ? 1 : labels.stride(inner);
  constexpr std::size_t block = 64;
  label_value last_label = 0;
  voxel_window* last_box = nullptr;
  std::array<std::size_t, 3> index{};
  for (std::size_t j = 0; j < labels.shape(b); ++j) {
    for (std::size_t i = 0; i < labels.shape(a); ++i) {
      index[a] = i;
      index[b] = j;
      index[inner] = 0;
      const T* line = labels.data() + labels.offset(index);
      const auto at = [=](std::size_t position) {  // stride is a constant when UnitStride
        return raw_label(line[static_cast<std::ptrdiff_t>(position) * stride]);
      };
      std::size_t position = 0;
      while (position < n) {
        if (position + block <= n) {
          unsigned any = 0;
          for (std::size_t k = 0; k < block; ++k) {
            any |= static_cast<unsigned>(at(position + k) != 0);
          }
          if (any == 0) {
            position += block;
            continue;
          }
        }
        const auto raw = at(position);
        if (raw == 0) {
          ++position;
          continue;
        }
        if (!fits_label_value(raw)) {
          valid = false;
          return;
        }
        const std::size_t first = position;
        while (position < n && at(position) == raw) {
          ++position;
        }
        const auto label = static_cast<label_value>(raw);
        if (last_box == nullptr || label != last_label) {
          const auto [it, inserted] = boxes.try_emplace(label);
          if (inserted) {
            index[inner] = first;
            it->second.begin = index;
            it->second.end = {index[0] + 1, index[1] + 1, index[2] + 1};
          }
          last_label = label;
          last_box = &it->second;
        }
        voxel_window& box = *last_box;
        box.begin[inner] = std::min(box.begin[inner], first);
        box.end[inner] = std::max(box.end[inner], position);
        box.begin[a] = std::min(box.begin[a], i);
        box.end[a] = std::max(box.end[a], i + 1);
        box.begin[b] = std::min(box.begin[b], j);
        box.end[b] = std::max(box.end[b], j + 1);
      }
    }
  }
}

/// The bounding box of every non-zero label of a 3D label map, in one pass along the axis of
/// smallest stride.
/// \throws precondition_error (naming `function` and `argument`) on a value that is not a label
template <class T>
[[nodiscard]] std::unordered_map<label_value, voxel_window> label_boxes(
    const char* function, const char* argument, const volume_view<T, 3>& labels) {
  std::unordered_map<label_value, voxel_window> boxes;
  if (labels.empty()) {
    return boxes;
  }
  std::size_t inner = 0;
  for (std::size_t d = 1; d < 3; ++d) {
    if (std::abs(labels.stride(d)) < std::abs(labels.stride(inner))) {
      inner = d;
    }
  }
  bool valid = true;
  if (labels.stride(inner) == 1) {
    scan_label_lines<true>(labels, inner, boxes, valid);
  } else {
    scan_label_lines<false>(labels, inner, boxes, valid);
  }
  if (!valid) {
    throw_bad_label(function, argument, labels);
  }
  return boxes;
}

/// A binary mask of one label over a box, padded by one background voxel on every side, x
/// fastest: cell (i + 1, j + 1, k + 1) is voxel box.begin + (i, j, k).
struct padded_mask {
  voxel_window box{};
  std::array<std::size_t, 3> shape{};  ///< box extent + 2 per axis
  std::vector<std::uint8_t> cells{};

  [[nodiscard]] std::size_t offset(std::size_t i, std::size_t j, std::size_t k) const noexcept {
    return i + shape[0] * (j + shape[1] * k);
  }
};

template <class T>
[[nodiscard]] padded_mask make_padded_mask(const volume_view<T, 3>& labels, label_value label,
                                           const voxel_window& box) {
  padded_mask mask;
  mask.box = box;
  for (std::size_t d = 0; d < 3; ++d) {
    mask.shape[d] = box.extent(d) + 2;
  }
  mask.cells.assign(mask.shape[0] * mask.shape[1] * mask.shape[2], 0);
  if (box.empty()) {
    return mask;
  }
  const volume_view<T, 3> window(unchecked, labels.data() + labels.offset(box.begin),
                                 {box.extent(0), box.extent(1), box.extent(2)}, labels.strides());
  for_each_voxel(window, [&](const auto& index, const T& voxel) {
    mask.cells[mask.offset(index[0] + 1, index[1] + 1, index[2] + 1)] =
        static_cast<label_value>(raw_label(voxel)) == label ? 1 : 0;
  });
  return mask;
}

/// Surface points of a padded mask as cells of a grid: for voxel kinds the padded grid itself
/// (voxel index = box.begin + cell - 1), for corner surfels the grid of cell corners, one larger
/// than the box per axis (corner index c sits at voxel index box.begin + c - 1/2).
struct surface_cells {
  std::array<std::size_t, 3> grid_shape{};
  double index_offset = 1.0;         ///< voxel index = box.begin + cell - index_offset
  std::vector<std::size_t> cells{};  ///< linear offsets in the grid, x fastest
  std::vector<double> areas{};       ///< mm^2 per cell, corner surfels only
};

[[nodiscard]] inline surface_cells find_surface_cells(const padded_mask& mask, surface_kind kind,
                                                      const vec3& spacing) {
  surface_cells result;
  const std::size_t sx = 1;
  const std::size_t sy = mask.shape[0];
  const std::size_t sz = mask.shape[0] * mask.shape[1];
  if (kind == surface_kind::corner_surfels) {
    result.index_offset = 0.5;
    for (std::size_t d = 0; d < 3; ++d) {
      result.grid_shape[d] = mask.shape[d] - 1;
    }
    const auto areas = corner_surfel_areas(spacing);
    // The corner c sits between padded cells c .. c + 1 along each axis.
    for (std::size_t k = 0; k < result.grid_shape[2]; ++k) {
      for (std::size_t j = 0; j < result.grid_shape[1]; ++j) {
        for (std::size_t i = 0; i < result.grid_shape[0]; ++i) {
          const std::size_t base = mask.offset(i, j, k);
          const unsigned code = mask.cells[base] | (mask.cells[base + sx] << 1) |
                                (mask.cells[base + sy] << 2) | (mask.cells[base + sx + sy] << 3) |
                                (mask.cells[base + sz] << 4) | (mask.cells[base + sx + sz] << 5) |
                                (mask.cells[base + sy + sz] << 6) |
                                (mask.cells[base + sx + sy + sz] << 7);
          if (code != 0 && code != 255) {
            result.cells.push_back(i + result.grid_shape[0] * (j + result.grid_shape[1] * k));
            result.areas.push_back(areas[code]);
          }
        }
      }
    }
    return result;
  }
  result.grid_shape = mask.shape;
  result.index_offset = 1.0;
  std::vector<std::ptrdiff_t> neighbours;
  for (int dk = -1; dk <= 1; ++dk) {
    for (int dj = -1; dj <= 1; ++dj) {
      for (int di = -1; di <= 1; ++di) {
        const int nonzero = (di != 0) + (dj != 0) + (dk != 0);
        if (nonzero == 0 || (kind == surface_kind::face_connected && nonzero != 1)) {
          continue;
        }
        neighbours.push_back(di * static_cast<std::ptrdiff_t>(sx) +
                             dj * static_cast<std::ptrdiff_t>(sy) +
                             dk * static_cast<std::ptrdiff_t>(sz));
      }
    }
  }
  for (std::size_t k = 1; k + 1 < mask.shape[2]; ++k) {
    for (std::size_t j = 1; j + 1 < mask.shape[1]; ++j) {
      for (std::size_t i = 1; i + 1 < mask.shape[0]; ++i) {
        const std::size_t cell = mask.offset(i, j, k);
        if (mask.cells[cell] == 0) {
          continue;
        }
        for (std::ptrdiff_t step : neighbours) {
          if (mask.cells[static_cast<std::size_t>(static_cast<std::ptrdiff_t>(cell) + step)] == 0) {
            result.cells.push_back(cell);
            break;
          }
        }
      }
    }
  }
  return result;
}

/// The grid position (x, y, z) of a linear cell offset.
[[nodiscard]] inline std::array<std::size_t, 3> cell_position(
    std::size_t cell, const std::array<std::size_t, 3>& shape) noexcept {
  return {cell % shape[0], (cell / shape[0]) % shape[1], cell / (shape[0] * shape[1])};
}

/// LPS mm of every surface cell.
[[nodiscard]] inline std::vector<vec3> surface_points_mm(const surface_cells& surface,
                                                         const voxel_window& box,
                                                         const image_geometry& geometry) {
  std::vector<vec3> points;
  points.reserve(surface.cells.size());
  for (std::size_t cell : surface.cells) {
    const auto position = cell_position(cell, surface.grid_shape);
    vec3 index;
    for (std::size_t d = 0; d < 3; ++d) {
      index[d] = static_cast<double>(box.begin[d]) + static_cast<double>(position[d]) -
                 surface.index_offset;
    }
    points.push_back(geometry.index_to_physical(index));
  }
  return points;
}

/// Grid coordinates scaled to mm (cell position x spacing, per array axis) of every surface cell.
/// Distances between them equal distances in LPS mm for any orthonormal direction matrix, and do
/// not pick up the rounding of a rotation: a distance of exactly two voxels stays exact.
[[nodiscard]] inline std::vector<vec3> surface_points_scaled(const surface_cells& surface,
                                                             const vec3& spacing) {
  std::vector<vec3> points;
  points.reserve(surface.cells.size());
  for (std::size_t cell : surface.cells) {
    const auto position = cell_position(cell, surface.grid_shape);
    points.push_back({static_cast<double>(position[0]) * spacing[0],
                      static_cast<double>(position[1]) * spacing[1],
                      static_cast<double>(position[2]) * spacing[2]});
  }
  return points;
}

}  // namespace detail

/// The surface of label `label` of a 3D label map, in LPS mm.
///
/// Surface voxels (kind face_connected or fully_connected): foreground voxels with a
/// face neighbour (6-connectivity) or any neighbour (26) outside the mask, the image border
/// counting as outside; points at voxel centres p = origin + D diag(spacing) i. Corner surfels:
/// the corners i - (1/2, 1/2, 1/2) whose eight voxels are mixed, with the area of the
/// marching-cubes surface around each (detail/corner_surfels.hpp; Nikolov et al.,
/// arXiv:1809.04430).
///
/// \tparam Labels  a rank-3 volume_like of label voxels (or floats holding whole labels)
/// \returns surface (points in mm; areas in mm^2 for corner surfels); no points when the label
///          is absent
/// \throws precondition_error when the geometry is invalid, or a value is not a label
/// Complexity: one pass over the volume, then one over the label's bounding box.
///
///   const auto s = discgeom::extract_surface(mask, geometry, 201);
///   std::cout << s.points_mm.size() << " surface voxels\n";
template <volume_like Labels>
[[nodiscard]] surface extract_surface(Labels&& labels, const image_geometry& geometry,
                                      label_value label,
                                      surface_kind kind = surface_kind::face_connected) {
  const auto view = as_volume(labels);
  using voxel_type = typename decltype(view)::value_type;
  static_assert(detail::is_metric_label_voxel<voxel_type>,
                "extract_surface(): the voxel type is not a label; specialise "
                "discgeom::voxel_traits with label() for it (docs/customisation.md)");
  static_assert(decltype(view)::rank() == 3, "extract_surface(): the volume must have rank 3");
  geometry.validate("extract_surface");
  const auto boxes = detail::label_boxes("extract_surface", "labels", view);
  const auto it = boxes.find(label);
  if (it == boxes.end()) {
    return {};
  }
  const auto mask = detail::make_padded_mask(view, label, it->second);
  const auto cells = detail::find_surface_cells(mask, kind, geometry.spacing);
  return {detail::surface_points_mm(cells, it->second, geometry), cells.areas};
}

}  // namespace discgeom
