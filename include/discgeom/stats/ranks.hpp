// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Average ranks with ties (the ranks Spearman's correlation and the Mann-Whitney statistic use)
/// and the tie-group sums that correct rank statistics for ties.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "discgeom/error.hpp"
#include "discgeom/stats/detail/radix_order.hpp"
#include "discgeom/stats/sample.hpp"

namespace discgeom {

/// Sums over the groups of tied values, t = size of a group (groups of one add nothing):
/// the corrections of Kendall's tau-b and its variance (Kendall 1970, ch. 3 and 4).
struct tie_sums {
  std::int64_t tied_pairs = 0;    ///< sum t (t - 1) / 2: pairs tied with each other
  double t_t1_t2 = 0.0;           ///< sum t (t - 1) (t - 2)
  double t_t1_2t5 = 0.0;          ///< sum t (t - 1) (2t + 5)
  std::size_t largest_group = 0;  ///< size of the largest group of equal values (1 when none tie)

  void add_group(std::size_t size) noexcept {
    const auto t = static_cast<double>(size);
    tied_pairs += static_cast<std::int64_t>(size) * (static_cast<std::int64_t>(size) - 1) / 2;
    t_t1_t2 += t * (t - 1.0) * (t - 2.0);
    t_t1_2t5 += t * (t - 1.0) * (2.0 * t + 5.0);
    largest_group = std::max(largest_group, size);
  }
};

namespace detail {

/// Indices of `values` (no NaN) in increasing order of value (stable, so equal values keep their
/// order): a comparison sort for short samples, a radix sort from 1024 values on.
inline void order_by_value(std::span<const double> values, std::vector<std::uint32_t>& order,
                           radix_buffers& buffers) {
  if (values.size() >= 1024) {
    radix_order(values, order, buffers);
    return;
  }
  order.resize(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    order[i] = static_cast<std::uint32_t>(i);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return values[a] < values[b]; });
}

/// Walks positions 0..n-1 of a sorted sequence in groups of equal values (`same(a, b)` says
/// whether positions a and b hold equal values), calls on_group(start, end) for each group
/// [start, end) and returns the tie sums.
template <class Same, class OnGroup>
tie_sums for_each_tie_group(std::size_t n, Same&& same, OnGroup&& on_group) {
  tie_sums ties;
  std::size_t start = 0;
  while (start < n) {
    std::size_t end = start + 1;
    while (end < n && same(start, end)) {
      ++end;
    }
    on_group(start, end);
    ties.add_group(end - start);
    start = end;
  }
  return ties;
}

/// Average 1-based ranks of `values` taken in the increasing `order`, written to
/// ranks[order[i]]; returns the tie sums. `order` may hold a subset of the indices.
inline tie_sums average_ranks_in_order(std::span<const double> values,
                                       std::span<const std::uint32_t> order,
                                       std::span<double> ranks) {
  return for_each_tie_group(
      order.size(),
      [&](std::size_t a, std::size_t b) { return values[order[a]] == values[order[b]]; },
      [&](std::size_t start, std::size_t end) {
        // Positions start..end-1 hold ranks start+1..end: their mean is (start + 1 + end) / 2.
        const double rank = 0.5 * static_cast<double>(start + 1 + end);
        for (std::size_t i = start; i < end; ++i) {
          ranks[order[i]] = rank;
        }
      });
}

inline void check_rankable(std::span<const double> values, const char* function) {
  DISCGEOM_PRECONDITION(values.size() <= UINT32_MAX, function,
                        "more than 2^32 - 1 values: ", values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    DISCGEOM_PRECONDITION(!std::isnan(values[i]), function,
                          "values must not be missing (NaN): value ", i,
                          " is; leave out missing values before ranking");
  }
}

}  // namespace detail

/// Average ranks: the i-th output is 1 + the number of values below values[i] + (t - 1) / 2,
/// t the number of values equal to it, so tied values share the mean of the ranks they span
/// (scipy.stats.rankdata(method="average")).
///
/// \param values a sample without missing values
/// \returns one rank per value, in input order, from 1 to n
/// \throws precondition_error when a value is missing (NaN or empty optional)
/// Complexity: O(n log n).
///
///   discgeom::average_ranks(std::vector{3.0, 1.0, 3.0});  // {2.5, 1, 2.5}
template <sample Values>
[[nodiscard]] std::vector<double> average_ranks(Values&& values) {
  const std::vector<double> copy = sample_values(values);
  detail::check_rankable(copy, "average_ranks");
  std::vector<std::uint32_t> order;
  detail::radix_buffers buffers;
  detail::order_by_value(copy, order, buffers);
  std::vector<double> ranks(copy.size());
  detail::average_ranks_in_order(copy, order, ranks);
  return ranks;
}

/// The tie sums of a sample (see tie_sums).
/// \throws precondition_error when a value is missing. Complexity: O(n log n).
template <sample Values>
[[nodiscard]] tie_sums ties_of(Values&& values) {
  std::vector<double> copy = sample_values(values);
  detail::check_rankable(copy, "ties_of");
  std::sort(copy.begin(), copy.end());
  return detail::for_each_tie_group(
      copy.size(), [&](std::size_t a, std::size_t b) { return copy[a] == copy[b]; },
      [](std::size_t, std::size_t) {});
}

}  // namespace discgeom
