// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Latent traversal grids (Perrone et al., step 6): hold every feature but one at a centre of
/// the real codes, sweep that one from its minimum to its maximum in k steps, and decode.

#include <array>
#include <cmath>
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "discgeom/enum_names.hpp"
#include "discgeom/error.hpp"
#include "discgeom/latent/summary.hpp"
#include "discgeom/stats/sample.hpp"

namespace discgeom {

/// Where the features that are not swept are held.
enum class traversal_anchor {
  mean,    ///< each feature's mean over the real codes (the paper's choice)
  median,  ///< each feature's median
  given,   ///< the vector in traversal_options::given
};

/// "mean", "median", "given".
template <>
struct enum_names<traversal_anchor> {
  static constexpr std::array<enum_name<traversal_anchor>, 3> table{{
      {traversal_anchor::mean, "mean"},
      {traversal_anchor::median, "median"},
      {traversal_anchor::given, "given"},
  }};
};

struct traversal_options {
  std::size_t steps = 6;  ///< points per feature, >= 2: min, then (max - min)/(steps - 1) apart
  traversal_anchor anchor = traversal_anchor::mean;
  std::vector<double> given{};  ///< the held values when anchor is given (one per feature)
};

/// One grid point: feature `feature` at step `step` (0 = its minimum, steps - 1 = its maximum).
struct traversal_point {
  std::size_t feature = 0;
  std::size_t step = 0;
  double value = 0.0;          ///< the swept feature's value
  std::vector<double> latent;  ///< the whole code: the anchor with `feature` set to `value`
};

/// The grid, feature-major: points[f * steps + s].
struct latent_traversal {
  std::size_t steps = 0;
  std::vector<double> anchor;
  std::vector<latent_feature_summary> features;
  std::vector<traversal_point> points;
};

/// The traversal grid of summarised latent features.
///
/// For feature f with range [min_f, max_f] and k = options.steps, step s holds
/// z_f = min_f + (max_f - min_f) s / (k - 1) (the last step exactly max_f) and every other
/// feature at the anchor: k = 6 gives the paper's min, 1/5, ..., 4/5, max. A constant feature
/// (min = max) gives k equal points.
///
/// \throws precondition_error when steps < 2, when a feature has no value (it has no range to
///         sweep; the feature is named), or when anchor is given and options.given does not
///         have one finite value per feature
/// Complexity: O(features^2 steps).
///
///   const auto grid = discgeom::traverse_latents(latent_columns, {.steps = 6});
///   for (const auto& point : grid.points) decode(point.latent);
[[nodiscard]] inline latent_traversal traverse_latents(
    std::span<const latent_feature_summary> features, const traversal_options& options = {}) {
  DISCGEOM_PRECONDITION(options.steps >= 2, "traverse_latents",
                        "options.steps must be at least 2 (the minimum and the maximum), got ",
                        options.steps);
  latent_traversal grid;
  grid.steps = options.steps;
  grid.features.assign(features.begin(), features.end());
  for (std::size_t f = 0; f < features.size(); ++f) {
    DISCGEOM_PRECONDITION(features[f].n > 0, "traverse_latents", "latent feature ", f,
                          " has no value in any code: it has no range to sweep");
  }
  switch (options.anchor) {
    case traversal_anchor::mean:
      for (const auto& feature : features) {
        grid.anchor.push_back(feature.mean);
      }
      break;
    case traversal_anchor::median:
      for (const auto& feature : features) {
        grid.anchor.push_back(feature.median);
      }
      break;
    case traversal_anchor::given:
      DISCGEOM_PRECONDITION(options.given.size() == features.size(), "traverse_latents",
                            "options.given has ", options.given.size(), " values for ",
                            features.size(), " latent features");
      for (std::size_t f = 0; f < features.size(); ++f) {
        DISCGEOM_PRECONDITION(std::isfinite(options.given[f]), "traverse_latents", "options.given[",
                              f, "] is not finite: ", options.given[f]);
      }
      grid.anchor = options.given;
      break;
  }
  const double last = static_cast<double>(options.steps - 1);
  for (std::size_t f = 0; f < features.size(); ++f) {
    for (std::size_t s = 0; s < options.steps; ++s) {
      traversal_point point{f, s, 0.0, grid.anchor};
      point.value = s + 1 == options.steps ? features[f].max
                                           : features[f].min + (features[f].max - features[f].min) *
                                                                   static_cast<double>(s) / last;
      point.latent[f] = point.value;
      grid.points.push_back(std::move(point));
    }
  }
  return grid;
}

/// The traversal grid of latent codes given as feature columns (summarised first, see
/// summarise_latents).
template <sample_columns Latents>
[[nodiscard]] latent_traversal traverse_latents(Latents&& latents,
                                                const traversal_options& options = {}) {
  const auto features = summarise_latents(latents);
  return traverse_latents(std::span<const latent_feature_summary>(features), options);
}

}  // namespace discgeom
