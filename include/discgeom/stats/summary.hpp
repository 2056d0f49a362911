// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The mean of a per-case metric across cases with its 95% confidence interval, by Student's t
/// and by the seeded bootstrap percentile method (Efron & Tibshirani, An Introduction to the
/// Bootstrap, 1993, ch. 13), as papers report Dice and HD95 over a cohort.

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <span>
#include <string_view>
#include <vector>

#include <boost/math/distributions/students_t.hpp>

#include "discgeom/enum_names.hpp"
#include "discgeom/error.hpp"
#include "discgeom/stats/detail/quantile.hpp"
#include "discgeom/stats/detail/random.hpp"
#include "discgeom/stats/hypothesis.hpp"

namespace discgeom {

/// Why a summary lacks some of its numbers.
enum class summary_status {
  ok,            ///< at least two values: mean, sd and both intervals
  single_value,  ///< one value: the mean only (sd and intervals NaN)
  no_values,     ///< no value (all NaN or none given): everything NaN
};

/// "ok", "single_value", "no_values".
template <>
struct enum_names<summary_status> {
  static constexpr std::array<enum_name<summary_status>, 3> table{{
      {summary_status::ok, "ok"},
      {summary_status::single_value, "single_value"},
      {summary_status::no_values, "no_values"},
  }};
};

struct mean_interval_options {
  double confidence = 0.95;                 ///< in (0, 1)
  std::size_t bootstrap_resamples = 10000;  ///< B >= 1
  std::uint64_t seed = 0;                   ///< same seed, same interval (std::mt19937_64)
};

/// Mean of the defined values with its confidence intervals.
struct mean_interval {
  std::size_t n = 0;          ///< values used
  std::size_t n_missing = 0;  ///< NaN values left out (an undefined metric, counted, not hidden)
  double mean = std::numeric_limits<double>::quiet_NaN();
  double sd = std::numeric_limits<double>::quiet_NaN();  ///< sample standard deviation (n - 1)
  double t_low = std::numeric_limits<double>::quiet_NaN();
  double t_high = std::numeric_limits<double>::quiet_NaN();
  double bootstrap_low = std::numeric_limits<double>::quiet_NaN();
  double bootstrap_high = std::numeric_limits<double>::quiet_NaN();
  summary_status status = summary_status::no_values;
};

/// Mean of `values` (NaN left out and counted) with two confidence intervals:
/// t: mean -+ t_{(1+c)/2, n-1} s / sqrt(n), s the sample standard deviation;
/// bootstrap percentile: the (1-c)/2 and (1+c)/2 quantiles (linear) of the means of B
/// resamples of size n drawn with replacement by std::mt19937_64 seeded with options.seed.
/// An infinite value makes the mean infinite and the intervals NaN or infinite, as it should.
///
/// \throws precondition_error when confidence is not in (0, 1) or bootstrap_resamples is 0
/// Complexity: O(B n).
///
///   const auto dice = discgeom::summarise_mean(per_case_dice, {.seed = 7});
///   std::cout << dice.mean << " [" << dice.t_low << ", " << dice.t_high << "]\n";
[[nodiscard]] inline mean_interval summarise_mean(std::span<const double> values,
                                                  const mean_interval_options& options = {}) {
  detail::check_confidence(options.confidence, "summarise_mean");
  DISCGEOM_PRECONDITION(options.bootstrap_resamples >= 1, "summarise_mean",
                        "options.bootstrap_resamples must be at least 1, got 0");
  std::vector<double> defined;
  defined.reserve(values.size());
  mean_interval result;
  for (double value : values) {
    if (std::isnan(value)) {
      ++result.n_missing;
    } else {
      defined.push_back(value);
    }
  }
  result.n = defined.size();
  if (defined.empty()) {
    return result;
  }
  double sum = 0.0;
  for (double value : defined) {
    sum += value;
  }
  const double n = static_cast<double>(defined.size());
  result.mean = sum / n;
  if (defined.size() == 1) {
    result.status = summary_status::single_value;
    return result;
  }
  result.status = summary_status::ok;
  double squares = 0.0;
  for (double value : defined) {
    squares += (value - result.mean) * (value - result.mean);
  }
  result.sd = std::sqrt(squares / (n - 1.0));
  const double upper_tail = 0.5 * (1.0 + options.confidence);
  const boost::math::students_t t_distribution(n - 1.0);
  const double half_width =
      boost::math::quantile(t_distribution, upper_tail) * result.sd / std::sqrt(n);
  result.t_low = result.mean - half_width;
  result.t_high = result.mean + half_width;

  std::mt19937_64 generator(options.seed);
  std::vector<double> means(options.bootstrap_resamples);
  for (double& mean : means) {
    double resample_sum = 0.0;
    for (std::size_t i = 0; i < defined.size(); ++i) {
      resample_sum += defined[detail::uniform_below(generator, defined.size())];
    }
    mean = resample_sum / n;
  }
  result.bootstrap_low = detail::linear_quantile(means, 1.0 - upper_tail);
  result.bootstrap_high = detail::linear_quantile(means, upper_tail);
  return result;
}

}  // namespace discgeom
