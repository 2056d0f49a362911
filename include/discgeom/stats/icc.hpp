// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The six intraclass correlations of Shrout & Fleiss (1979) from the two-way ANOVA of an
/// n targets x k raters table, with the F test of ICC = 0 and the F-based confidence intervals
/// of Shrout & Fleiss and McGraw & Wong (1996). Definitions: docs/stats.md.
///
/// References: P. E. Shrout, J. L. Fleiss, Intraclass correlations: uses in assessing rater
/// reliability, Psychol Bull 86:420-428 (1979); K. O. McGraw, S. P. Wong, Forming inferences
/// about some intraclass correlation coefficients, Psychol Methods 1:30-46 (1996), correction
/// 1:390.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <string_view>
#include <vector>

#include <boost/math/distributions/complement.hpp>
#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/policies/policy.hpp>

#include "discgeom/enum_names.hpp"
#include "discgeom/error.hpp"
#include "discgeom/stats/hypothesis.hpp"
#include "discgeom/stats/sample.hpp"

namespace discgeom {

/// The six intraclass correlations. Shrout & Fleiss names ICC(model, raters); McGraw & Wong
/// names in brackets.
enum class icc_form {
  icc1,   ///< ICC(1,1): one-way random effects, single rater [ICC(1)]
  icc2,   ///< ICC(2,1): two-way random effects, absolute agreement, single rater [ICC(A,1)]
  icc3,   ///< ICC(3,1): two-way mixed effects, consistency, single rater [ICC(C,1)]
  icc1k,  ///< ICC(1,k): one-way random effects, mean of k raters [ICC(k)]
  icc2k,  ///< ICC(2,k): two-way random effects, absolute agreement, mean of k raters [ICC(A,k)]
  icc3k,  ///< ICC(3,k): two-way mixed effects, consistency, mean of k raters [ICC(C,k)]
};

/// "icc1", "icc2", "icc3", "icc1k", "icc2k", "icc3k" (the names R's psych and pingouin print).
template <>
struct enum_names<icc_form> {
  static constexpr std::array<enum_name<icc_form>, 6> table{{
      {icc_form::icc1, "icc1"},
      {icc_form::icc2, "icc2"},
      {icc_form::icc3, "icc3"},
      {icc_form::icc1k, "icc1k"},
      {icc_form::icc2k, "icc2k"},
      {icc_form::icc3k, "icc3k"},
  }};
};

/// Why an intraclass correlation lacks some of its numbers.
enum class icc_status {
  ok,               ///< every number defined
  too_few_raters,   ///< k < 2 rating columns: everything NaN
  too_few_targets,  ///< fewer than 2 targets rated by every rater: everything NaN
  /// BMS = 0 (every target has the same mean rating, e.g. constant data): the ICC, F, p and
  /// interval are NaN; the mean squares and degrees of freedom are reported
  no_target_variance,
  /// BMS > 0 but the error mean square of the form is 0 (WMS for ICC1 and ICC1k: every target
  /// rated identically by all raters; EMS for the others: ratings additive in target and rater):
  /// the ICC is its formula's value, F = +inf, p = 0, the interval NaN
  no_error_variance,
};

/// "ok", "too_few_raters", "too_few_targets", "no_target_variance", "no_error_variance".
template <>
struct enum_names<icc_status> {
  static constexpr std::array<enum_name<icc_status>, 5> table{{
      {icc_status::ok, "ok"},
      {icc_status::too_few_raters, "too_few_raters"},
      {icc_status::too_few_targets, "too_few_targets"},
      {icc_status::no_target_variance, "no_target_variance"},
      {icc_status::no_error_variance, "no_error_variance"},
  }};
};

struct icc_options {
  double confidence = 0.95;  ///< of the intervals, in (0, 1)
};

/// One intraclass correlation with its F test of ICC = 0 and its confidence interval.
struct icc_result {
  icc_form form = icc_form::icc1;
  double value = std::numeric_limits<double>::quiet_NaN();  ///< the ICC (may be negative)
  double f = std::numeric_limits<double>::quiet_NaN();      ///< F statistic of ICC = 0
  double df1 = std::numeric_limits<double>::quiet_NaN();    ///< numerator df of F: n - 1
  double df2 = std::numeric_limits<double>::quiet_NaN();    ///< denominator df of F
  double p = std::numeric_limits<double>::quiet_NaN();      ///< P(F(df1, df2) > f)
  double ci_low = std::numeric_limits<double>::quiet_NaN();
  double ci_high = std::numeric_limits<double>::quiet_NaN();
  std::size_t n = 0;          ///< targets used (rows with a rating from every rater)
  std::size_t n_missing = 0;  ///< targets left out because a rating was missing
  std::size_t k = 0;          ///< raters (columns)
  icc_status status = icc_status::too_few_raters;
};

/// The two-way ANOVA of the ratings and the six intraclass correlations.
struct icc_table {
  std::size_t n = 0;          ///< targets used (rows with a rating from every rater)
  std::size_t n_missing = 0;  ///< targets left out because a rating was missing
  std::size_t k = 0;          ///< raters (columns)
  /// Between-targets mean square SS_targets / (n - 1) (psych's MSB, McGraw & Wong's MS_R).
  double bms = std::numeric_limits<double>::quiet_NaN();
  /// Within-targets mean square (SS_raters + SS_error) / (n (k - 1)) (one-way ANOVA).
  double wms = std::numeric_limits<double>::quiet_NaN();
  /// Between-raters ("judges") mean square SS_raters / (k - 1) (MSJ, MS_C).
  double jms = std::numeric_limits<double>::quiet_NaN();
  /// Residual mean square SS_error / ((n - 1)(k - 1)) (MSE, MS_E).
  double ems = std::numeric_limits<double>::quiet_NaN();
  /// Satterthwaite-type approximate df v of the ICC(2,1) and ICC(2,k) intervals (Shrout &
  /// Fleiss 1979; McGraw & Wong 1996); NaN where those intervals are NaN.
  double satterthwaite_df = std::numeric_limits<double>::quiet_NaN();
  /// too_few_raters, too_few_targets or no_target_variance when every form has it;
  /// no_error_variance when some form has it; otherwise ok.
  icc_status status = icc_status::too_few_raters;
  icc_result icc1{.form = icc_form::icc1};
  icc_result icc2{.form = icc_form::icc2};
  icc_result icc3{.form = icc_form::icc3};
  icc_result icc1k{.form = icc_form::icc1k};
  icc_result icc2k{.form = icc_form::icc2k};
  icc_result icc3k{.form = icc_form::icc3k};

