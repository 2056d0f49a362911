// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// How plausible a latent code is: its distance to the nearest real codes, relative to how far
/// real codes typically are from their own nearest neighbours. A traversal that sweeps a
/// feature to its extreme while holding the others at their means can leave the region where
/// real discs lie; the decoded shape there is an extrapolation, and this number says so.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "discgeom/enum_names.hpp"
#include "discgeom/error.hpp"
#include "discgeom/latent/summary.hpp"
#include "discgeom/spatial/vector_index.hpp"
#include "discgeom/stats/detail/quantile.hpp"
#include "discgeom/stats/sample.hpp"

namespace discgeom {

/// The space distances are measured in.
enum class latent_scaling {
  none,                ///< the latent coordinates as they are
  standard_deviation,  ///< each feature divided by its sample sd over the real codes
};

struct plausibility_options {
  std::size_t k = 5;  ///< neighbours averaged; at least 1, at most (real codes - 1)
  latent_scaling scaling = latent_scaling::none;
};

enum class plausibility_status {
  ok,
  coincident_codes,  ///< the real codes' typical distance is 0: ratios undefined (NaN)
};

/// "ok", "coincident_codes".
template <>
struct enum_names<plausibility_status> {
  static constexpr std::array<enum_name<plausibility_status>, 2> table{{
      {plausibility_status::ok, "ok"},
      {plausibility_status::coincident_codes, "coincident_codes"},
  }};
};

/// Plausibility of latent codes against a set of real ones.
///
/// d_k(z) = mean Euclidean distance from z to its k nearest real codes; the typical distance
/// D = median over the real codes c_i of d_k(c_i) taken among the other real codes (c_i itself
/// left out). plausibility(z) = d_k(z) / D: about 1 or less inside the cloud of real codes, far
/// above 1 outside it. The distances come from an exact nanoflann k-d tree.
///
/// \throws precondition_error from the constructor when the codes are not complete (a missing
///         value: feature and code named), when there are fewer than k + 1 codes, when k is 0,
///         or when scaling by sd meets a feature with sd 0; from the queries when the code has
///         the wrong dimension or a non-finite value.
/// Complexity: construction O(n log n) for the tree plus n queries; a query O(log n) in low
/// dimension (a k-d tree degrades towards O(n) as the dimension grows).
///
///   const discgeom::latent_plausibility plausible(latent_columns);
///   double ratio = plausible(grid.points[5].latent);
class latent_plausibility {
 public:
  template <sample_columns Latents>
  explicit latent_plausibility(Latents&& real_codes, const plausibility_options& options = {})
      : latent_plausibility(from_columns{}, sample_columns_values(real_codes), options) {}

  latent_plausibility(const latent_plausibility&) = delete;
  latent_plausibility& operator=(const latent_plausibility&) = delete;

  /// D, the median over the real codes of their mean distance to their k nearest other codes.
  [[nodiscard]] double typical_distance() const noexcept { return typical_; }
  [[nodiscard]] plausibility_status status() const noexcept { return status_; }
  [[nodiscard]] std::size_t k() const noexcept { return k_; }

  /// d_k(z): the mean distance from `code` to its k nearest real codes (in the scaled space).
  [[nodiscard]] double distance(std::span<const double> code) const {
    DISCGEOM_PRECONDITION(code.size() == scale_.size(), "latent_plausibility", "the code has ",
                          code.size(), " values, the real codes ", scale_.size());
    std::vector<double> scaled(code.size());
    for (std::size_t f = 0; f < code.size(); ++f) {
      scaled[f] = code[f] * scale_[f];
    }
    double sum = 0.0;
    for (const auto& n : index_.k_nearest(scaled, k_)) {
      sum += n.distance;
    }
    return sum / static_cast<double>(k_);
  }

  /// d_k(code) / D; NaN when the status is coincident_codes.
  [[nodiscard]] double operator()(std::span<const double> code) const {
    const double d = distance(code);
    return status_ == plausibility_status::ok ? d / typical_ : std::nan("");
  }

 private:
  struct from_columns {};

  latent_plausibility(from_columns, const std::vector<std::vector<double>>& feature_columns,
                      const plausibility_options& options)
      : k_(checked_k(feature_columns, options)),
        scale_(scales_of(feature_columns, options)),
        index_(feature_columns.size(), row_major_of(feature_columns, scale_)) {
    const std::size_t codes = index_.size();
    std::vector<double> own(codes);
    for (std::size_t c = 0; c < codes; ++c) {
      const auto near = index_.k_nearest(index_.point(c), k_ + 1);
      // Leave the code itself out: one neighbour at distance 0 (any one, if duplicates exist).
      double sum = 0.0;
      bool self_skipped = false;
      for (const auto& n : near) {
        if (!self_skipped && n.distance == 0.0) {
          self_skipped = true;
          continue;
        }
        sum += n.distance;
      }
      if (!self_skipped) {
        sum -= near.back().distance;  // the farthest of k + 1 is then not among the k nearest
      }
      own[c] = sum / static_cast<double>(k_);
    }
    typical_ = detail::linear_quantile(own, 0.5);
    status_ = typical_ > 0.0 ? plausibility_status::ok : plausibility_status::coincident_codes;
  }

  static std::size_t checked_k(const std::vector<std::vector<double>>& feature_columns,
                               const plausibility_options& options) {
    DISCGEOM_PRECONDITION(options.k >= 1, "latent_plausibility", "options.k must be at least 1");
    DISCGEOM_PRECONDITION(!feature_columns.empty(), "latent_plausibility",
                          "the real codes have no feature");
    const std::size_t codes = feature_columns.front().size();
    DISCGEOM_PRECONDITION(codes >= options.k + 1, "latent_plausibility", "k = ", options.k,
                          " needs at least ", options.k + 1, " real codes, got ", codes);
    return options.k;
  }

  static std::vector<double> scales_of(const std::vector<std::vector<double>>& feature_columns,
                                       const plausibility_options& options) {
    std::vector<double> scale(feature_columns.size(), 1.0);
    if (options.scaling == latent_scaling::standard_deviation) {
      const auto summaries = summarise_latents(feature_columns);
      for (std::size_t f = 0; f < scale.size(); ++f) {
        DISCGEOM_PRECONDITION(summaries[f].sd > 0.0, "latent_plausibility", "latent feature ", f,
                              " has standard deviation ", summaries[f].sd,
                              ": it cannot be scaled by it");
        scale[f] = 1.0 / summaries[f].sd;
      }
    }
    return scale;
  }

  static std::vector<double> row_major_of(const std::vector<std::vector<double>>& feature_columns,
                                          const std::vector<double>& scale) {
    const std::size_t features = feature_columns.size();
    const std::size_t codes = feature_columns.front().size();
    std::vector<double> row_major(codes * features);
    for (std::size_t f = 0; f < features; ++f) {
      DISCGEOM_PRECONDITION(feature_columns[f].size() == codes, "latent_plausibility",
                            "latent feature ", f, " has ", feature_columns[f].size(),
                            " values, feature 0 has ", codes);
      for (std::size_t c = 0; c < codes; ++c) {
        DISCGEOM_PRECONDITION(!std::isnan(feature_columns[f][c]), "latent_plausibility",
                              "real code ", c, " has no value for feature ", f);
        row_major[c * features + f] = feature_columns[f][c] * scale[f];
      }
    }
    return row_major;
  }

  std::size_t k_;
  std::vector<double> scale_;
  vector_index index_;
  double typical_ = 0.0;
  plausibility_status status_ = plausibility_status::ok;
};

}  // namespace discgeom
