// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Surface distances between a reference and a predicted segmentation, per label, in physical
/// millimetres: the two directed distance arrays are computed once (exactly: a k-d tree over the
/// surface points, or an anisotropic Euclidean distance transform), cropped to the union
/// bounding box of the label; every surface metric (surface_scores.hpp) is derived from them.
/// Definitions: docs/metrics.md.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "discgeom/as_volume.hpp"
#include "discgeom/concepts.hpp"
#include "discgeom/enum_names.hpp"
#include "discgeom/error.hpp"
#include "discgeom/image_geometry.hpp"
#include "discgeom/metrics/detail/distance_transform.hpp"
#include "discgeom/metrics/label_pairs.hpp"
#include "discgeom/metrics/overlap.hpp"
#include "discgeom/metrics/surface.hpp"
#include "discgeom/spatial/point_cloud.hpp"

namespace discgeom {

/// How the nearest surface point is found. Both are exact; they differ in cost only.
enum class distance_engine {
  /// The cheaper of the two for each label, by a cost model measured on this library
  /// (benchmarks/RESULTS.md): the k-d tree unless the bounding box is small beside the surfaces.
  automatic,
  /// A nanoflann k-d tree over one surface's points in LPS mm, queried with the other's:
  /// O(n log n), memory O(surface points).
  kd_tree,
  /// The exact separable Euclidean distance transform with the voxel spacing over the label's
  /// bounding box (Felzenszwalb & Huttenlocher 2012): O(box voxels), one double per box voxel.
  distance_transform,
};

/// "automatic", "kd_tree", "distance_transform".
template <>
struct enum_names<distance_engine> {
  static constexpr std::array<enum_name<distance_engine>, 3> table{{
      {distance_engine::automatic, "automatic"},
      {distance_engine::kd_tree, "kd_tree"},
      {distance_engine::distance_transform, "distance_transform"},
  }};
};

/// The directed surface distances of one label.
struct surface_distances {
  label_value label = 0;
  overlap_status status = overlap_status::both_empty;
  surface_kind kind = surface_kind::face_connected;
  /// For each reference surface point, the distance (mm) to the nearest prediction surface point
  /// (empty unless status is ok).
  std::vector<double> reference_to_prediction{};
  /// For each prediction surface point, the distance (mm) to the nearest reference surface point.
  std::vector<double> prediction_to_reference{};
  /// Surfel areas (mm^2) in the same order, for corner_surfels; empty for surface voxels.
  std::vector<double> reference_areas{};
  std::vector<double> prediction_areas{};
  /// Surface points of each side (known even when the other side is empty).
  std::size_t reference_points = 0;
  std::size_t prediction_points = 0;
  /// The image's diagonal, sqrt(sum_d (n_d s_d)^2) mm: a fill for distances of empty masks.
  double image_diagonal_mm = 0.0;
};

/// Options of `directed_surface_distances`.
struct surface_distance_options {
  /// The labels to measure; empty: every non-zero label present in either map.
  std::vector<label_value> labels{};
  surface_kind kind = surface_kind::face_connected;
  distance_engine engine = distance_engine::automatic;
};

namespace detail {

/// Cost model of the automatic engine, in units of one distance-transform cell: a k-d tree
/// point (build and query) costs about this many cells' worth per log2 of the points
/// (benchmarks/surface_distances.cpp measures both engines).
inline constexpr double kd_tree_cost_per_point_log = 1.5;

[[nodiscard]] inline distance_engine choose_engine(distance_engine requested,
                                                   std::size_t grid_cells,
                                                   std::size_t surface_points) {
  if (requested != distance_engine::automatic) {
    return requested;
  }
  const double points = static_cast<double>(surface_points);
  const double kd_cost = kd_tree_cost_per_point_log * points * std::log2(points + 2.0);
  const double transform_cost = 2.0 * static_cast<double>(grid_cells);
  return transform_cost < kd_cost ? distance_engine::distance_transform : distance_engine::kd_tree;
}

/// Distance from each cell of `from` to the nearest cell of `to` (same grid), by the distance
/// transform of `to`.
[[nodiscard]] inline std::vector<double> distances_by_transform(const surface_cells& from,
                                                                const surface_cells& to,
                                                                const vec3& spacing) {
  const auto& shape = to.grid_shape;
  std::vector<double> grid(shape[0] * shape[1] * shape[2], std::numeric_limits<double>::infinity());
  for (std::size_t cell : to.cells) {
    grid[cell] = 0.0;
  }
  squared_distance_transform(grid, shape, spacing);
  std::vector<double> distances;
  distances.reserve(from.cells.size());
  for (std::size_t cell : from.cells) {
    distances.push_back(std::sqrt(grid[cell]));
  }
  return distances;
}

[[nodiscard]] inline std::vector<double> distances_by_tree(const std::vector<vec3>& from,
                                                           const point_cloud_index& to) {
  std::vector<double> distances;
  distances.reserve(from.size());
  for (const vec3& point : from) {
    distances.push_back(to.nearest_distance(point));
  }
  return distances;
}

template <class R, class P>
[[nodiscard]] surface_distances label_surface_distances(
    const volume_view<R, 3>& reference, const volume_view<P, 3>& prediction,
    const image_geometry& geometry, label_value label, const voxel_window* reference_box,
    const voxel_window* prediction_box, const surface_distance_options& options) {
  surface_distances result;
  result.label = label;
  result.kind = options.kind;
  double diagonal = 0.0;
  for (std::size_t d = 0; d < 3; ++d) {
    const double side = static_cast<double>(reference.shape(d)) * geometry.spacing[d];
    diagonal += side * side;
  }
  result.image_diagonal_mm = std::sqrt(diagonal);
  result.status =
      overlap_status_of(reference_box != nullptr ? 1 : 0, prediction_box != nullptr ? 1 : 0);
  if (result.status == overlap_status::both_empty) {
    return result;
  }
  const voxel_window box =
      (reference_box != nullptr ? *reference_box : voxel_window{})
          .united(prediction_box != nullptr ? *prediction_box : voxel_window{});
  const surface_cells reference_surface =
      find_surface_cells(make_padded_mask(reference, label, box), options.kind, geometry.spacing);
  const surface_cells prediction_surface =
      find_surface_cells(make_padded_mask(prediction, label, box), options.kind, geometry.spacing);
  result.reference_points = reference_surface.cells.size();
  result.prediction_points = prediction_surface.cells.size();
  if (result.status != overlap_status::ok) {
    return result;
  }
  result.reference_areas = reference_surface.areas;
  result.prediction_areas = prediction_surface.areas;
  const auto& grid_shape = reference_surface.grid_shape;
  const distance_engine engine =
      choose_engine(options.engine, grid_shape[0] * grid_shape[1] * grid_shape[2],
                    result.reference_points + result.prediction_points);
  if (engine == distance_engine::distance_transform) {
    result.reference_to_prediction =
        distances_by_transform(reference_surface, prediction_surface, geometry.spacing);
    result.prediction_to_reference =
        distances_by_transform(prediction_surface, reference_surface, geometry.spacing);
  } else {
    const auto reference_points = surface_points_scaled(reference_surface, geometry.spacing);
    const auto prediction_points = surface_points_scaled(prediction_surface, geometry.spacing);
    result.reference_to_prediction =
        distances_by_tree(reference_points, point_cloud_index(prediction_points));
    result.prediction_to_reference =
        distances_by_tree(prediction_points, point_cloud_index(reference_points));
  }
  return result;
}

}  // namespace detail

/// The directed surface distances of every label of a reference and a predicted 3D label map.
///
/// For each label l, with S_R and S_P the surfaces of R = {R(x) = l} and P = {P(x) = l}
/// (`surface_kind`, face-connected surface voxels by default, the image border counting as
/// outside): d_RP(a) = min_{b in S_P} ||x(a) - x(b)|| for every a in S_R, and d_PR likewise,
/// where x(i) = origin + D diag(spacing) i is the LPS position in mm. D is orthonormal, so
/// ||x(a) - x(b)|| = ||diag(spacing) (a - b)||: both engines compute the latter, which is exact
/// for any direction cosines and free of the rounding a rotation would add. The work is confined
/// to the union bounding box of R and P.
///
/// \tparam Reference, Prediction  rank-3 volume_like label maps (integer or user label voxels,
///         or floats holding whole labels), of one shape, described by one `geometry`
/// \returns one surface_distances per label (order of options.labels, else increasing), with
///          status both_empty / reference_empty / prediction_empty and no distances where a mask
///          is empty
/// \throws precondition_error when the shapes differ or hold no voxel, the geometry is invalid,
///         or a value is not a label (see count_label_pairs)
/// Complexity: one pass over each volume for the bounding boxes; per label O(box voxels) for the
/// surfaces plus O(n log n) (k-d tree) or O(box voxels) (distance transform) for the distances.
/// Memory: two byte masks of the label's box (plus one double per box voxel for the transform).
///
///   const auto all = discgeom::directed_surface_distances(reference, prediction, geometry);
///   for (const auto& d : all)
///     std::cout << d.label << ' ' << discgeom::score_surface(d).hausdorff_mm;
template <volume_like Reference, volume_like Prediction>
[[nodiscard]] std::vector<surface_distances> directed_surface_distances(
    Reference&& reference, Prediction&& prediction, const image_geometry& geometry,
    const surface_distance_options& options = {}) {
  const auto r = as_volume(reference);
  const auto p = as_volume(prediction);
  using r_voxel = typename decltype(r)::value_type;
  using p_voxel = typename decltype(p)::value_type;
  static_assert(detail::is_metric_label_voxel<r_voxel> && detail::is_metric_label_voxel<p_voxel>,
                "directed_surface_distances(): a voxel type is not a label; specialise "
                "discgeom::voxel_traits with label() for it (docs/customisation.md)");
  static_assert(decltype(r)::rank() == 3 && decltype(p)::rank() == 3,
                "directed_surface_distances(): the volumes must have rank 3");
  constexpr const char* function = "directed_surface_distances";
  detail::check_same_shape(function, r.shape(), p.shape());
  geometry.validate(function);
  const auto reference_boxes = detail::label_boxes(function, "reference", r);
  const auto prediction_boxes = detail::label_boxes(function, "prediction", p);

  std::vector<label_value> labels = options.labels;
  for (label_value label : labels) {
    DISCGEOM_PRECONDITION(label != 0, function,
                          "options.labels holds 0, the background, which has no surface");
  }
  if (labels.empty()) {
    for (const auto& [label, box] : reference_boxes) {
      labels.push_back(label);
    }
    for (const auto& [label, box] : prediction_boxes) {
      if (!reference_boxes.contains(label)) {
        labels.push_back(label);
      }
    }
    std::sort(labels.begin(), labels.end());
  }
  std::vector<surface_distances> result;
  result.reserve(labels.size());
  for (label_value label : labels) {
    const auto in_reference = reference_boxes.find(label);
    const auto in_prediction = prediction_boxes.find(label);
    result.push_back(detail::label_surface_distances(
        r, p, geometry, label,
        in_reference != reference_boxes.end() ? &in_reference->second : nullptr,
        in_prediction != prediction_boxes.end() ? &in_prediction->second : nullptr, options));
  }
  return result;
}

}  // namespace discgeom