  /// The result of one form.
  [[nodiscard]] const icc_result& operator[](icc_form form) const noexcept {
    switch (form) {
      case icc_form::icc1:
        return icc1;
      case icc_form::icc2:
        return icc2;
      case icc_form::icc3:
        return icc3;
      case icc_form::icc1k:
        return icc1k;
      case icc_form::icc2k:
        return icc2k;
      case icc_form::icc3k:
        return icc3k;
    }
    return icc1;
  }
};

namespace detail {

/// An F quantile too large for a double comes back as infinity rather than an exception (the
/// arguments are checked before each call, so Boost.Math sees no domain error).
using icc_math_policy = boost::math::policies::policy<
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>>;

/// The value F_{1 - tail}(df1, df2) exceeded with probability `tail`.
[[nodiscard]] inline double icc_f_upper_quantile(double df1, double df2, double tail) {
  if (!(df1 > 0.0) || !(df2 > 0.0) || !std::isfinite(df1) || !std::isfinite(df2)) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  const boost::math::fisher_f_distribution<double, icc_math_policy> distribution(df1, df2);
  return boost::math::quantile(boost::math::complement(distribution, tail));
}

/// P(F(df1, df2) > f), by the complement so that tiny p-values keep their digits.
[[nodiscard]] inline double icc_f_upper_tail(double f, double df1, double df2) {
  if (std::isnan(f)) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  if (std::isinf(f)) {
    return 0.0;
  }
  const boost::math::fisher_f_distribution<double, icc_math_policy> distribution(df1, df2);
  return boost::math::cdf(boost::math::complement(distribution, f));
}

/// Mean squares of the two-way ANOVA without interaction of an n x k row-major table, and
/// whether each is zero up to rounding.
struct icc_mean_squares {
  double bms = 0.0, wms = 0.0, jms = 0.0, ems = 0.0;
  bool bms_zero = false, wms_zero = false, ems_zero = false;
};

[[nodiscard]] inline icc_mean_squares icc_anova(std::span<const double> table, std::size_t n,
                                                std::size_t k) {
  const double nd = static_cast<double>(n);
  const double kd = static_cast<double>(k);
  double sum = 0.0;
  double scale = 0.0;
  for (double value : table) {
    sum += value;
    scale = std::max(scale, std::abs(value));
  }
  // Work on deviations from the grand mean so that an offset common to all ratings costs no
  // precision in the sums of squares.
  const double grand = sum / (nd * kd);
  std::vector<double> row_mean(n, 0.0);
  std::vector<double> column_mean(k, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < k; ++j) {
      const double d = table[i * k + j] - grand;
      row_mean[i] += d;
      column_mean[j] += d;
    }
  }
  double centre = 0.0;  // mean of the deviations: zero up to rounding
  for (double& m : row_mean) {
    m /= kd;
    centre += m;
  }
  centre /= nd;
  for (double& m : column_mean) {
    m /= nd;
  }
  double ss_targets = 0.0;
  for (double m : row_mean) {
    ss_targets += (m - centre) * (m - centre);
  }
  ss_targets *= kd;
  double ss_raters = 0.0;
  for (double m : column_mean) {
    ss_raters += (m - centre) * (m - centre);
  }
  ss_raters *= nd;
  double ss_error = 0.0;
  double ss_within = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < k; ++j) {
      const double d = table[i * k + j] - grand;
      const double within = d - row_mean[i];
      const double error = within - column_mean[j] + centre;
      ss_within += within * within;
      ss_error += error * error;
    }
  }
  icc_mean_squares ms;
  ms.bms = ss_targets / (nd - 1.0);
  ms.wms = ss_within / (nd * (kd - 1.0));
  ms.jms = ss_raters / (kd - 1.0);
  ms.ems = ss_error / ((nd - 1.0) * (kd - 1.0));
  // A mean square within rounding noise of zero counts as zero (and is reported as 0).
  const double noise = 8.0 * (nd + kd) * std::numeric_limits<double>::epsilon() * scale;
  const auto zero = [noise](double& square) {
    if (square <= noise * noise) {
      square = 0.0;
      return true;
    }
    return false;
  };
  ms.bms_zero = zero(ms.bms);
  ms.wms_zero = zero(ms.wms);
  ms.ems_zero = zero(ms.ems);
  zero(ms.jms);
  return ms;
}

