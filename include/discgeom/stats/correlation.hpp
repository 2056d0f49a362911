// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Correlation of two paired samples: Pearson's r, Spearman's rho (average ranks for ties) and
/// Kendall's tau-b, with the p-value of scipy.stats (pearsonr, spearmanr, kendalltau with the
/// asymptotic method) for a two- or one-sided alternative, and a confidence interval by Fisher's
/// z transform or by a seeded bootstrap. Pairs with a missing value are left out and counted.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <span>
#include <string_view>
#include <vector>

#include <boost/math/distributions/normal.hpp>

#include "discgeom/enum_names.hpp"
#include "discgeom/error.hpp"
#include "discgeom/stats/detail/quantile.hpp"
#include "discgeom/stats/detail/random.hpp"
#include "discgeom/stats/hypothesis.hpp"
#include "discgeom/stats/ranks.hpp"
#include "discgeom/stats/sample.hpp"

namespace discgeom {

enum class correlation_method {
  pearson,   ///< Pearson's product-moment r
  spearman,  ///< Spearman's rho: Pearson's r of the average ranks
  kendall,   ///< Kendall's tau-b (ties corrected)
};

/// "pearson", "spearman", "kendall".
template <>
struct enum_names<correlation_method> {
  static constexpr std::array<enum_name<correlation_method>, 3> table{{
      {correlation_method::pearson, "pearson"},
      {correlation_method::spearman, "spearman"},
      {correlation_method::kendall, "kendall"},
  }};
};

/// How the confidence interval of a correlation is computed.
enum class correlation_interval {
  fisher_z,   ///< tanh(atanh(r) -+ z_{(1+c)/2} se), se by method (see correlate)
  bootstrap,  ///< percentile interval of r over seeded resamples of the pairs
  none,       ///< no interval (ci_low = ci_high = NaN, status unaffected)
};

/// What a correlation result holds; every status but ok and no_interval leaves r and p NaN.
enum class correlation_status {
  ok,           ///< r, p and the interval
  no_interval,  ///< r and p, but n is too small for the interval (Fisher z: n <= 3, or 4 for
                ///< Kendall; bootstrap: fewer than two resamples with a defined r)
  too_few,      ///< fewer than 3 complete pairs: r, p and the interval are NaN
  constant_x,   ///< x is constant over the complete pairs: r undefined (NaN)
  constant_y,   ///< y is constant over the complete pairs: r undefined (NaN)
  constant_both,
};

/// "ok", "no_interval", "too_few", "constant_x", "constant_y", "constant_both".
template <>
struct enum_names<correlation_status> {
  static constexpr std::array<enum_name<correlation_status>, 6> table{{
      {correlation_status::ok, "ok"},
      {correlation_status::no_interval, "no_interval"},
      {correlation_status::too_few, "too_few"},
      {correlation_status::constant_x, "constant_x"},
      {correlation_status::constant_y, "constant_y"},
      {correlation_status::constant_both, "constant_both"},
  }};
};

struct correlation_options {
  correlation_method method = correlation_method::pearson;
  alternative_hypothesis alternative = alternative_hypothesis::two_sided;
  correlation_interval interval = correlation_interval::fisher_z;
  double confidence = 0.95;                ///< of the interval, in (0, 1)
  std::size_t bootstrap_resamples = 2000;  ///< B >= 1, for correlation_interval::bootstrap
  std::uint64_t seed = 0;                  ///< same seed, same bootstrap interval
};

/// A correlation with its test and interval.
struct correlation_result {
  correlation_method method = correlation_method::pearson;
  std::size_t n = 0;          ///< complete pairs used
  std::size_t n_missing = 0;  ///< pairs left out because x or y was missing
  double r = std::numeric_limits<double>::quiet_NaN();  ///< r, rho or tau-b, in [-1, 1]
  double p = std::numeric_limits<double>::quiet_NaN();  ///< p-value for options.alternative
  double ci_low = std::numeric_limits<double>::quiet_NaN();
  double ci_high = std::numeric_limits<double>::quiet_NaN();
  correlation_status status = correlation_status::too_few;
};

namespace detail {

/// Pearson's r of complete pairs by centred sums: sum (x - mx)(y - my) / sqrt(Sxx Syy),
/// clamped to [-1, 1]. Sets the constant flags when a side has no spread (all values equal).
inline double pearson_of_pairs(std::span<const double> x, std::span<const double> y,
                               bool& constant_x, bool& constant_y) {
  const auto all_equal = [](std::span<const double> v) {
    return std::all_of(v.begin(), v.end(), [&](double value) { return value == v.front(); });
  };
  constant_x = all_equal(x);
  constant_y = all_equal(y);
  if (constant_x || constant_y) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  const double n = static_cast<double>(x.size());
  double sum_x = 0.0;
  double sum_y = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sum_x += x[i];
    sum_y += y[i];
  }
  const double mean_x = sum_x / n;
  const double mean_y = sum_y / n;
  double sxx = 0.0;
  double syy = 0.0;
  double sxy = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double dx = x[i] - mean_x;
    const double dy = y[i] - mean_y;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  return std::clamp(sxy / (std::sqrt(sxx) * std::sqrt(syy)), -1.0, 1.0);
}

/// Kendall's S = concordant - discordant pairs, tau-b and the variance of S under independence
/// with ties (Kendall 1970, eq. 4.4; scipy.stats.kendalltau's asymptotic method):
///   tau_b = S / sqrt((n0 - n1)(n0 - n2)), n0 = n(n-1)/2, n1, n2 the pairs tied in x, in y;
///   var S = (v0 - vt - vu) / 18 + (sum t(t-1))(sum u(u-1)) / (2 n(n-1))
///           + (sum t(t-1)(t-2))(sum u(u-1)(u-2)) / (9 n(n-1)(n-2)),
///   v0 = n(n-1)(2n+5), vt = sum t(t-1)(2t+5), vu likewise for y.
struct kendall_statistic {
  double tau = std::numeric_limits<double>::quiet_NaN();
  double s = 0.0;
  double variance = 0.0;
  bool constant_x = false;
  bool constant_y = false;
};

/// Counts the pairs i < j with values[i] > values[j] while merge-sorting `values` in place.
inline std::int64_t count_inversions(std::span<double> values, std::span<double> scratch) {
  std::int64_t inversions = 0;
  const std::size_t n = values.size();
  for (std::size_t width = 1; width < n; width *= 2) {
    for (std::size_t left = 0; left < n - width; left += 2 * width) {
      const std::size_t middle = left + width;
      const std::size_t right = std::min(left + 2 * width, n);
      std::size_t i = left;
      std::size_t j = middle;
      std::size_t out = left;
      while (i < middle && j < right) {
        if (values[j] < values[i]) {
          inversions += static_cast<std::int64_t>(middle - i);
          scratch[out++] = values[j++];
        } else {
          scratch[out++] = values[i++];
        }
      }
      while (i < middle) {
        scratch[out++] = values[i++];
      }
      while (j < right) {
        scratch[out++] = values[j++];
      }
      std::copy(scratch.begin() + static_cast<std::ptrdiff_t>(left),
                scratch.begin() + static_cast<std::ptrdiff_t>(right),
                values.begin() + static_cast<std::ptrdiff_t>(left));
    }
  }
  return inversions;
}

/// Kendall's statistic of complete pairs in O(n log n) (Knight 1966): sort by (x, y); the
/// discordant pairs are then the strict inversions of the y sequence.
inline kendall_statistic kendall_of_pairs(std::span<const double> x, std::span<const double> y) {
  const std::size_t n = x.size();
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i) {
    order[i] = static_cast<std::uint32_t>(i);
  }
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return x[a] < x[b] || (x[a] == x[b] && y[a] < y[b]);
  });
  const tie_sums x_ties = for_each_tie_group(
      n, [&](std::size_t a, std::size_t b) { return x[order[a]] == x[order[b]]; },
      [](std::size_t, std::size_t) {});
  const tie_sums joint_ties = for_each_tie_group(
      n,
      [&](std::size_t a, std::size_t b) {
        return x[order[a]] == x[order[b]] && y[order[a]] == y[order[b]];
      },
      [](std::size_t, std::size_t) {});
  std::vector<double> y_sequence(n);
  std::vector<double> scratch(n);
  for (std::size_t i = 0; i < n; ++i) {
    y_sequence[i] = y[order[i]];
  }
  const std::int64_t discordant = count_inversions(y_sequence, scratch);
  const tie_sums y_ties = for_each_tie_group(
      n, [&](std::size_t a, std::size_t b) { return y_sequence[a] == y_sequence[b]; },
      [](std::size_t, std::size_t) {});

  kendall_statistic result;
  const std::int64_t total = static_cast<std::int64_t>(n) * static_cast<std::int64_t>(n - 1) / 2;
  result.constant_x = x_ties.tied_pairs == total;
  result.constant_y = y_ties.tied_pairs == total;
  if (result.constant_x || result.constant_y) {
    return result;
  }
  // total = concordant + discordant + (x ties - joint) + (y ties - joint) + joint.
  const std::int64_t s =
      total - x_ties.tied_pairs - y_ties.tied_pairs + joint_ties.tied_pairs - 2 * discordant;
  result.s = static_cast<double>(s);
  result.tau = std::clamp(result.s / std::sqrt(static_cast<double>(total - x_ties.tied_pairs) *
                                               static_cast<double>(total - y_ties.tied_pairs)),
                          -1.0, 1.0);
  const double nn = static_cast<double>(n);
  const double m = nn * (nn - 1.0);
  result.variance =
      (m * (2.0 * nn + 5.0) - x_ties.t_t1_2t5 - y_ties.t_t1_2t5) / 18.0 +
      2.0 * static_cast<double>(x_ties.tied_pairs) * static_cast<double>(y_ties.tied_pairs) / m +
      x_ties.t_t1_t2 * y_ties.t_t1_t2 / (9.0 * m * (nn - 2.0));
  return result;
}

