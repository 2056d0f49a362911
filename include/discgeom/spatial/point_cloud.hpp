// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// `point_cloud_index`: exact nearest-neighbour queries over 3D points in millimetres, on a
/// nanoflann k-d tree. Part of `discgeom::spatial`; surface distances and latent-space
/// plausibility are built on it.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include <nanoflann.hpp>

#include "discgeom/error.hpp"
#include "discgeom/image_geometry.hpp"

namespace discgeom {

/// One neighbour: its position in the indexed points and its Euclidean distance (mm).
struct neighbour {
  std::size_t index = 0;
  double distance = 0.0;
};

namespace detail {

/// The k points of a nanoflann L2 tree nearest to `query`, by increasing distance, with their
/// Euclidean (not squared) distances.
template <class Tree>
[[nodiscard]] std::vector<neighbour> k_nearest_neighbours(const Tree& tree, const double* query,
                                                          std::size_t k) {
  std::vector<std::uint32_t> indices(k);
  std::vector<double> squared(k);
  const std::size_t found = tree.knnSearch(query, k, indices.data(), squared.data());
  std::vector<neighbour> result(found);
  for (std::size_t i = 0; i < found; ++i) {
    result[i] = {indices[i], std::sqrt(squared[i])};
  }
  return result;
}

}  // namespace detail

/// An immutable k-d tree over a copy of the given points (LPS mm, or any 3D coordinates).
///
/// Queries are exact (nanoflann with eps = 0): `nearest` equals the brute-force minimum of
/// ||q - p_i||_2 over all points. Building costs O(n log n), a query O(log n) on average.
///
/// \throws precondition_error from the constructor when a coordinate is not finite, and from the
///         queries when the cloud is empty or k is 0 or exceeds the number of points.
///
///   discgeom::point_cloud_index surface(points_mm);
///   double d = surface.nearest({x, y, z}).distance;
class point_cloud_index {
 public:
  explicit point_cloud_index(std::span<const vec3> points) : points_(points.begin(), points.end()) {
    DISCGEOM_PRECONDITION(points_.size() <= UINT32_MAX, "point_cloud_index", "points holds ",
                          points_.size(), " points, more than the 2^32 - 1 it can index");
    for (std::size_t i = 0; i < points_.size(); ++i) {
      for (std::size_t d = 0; d < 3; ++d) {
        DISCGEOM_PRECONDITION(std::isfinite(points_[i][d]), "point_cloud_index", "points[", i,
                              "] = ", points_[i], " is not finite");
      }
    }
    if (!points_.empty()) {
      tree_ =
          std::make_unique<tree_type>(3, dataset_, nanoflann::KDTreeSingleIndexAdaptorParams(16));
      tree_->buildIndex();
    }
  }

  point_cloud_index(const point_cloud_index&) = delete;
  point_cloud_index& operator=(const point_cloud_index&) = delete;

  [[nodiscard]] std::size_t size() const noexcept { return points_.size(); }
  [[nodiscard]] bool empty() const noexcept { return points_.empty(); }
  [[nodiscard]] const std::vector<vec3>& points() const noexcept { return points_; }

  /// The indexed point nearest to `query` (the lowest index among equidistant points is not
  /// guaranteed; the distance is exact).
  [[nodiscard]] neighbour nearest(const vec3& query) const {
    DISCGEOM_PRECONDITION(!points_.empty(), "point_cloud_index::nearest",
                          "the point cloud is empty");
    return k_nearest(query, 1).front();
  }

  /// The distance (mm) from `query` to the nearest indexed point, without allocating: the call
  /// to make millions of times.
  [[nodiscard]] double nearest_distance(const vec3& query) const {
    DISCGEOM_PRECONDITION(!points_.empty(), "point_cloud_index::nearest_distance",
                          "the point cloud is empty");
    DISCGEOM_PRECONDITION(
        std::isfinite(query[0]) && std::isfinite(query[1]) && std::isfinite(query[2]),
        "point_cloud_index::nearest_distance", "query ", query, " is not finite");
    std::uint32_t index = 0;
    double squared = 0.0;
    nanoflann::KNNResultSet<double, std::uint32_t> result(1);
    result.init(&index, &squared);
    tree_->findNeighbors(result, query.data(), nanoflann::SearchParams(0));
    return std::sqrt(squared);
  }

  /// The k indexed points nearest to `query`, by increasing distance.
  [[nodiscard]] std::vector<neighbour> k_nearest(const vec3& query, std::size_t k) const {
    DISCGEOM_PRECONDITION(k >= 1 && k <= points_.size(), "point_cloud_index::k_nearest", "k = ", k,
                          " must be in [1, ", points_.size(), "], the number of points");
    for (std::size_t d = 0; d < 3; ++d) {
      DISCGEOM_PRECONDITION(std::isfinite(query[d]), "point_cloud_index::k_nearest", "query ",
                            query, " is not finite");
    }
    return detail::k_nearest_neighbours(*tree_, query.data(), k);
  }

 private:
  // The dataset interface nanoflann expects.
  struct dataset {
    const std::vector<vec3>* points;
    [[nodiscard]] std::size_t kdtree_get_point_count() const { return points->size(); }
    [[nodiscard]] double kdtree_get_pt(std::size_t index, std::size_t axis) const {
      return (*points)[index][axis];
    }
    template <class Box>
    bool kdtree_get_bbox(Box&) const {
      return false;
    }
  };
  using tree_type =
      nanoflann::KDTreeSingleIndexAdaptor<nanoflann::L2_Simple_Adaptor<double, dataset>, dataset, 3,
                                          std::uint32_t>;

  std::vector<vec3> points_;
  dataset dataset_{&points_};
  std::unique_ptr<tree_type> tree_;
};

}  // namespace discgeom
