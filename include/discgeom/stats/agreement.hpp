// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The agreement of a test method with a reference method on paired measurements, in one
/// summary: the columns of Hess et al.'s Tables 6-8 (manual against automatic morphometry):
/// Pearson's r and its p-value, the mean absolute error with its SD, the Bland-Altman bias and
/// limits, McGraw & Wong's ICC(A,1) and Lin's concordance correlation.
///
/// References: Hess et al., automatic lumbar segmentation to biomechanics (../shared/seeds);
/// Bland & Altman, Lancet 327:307-310 (1986); McGraw & Wong, Psychol Methods 1:30-46 (1996);
/// Lin, Biometrics 45:255-268 (1989). Definitions: docs/stats.md ("Agreement summary").

#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

#include "discgeom/error.hpp"
#include "discgeom/stats/bland_altman.hpp"
#include "discgeom/stats/concordance.hpp"
#include "discgeom/stats/correlation.hpp"
#include "discgeom/stats/icc.hpp"
#include "discgeom/stats/sample.hpp"

namespace discgeom {

struct agreement_options {
  /// Limits of agreement: bias +/- multiplier x SD of the differences. 1.96, as Hess et al. and
  /// most clinical papers print it (z of 95 % coverage is 1.959964).
  double limits_multiplier = 1.96;
};

/// The agreement of `test` with `reference` over the complete pairs (both values present).
/// Differences are test - reference. A number that its method cannot give (too few pairs, a
/// constant column) is NaN; the statuses of the underlying functions say why.
struct agreement_summary {
  std::size_t n = 0;          ///< complete pairs
  std::size_t n_missing = 0;  ///< pairs left out because a value was missing
  double pearson_r = std::numeric_limits<double>::quiet_NaN();
  double pearson_p = std::numeric_limits<double>::quiet_NaN();  ///< two-sided, as scipy.stats
  double mae = std::numeric_limits<double>::quiet_NaN();        ///< mean |test - reference|
  double mae_sd = std::numeric_limits<double>::quiet_NaN();     ///< sample SD (n - 1) of |d|
  double bias = std::numeric_limits<double>::quiet_NaN();       ///< mean (test - reference)
  double loa_low = std::numeric_limits<double>::quiet_NaN();    ///< bias - multiplier x SD(d)
  double loa_high = std::numeric_limits<double>::quiet_NaN();   ///< bias + multiplier x SD(d)
  double icc_a1 = std::numeric_limits<double>::quiet_NaN();     ///< ICC(A,1), two raters
  double ccc = std::numeric_limits<double>::quiet_NaN();        ///< Lin's rho_c, 1/n moments
};

/// The agreement summary of paired samples (see agreement_summary).
///
/// \throws precondition_error when the samples differ in length, a value is infinite, or the
///         multiplier is not finite and positive
/// Complexity: O(n).
///
///   const auto a = discgeom::agreement(manual_csa_mm2, automatic_csa_mm2);
///   std::cout << a.bias << " [" << a.loa_low << ", " << a.loa_high << "] ICC " << a.icc_a1;
template <sample Reference, sample Test>
[[nodiscard]] agreement_summary agreement(Reference&& reference, Test&& test,
                                          const agreement_options& options = {}) {
  const std::vector<double> x = sample_values(reference);
  const std::vector<double> y = sample_values(test);
  DISCGEOM_PRECONDITION(x.size() == y.size(), "agreement", "reference has ", x.size(),
                        " values but test has ", y.size());
  DISCGEOM_PRECONDITION(std::isfinite(options.limits_multiplier) && options.limits_multiplier > 0,
                        "agreement", "options.limits_multiplier must be finite and positive, got ",
                        options.limits_multiplier);
  agreement_summary summary;
  const auto limits = bland_altman(y, x, {.multiplier = options.limits_multiplier});
  summary.n = limits.n;
  summary.n_missing = limits.n_missing;
  summary.bias = limits.bias;
  summary.loa_low = limits.lower_limit;
  summary.loa_high = limits.upper_limit;

  std::vector<double> absolute;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isnan(x[i]) && !std::isnan(y[i]))
      absolute.push_back(std::abs(y[i] - x[i]));
  }
  if (!absolute.empty()) {
    double sum = 0.0;
    for (const double a : absolute)
      sum += a;
    summary.mae = sum / static_cast<double>(absolute.size());
  }
  if (absolute.size() >= 2) {
    double squares = 0.0;
    for (const double a : absolute)
      squares += (a - summary.mae) * (a - summary.mae);
    summary.mae_sd = std::sqrt(squares / static_cast<double>(absolute.size() - 1));
  }

  const auto pearson = correlate(x, y);
  summary.pearson_r = pearson.r;
  summary.pearson_p = pearson.p;
  summary.icc_a1 =
      intraclass_correlation(std::vector<std::vector<double>>{x, y}, icc_form::icc2).value;
  summary.ccc = concordance_correlation(x, y).value;
  return summary;
}

}  // namespace discgeom