/// Reusable buffers of the coefficient kernels.
struct correlation_scratch {
  std::vector<std::uint32_t> order;
  std::vector<double> x_ranks;
  std::vector<double> y_ranks;
  radix_buffers radix;
};

/// Average ranks of complete values (no NaN), allocations reused through `scratch`.
inline void ranks_of(std::span<const double> values, correlation_scratch& scratch,
                     std::vector<double>& ranks) {
  order_by_value(values, scratch.order, scratch.radix);
  ranks.resize(values.size());
  average_ranks_in_order(values, scratch.order, ranks);
}

/// The coefficient of complete pairs and, for Kendall, the statistic the p-value needs.
struct coefficient {
  double r = std::numeric_limits<double>::quiet_NaN();
  bool constant_x = false;
  bool constant_y = false;
  kendall_statistic kendall;
};

inline coefficient coefficient_of_pairs(std::span<const double> x, std::span<const double> y,
                                        correlation_method method, correlation_scratch& scratch) {
  coefficient result;
  switch (method) {
    case correlation_method::pearson:
      result.r = pearson_of_pairs(x, y, result.constant_x, result.constant_y);
      break;
    case correlation_method::spearman:
      ranks_of(x, scratch, scratch.x_ranks);
      ranks_of(y, scratch, scratch.y_ranks);
      result.r =
          pearson_of_pairs(scratch.x_ranks, scratch.y_ranks, result.constant_x, result.constant_y);
      break;
    case correlation_method::kendall:
      result.kendall = kendall_of_pairs(x, y);
      result.r = result.kendall.tau;
      result.constant_x = result.kendall.constant_x;
      result.constant_y = result.kendall.constant_y;
      break;
  }
  return result;
}

