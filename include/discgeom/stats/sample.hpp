// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// What the statistics accept as data: any sized range of numbers, whatever container holds it.
///
/// A `sample` is a sized input range whose elements are numbers or `std::optional` numbers:
/// `std::vector<double>`, `std::span<const float>`, `xt::xtensor<double, 1>`, a column view of a
/// 2D xtensor, or a column of a user's own table seen through `std::views::transform`:
///
///   struct disc_row { double height_mm; std::optional<double> z0; };
///   std::vector<disc_row> rows = ...;
///   auto heights = rows | std::views::transform(&disc_row::height_mm);
///   auto z0 = rows | std::views::transform(&disc_row::z0);
///   const auto r = discgeom::correlate(heights, z0);
///
/// A missing value is NaN or an empty optional. Every statistic says what it does with missing
/// values (pairwise or listwise deletion) and counts them in its result; none is dropped silently.
/// The public functions copy a sample once into doubles (`sample_values`) and run their kernels on
/// `std::span<const double>`, so a new container type adds no kernel instantiation.

#include <cmath>
#include <concepts>
#include <cstddef>
#include <limits>
#include <optional>
#include <ranges>
#include <span>
#include <type_traits>
#include <vector>

#include "discgeom/error.hpp"

namespace discgeom {

namespace detail {

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

}  // namespace detail

/// A number a statistic can read: arithmetic (bool excluded), or std::optional of one.
template <class T>
concept sample_value = (std::is_arithmetic_v<std::remove_cvref_t<T>> &&
                        !std::same_as<std::remove_cvref_t<T>, bool>) ||
                       (detail::is_optional<std::remove_cvref_t<T>>::value &&
                        std::is_arithmetic_v<typename std::remove_cvref_t<T>::value_type> &&
                        !std::same_as<typename std::remove_cvref_t<T>::value_type, bool>);

/// A sized range of sample values (see the file comment for examples).
template <class R>
concept sample = std::ranges::input_range<R> && std::ranges::sized_range<R> &&
    sample_value<std::ranges::range_reference_t<R>>;

/// A range of samples: the columns of a feature table (`std::vector<std::vector<double>>`,
/// `std::vector<std::span<const double>>`, ...). For a 2D xtensor whose rows are observations,
/// `discgeom::feature_columns` in adapters/xtensor.hpp makes the columns.
template <class R>
concept sample_columns = std::ranges::input_range<R> && sample<std::ranges::range_reference_t<R>>;

/// The value as a double; NaN when missing.
template <sample_value T>
[[nodiscard]] constexpr double sample_value_of(const T& value) noexcept {
  if constexpr (detail::is_optional<std::remove_cvref_t<T>>::value) {
    return value ? static_cast<double>(*value) : std::numeric_limits<double>::quiet_NaN();
  } else {
    return static_cast<double>(value);
  }
}

/// Copies a sample into doubles, a missing value as NaN.
template <sample R>
[[nodiscard]] std::vector<double> sample_values(R&& values) {
  std::vector<double> out;
  out.reserve(std::ranges::size(values));
  for (auto&& value : values) {
    out.push_back(sample_value_of(value));
  }
  return out;
}

/// Copies every column of a feature table into doubles.
template <sample_columns R>
[[nodiscard]] std::vector<std::vector<double>> sample_columns_values(R&& columns) {
  std::vector<std::vector<double>> out;
  for (auto&& column : columns) {
    out.push_back(sample_values(column));
  }
  return out;
}

namespace detail {

/// The complete pairs of two paired samples and how many pairs were left out.
struct paired_values {
  std::vector<double> x;
  std::vector<double> y;
  std::size_t n_missing = 0;
};

/// Pairwise deletion: keeps the pairs where neither value is NaN (buffers of `out` reused).
inline void keep_complete_pairs(std::span<const double> x, std::span<const double> y,
                                paired_values& out) {
  out.x.clear();
  out.y.clear();
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isnan(x[i]) && !std::isnan(y[i])) {
      out.x.push_back(x[i]);
      out.y.push_back(y[i]);
    }
  }
  out.n_missing = x.size() - out.x.size();
}

/// Pairwise deletion for the paired statistics, after checking the pairs; `function` names the
/// caller in the messages.
/// \throws precondition_error when x and y differ in length or a value is infinite
[[nodiscard]] inline paired_values complete_pairs(std::span<const double> x,
                                                  std::span<const double> y, const char* function) {
  DISCGEOM_PRECONDITION(x.size() == y.size(), function, "x and y differ in length: ", x.size(),
                        " vs ", y.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    DISCGEOM_PRECONDITION(!std::isinf(x[i]), function, "x[", i, "] is ", x[i],
                          "; values must be finite (NaN marks a missing value)");
    DISCGEOM_PRECONDITION(!std::isinf(y[i]), function, "y[", i, "] is ", y[i],
                          "; values must be finite (NaN marks a missing value)");
  }
  paired_values pairs;
  keep_complete_pairs(x, y, pairs);
  return pairs;
}

}  // namespace detail

}  // namespace discgeom
