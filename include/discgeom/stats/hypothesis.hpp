// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The alternative hypothesis of a test and the tail probabilities the tests share: Student's t
/// for a correlation coefficient, and the standard normal for a z statistic. Both are computed
/// from their own tail (regularised incomplete beta, complementary error function), so a
/// p-value of 1e-150 keeps its relative precision instead of becoming 1 - (1 - p).

#include <array>
#include <cmath>
#include <string_view>

#include <boost/math/special_functions/beta.hpp>

#include "discgeom/enum_names.hpp"
#include "discgeom/error.hpp"

namespace discgeom {

/// Which deviation from the null hypothesis a p-value measures.
enum class alternative_hypothesis {
  two_sided,  ///< the statistic differs from its null value in either direction
  less,       ///< the statistic is below its null value (a negative correlation)
  greater,    ///< the statistic is above its null value (a positive correlation)
};

/// "two-sided", "less", "greater" (scipy.stats' names).
template <>
struct enum_names<alternative_hypothesis> {
  static constexpr std::array<enum_name<alternative_hypothesis>, 3> table{{
      {alternative_hypothesis::two_sided, "two-sided"},
      {alternative_hypothesis::less, "less"},
      {alternative_hypothesis::greater, "greater"},
  }};
};

/// p-value of a standard normal statistic z: two-sided erfc(|z| / sqrt 2); greater
/// P(Z >= z) = erfc(z / sqrt 2) / 2; less P(Z <= z) = erfc(-z / sqrt 2) / 2. NaN gives NaN.
[[nodiscard]] inline double normal_p_value(double z, alternative_hypothesis alternative) {
  constexpr double inv_sqrt2 = 0.70710678118654752440;
  switch (alternative) {
    case alternative_hypothesis::two_sided:
      return std::erfc(std::fabs(z) * inv_sqrt2);
    case alternative_hypothesis::greater:
      return 0.5 * std::erfc(z * inv_sqrt2);
    case alternative_hypothesis::less:
      return 0.5 * std::erfc(-z * inv_sqrt2);
  }
  return std::nan("");
}

/// p-value of a sample correlation r under the null of no correlation with df degrees of
/// freedom (df = n - 2 for Pearson's r, and for Spearman's rho as scipy.stats.spearmanr uses):
/// t = r sqrt(df / (1 - r^2)) follows Student's t with df degrees of freedom, so the
/// two-sided p-value is P(|T| >= |t|) = I_{1 - r^2}(df / 2, 1 / 2), the regularised incomplete
/// beta function (equal to scipy.stats.pearsonr's beta-distribution form); one-sided p-values
/// are half of it or one minus half of it. |r| = 1 gives 0 (or 1 on the wrong side).
/// Preconditions (not checked: internal use): df > 0, |r| <= 1.
[[nodiscard]] inline double correlation_t_p_value(double r, double df,
                                                  alternative_hypothesis alternative) {
  if (std::isnan(r)) {
    return r;
  }
  const double magnitude = std::fabs(r);
  const double one_minus_r2 = (1.0 - magnitude) * (1.0 + magnitude);
  const double two_sided =
      one_minus_r2 <= 0.0 ? 0.0 : boost::math::ibeta(0.5 * df, 0.5, one_minus_r2);
  switch (alternative) {
    case alternative_hypothesis::two_sided:
      return two_sided;
    case alternative_hypothesis::greater:
      return r >= 0.0 ? 0.5 * two_sided : 1.0 - 0.5 * two_sided;
    case alternative_hypothesis::less:
      return r <= 0.0 ? 0.5 * two_sided : 1.0 - 0.5 * two_sided;
  }
  return std::nan("");
}

namespace detail {

/// The check every interval option shares: a confidence level in (0, 1).
inline void check_confidence(double confidence, const char* function) {
  DISCGEOM_PRECONDITION(confidence > 0.0 && confidence < 1.0, function,
                        "options.confidence must be in (0, 1), got ", confidence);
}

}  // namespace detail

}  // namespace discgeom