/// Standard error of atanh(r): Pearson 1 / sqrt(n - 3) (Fisher 1921); Spearman
/// sqrt(1.06 / (n - 3)) and Kendall sqrt(0.437 / (n - 4)) (Fieller, Hartley & Pearson 1957).
/// NaN when n is too small for the method.
[[nodiscard]] inline double fisher_z_standard_error(correlation_method method, std::size_t n) {
  const double nn = static_cast<double>(n);
  switch (method) {
    case correlation_method::pearson:
      return n > 3 ? std::sqrt(1.0 / (nn - 3.0)) : std::nan("");
    case correlation_method::spearman:
      return n > 3 ? std::sqrt(1.06 / (nn - 3.0)) : std::nan("");
    case correlation_method::kendall:
      return n > 4 ? std::sqrt(0.437 / (nn - 4.0)) : std::nan("");
  }
  return std::nan("");
}

/// Fisher-z interval of r: two-sided tanh(atanh r -+ z_{(1+c)/2} se); for a one-sided
/// alternative the bound on the other side is the range end (-1 or 1), as scipy.stats does.
inline void fisher_z_interval(correlation_result& result, double confidence,
                              alternative_hypothesis alternative) {
  const double se = fisher_z_standard_error(result.method, result.n);
  if (std::isnan(se)) {
    result.status = correlation_status::no_interval;
    return;
  }
  const boost::math::normal standard_normal;
  const double z = std::atanh(result.r);  // +-inf at |r| = 1: the interval collapses to r
  if (alternative == alternative_hypothesis::two_sided) {
    const double h = boost::math::quantile(standard_normal, 0.5 + 0.5 * confidence);
    result.ci_low = std::tanh(z - h * se);
    result.ci_high = std::tanh(z + h * se);
  } else {
    const double h = boost::math::quantile(standard_normal, confidence);
    result.ci_low = alternative == alternative_hypothesis::less ? -1.0 : std::tanh(z - h * se);
    result.ci_high = alternative == alternative_hypothesis::less ? std::tanh(z + h * se) : 1.0;
  }
}