/// A confidence bound of a single-rater ICC from a bound of F: (F - 1) / (F + k - 1).
[[nodiscard]] inline double icc_single_bound(double f, double k) noexcept {
  return (f - 1.0) / (f + k - 1.0);
}

/// A confidence bound of a mean-of-k ICC from a bound of F: 1 - 1 / F.
[[nodiscard]] inline double icc_average_bound(double f) noexcept {
  return 1.0 - 1.0 / f;
}

/// The intervals of a single-rater form and its mean-of-k form (ICC(1,1) and ICC(1,k), or
/// ICC(3,1) and ICC(3,k)), which share the F test of `single`: F_L = F / F_q(df1, df2),
/// F_U = F F_q(df2, df1), F_q the upper `tail` quantile, turned into bounds by
/// icc_single_bound and icc_average_bound.
inline void icc_set_f_intervals(icc_result& single, icc_result& average, double k, double tail) {
  const double f_low = single.f / icc_f_upper_quantile(single.df1, single.df2, tail);
  const double f_high = single.f * icc_f_upper_quantile(single.df2, single.df1, tail);
  single.ci_low = icc_single_bound(f_low, k);
  single.ci_high = icc_single_bound(f_high, k);
  average.ci_low = icc_average_bound(f_low);
  average.ci_high = icc_average_bound(f_high);
}

