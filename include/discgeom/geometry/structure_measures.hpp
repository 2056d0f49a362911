// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Measures of one structure given as a `voxel_set` (its voxel indices, the source shape and
/// geometry), in physical units. These are the definitions of the `discgeom discs` table
/// (docs/geometry.md, docs/cli.md). Anatomical axes (LR, AP, SI) come from the
/// direction cosines: each array axis is assigned the patient axis it is most aligned with.
///
/// Every function here requires a non-empty set (`precondition_error` otherwise): an empty
/// structure is reported with a status by `measure_disc` (geometry/disc_measures.hpp), not
/// measured.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numbers>
#include <optional>
#include <span>
#include <vector>

#include "discgeom/error.hpp"
#include "discgeom/geometry/convex_hull.hpp"
#include "discgeom/image_geometry.hpp"
#include "discgeom/mask/structures.hpp"

namespace discgeom {

namespace detail {
inline void require_voxels(const voxel_set& set, const char* function) {
  DISCGEOM_PRECONDITION(!set.voxels.empty(), function, "the structure has no voxels");
}
}  // namespace detail

/// Voxel-centre centroid as a continuous index and in LPS mm: c = (1/N) sum_n x_n, and
/// p = origin + D diag(spacing) c (the map is affine, so the mean of positions is the position of
/// the mean index).
struct centroid_result {
  vec3 index{};     ///< continuous voxel index
  vec3 physical{};  ///< LPS mm
};

[[nodiscard]] inline centroid_result centroid(const voxel_set& set) {
  detail::require_voxels(set, "centroid");
  std::array<std::uint64_t, 3> sum{};
  for (const auto& v : set.voxels) {
    for (std::size_t d = 0; d < 3; ++d)
      sum[d] += v[d];
  }
  centroid_result result;
  const double n = static_cast<double>(set.voxels.size());
  for (std::size_t d = 0; d < 3; ++d)
    result.index[d] = static_cast<double>(sum[d]) / n;
  result.physical = set.geometry.index_to_physical(result.index);
  return result;
}

/// Inclusive index bounds of the structure: lower[d] <= x[d] <= upper[d].
struct index_box {
  std::array<std::size_t, 3> lower{};
  std::array<std::size_t, 3> upper{};
};

[[nodiscard]] inline index_box bounding_box(const voxel_set& set) {
  detail::require_voxels(set, "bounding_box");
  index_box box;
  box.lower = {set.voxels[0][0], set.voxels[0][1], set.voxels[0][2]};
  box.upper = box.lower;
  for (const auto& v : set.voxels) {
    for (std::size_t d = 0; d < 3; ++d) {
      box.lower[d] = std::min<std::size_t>(box.lower[d], v[d]);
      box.upper[d] = std::max<std::size_t>(box.upper[d], v[d]);
    }
  }
  return box;
}

/// Volume, mm^3: N * spacing_0 * spacing_1 * spacing_2.
[[nodiscard]] inline double volume_mm3(const voxel_set& set) noexcept {
  return static_cast<double>(set.voxels.size()) * set.geometry.voxel_volume();
}

/// True when a voxel lies on the array boundary (index 0 or n - 1 on some axis).
[[nodiscard]] inline bool touches_border(const voxel_set& set) noexcept {
  for (const auto& v : set.voxels) {
    for (std::size_t d = 0; d < 3; ++d) {
      if (v[d] == 0 || v[d] + 1 == set.shape[d])
        return true;
    }
  }
  return false;
}

/// Disc height, mm: the voxels are grouped in columns parallel to the SI array axis;
/// height = mean over the columns that hold voxels of (voxels in the column x SI spacing)
///        = N * s_SI / (number of distinct columns).
/// (Perrone et al.'s "mean thickness along the cranio-caudal axis", in mm.)
[[nodiscard]] inline double disc_height(const voxel_set& set) {
  detail::require_voxels(set, "disc_height");
  const std::size_t si = set.geometry.array_axis(anatomical_axis::si);
  const std::size_t a = (si + 1) % 3, b = (si + 2) % 3;
  std::vector<std::uint64_t> columns;
  columns.reserve(set.voxels.size());
  for (const auto& v : set.voxels)
    columns.push_back((std::uint64_t{v[a]} << 32) | v[b]);
  std::sort(columns.begin(), columns.end());
  const auto distinct =
      static_cast<double>(std::unique(columns.begin(), columns.end()) - columns.begin());
  return static_cast<double>(set.voxels.size()) * set.geometry.spacing[si] / distinct;
}

/// Index of the middle slice normal to a patient axis: the slice containing the centroid,
/// index = floor(c + 1/2) of the centroid's continuous index on that array axis (round half up).
[[nodiscard]] inline std::size_t middle_slice(const voxel_set& set, anatomical_axis normal) {
  detail::require_voxels(set, "middle_slice");
  const std::size_t axis = set.geometry.array_axis(normal);
  return static_cast<std::size_t>(std::floor(centroid(set).index[axis] + 0.5));
}

/// The voxels of the structure on its middle slice normal to `normal`.
[[nodiscard]] inline std::vector<voxel_index> middle_slice_voxels(const voxel_set& set,
                                                                  anatomical_axis normal) {
  const std::size_t axis = set.geometry.array_axis(normal);
  const std::size_t slice = middle_slice(set, normal);
  std::vector<voxel_index> result;
  for (const auto& v : set.voxels) {
    if (v[axis] == slice)
      result.push_back(v);
  }
  return result;
}

/// Width along a patient axis on the middle slice normal to another, mm:
/// (max - min + 1) of the `measured` array index over the structure's voxels on that slice,
/// times the spacing of that axis. Empty (nullopt) when the middle slice holds none of the
/// structure (possible for a ring or a C shape).
///   AP width      = slice_width(set, anatomical_axis::lr, anatomical_axis::ap)  // mid-sagittal
///   lateral width = slice_width(set, anatomical_axis::si, anatomical_axis::lr)  // mid-transverse
[[nodiscard]] inline std::optional<double> slice_width(const voxel_set& set, anatomical_axis normal,
                                                       anatomical_axis measured) {
  DISCGEOM_PRECONDITION(normal != measured, "slice_width", "the measured axis ",
                        to_string(measured), " is the slice normal");
  const std::size_t axis = set.geometry.array_axis(measured);
  const auto on_slice = middle_slice_voxels(set, normal);
  if (on_slice.empty())
    return std::nullopt;
  const auto [low, high] =
      std::minmax_element(on_slice.begin(), on_slice.end(),
                          [&](const auto& p, const auto& q) { return p[axis] < q[axis]; });
  return static_cast<double>((*high)[axis] - (*low)[axis] + 1) * set.geometry.spacing[axis];
}

/// True when a measure along `measured` is cut by the field of view: the structure's voxels on its
/// middle slice normal to `slice_normal` (all its voxels when no normal is given) lie on both
/// faces of the array across `measured`, index 0 and index n - 1 of that axis. The structure
/// then fills the field of view along that axis and its extent there is only a lower bound.
///   height_mm         measure_cut_by_field_of_view(set, std::nullopt, anatomical_axis::si)
///   ap_width_mm       measure_cut_by_field_of_view(set, anatomical_axis::lr, anatomical_axis::ap)
///   lateral_width_mm  measure_cut_by_field_of_view(set, anatomical_axis::si, anatomical_axis::lr)
[[nodiscard]] inline bool measure_cut_by_field_of_view(const voxel_set& set,
                                                       std::optional<anatomical_axis> slice_normal,
                                                       anatomical_axis measured) {
  detail::require_voxels(set, "measure_cut_by_field_of_view");
  const std::size_t axis = set.geometry.array_axis(measured);
  const auto last = set.shape[axis] - 1;
  bool low = false, high = false;
  const auto visit = [&](const voxel_index& v) {
    low = low || v[axis] == 0;
    high = high || v[axis] == last;
  };
  if (slice_normal) {
    for (const auto& v : middle_slice_voxels(set, *slice_normal))
      visit(v);
  } else {
    for (const auto& v : set.voxels)
      visit(v);
  }
  return low && high;
}

namespace detail {

/// The two in-plane physical components of a plane, as (first, second) LPS weights:
/// sagittal (anterior, superior), coronal (left, superior), transverse (left, anterior).
struct plane_components {
  vec3 first;
  vec3 second;
};
constexpr plane_components components_of(anatomical_plane plane) noexcept {
  switch (plane) {
    case anatomical_plane::sagittal:
      return {{0.0, -1.0, 0.0}, {0.0, 0.0, 1.0}};
    case anatomical_plane::coronal:
      return {{1.0, 0.0, 0.0}, {0.0, 0.0, 1.0}};
    case anatomical_plane::transverse:
      return {{1.0, 0.0, 0.0}, {0.0, -1.0, 0.0}};
  }
  return {};
}

/// The unit major axis (unoriented) of a 2D point set: the eigenvector of the largest eigenvalue of
/// its covariance [[a, b], [b, c]], (lambda - c, b) normalised. Empty for fewer than 2 points or an
/// isotropic covariance (every direction is major).
inline std::optional<point2> major_axis_2d(std::span<const point2> points) {
  if (points.size() < 2)
    return std::nullopt;
  double mean_u = 0.0, mean_v = 0.0;
  for (const auto& p : points) {
    mean_u += p.x;
    mean_v += p.y;
  }
  mean_u /= static_cast<double>(points.size());
  mean_v /= static_cast<double>(points.size());
  double a = 0.0, b = 0.0, c = 0.0;
  for (const auto& p : points) {
    a += (p.x - mean_u) * (p.x - mean_u);
    b += (p.x - mean_u) * (p.y - mean_v);
    c += (p.y - mean_v) * (p.y - mean_v);
  }
  const double radius = std::hypot((a - c) / 2.0, b);
  if (radius <= 1e-12 * (a + c))
    return std::nullopt;
  const double lambda = (a + c) / 2.0 + radius;
  double du = lambda - c, dv = b;  // or, equivalently, (b, lambda - a)
  if (std::abs(du) + std::abs(dv) <= 1e-300) {
    du = b;
    dv = lambda - a;
  }
  const double norm = std::hypot(du, dv);
  return point2{du / norm, dv / norm};
}

}  // namespace detail

/// Inclination of the structure in a plane, degrees in (-90, 90].
///
/// PCA of the physical in-plane coordinates (LPS mm projected on the plane's two named
/// components) of the structure's voxel centres on its middle slice; the major axis d is oriented
/// so that its first component is positive (the second, when the first is 0) and
/// angle = atan2(d_second, d_first):
///   sagittal:   (anterior, superior): positive when the anterior end is higher;
///   coronal:    (left, superior):     positive when the left end is higher;
///   transverse: (left, anterior):     positive when the left end is more anterior.
/// Empty (nullopt) when the middle slice holds fewer than 2 voxels or their in-plane covariance is
/// isotropic (no major axis).
[[nodiscard]] inline std::optional<double> inclination_deg(const voxel_set& set,
                                                           anatomical_plane plane) {
  const auto on_slice = middle_slice_voxels(set, normal_of(plane));
  if (on_slice.size() < 2)
    return std::nullopt;
  const auto [first, second] = detail::components_of(plane);
  std::vector<point2> coordinates;
  coordinates.reserve(on_slice.size());
  for (const auto& v : on_slice) {
    const vec3 p = set.geometry.index_to_physical(v);
    const point2 q{p[0] * first[0] + p[1] * first[1] + p[2] * first[2],
                   p[0] * second[0] + p[1] * second[1] + p[2] * second[2]};
    coordinates.push_back(q);
  }
  const auto major = detail::major_axis_2d(coordinates);
  if (!major)
    return std::nullopt;
  double du = major->x, dv = major->y;
  if (du < 0.0 || (du == 0.0 && dv < 0.0)) {
    du = -du;
    dv = -dv;
  }
  return std::atan2(dv, du) * 180.0 / std::numbers::pi;
}

namespace detail {

/// The corners of the pixel squares of the structure's middle slice normal to `normal`, in the
/// slice plane (index x spacing along the slice's two array axes; lengths are physical because the
/// direction cosines are orthonormal). Per row only the two extreme pixels can reach the convex
/// hull, so 4 corners per row are enough. Empty when the middle slice holds none of the structure.
inline std::vector<point2> middle_slice_corners(const voxel_set& set, anatomical_axis normal) {
  const auto on_slice = middle_slice_voxels(set, normal);
  const std::size_t fixed = set.geometry.array_axis(normal);
  const std::size_t row_axis = fixed == 0 ? 1 : 0;
  const std::size_t column_axis = 3 - fixed - row_axis;
  std::vector<std::array<std::uint32_t, 3>> extremes;  // (row, min column, max column)
  std::vector<voxel_index> sorted = on_slice;
  std::sort(sorted.begin(), sorted.end(), [&](const auto& p, const auto& q) {
    return p[row_axis] < q[row_axis] ||
           (p[row_axis] == q[row_axis] && p[column_axis] < q[column_axis]);
  });
  for (const auto& v : sorted) {
    if (extremes.empty() || extremes.back()[0] != v[row_axis]) {
      extremes.push_back({v[row_axis], v[column_axis], v[column_axis]});
    } else {
      extremes.back()[2] = v[column_axis];
    }
  }
  const double s_row = set.geometry.spacing[row_axis], s_column = set.geometry.spacing[column_axis];
  std::vector<point2> corners;
  corners.reserve(4 * extremes.size());
  for (const auto& [row, low, high] : extremes) {
    for (const double r : {row - 0.5, row + 0.5}) {
      corners.push_back({r * s_row, (low - 0.5) * s_column});
      corners.push_back({r * s_row, (high + 0.5) * s_column});
    }
  }
  return corners;
}

}  // namespace detail

/// Minimum-area rectangle enclosing the voxel squares (pixel corners) of the structure's middle
/// slice normal to `normal`, in the slice plane, mm (detail::middle_slice_corners). Its short side
/// on the sagittal slice is Hess et al.'s disc height. Empty (nullopt) when the middle slice holds
/// none of the structure.
[[nodiscard]] inline std::optional<rectangle> slice_min_area_rectangle(const voxel_set& set,
                                                                       anatomical_axis normal) {
  const auto corners = detail::middle_slice_corners(set, normal);
  if (corners.empty())
    return std::nullopt;
  return min_area_rectangle(corners);
}

/// Maximal Feret diameter of the voxel squares of the structure's middle slice normal to
/// `normal`, mm: the largest distance between two pixel corners, by rotating calipers over their
/// convex hull (not all pairs). Empty (nullopt) when the middle slice holds none of the structure.
[[nodiscard]] inline std::optional<double> slice_max_feret(const voxel_set& set,
                                                           anatomical_axis normal) {
  const auto corners = detail::middle_slice_corners(set, normal);
  if (corners.empty())
    return std::nullopt;
  return max_feret_diameter(corners);
}

}  // namespace discgeom
