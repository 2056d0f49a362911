// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Every surface metric, derived from the two directed distance arrays of
/// `directed_surface_distances`: Hausdorff distance, its percentile form, the directed average
/// surface distances, ASSD, MASD and the normalised surface distance (surface Dice) at a
/// tolerance. The variants that tools disagree on are options, each under its own name;
/// docs/metrics.md gives the formulas and which tool uses which.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <span>
#include <string_view>
#include <vector>

#include "discgeom/error.hpp"
#include "discgeom/metrics/overlap.hpp"
#include "discgeom/metrics/surface_distance.hpp"
#include "discgeom/stats/detail/quantile.hpp"

namespace discgeom {

/// How the two directed percentiles become one number.
enum class percentile_aggregation {
  max_of_directed,   ///< max(P_p(d_RP), P_p(d_PR)): MONAI, DeepMind, domain.md (default)
  pooled,            ///< P_p of d_RP and d_PR together: MedPy's hd95
  mean_of_directed,  ///< (P_p(d_RP) + P_p(d_PR)) / 2
};

/// How the p-th percentile of a set of distances is read.
enum class percentile_rule {
  /// Sorted values v_0 <= ... <= v_{n-1}; h = (n - 1) p / 100; v_floor(h) + (h - floor(h))
  /// (v_floor(h)+1 - v_floor(h)): numpy's default ("linear"), used by MONAI and MedPy.
  linear,
  /// The smallest sorted value whose cumulative weight reaches p / 100 of the total: DeepMind's
  /// robust Hausdorff (weights: surfel areas, or 1 per point).
  cumulative_weight,
  /// The value of 1-based rank floor(n p / 100) (at least 1) among the sorted values, no
  /// interpolation: plastimatch's percent Hausdorff.
  lower_rank,
};

/// How the points of a surface are weighted in means, percentiles and NSD.
enum class surface_weighting {
  count,  ///< every surface point weighs 1 (default)
  area,   ///< every surfel weighs its area (corner_surfels only): DeepMind
};

/// The value a distance takes when a mask is empty.
enum class distance_fill_rule {
  nan,             ///< NaN (default; the status says why)
  value,           ///< `distance_fill::value`
  infinity,        ///< +infinity (DeepMind)
  image_diagonal,  ///< sqrt(sum_d (n_d s_d)^2), the worst distance the image allows
};

struct distance_fill {
  distance_fill_rule rule = distance_fill_rule::nan;
  double value = 0.0;  ///< for rule == value
};

/// Options of `score_surface` and the metric functions.
struct surface_metric_options {
  double percentile = 95.0;  ///< p of the percentile Hausdorff distance, in [0, 100]
  percentile_aggregation aggregation = percentile_aggregation::max_of_directed;
  percentile_rule rule = percentile_rule::linear;
  surface_weighting weighting = surface_weighting::count;
  double tolerance_mm = 1.0;            ///< tau of the normalised surface distance, >= 0
  distance_fill distance_both_empty{};  ///< distances when both masks are empty (NaN)
  distance_fill distance_one_empty{};   ///< distances when one mask is empty (NaN)
  /// NSD when a mask is empty: both empty, one empty (defaults NaN, as the distances).
  double nsd_both_empty = std::numeric_limits<double>::quiet_NaN();
  double nsd_one_empty = std::numeric_limits<double>::quiet_NaN();
};

/// The surface metrics of one label.
struct surface_scores {
  label_value label = 0;
  overlap_status status = overlap_status::both_empty;
  std::size_t reference_points = 0;
  std::size_t prediction_points = 0;
  double hausdorff_mm = 0.0;                    ///< max(max d_RP, max d_PR)
  double hausdorff_percentile_mm = 0.0;         ///< HD_p by options (aggregation, rule)
  double assd_mm = 0.0;                         ///< (sum d_RP + sum d_PR) / (|S_R| + |S_P|), pooled
  double masd_mm = 0.0;                         ///< (mean d_RP + mean d_PR) / 2
  double asd_reference_to_prediction_mm = 0.0;  ///< mean d_RP
  double asd_prediction_to_reference_mm = 0.0;  ///< mean d_PR
  double nsd = 0.0;  ///< (#{d_RP <= tau} + #{d_PR <= tau}) / (|S_R| + |S_P|)
};

namespace detail {

inline void check_surface_metric_options(const char* function,
                                         const surface_metric_options& options,
                                         const surface_distances& distances) {
  DISCGEOM_PRECONDITION(options.percentile >= 0.0 && options.percentile <= 100.0, function,
                        "options.percentile must be in [0, 100], got ", options.percentile);
  DISCGEOM_PRECONDITION(options.tolerance_mm >= 0.0 && std::isfinite(options.tolerance_mm),
                        function, "options.tolerance_mm must be finite and >= 0, got ",
                        options.tolerance_mm);
  DISCGEOM_PRECONDITION(options.weighting == surface_weighting::count ||
                            distances.kind == surface_kind::corner_surfels,
                        function, "options.weighting is area but the surface kind is ",
                        to_string(distances.kind), ", whose points carry no area");
  DISCGEOM_PRECONDITION(options.rule == percentile_rule::cumulative_weight ||
                            options.weighting == surface_weighting::count,
                        function, "options.rule ",
                        options.rule == percentile_rule::linear ? "linear" : "lower_rank",
                        " reads unweighted values; with area weighting use "
                        "percentile_rule::cumulative_weight");
}

[[nodiscard]] inline double fill_distance(const surface_distances& distances,
                                          const surface_metric_options& options) noexcept {
  const distance_fill& fill = distances.status == overlap_status::both_empty
                                  ? options.distance_both_empty
                                  : options.distance_one_empty;
  switch (fill.rule) {
    case distance_fill_rule::nan:
      return std::numeric_limits<double>::quiet_NaN();
    case distance_fill_rule::value:
      return fill.value;
    case distance_fill_rule::infinity:
      return std::numeric_limits<double>::infinity();
    case distance_fill_rule::image_diagonal:
      return distances.image_diagonal_mm;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

/// Weighted values of one or two directed arrays.
struct weighted_values {
  std::vector<double> values;
  std::vector<double> weights;  // empty: all 1
};

[[nodiscard]] inline weighted_values gather(std::span<const double> a,
                                            std::span<const double> a_weights,
                                            std::span<const double> b = {},
                                            std::span<const double> b_weights = {}) {
  weighted_values out;
  out.values.reserve(a.size() + b.size());
  out.values.insert(out.values.end(), a.begin(), a.end());
  out.values.insert(out.values.end(), b.begin(), b.end());
  if (!a_weights.empty()) {
    out.weights.reserve(out.values.size());
    out.weights.insert(out.weights.end(), a_weights.begin(), a_weights.end());
    out.weights.insert(out.weights.end(), b_weights.begin(), b_weights.end());
  }
  return out;
}

/// The smallest value whose cumulative weight reaches p / 100 of the total.
[[nodiscard]] inline double cumulative_weight_percentile(const weighted_values& data,
                                                         double percentile) {
  DISCGEOM_ASSERT(!data.values.empty());
  std::vector<std::size_t> order(data.values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return data.values[a] < data.values[b]; });
  const auto weight = [&](std::size_t i) { return data.weights.empty() ? 1.0 : data.weights[i]; };
  double total = 0.0;
  for (std::size_t i : order) {
    total += weight(i);
  }
  const double target = percentile / 100.0;
  double cumulative = 0.0;
  for (std::size_t i : order) {
    cumulative += weight(i);
    if (cumulative / total >= target) {
      return data.values[i];
    }
  }
  return data.values[order.back()];
}

/// The value of 1-based rank max(1, floor(n p / 100)) (reorders `values`).
[[nodiscard]] inline double lower_rank_percentile(std::vector<double>& values, double percentile) {
  DISCGEOM_ASSERT(!values.empty());
  const auto rank =
      static_cast<std::size_t>(std::floor(static_cast<double>(values.size()) * percentile / 100.0));
  const std::size_t index = std::min(values.size(), std::max<std::size_t>(rank, 1)) - 1;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index),
                   values.end());
  return values[index];
}

[[nodiscard]] inline double percentile_of(weighted_values data,
                                          const surface_metric_options& options) {
  switch (options.rule) {
    case percentile_rule::linear:
      return linear_quantile(data.values, options.percentile / 100.0);
    case percentile_rule::lower_rank:
      return lower_rank_percentile(data.values, options.percentile);
    case percentile_rule::cumulative_weight:
      break;
  }
  return cumulative_weight_percentile(data, options.percentile);
}

[[nodiscard]] inline double weighted_mean(const weighted_values& data) {
  double sum = 0.0;
  double total = 0.0;
  for (std::size_t i = 0; i < data.values.size(); ++i) {
    const double w = data.weights.empty() ? 1.0 : data.weights[i];
    sum += w * data.values[i];
    total += w;
  }
  return sum / total;
}

[[nodiscard]] inline std::span<const double> weights_of(std::span<const double> areas,
                                                        const surface_metric_options& options) {
  return options.weighting == surface_weighting::area ? areas : std::span<const double>{};
}

}  // namespace detail