/// The six forms from a row-major n x k table of complete rows.
[[nodiscard]] inline icc_table icc_kernel(std::span<const double> table, std::size_t n,
                                          std::size_t k, std::size_t n_missing,
                                          const icc_options& options) {
  icc_table result;
  result.n = n;
  result.n_missing = n_missing;
  result.k = k;
  auto set_all = [&result](auto&& apply) {
    for (icc_result* form :
         {&result.icc1, &result.icc2, &result.icc3, &result.icc1k, &result.icc2k, &result.icc3k}) {
      form->n = result.n;
      form->n_missing = result.n_missing;
      form->k = result.k;
      apply(*form);
    }
  };
  if (k < 2 || n < 2) {
    result.status = k < 2 ? icc_status::too_few_raters : icc_status::too_few_targets;
    set_all([&result](icc_result& form) { form.status = result.status; });
    return result;
  }

  const icc_mean_squares ms = icc_anova(table, n, k);
  result.bms = ms.bms;
  result.wms = ms.wms;
  result.jms = ms.jms;
  result.ems = ms.ems;
  const double nd = static_cast<double>(n);
  const double kd = static_cast<double>(k);
  const double b = ms.bms;
  const double w = ms.wms;
  const double j = ms.jms;
  const double e = ms.ems;

  // One-way model: ICC(1,1), ICC(1,k); two-way model: the others.
  const double one_way_df2 = nd * (kd - 1.0);
  const double two_way_df2 = (nd - 1.0) * (kd - 1.0);
  set_all([&](icc_result& form) {
    const bool one_way = form.form == icc_form::icc1 || form.form == icc_form::icc1k;
    form.df1 = nd - 1.0;
    form.df2 = one_way ? one_way_df2 : two_way_df2;
    if (ms.bms_zero) {
      form.status = icc_status::no_target_variance;
    } else if (one_way ? ms.wms_zero : ms.ems_zero) {
      form.status = icc_status::no_error_variance;
      form.f = std::numeric_limits<double>::infinity();
    } else {
      form.status = icc_status::ok;
      form.f = one_way ? b / w : b / e;
    }
    form.p = form.status == icc_status::no_target_variance
                 ? std::numeric_limits<double>::quiet_NaN()
                 : icc_f_upper_tail(form.f, form.df1, form.df2);
  });
  if (ms.bms_zero) {
    result.status = icc_status::no_target_variance;
    return result;
  }
  result.status = ms.wms_zero || ms.ems_zero ? icc_status::no_error_variance : icc_status::ok;

  // Point estimates (Shrout & Fleiss 1979; McGraw & Wong 1996).
  result.icc1.value = (b - w) / (b + (kd - 1.0) * w);
  result.icc1k.value = (b - w) / b;
  result.icc2.value = (b - e) / (b + (kd - 1.0) * e + kd * (j - e) / nd);
  result.icc2k.value = (b - e) / (b + (j - e) / nd);
  result.icc3.value = (b - e) / (b + (kd - 1.0) * e);
  result.icc3k.value = (b - e) / b;

  const double tail = 0.5 * (1.0 - options.confidence);
  if (result.icc1.status == icc_status::ok && std::isfinite(result.icc1.f)) {
    icc_set_f_intervals(result.icc1, result.icc1k, kd, tail);
  }
  if (result.icc3.status == icc_status::ok && std::isfinite(result.icc3.f)) {
    icc_set_f_intervals(result.icc3, result.icc3k, kd, tail);

    // ICC(2,*): F quantiles with the Satterthwaite-type df v of Shrout & Fleiss (1979).
    const double rho = result.icc2.value;
    const double fj = j / e;
    const double shrink = nd * (1.0 + (kd - 1.0) * rho) - kd * rho;
    const double v_numerator =
        (kd - 1.0) * (nd - 1.0) * (kd * rho * fj + shrink) * (kd * rho * fj + shrink);
    const double v_denominator = (nd - 1.0) * kd * kd * rho * rho * fj * fj + shrink * shrink;
    const double v = v_numerator / v_denominator;
    if (std::isfinite(v) && v > 0.0) {
      result.satterthwaite_df = v;
      const double f_star = icc_f_upper_quantile(nd - 1.0, v, tail);
      const double f_star_upper = icc_f_upper_quantile(v, nd - 1.0, tail);
      const double c = kd * nd - kd - nd;
      result.icc2.ci_low = nd * (b - f_star * e) / (f_star * (kd * j + c * e) + nd * b);
      result.icc2.ci_high = nd * (f_star_upper * b - e) / (kd * j + c * e + nd * f_star_upper * b);
      // ICC(A,k) bounds of McGraw & Wong (1996); equal to the Spearman-Brown step-up of the
      // ICC(2,1) bounds.
      result.icc2k.ci_low = nd * (b - f_star * e) / (f_star * (j - e) + nd * b);
      result.icc2k.ci_high = nd * (f_star_upper * b - e) / ((j - e) + nd * f_star_upper * b);
    }
  }
  return result;
}

/// Drops incomplete rows of equally long columns and calls the kernel.
[[nodiscard]] inline icc_table icc_of_columns(const std::vector<std::vector<double>>& columns,
                                              const icc_options& options, const char* function) {
  detail::check_confidence(options.confidence, function);
  const std::size_t k = columns.size();
  const std::size_t rows = k == 0 ? 0 : columns.front().size();
  for (std::size_t column = 1; column < k; ++column) {
    DISCGEOM_PRECONDITION(columns[column].size() == rows, function, "ratings column ", column,
                          " holds ", columns[column].size(), " values, column 0 holds ", rows);
  }
  for (std::size_t column = 0; column < k; ++column) {
    for (std::size_t i = 0; i < rows; ++i) {
      DISCGEOM_PRECONDITION(!std::isinf(columns[column][i]), function, "ratings column ", column,
                            " value ", i, " is ", columns[column][i],
                            "; ratings must be finite (NaN marks a missing rating)");
    }
  }
  std::vector<double> table;
  table.reserve(rows * k);
  std::size_t n = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    const bool complete = std::none_of(columns.begin(), columns.end(),
                                       [i](const auto& column) { return std::isnan(column[i]); });
    if (complete) {
      for (const auto& column : columns) {
        table.push_back(column[i]);
      }
      ++n;
    }
  }
  return icc_kernel(table, n, k, rows - n, options);
}

}  // namespace detail

