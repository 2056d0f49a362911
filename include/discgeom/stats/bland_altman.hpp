// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Bland-Altman analysis of two methods measuring the same quantity: the bias (mean
/// difference), the limits of agreement and their confidence intervals.
///
/// References: J. M. Bland, D. G. Altman, Statistical methods for assessing agreement between
/// two methods of clinical measurement, Lancet 327:307-310 (1986); J. M. Bland, D. G. Altman,
/// Measuring agreement in method comparison studies, Stat Methods Med Res 8:135-160 (1999).
/// Definitions: docs/stats.md.

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <string_view>

#include <boost/math/distributions/complement.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include "discgeom/enum_names.hpp"
#include "discgeom/error.hpp"
#include "discgeom/stats/hypothesis.hpp"
#include "discgeom/stats/sample.hpp"

namespace discgeom {

/// Why a Bland-Altman analysis lacks some of its numbers.
enum class bland_altman_status {
  ok,           ///< n >= 2 complete pairs: every number (n = 2 gives t_{0.975,1} = 12.7 wide CIs)
  single_pair,  ///< one complete pair: the bias only; sd, limits and intervals NaN
  no_pairs,     ///< no complete pair: everything NaN
};

/// "ok", "single_pair", "no_pairs".
template <>
struct enum_names<bland_altman_status> {
  static constexpr std::array<enum_name<bland_altman_status>, 3> table{{
      {bland_altman_status::ok, "ok"},
      {bland_altman_status::single_pair, "single_pair"},
      {bland_altman_status::no_pairs, "no_pairs"},
  }};
};

struct bland_altman_options {
  /// Level of the confidence intervals of the bias and of the limits, in (0, 1).
  double confidence = 0.95;
  /// Share of differences the limits are to contain, in (0, 1): the limits are bias -+ z sd with
  /// z = Phi^-1((1 + coverage) / 2), 1.959963985 for 0.95.
  double coverage = 0.95;
  /// When set, z itself (finite, > 0), overriding coverage: 1.96 as Bland & Altman print, or 2.
  std::optional<double> multiplier{};
};

/// The bias, limits of agreement and their intervals; differences d_i = x_i - y_i.
struct bland_altman_limits {
  std::size_t n = 0;          ///< complete pairs used
  std::size_t n_missing = 0;  ///< pairs left out because x or y was missing
  double bias = std::numeric_limits<double>::quiet_NaN();         ///< mean difference d-bar
  double sd = std::numeric_limits<double>::quiet_NaN();           ///< sd of the differences (n - 1)
  double multiplier = std::numeric_limits<double>::quiet_NaN();   ///< z of the limits
  double lower_limit = std::numeric_limits<double>::quiet_NaN();  ///< bias - z sd
  double upper_limit = std::numeric_limits<double>::quiet_NaN();  ///< bias + z sd
  double bias_se = std::numeric_limits<double>::quiet_NaN();      ///< sd / sqrt(n)
  double bias_ci_low = std::numeric_limits<double>::quiet_NaN();  ///< bias - t se
  double bias_ci_high = std::numeric_limits<double>::quiet_NaN();
  /// Approximate standard error of each limit: sd sqrt(1/n + z^2 / (2 (n - 1))).
  double limit_se = std::numeric_limits<double>::quiet_NaN();
  double lower_limit_ci_low = std::numeric_limits<double>::quiet_NaN();
  double lower_limit_ci_high = std::numeric_limits<double>::quiet_NaN();
  double upper_limit_ci_low = std::numeric_limits<double>::quiet_NaN();
  double upper_limit_ci_high = std::numeric_limits<double>::quiet_NaN();
  bland_altman_status status = bland_altman_status::no_pairs;
};

namespace detail {

[[nodiscard]] inline bland_altman_limits bland_altman_kernel(std::span<const double> x,
                                                             std::span<const double> y,
                                                             const bland_altman_options& options) {
  detail::check_confidence(options.confidence, "bland_altman");
  DISCGEOM_PRECONDITION(options.coverage > 0.0 && options.coverage < 1.0, "bland_altman",
                        "options.coverage must be in (0, 1), got ", options.coverage);
  DISCGEOM_PRECONDITION(
      !options.multiplier || (std::isfinite(*options.multiplier) && *options.multiplier > 0.0),
      "bland_altman", "options.multiplier must be finite and > 0, got ",
      options.multiplier.value_or(0.0));
  const paired_values pairs = complete_pairs(x, y, "bland_altman");
  bland_altman_limits result;
  result.n = pairs.x.size();
  result.n_missing = pairs.n_missing;
  result.multiplier =
      options.multiplier
          ? *options.multiplier
          : boost::math::quantile(boost::math::complement(
                boost::math::normal_distribution<double>(), 0.5 * (1.0 - options.coverage)));
  if (result.n == 0) {
    return result;
  }
  const double n = static_cast<double>(result.n);
  double sum = 0.0;
  for (std::size_t i = 0; i < result.n; ++i) {
    sum += pairs.x[i] - pairs.y[i];
  }
  result.bias = sum / n;
  if (result.n == 1) {
    result.status = bland_altman_status::single_pair;
    return result;
  }
  result.status = bland_altman_status::ok;
  double squares = 0.0;
  for (std::size_t i = 0; i < result.n; ++i) {
    const double deviation = pairs.x[i] - pairs.y[i] - result.bias;
    squares += deviation * deviation;
  }
  result.sd = std::sqrt(squares / (n - 1.0));
  const double z = result.multiplier;
  result.lower_limit = result.bias - z * result.sd;
  result.upper_limit = result.bias + z * result.sd;

  const double t = boost::math::quantile(boost::math::complement(
      boost::math::students_t_distribution<double>(n - 1.0), 0.5 * (1.0 - options.confidence)));
  result.bias_se = result.sd / std::sqrt(n);
  result.bias_ci_low = result.bias - t * result.bias_se;
  result.bias_ci_high = result.bias + t * result.bias_se;
  result.limit_se = result.sd * std::sqrt(1.0 / n + z * z / (2.0 * (n - 1.0)));
  result.lower_limit_ci_low = result.lower_limit - t * result.limit_se;
  result.lower_limit_ci_high = result.lower_limit + t * result.limit_se;
  result.upper_limit_ci_low = result.upper_limit - t * result.limit_se;
  result.upper_limit_ci_high = result.upper_limit + t * result.limit_se;
  return result;
}

}  // namespace detail

/// Bland-Altman limits of agreement of x against y with confidence intervals.
///
/// With the differences d_i = x_i - y_i of the n complete pairs, d-bar their mean (the bias) and
/// s their sample standard deviation (n - 1 denominator), the limits of agreement are
/// d-bar -+ z s (Bland & Altman 1986), z = Phi^-1((1 + coverage)/2) = 1.959963985 by default
/// or options.multiplier. With t = t_{(1+c)/2, n-1} at confidence c:
///   bias:  d-bar -+ t s / sqrt(n)
///   each limit L: L -+ t s sqrt(1/n + z^2 / (2 (n - 1)))
/// (var(d-bar -+ z s) ~ (1/n + z^2 / (2 (n - 1))) s^2, Bland & Altman 1999; their 1986 paper
/// rounds it to 3 s^2 / n for z = 2). The limits assume roughly normal differences whose mean
/// and spread do not change with the magnitude measured (plot them against (x + y) / 2).
///
/// \tparam X, Y samples (any sized range of numbers or optional numbers)
/// \param x measurements by the method under study
/// \param y measurements of the same cases by the reference method, in the unit of x
/// \param options confidence of the intervals, coverage or multiplier of the limits
/// \returns bias, sd, limits and intervals in the unit of the data, with n and n_missing; a pair
///          with a missing value (NaN, empty optional) is left out (pairwise deletion) and
///          counted. n = 1: status single_pair (bias only); n = 0: no_pairs (all NaN); n = 2:
///          ok, every number defined (intervals from t with 1 df, very wide). Identical
///          differences give sd 0 and zero-width intervals.
/// \throws precondition_error when x and y differ in length, a value is infinite, confidence
///         or coverage is not in (0, 1), or the multiplier is not finite and positive
/// Complexity: O(n).
///
///   const auto ba = discgeom::bland_altman(auto_height_mm, manual_height_mm);
///   std::cout << ba.bias << " [" << ba.lower_limit << ", " << ba.upper_limit << "] mm\n";
///
/// See also error_measures, concordance_correlation, intraclass_correlations.
template <sample X, sample Y>
[[nodiscard]] bland_altman_limits bland_altman(X&& x, Y&& y,
                                               const bland_altman_options& options = {}) {
  return detail::bland_altman_kernel(sample_values(x), sample_values(y), options);
}

}  // namespace discgeom