/// Percentile interval of the coefficient over B resamples of the n pairs drawn with
/// replacement (std::mt19937_64 seeded with options.seed); resamples whose coefficient is
/// undefined (a constant resample) are left out.
inline void bootstrap_interval(correlation_result& result, std::span<const double> x,
                               std::span<const double> y, const correlation_options& options,
                               correlation_scratch& scratch) {
  std::mt19937_64 generator(options.seed);
  std::vector<double> x_resample(x.size());
  std::vector<double> y_resample(y.size());
  std::vector<double> coefficients;
  coefficients.reserve(options.bootstrap_resamples);
  for (std::size_t b = 0; b < options.bootstrap_resamples; ++b) {
    for (std::size_t i = 0; i < x.size(); ++i) {
      const auto pick = static_cast<std::size_t>(uniform_below(generator, x.size()));
      x_resample[i] = x[pick];
      y_resample[i] = y[pick];
    }
    const double r = coefficient_of_pairs(x_resample, y_resample, options.method, scratch).r;
    if (!std::isnan(r)) {
      coefficients.push_back(r);
    }
  }
  if (coefficients.size() < 2) {
    result.status = correlation_status::no_interval;
    return;
  }
  const double upper_tail = 0.5 * (1.0 + options.confidence);
  result.ci_low = linear_quantile(coefficients, 1.0 - upper_tail);
  result.ci_high = linear_quantile(coefficients, upper_tail);
}

inline void check_correlation_options(const correlation_options& options, const char* function) {
  detail::check_confidence(options.confidence, function);
  DISCGEOM_PRECONDITION(options.bootstrap_resamples >= 1, function,
                        "options.bootstrap_resamples must be at least 1, got 0");
}

