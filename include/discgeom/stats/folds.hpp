// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Seeded stratified k-fold splits for cross-validation, and the mean of a per-fold metric with
/// its confidence interval across folds. The split is a documented algorithm driven by
/// std::mt19937_64 through detail::uniform_below, so a seed gives the same folds on every
/// standard library and can be reproduced in another language (docs/stats.md).

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <ranges>
#include <span>
#include <string_view>
#include <vector>

#include "discgeom/enum_names.hpp"
#include "discgeom/error.hpp"
#include "discgeom/stats/classification.hpp"
#include "discgeom/stats/detail/random.hpp"
#include "discgeom/stats/hypothesis.hpp"
#include "discgeom/stats/sample.hpp"
#include "discgeom/stats/summary.hpp"

namespace discgeom {

/// Whether every class could be spread over all folds.
enum class folds_status {
  ok,  ///< every class has at least k members, so every test fold holds every class
  /// some class has fewer than k members (listed in small_classes): k - size test folds lack it
  class_smaller_than_k,
};

/// "ok", "class_smaller_than_k".
template <>
struct enum_names<folds_status> {
  static constexpr std::array<enum_name<folds_status>, 2> table{{
      {folds_status::ok, "ok"},
      {folds_status::class_smaller_than_k, "class_smaller_than_k"},
  }};
};

/// The cases of one fold: indices into the labels, each list increasing.
struct fold_indices {
  std::vector<std::size_t> train{};  ///< every index not in `test`
  std::vector<std::size_t> test{};
};

/// A stratified k-fold split.
struct stratified_folds {
  std::vector<fold_indices> folds{};         ///< k folds
  std::vector<class_label> classes{};        ///< the classes, increasing
  std::vector<std::size_t> class_sizes{};    ///< members of each class, as `classes`
  std::vector<class_label> small_classes{};  ///< classes with fewer than k members
  folds_status status = folds_status::ok;
};

namespace detail {

[[nodiscard]] inline stratified_folds stratified_folds_of(std::span<const class_label> labels,
                                                          std::size_t k, std::uint64_t seed) {
  stratified_folds result;
  std::vector<std::size_t> order(labels.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
  }
  // Indices grouped by class (classes increasing), increasing within a class.
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return labels[a] < labels[b]; });
  std::mt19937_64 generator(seed);
  std::vector<std::size_t> fold_of(labels.size());
  std::size_t deal = 0;
  for (std::size_t begin = 0; begin < order.size();) {
    std::size_t end = begin;
    while (end < order.size() && labels[order[end]] == labels[order[begin]]) {
      ++end;
    }
    const class_label label = labels[order[begin]];
    result.classes.push_back(label);
    result.class_sizes.push_back(end - begin);
    if (end - begin < k) {
      result.small_classes.push_back(label);
    }
    const std::span<std::size_t> members(order.data() + begin, end - begin);
    shuffle_in_place(members, generator);
    for (std::size_t index : members) {
      fold_of[index] = deal;
      deal = deal + 1 == k ? 0 : deal + 1;
    }
    begin = end;
  }
  result.folds.resize(k);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    for (std::size_t f = 0; f < k; ++f) {
      (fold_of[i] == f ? result.folds[f].test : result.folds[f].train).push_back(i);
    }
  }
  result.status =
      result.small_classes.empty() ? folds_status::ok : folds_status::class_smaller_than_k;
  return result;
}

}  // namespace detail

/// Splits n cases into k folds for stratified cross-validation: every case is in the test set of
/// exactly one fold and in the training set of the others; fold sizes differ by at most one, and
/// each class has floor(n_c / k) or ceil(n_c / k) members in every test fold.
///
/// Algorithm (reproducible from this description): one std::mt19937_64 seeded with `seed`; a
/// deal position p = 0; for each class in increasing label order, take the indices of its
/// members in increasing order, shuffle them with the Fisher-Yates shuffle of
/// detail::shuffle_in_place (for i = size down to 2: j = uniform_below(i), swap the elements at
/// i - 1 and j; uniform_below(b) draws 64-bit words w until w < 2^64 - 1 - (2^64 - 1) mod b and
/// returns w mod b), then deal them in that order to test folds p, p + 1, ... (mod k), the position
/// carrying over to the next class. Test and training indices are listed in increasing order.
/// (Like scikit-learn's StratifiedKFold(shuffle=True) in purpose, not in its draws.)
///
/// \tparam Labels  `sample` of integer class labels
/// \param labels  the class of every case (the stratification variable)
/// \param k       the number of folds, 2 <= k <= n
/// \param seed    the generator's seed: same seed, same folds, on every platform
/// \returns the k folds, the classes and their sizes; status class_smaller_than_k (with the
///          classes in small_classes) when a class has fewer than k members, so k - n_c test
///          folds lack it (allowed: metrics of such folds may then be undefined)
/// \throws precondition_error when k < 2 or k > n, or a label is missing or not an integer
///         (naming the index and value)
/// Complexity: O(n log n + n k) time (the k training lists hold n (k - 1) indices).
///
///   const auto split = discgeom::stratified_k_fold(labels, 5, 42);
///   for (const auto& fold : split.folds) train_and_test(fold.train, fold.test);
template <sample Labels>
[[nodiscard]] stratified_folds stratified_k_fold(Labels&& labels, std::size_t k,
                                                 std::uint64_t seed = 0) {
  const std::size_t n = std::ranges::size(labels);
  DISCGEOM_PRECONDITION(k >= 2, "stratified_k_fold", "k must be at least 2, got ", k);
  DISCGEOM_PRECONDITION(k <= n, "stratified_k_fold", "k must not exceed the number of cases ", n,
                        ", got ", k);
  return detail::stratified_folds_of(detail::class_labels_of(labels, "stratified_k_fold", "labels"),
                                     k, seed);
}

/// The mean of a metric computed on each of k folds with its confidence interval across folds:
/// summarise_mean on the fold values, so t: mean -+ t_{(1+c)/2, k-1} s / sqrt(k), and the
/// seeded bootstrap percentile interval over folds. A NaN value (a metric undefined on a fold)
/// is left out and counted in n_missing.
///
/// The folds share training cases, so their estimates are correlated and no unbiased estimator
/// of the variance of the k-fold mean exists (Bengio & Grandvalet, JMLR 5:1089, 2004): the
/// interval describes the spread of fold estimates and is usually too narrow as an interval for
/// the expected performance. Report it as such, with k.
///
/// \tparam Values  `sample` of numbers, one per fold (missing as NaN or empty optional)
/// \param options  confidence, bootstrap_resamples, seed (as summarise_mean)
/// \returns mean_interval (status single_value / no_values when fewer than two values)
/// \throws precondition_error when options.confidence is not in (0, 1) or bootstrap_resamples is 0
/// Complexity: O(B k).
///
///   std::vector<double> f1_per_fold = ...;  // one value per fold
///   const auto s = discgeom::summarise_folds(f1_per_fold);  // s.mean, s.t_low, s.t_high
template <sample Values>
[[nodiscard]] mean_interval summarise_folds(Values&& fold_values,
                                            const mean_interval_options& options = {}) {
  detail::check_confidence(options.confidence, "summarise_folds");
  DISCGEOM_PRECONDITION(options.bootstrap_resamples >= 1, "summarise_folds",
                        "options.bootstrap_resamples must be at least 1, got 0");
  return summarise_mean(sample_values(fold_values), options);
}

}  // namespace discgeom