/// The six intraclass correlations of Shrout & Fleiss (1979) with their F tests and intervals.
///
/// From the two-way ANOVA of n targets (rows) x k raters (columns) with mean squares BMS
/// (targets), JMS (raters), EMS (residual) and the one-way WMS (within targets):
///   ICC(1,1) = (BMS - WMS) / (BMS + (k-1) WMS)            ICC(1,k) = (BMS - WMS) / BMS
///   ICC(2,1) = (BMS - EMS) / (BMS + (k-1) EMS + k (JMS - EMS) / n)
///   ICC(2,k) = (BMS - EMS) / (BMS + (JMS - EMS) / n)
///   ICC(3,1) = (BMS - EMS) / (BMS + (k-1) EMS)            ICC(3,k) = (BMS - EMS) / BMS
/// F test of ICC = 0: F = BMS/WMS on (n-1, n(k-1)) df for ICC(1,*), F = BMS/EMS on
/// (n-1, (n-1)(k-1)) df for ICC(2,*) and ICC(3,*) (McGraw & Wong's test for ICC(A,*) at
/// rho0 = 0 reduces to it); p = P(F > f). Intervals at level c, F_q(a, b) the upper (1-c)/2
/// quantile: for ICC(1,*) and ICC(3,*), F_L = F / F_q(df1, df2), F_U = F F_q(df2, df1), bounds
/// (F_L - 1)/(F_L + k - 1), (F_U - 1)/(F_U + k - 1) for one rater and 1 - 1/F_L, 1 - 1/F_U for
/// the mean of k. For ICC(2,*) the F quantiles take the Satterthwaite-type approximate df v
/// of Shrout & Fleiss, with McGraw & Wong's bounds for ICC(A,1) and ICC(A,k) (docs/stats.md
/// writes them out). Bounds are not clipped to [-1, 1].
///
/// \tparam Ratings a sample_columns: one column per rater, each of length n (targets)
/// \param ratings the ratings; a target with any missing rating (NaN, empty optional) is left
///        out of every form (listwise deletion) and counted in n_missing
/// \param options confidence level of the intervals
/// \returns the mean squares and the six forms; degenerate data (k < 2, fewer than 2 complete
///          targets, BMS = 0, zero error mean square) gives a status and NaN (icc_status).
///          Mean squares within rounding of zero (sqrt(MS) <= 8 (n + k) eps max|x|) count as 0.
/// \throws precondition_error when columns differ in length (naming the column and both
///         lengths), a rating is infinite, or confidence is not in (0, 1)
/// Complexity: O(n k) plus a few F quantiles.
///
///   const auto t = discgeom::intraclass_correlations(std::vector<std::vector<double>>{a, b, c});
///   std::cout << t.icc2.value << " [" << t.icc2.ci_low << ", " << t.icc2.ci_high << "]\n";
///
/// See also intraclass_correlation (one form), concordance_correlation (two raters).
template <sample_columns Ratings>
[[nodiscard]] icc_table intraclass_correlations(Ratings&& ratings,
                                                const icc_options& options = {}) {
  return detail::icc_of_columns(sample_columns_values(ratings), options, "intraclass_correlations");
}

/// One intraclass correlation (see intraclass_correlations for the formulas, statuses,
/// missing values and preconditions).
///
/// \throws precondition_error also when `form` is not an icc_form enumerator
/// Complexity: O(n k).
///
///   const auto r = discgeom::intraclass_correlation(columns, discgeom::icc_form::icc3);
///   if (r.status == discgeom::icc_status::ok) std::cout << r.value << " p=" << r.p << '\n';
template <sample_columns Ratings>
[[nodiscard]] icc_result intraclass_correlation(Ratings&& ratings, icc_form form,
                                                const icc_options& options = {}) {
  DISCGEOM_PRECONDITION(form >= icc_form::icc1 && form <= icc_form::icc3k, "intraclass_correlation",
                        "form must be an icc_form, got ", static_cast<int>(form));
  return detail::icc_of_columns(sample_columns_values(ratings), options,
                                "intraclass_correlation")[form];
}

}  // namespace discgeom