/// r, p and interval of complete pairs (no NaN), given the coefficient already computed.
inline correlation_result finish_correlation(const coefficient& c, std::span<const double> x,
                                             std::span<const double> y, std::size_t n_missing,
                                             const correlation_options& options,
                                             correlation_scratch& scratch) {
  correlation_result result;
  result.method = options.method;
  result.n = x.size();
  result.n_missing = n_missing;
  if (c.constant_x || c.constant_y) {
    result.status = c.constant_x && c.constant_y ? correlation_status::constant_both
                    : c.constant_x               ? correlation_status::constant_x
                                                 : correlation_status::constant_y;
    return result;
  }
  result.r = c.r;
  result.status = correlation_status::ok;
  if (options.method == correlation_method::kendall) {
    result.p = normal_p_value(c.kendall.s / std::sqrt(c.kendall.variance), options.alternative);
  } else {
    result.p = correlation_t_p_value(c.r, static_cast<double>(result.n) - 2.0, options.alternative);
  }
  switch (options.interval) {
    case correlation_interval::fisher_z:
      fisher_z_interval(result, options.confidence, options.alternative);
      break;
    case correlation_interval::bootstrap:
      bootstrap_interval(result, x, y, options, scratch);
      break;
    case correlation_interval::none:
      break;
  }
  return result;
}

/// The correlation of complete pairs (no NaN).
inline correlation_result correlate_pairs(std::span<const double> x, std::span<const double> y,
                                          std::size_t n_missing, const correlation_options& options,
                                          correlation_scratch& scratch) {
  if (x.size() < 3) {
    correlation_result result;
    result.method = options.method;
    result.n = x.size();
    result.n_missing = n_missing;
    return result;
  }
  const coefficient c = coefficient_of_pairs(x, y, options.method, scratch);
  return finish_correlation(c, x, y, n_missing, options, scratch);
}

}  // namespace detail

/// The correlation of x and y with its p-value and confidence interval.
///
/// Coefficients, over the n pairs where both values are present (pairwise deletion):
/// - Pearson: r = sum (x - mx)(y - my) / sqrt(sum (x - mx)^2 sum (y - my)^2);
/// - Spearman: rho = Pearson's r of the average ranks (ties share the mean rank);
/// - Kendall tau-b = (C - D) / sqrt((n0 - n1)(n0 - n2)), C and D the concordant and discordant
///   pairs, n0 = n(n-1)/2, n1 and n2 the pairs tied in x and in y (Kendall 1945).
///
/// p-values, as scipy.stats 1.10 computes them (and equal to them to 1e-6 relative or better,
/// tests/stats/golden.cpp): Pearson and Spearman by Student's t with n - 2 degrees of freedom
/// (t = r sqrt((n-2)/(1-r^2))); Kendall by the normal approximation of S = C - D with its
/// tie-corrected variance (scipy's method="asymptotic"). Intervals: Fisher's z with
/// se = 1/sqrt(n-3) (Pearson), sqrt(1.06/(n-3)) (Spearman), sqrt(0.437/(n-4)) (Kendall)
/// (Fieller, Hartley & Pearson 1957), or a seeded bootstrap percentile interval.
///
/// Degenerate data is a status, never an exception: fewer than 3 complete pairs -> too_few;
/// a side constant over the complete pairs -> constant_x / constant_y / constant_both (r and p
/// NaN, as scipy); too few pairs for the interval -> no_interval (r and p given).
///
/// \tparam X, Y samples (any sized range of numbers or optionals; see stats/sample.hpp)
/// \param x, y paired values, the same length; NaN or an empty optional marks a missing value
/// \throws precondition_error when the lengths differ, a value is infinite, or an option is out
///         of range (confidence not in (0, 1), no bootstrap resample)
/// Complexity: O(n) Pearson, O(n log n) Spearman and Kendall; B times that for the bootstrap.
///
///   const auto rho = discgeom::correlate(height_mm, z0,
///                                        {.method = discgeom::correlation_method::spearman});
///   if (rho.status == discgeom::correlation_status::ok)
///     std::cout << rho.r << " p=" << rho.p;
template <sample X, sample Y>
[[nodiscard]] correlation_result correlate(X&& x, Y&& y, const correlation_options& options = {}) {
  detail::check_correlation_options(options, "correlate");
  const detail::paired_values pairs =
      detail::complete_pairs(sample_values(x), sample_values(y), "correlate");
  detail::correlation_scratch scratch;
  return detail::correlate_pairs(pairs.x, pairs.y, pairs.n_missing, options, scratch);
}

}  // namespace discgeom