/// Hausdorff distance HD = max(max_a d_RP(a), max_b d_PR(b)), mm (Huttenlocher et al., IEEE
/// TPAMI 15:850, 1993). options.distance_both_empty or _one_empty when a mask is empty.
[[nodiscard]] inline double hausdorff_distance(const surface_distances& distances,
                                               const surface_metric_options& options = {}) {
  detail::check_surface_metric_options("hausdorff_distance", options, distances);
  if (distances.status != overlap_status::ok) {
    return detail::fill_distance(distances, options);
  }
  return std::max(*std::max_element(distances.reference_to_prediction.begin(),
                                    distances.reference_to_prediction.end()),
                  *std::max_element(distances.prediction_to_reference.begin(),
                                    distances.prediction_to_reference.end()));
}

/// Percentile Hausdorff distance HD_p, mm: the p-th percentile (options.rule) of the directed
/// distances, aggregated by options.aggregation (default: max of the two directed linear
/// percentiles, p = 95).
[[nodiscard]] inline double hausdorff_percentile_distance(
    const surface_distances& distances, const surface_metric_options& options = {}) {
  detail::check_surface_metric_options("hausdorff_percentile_distance", options, distances);
  if (distances.status != overlap_status::ok) {
    return detail::fill_distance(distances, options);
  }
  const auto rp_weights = detail::weights_of(distances.reference_areas, options);
  const auto pr_weights = detail::weights_of(distances.prediction_areas, options);
  if (options.aggregation == percentile_aggregation::pooled) {
    return detail::percentile_of(detail::gather(distances.reference_to_prediction, rp_weights,
                                                distances.prediction_to_reference, pr_weights),
                                 options);
  }
  const double rp =
      detail::percentile_of(detail::gather(distances.reference_to_prediction, rp_weights), options);
  const double pr =
      detail::percentile_of(detail::gather(distances.prediction_to_reference, pr_weights), options);
  return options.aggregation == percentile_aggregation::max_of_directed ? std::max(rp, pr)
                                                                        : 0.5 * (rp + pr);
}

