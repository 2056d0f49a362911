// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Error of paired measurements against a reference: mean signed error (bias), mean absolute
/// error and root mean square error, with pairwise deletion of missing values. Definitions:
/// docs/stats.md.

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <string_view>
#include <vector>

#include "discgeom/enum_names.hpp"
#include "discgeom/error.hpp"
#include "discgeom/stats/sample.hpp"

namespace discgeom {

/// Why the error measures lack their numbers.
enum class error_measures_status {
  ok,        ///< at least one complete pair
  no_pairs,  ///< no complete pair (none given, or every pair has a missing value): NaN
};

/// "ok", "no_pairs".
template <>
struct enum_names<error_measures_status> {
  static constexpr std::array<enum_name<error_measures_status>, 2> table{{
      {error_measures_status::ok, "ok"},
      {error_measures_status::no_pairs, "no_pairs"},
  }};
};

/// Errors e_i = x_i - y_i over the n complete pairs.
struct error_measures_result {
  std::size_t n = 0;          ///< complete pairs used
  std::size_t n_missing = 0;  ///< pairs left out because x or y was missing
  double mean_error = std::numeric_limits<double>::quiet_NaN();           ///< signed: sum e_i / n
  double mean_absolute_error = std::numeric_limits<double>::quiet_NaN();  ///< sum |e_i| / n
  double root_mean_square_error = std::numeric_limits<double>::quiet_NaN();  ///< sqrt(sum e_i^2/n)
  error_measures_status status = error_measures_status::no_pairs;
};

namespace detail {

[[nodiscard]] inline error_measures_result error_measures_kernel(std::span<const double> x,
                                                                 std::span<const double> y) {
  const paired_values pairs = complete_pairs(x, y, "error_measures");
  error_measures_result result;
  result.n = pairs.x.size();
  result.n_missing = pairs.n_missing;
  if (result.n == 0) {
    return result;
  }
  double sum = 0.0;
  double absolute = 0.0;
  double squares = 0.0;
  for (std::size_t i = 0; i < pairs.x.size(); ++i) {
    const double e = pairs.x[i] - pairs.y[i];
    sum += e;
    absolute += std::fabs(e);
    squares += e * e;
  }
  const double n = static_cast<double>(result.n);
  result.mean_error = sum / n;
  result.mean_absolute_error = absolute / n;
  result.root_mean_square_error = std::sqrt(squares / n);
  result.status = error_measures_status::ok;
  return result;
}

}  // namespace detail

/// Mean signed error, mean absolute error (MAE) and root mean square error (RMSE) of x against
/// the reference y over the complete pairs:
///   e_i = x_i - y_i,  ME = sum e_i / n,  MAE = sum |e_i| / n,  RMSE = sqrt(sum e_i^2 / n)
/// (the n-denominator definitions of e.g. Willmott & Matsuura, Clim Res 30:79-82, 2005, and
/// scikit-learn's mean_absolute_error and mean_squared_error). ME equals the Bland-Altman bias.
///
/// \tparam X, Y samples (any sized range of numbers or optional numbers)
/// \param x measurements or predictions, in the unit of y
/// \param y reference measurements
/// \returns the three errors in the unit of the data with n and n_missing; a pair with a
///          missing value (NaN, empty optional) is left out (pairwise deletion) and counted;
///          status no_pairs and NaN when no pair is complete
/// \throws precondition_error when x and y differ in length or a value is infinite
/// Complexity: O(n).
///
///   const auto e = discgeom::error_measures(predicted_height_mm, manual_height_mm);
///   std::cout << "MAE " << e.mean_absolute_error << " mm, RMSE " << e.root_mean_square_error;
///
/// See also bland_altman (limits of agreement), concordance_correlation.
template <sample X, sample Y>
[[nodiscard]] error_measures_result error_measures(X&& x, Y&& y) {
  return detail::error_measures_kernel(sample_values(x), sample_values(y));
}

}  // namespace discgeom
