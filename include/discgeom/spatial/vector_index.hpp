// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Exact k-nearest-neighbour search among vectors of any dimension (latent codes, feature
/// vectors): a nanoflann k-d tree over a row-major copy of the points, Euclidean distance.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include <nanoflann.hpp>

#include "discgeom/error.hpp"
#include "discgeom/spatial/point_cloud.hpp"

namespace discgeom {

/// An immutable k-d tree over n points of dimension d.
///
/// Queries are exact (eps = 0): the k nearest equal the brute-force k smallest ||q - p_i||_2
/// (ties in distance may come in either order). Building costs O(n log n); a query costs
/// O(log n) in low dimension and tends to O(n) as d grows, where a k-d tree prunes little.
///
/// \throws precondition_error from the constructor when d is 0, the coordinate count is not a
///         multiple of d, or a coordinate is not finite (point and axis named); from the
///         queries when the query has the wrong dimension or a non-finite value, or k is 0 or
///         exceeds the number of points.
///
///   discgeom::vector_index latents(4, row_major_latents);   // n x 4 values
///   auto near = latents.k_nearest(query, 5);
class vector_index {
 public:
  vector_index(std::size_t dimension, std::span<const double> row_major_points)
      : dimension_(dimension), coordinates_(row_major_points.begin(), row_major_points.end()) {
    DISCGEOM_PRECONDITION(dimension >= 1, "vector_index", "dimension must be at least 1, got 0");
    DISCGEOM_PRECONDITION(coordinates_.size() % dimension == 0, "vector_index", "the ",
                          coordinates_.size(), " coordinates are not a whole number of ", dimension,
                          "-dimensional points");
    DISCGEOM_PRECONDITION(size() <= UINT32_MAX, "vector_index",
                          "more than 2^32 - 1 points: ", size());
    for (std::size_t i = 0; i < coordinates_.size(); ++i) {
      DISCGEOM_PRECONDITION(std::isfinite(coordinates_[i]), "vector_index", "point ", i / dimension,
                            " axis ", i % dimension, " is not finite: ", coordinates_[i]);
    }
    if (size() > 0) {
      tree_ = std::make_unique<tree_type>(static_cast<int>(dimension), dataset_,
                                          nanoflann::KDTreeSingleIndexAdaptorParams(10));
      tree_->buildIndex();
    }
  }

  vector_index(const vector_index&) = delete;
  vector_index& operator=(const vector_index&) = delete;

  [[nodiscard]] std::size_t size() const noexcept { return coordinates_.size() / dimension_; }
  [[nodiscard]] std::size_t dimension() const noexcept { return dimension_; }
  [[nodiscard]] std::span<const double> point(std::size_t i) const {
    return std::span<const double>(coordinates_).subspan(i * dimension_, dimension_);
  }

  /// The k indexed points nearest to `query`, by increasing distance.
  [[nodiscard]] std::vector<neighbour> k_nearest(std::span<const double> query,
                                                 std::size_t k) const {
    DISCGEOM_PRECONDITION(query.size() == dimension_, "vector_index::k_nearest", "the query has ",
                          query.size(), " values, the points ", dimension_);
    for (std::size_t d = 0; d < query.size(); ++d) {
      DISCGEOM_PRECONDITION(std::isfinite(query[d]), "vector_index::k_nearest", "query[", d,
                            "] is not finite: ", query[d]);
    }
    DISCGEOM_PRECONDITION(k >= 1 && k <= size(), "vector_index::k_nearest", "k = ", k,
                          " must be in [1, ", size(), "], the number of points");
    return detail::k_nearest_neighbours(*tree_, query.data(), k);
  }

 private:
  struct dataset {
    const vector_index* owner;
    [[nodiscard]] std::size_t kdtree_get_point_count() const { return owner->size(); }
    [[nodiscard]] double kdtree_get_pt(std::size_t index, std::size_t axis) const {
      return owner->coordinates_[index * owner->dimension_ + axis];
    }
    template <class Box>
    bool kdtree_get_bbox(Box&) const {
      return false;
    }
  };
  using tree_type =
      nanoflann::KDTreeSingleIndexAdaptor<nanoflann::L2_Simple_Adaptor<double, dataset>, dataset,
                                          -1, std::uint32_t>;

  std::size_t dimension_;
  std::vector<double> coordinates_;
  dataset dataset_{this};
  std::unique_ptr<tree_type> tree_;
};

}  // namespace discgeom