/// Which directed array a directed metric reads.
enum class surface_direction {
  reference_to_prediction,  ///< from each reference surface point to the prediction's surface
  prediction_to_reference,
};

/// Directed average surface distance, mm: the mean of d_RP (or d_PR), weighted by area with
/// surface_weighting::area. MedPy's asd(result, reference) is prediction_to_reference.
[[nodiscard]] inline double directed_average_surface_distance(
    const surface_distances& distances, surface_direction direction,
    const surface_metric_options& options = {}) {
  detail::check_surface_metric_options("directed_average_surface_distance", options, distances);
  if (distances.status != overlap_status::ok) {
    return detail::fill_distance(distances, options);
  }
  return direction == surface_direction::reference_to_prediction
             ? detail::weighted_mean(
                   detail::gather(distances.reference_to_prediction,
                                  detail::weights_of(distances.reference_areas, options)))
             : detail::weighted_mean(
                   detail::gather(distances.prediction_to_reference,
                                  detail::weights_of(distances.prediction_areas, options)));
}

/// Average symmetric surface distance, pooled, mm: (sum d_RP + sum d_PR) / (|S_R| + |S_P|)
/// (Heimann et al., IEEE TMI 28:1251, 2009; MONAI's symmetric average surface distance).
[[nodiscard]] inline double average_symmetric_surface_distance(
    const surface_distances& distances, const surface_metric_options& options = {}) {
  detail::check_surface_metric_options("average_symmetric_surface_distance", options, distances);
  if (distances.status != overlap_status::ok) {
    return detail::fill_distance(distances, options);
  }
  return detail::weighted_mean(detail::gather(
      distances.reference_to_prediction, detail::weights_of(distances.reference_areas, options),
      distances.prediction_to_reference, detail::weights_of(distances.prediction_areas, options)));
}

