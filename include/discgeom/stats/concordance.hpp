// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Lin's concordance correlation coefficient: agreement of paired measurements with the line
/// y = x, with its confidence interval by Fisher's z and Lin's asymptotic variance.
///
/// References: L. I.-K. Lin, A concordance correlation coefficient to evaluate reproducibility,
/// Biometrics 45:255-268 (1989); L. I.-K. Lin, A note on the concordance correlation
/// coefficient, Biometrics 56:324-325 (2000). Definitions: docs/stats.md.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <string_view>

#include <boost/math/distributions/complement.hpp>
#include <boost/math/distributions/normal.hpp>

#include "discgeom/enum_names.hpp"
#include "discgeom/error.hpp"
#include "discgeom/stats/hypothesis.hpp"
#include "discgeom/stats/sample.hpp"

namespace discgeom {

/// Why a concordance correlation lacks some of its numbers.
enum class concordance_status {
  ok,        ///< n >= 3, neither sample constant, |rho_c| < 1: every number
  no_pairs,  ///< no complete pair: everything NaN
  /// x or y constant over the complete pairs (always so for n = 1): rho_c by its formula
  /// (0 unless both are constant and equal, then NaN); Pearson r, C_b, shifts and interval NaN
  constant_input,
  /// |rho_c| = 1 (every pair on y = x, or on y = -x with both means 0): no interval (NaN)
  perfect,
  /// n = 2 complete pairs: rho_c and its decomposition, no interval (its variance needs n > 2)
  too_few_pairs,
};

/// "ok", "no_pairs", "constant_input", "perfect", "too_few_pairs".
template <>
struct enum_names<concordance_status> {
  static constexpr std::array<enum_name<concordance_status>, 5> table{{
      {concordance_status::ok, "ok"},
      {concordance_status::no_pairs, "no_pairs"},
      {concordance_status::constant_input, "constant_input"},
      {concordance_status::perfect, "perfect"},
      {concordance_status::too_few_pairs, "too_few_pairs"},
  }};
};

struct concordance_options {
  double confidence = 0.95;  ///< of the interval, in (0, 1)
};

/// Lin's concordance correlation and its parts, from 1/n moments of the complete pairs.
struct concordance_result {
  std::size_t n = 0;          ///< complete pairs used
  std::size_t n_missing = 0;  ///< pairs left out because x or y was missing
  /// rho_c = 2 s_xy / (s_x^2 + s_y^2 + (mean_x - mean_y)^2), in [-1, 1]
  double value = std::numeric_limits<double>::quiet_NaN();
  double pearson_r = std::numeric_limits<double>::quiet_NaN();  ///< precision: s_xy / (s_x s_y)
  /// Accuracy C_b = 2 / (v + 1/v + u^2), so that rho_c = r C_b
  double bias_correction = std::numeric_limits<double>::quiet_NaN();
  double scale_shift = std::numeric_limits<double>::quiet_NaN();  ///< v = s_x / s_y
  /// u = (mean_x - mean_y) / sqrt(s_x s_y)
  double location_shift = std::numeric_limits<double>::quiet_NaN();
  double z = std::numeric_limits<double>::quiet_NaN();     ///< atanh(rho_c)
  double z_se = std::numeric_limits<double>::quiet_NaN();  ///< Lin's asymptotic sd of z
  double ci_low = std::numeric_limits<double>::quiet_NaN();
  double ci_high = std::numeric_limits<double>::quiet_NaN();
  concordance_status status = concordance_status::no_pairs;
};

namespace detail {

[[nodiscard]] inline concordance_result concordance_kernel(std::span<const double> x,
                                                           std::span<const double> y,
                                                           const concordance_options& options) {
  detail::check_confidence(options.confidence, "concordance_correlation");
  const paired_values pairs = complete_pairs(x, y, "concordance_correlation");
  concordance_result result;
  result.n = pairs.x.size();
  result.n_missing = pairs.n_missing;
  if (result.n == 0) {
    return result;
  }
  const double n = static_cast<double>(result.n);
  double sum_x = 0.0;
  double sum_y = 0.0;
  for (std::size_t i = 0; i < result.n; ++i) {
    sum_x += pairs.x[i];
    sum_y += pairs.y[i];
  }
  const double mean_x = sum_x / n;
  const double mean_y = sum_y / n;
  double sxx = 0.0;
  double syy = 0.0;
  double sxy = 0.0;
  for (std::size_t i = 0; i < result.n; ++i) {
    const double dx = pairs.x[i] - mean_x;
    const double dy = pairs.y[i] - mean_y;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  // Constant samples are detected exactly (the rounded mean of equal values need not equal
  // them, which would leave a variance of rounding noise).
  const auto [x_min, x_max] = std::minmax_element(pairs.x.begin(), pairs.x.end());
  const auto [y_min, y_max] = std::minmax_element(pairs.y.begin(), pairs.y.end());
  const bool x_constant = *x_min == *x_max;
  const bool y_constant = *y_min == *y_max;
  if (x_constant) {
    sxx = sxy = 0.0;
  }
  if (y_constant) {
    syy = sxy = 0.0;
  }
  sxx /= n;
  syy /= n;
  sxy /= n;
  const double location = mean_x - mean_y;
  const double denominator = sxx + syy + location * location;
  if (x_constant || y_constant) {
    result.status = concordance_status::constant_input;
    result.value =
        denominator > 0.0 ? 2.0 * sxy / denominator : std::numeric_limits<double>::quiet_NaN();
    return result;
  }

  const double sx = std::sqrt(sxx);
  const double sy = std::sqrt(syy);
  const double rho = std::clamp(2.0 * sxy / denominator, -1.0, 1.0);
  const double r = std::clamp(sxy / (sx * sy), -1.0, 1.0);
  const double v = sx / sy;
  const double u = location / std::sqrt(sx * sy);
  const double cb = 2.0 / (v + 1.0 / v + u * u);
  result.value = rho;
  result.pearson_r = r;
  result.bias_correction = cb;
  result.scale_shift = v;
  result.location_shift = u;
  if (std::abs(rho) == 1.0) {
    result.status = concordance_status::perfect;
    return result;
  }
  result.z = std::atanh(rho);
  if (result.n == 2) {
    result.status = concordance_status::too_few_pairs;
    return result;
  }
  result.status = concordance_status::ok;
  // Lin's (1989) asymptotic variance of Z, as corrected in Lin (2000):
  //   var(z) = [(1 - r^2) rho^2 / ((1 - rho^2) r^2) + 2 rho^3 (1 - rho) u^2 / (r (1 - rho^2)^2)
  //             - rho^4 u^4 / (2 r^2 (1 - rho^2)^2)] / (n - 2),
  // written with rho / r = C_b so that r = 0 needs no special case.
  const double one_minus = 1.0 - rho * rho;
  const double u2 = u * u;
  const double variance = ((1.0 - r * r) * cb * cb / one_minus +
                           2.0 * rho * rho * cb * (1.0 - rho) * u2 / (one_minus * one_minus) -
                           rho * rho * cb * cb * u2 * u2 / (2.0 * one_minus * one_minus)) /
                          (n - 2.0);
  result.z_se = std::sqrt(std::max(variance, 0.0));
  const double q = boost::math::quantile(boost::math::complement(
      boost::math::normal_distribution<double>(), 0.5 * (1.0 - options.confidence)));
  result.ci_low = std::tanh(result.z - q * result.z_se);
  result.ci_high = std::tanh(result.z + q * result.z_se);
  return result;
}

}  // namespace detail

/// Lin's concordance correlation coefficient of x and y with its confidence interval.
///
/// With the 1/n moments of Lin (1989) over the n complete pairs (means m_x, m_y, variances
/// s_x^2, s_y^2, covariance s_xy):
///   rho_c = 2 s_xy / (s_x^2 + s_y^2 + (m_x - m_y)^2) = r C_b,
///   C_b = 2 / (v + 1/v + u^2),  v = s_x / s_y,  u = (m_x - m_y) / sqrt(s_x s_y),
/// r the Pearson correlation (precision) and C_b the accuracy. The interval at level c is
/// tanh(z -+ q sigma_z), z = atanh(rho_c), q = Phi^-1((1 + c)/2), with Lin's asymptotic variance
///   sigma_z^2 = [(1 - r^2) rho_c^2 / ((1 - rho_c^2) r^2)
///                + 2 rho_c^3 (1 - rho_c) u^2 / (r (1 - rho_c^2)^2)
///                - rho_c^4 u^4 / (2 r^2 (1 - rho_c^2)^2)] / (n - 2)
/// (Lin 1989, as corrected in Lin 2000; the formula of R's epiR::epi.ccc and DescTools::CCC).
/// rho_c is symmetric in x and y; it is 1 only when every pair lies on y = x.
///
/// \tparam X, Y samples (any sized range of numbers or optional numbers)
/// \param x measurements by one method (or predictions)
/// \param y measurements of the same cases by the other (or the reference), in the unit of x
/// \param options confidence level of the interval
/// \returns rho_c with its decomposition and interval, n and n_missing; a pair with a missing
///          value (NaN, empty optional) is left out (pairwise deletion) and counted. Degenerate
///          data gives a status (concordance_status): no_pairs, constant_input (a constant
///          prediction scores rho_c = 0), perfect, too_few_pairs (n = 2).
/// \throws precondition_error when x and y differ in length, a value is infinite or
///         confidence is not in (0, 1)
/// Complexity: O(n).
///
///   const auto c = discgeom::concordance_correlation(auto_height_mm, manual_height_mm);
///   std::cout << c.value << " [" << c.ci_low << ", " << c.ci_high << "]\n";
///
/// See also bland_altman, intraclass_correlations (more than two raters), error_measures.
template <sample X, sample Y>
[[nodiscard]] concordance_result concordance_correlation(X&& x, Y&& y,
                                                         const concordance_options& options = {}) {
  return detail::concordance_kernel(sample_values(x), sample_values(y), options);
}

}  // namespace discgeom