/// Mean average surface distance, mm: (mean d_RP + mean d_PR) / 2 (MedPy's assd).
[[nodiscard]] inline double mean_average_surface_distance(
    const surface_distances& distances, const surface_metric_options& options = {}) {
  return 0.5 * (directed_average_surface_distance(
                    distances, surface_direction::reference_to_prediction, options) +
                directed_average_surface_distance(
                    distances, surface_direction::prediction_to_reference, options));
}

/// Normalised surface distance (surface Dice) at tolerance tau = options.tolerance_mm
/// (Nikolov et al., arXiv:1809.04430): (w{d_RP <= tau} + w{d_PR <= tau}) / (w(S_R) + w(S_P)),
/// w counting points or summing surfel areas. In [0, 1]; options.nsd_* when a mask is empty.
[[nodiscard]] inline double normalised_surface_distance(
    const surface_distances& distances, const surface_metric_options& options = {}) {
  detail::check_surface_metric_options("normalised_surface_distance", options, distances);
  if (distances.status == overlap_status::both_empty) {
    return options.nsd_both_empty;
  }
  if (distances.status != overlap_status::ok) {
    return options.nsd_one_empty;
  }
  // Grid distances often equal the tolerance exactly (2 voxels of 0.5 mm and tau = 1 mm); a
  // last-bit difference in how a distance was summed must not decide, so d <= tau (1 + 1e-12).
  const double tolerance = options.tolerance_mm * (1.0 + 1e-12);
  const auto within = [&](std::span<const double> values, std::span<const double> weights) {
    double inside = 0.0;
    double total = 0.0;
    for (std::size_t i = 0; i < values.size(); ++i) {
      const double w = weights.empty() ? 1.0 : weights[i];
      total += w;
      inside += values[i] <= tolerance ? w : 0.0;
    }
    return std::array<double, 2>{inside, total};
  };
  const auto rp = within(distances.reference_to_prediction,
                         detail::weights_of(distances.reference_areas, options));
  const auto pr = within(distances.prediction_to_reference,
                         detail::weights_of(distances.prediction_areas, options));
  return (rp[0] + pr[0]) / (rp[1] + pr[1]);
}

/// Every surface metric of one label (the fields of surface_scores) under one set of options.
///
/// \throws precondition_error on options out of range (percentile outside [0, 100], negative
///         tolerance, area weighting without surfel areas)
/// Complexity: O(n log n) in the surface points (sorting only for cumulative_weight).
///
///   const auto s = discgeom::score_surface(distances, {.percentile = 95, .tolerance_mm = 2});
[[nodiscard]] inline surface_scores score_surface(const surface_distances& distances,
                                                  const surface_metric_options& options = {}) {
  surface_scores s;
  s.label = distances.label;
  s.status = distances.status;
  s.reference_points = distances.reference_points;
  s.prediction_points = distances.prediction_points;
  s.hausdorff_mm = hausdorff_distance(distances, options);
  s.hausdorff_percentile_mm = hausdorff_percentile_distance(distances, options);
  s.assd_mm = average_symmetric_surface_distance(distances, options);
  s.asd_reference_to_prediction_mm = directed_average_surface_distance(
      distances, surface_direction::reference_to_prediction, options);
  s.asd_prediction_to_reference_mm = directed_average_surface_distance(
      distances, surface_direction::prediction_to_reference, options);
  s.masd_mm = distances.status == overlap_status::ok
                  ? 0.5 * (s.asd_reference_to_prediction_mm + s.asd_prediction_to_reference_mm)
                  : detail::fill_distance(distances, options);
  s.nsd = normalised_surface_distance(distances, options);
  return s;
}

}  // namespace discgeom
