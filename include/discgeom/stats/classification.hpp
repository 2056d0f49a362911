// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Classification statistics from integer class labels: the confusion matrix, binary precision,
/// recall (sensitivity), specificity and F1 for a chosen positive class, their macro and micro
/// averages over classes, accuracy and balanced accuracy. Definitions follow scikit-learn
/// (Pedregosa et al., JMLR 12:2825, 2011) with zero_division=0 by default; the names follow
/// Sokolova & Lapalme, Inf Process Manag 45:427 (2009). Details: docs/stats.md.
///
/// Labels are integers. Any `sample` holds them (std::vector<int>, std::span<const double>,
/// xt::xtensor<double, 1>, a std::views::transform over a table): every value must be an integer
/// in the range of std::int64_t. A missing value (NaN, empty optional) or a non-integer is a
/// broken contract, not a case to drop: classification has no pairwise deletion.

#include <algorithm>
#include <array>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <ranges>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "discgeom/enum_names.hpp"
#include "discgeom/error.hpp"
#include "discgeom/stats/sample.hpp"

namespace discgeom {

/// A class label as the classification statistics see it.
using class_label = std::int64_t;

namespace detail {

/// Copies a sample of labels into class_label, checking every value: missing (NaN or empty
/// optional), non-finite, non-integer or out-of-range values throw precondition_error naming
/// `function`, `argument`, the index and the value. (Labels are copied once into integers, not
/// into doubles, so a 64-bit label never rounds.)
template <sample R>
[[nodiscard]] std::vector<class_label> class_labels_of(R&& values, const char* function,
                                                       const char* argument) {
  std::vector<class_label> out;
  out.reserve(std::ranges::size(values));
  std::size_t index = 0;
  for (auto&& element : values) {
    using element_type = std::remove_cvref_t<decltype(element)>;
    auto check = [&](const auto& value) {
      using value_type = std::remove_cvref_t<decltype(value)>;
      if constexpr (std::is_integral_v<value_type>) {
        if constexpr (std::is_unsigned_v<value_type> && sizeof(value_type) >= sizeof(class_label)) {
          DISCGEOM_PRECONDITION(
              value <= static_cast<value_type>(std::numeric_limits<class_label>::max()), function,
              argument, "[", index, "] must be a class label in the range of std::int64_t, got ",
              value);
        }
        out.push_back(static_cast<class_label>(value));
      } else {
        const auto x = static_cast<double>(value);
        DISCGEOM_PRECONDITION(!std::isnan(x), function, argument, "[", index,
                              "] is missing (NaN); class labels may not be missing");
        // 2^63 is exact in double; [-2^63, 2^63) is the range of std::int64_t.
        constexpr double limit = 9223372036854775808.0;
        DISCGEOM_PRECONDITION(std::isfinite(x) && x == std::trunc(x) && x >= -limit && x < limit,
                              function, argument, "[", index,
                              "] must be an integer class label, got ", x);
        out.push_back(static_cast<class_label>(x));
      }
    };
    if constexpr (is_optional<element_type>::value) {
      DISCGEOM_PRECONDITION(element.has_value(), function, argument, "[", index,
                            "] is missing (empty optional); class labels may not be missing");
      check(*element);
    } else {
      check(element);
    }
    ++index;
  }
  return out;
}

/// Checks that truth and predicted (or truth and scores) have the same, non-zero length.
inline void check_paired_lengths(std::size_t first, std::size_t second, const char* function,
                                 const char* first_name, const char* second_name) {
  DISCGEOM_PRECONDITION(first == second, function, first_name, " and ", second_name,
                        " differ in length: ", first, " vs ", second);
  DISCGEOM_PRECONDITION(first > 0, function, first_name, " and ", second_name, " are empty");
}

inline void check_zero_division(double zero_division, const char* function) {
  DISCGEOM_PRECONDITION(std::isnan(zero_division) || (zero_division >= 0.0 && zero_division <= 1.0),
                        function, "options.zero_division must be in [0, 1] or NaN, got ",
                        zero_division);
}

}  // namespace detail

// ------------------------------------------------------------------------------------------------
// Confusion matrix
// ------------------------------------------------------------------------------------------------

/// Counts of (true class, predicted class) pairs.
struct confusion_table {
  /// The classes of the rows and columns: the sorted union of the labels in truth and
  /// predicted, or confusion_options::classes in its order.
  std::vector<class_label> classes{};
  /// counts[i][j]: cases whose true class is classes[i] and predicted class classes[j].
  std::vector<std::vector<std::uint64_t>> counts{};

  /// The number of cases (sum of all counts).
  [[nodiscard]] std::uint64_t total() const noexcept {
    std::uint64_t sum = 0;
    for (const auto& row : counts) {
      for (std::uint64_t count : row) {
        sum += count;
      }
    }
    return sum;
  }

  /// The row and column of `label`, or nullopt when the table does not hold it.
  [[nodiscard]] std::optional<std::size_t> index_of(class_label label) const noexcept {
    const auto found = std::find(classes.begin(), classes.end(), label);
    if (found == classes.end()) {
      return std::nullopt;
    }
    return static_cast<std::size_t>(found - classes.begin());
  }
};

struct confusion_options {
  /// The rows and columns, in this order (distinct labels); empty: the sorted union of the labels
  /// present. A listed class that no case holds gets a row and a column of zeros (a class absent
  /// from one cross-validation fold); a label present but not listed is a broken contract.
  std::vector<class_label> classes{};
};

namespace detail {

/// The confusion matrix of label vectors of equal length over `classes` (distinct); every label
/// must be in `classes`.
[[nodiscard]] inline confusion_table confusion_of(std::span<const class_label> truth,
                                                  std::span<const class_label> predicted,
                                                  std::vector<class_label> classes,
                                                  const char* function) {
  // Sorted (label, row) pairs for O(log c) look-up whatever the order of `classes`.
  std::vector<std::pair<class_label, std::size_t>> lookup;
  lookup.reserve(classes.size());
  for (std::size_t i = 0; i < classes.size(); ++i) {
    lookup.emplace_back(classes[i], i);
  }
  std::sort(lookup.begin(), lookup.end());
  for (std::size_t i = 1; i < lookup.size(); ++i) {
    DISCGEOM_PRECONDITION(lookup[i - 1].first != lookup[i].first, function,
                          "options.classes lists class ", lookup[i].first, " twice");
  }
  auto row_of = [&](class_label label, const char* argument, std::size_t index) {
    const auto found = std::lower_bound(lookup.begin(), lookup.end(),
                                        std::pair<class_label, std::size_t>(label, 0));
    DISCGEOM_PRECONDITION(found != lookup.end() && found->first == label, function, argument, "[",
                          index, "] holds class ", label, ", which options.classes does not list");
    return found->second;
  };
  confusion_table table;
  table.counts.assign(classes.size(), std::vector<std::uint64_t>(classes.size(), 0));
  for (std::size_t k = 0; k < truth.size(); ++k) {
    ++table.counts[row_of(truth[k], "truth", k)][row_of(predicted[k], "predicted", k)];
  }
  table.classes = std::move(classes);
  return table;
}

/// The sorted union of the labels of both vectors.
[[nodiscard]] inline std::vector<class_label> class_union(std::span<const class_label> truth,
                                                          std::span<const class_label> predicted) {
  std::vector<class_label> classes(truth.begin(), truth.end());
  classes.insert(classes.end(), predicted.begin(), predicted.end());
  std::sort(classes.begin(), classes.end());
  classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
  return classes;
}

/// The labels of truth and predicted, copied and checked by class_labels_of.
struct paired_labels {
  std::vector<class_label> truth;
  std::vector<class_label> predicted;
};

/// Checks that truth and predicted have the same, non-zero length, then copies the labels of
/// each (truth first, so a bad label in both is reported in truth).
template <sample Truth, sample Predicted>
[[nodiscard]] paired_labels paired_labels_of(Truth&& truth, Predicted&& predicted,
                                             const char* function) {
  check_paired_lengths(std::ranges::size(truth), std::ranges::size(predicted), function, "truth",
                       "predicted");
  // Braced initialisation evaluates its elements in order.
  return {class_labels_of(truth, function, "truth"),
          class_labels_of(predicted, function, "predicted")};
}

template <sample Truth, sample Predicted>
[[nodiscard]] confusion_table confusion_of_samples(Truth&& truth, Predicted&& predicted,
                                                   const std::vector<class_label>& classes,
                                                   const char* function) {
  const paired_labels labels = paired_labels_of(truth, predicted, function);
  return confusion_of(labels.truth, labels.predicted,
                      classes.empty() ? class_union(labels.truth, labels.predicted) : classes,
                      function);
}

}  // namespace detail

/// The confusion matrix: counts[i][j] is the number of cases whose true class is classes[i] and
/// whose predicted class is classes[j] (rows truth, columns prediction, as
/// sklearn.metrics.confusion_matrix).
///
/// \tparam Truth, Predicted  `sample`s of integer labels (int, double, std::optional<int>, ...)
/// \param truth      the reference class of every case
/// \param predicted  the predicted class of every case, in the same order
/// \param options    classes: the rows/columns and their order (default: sorted union)
/// \returns the classes and the counts
/// \throws precondition_error when the lengths differ or are zero, when a label is missing, not an
///         integer or out of range (the message names the argument, index and value), when
///         options.classes repeats a class or misses a label that is present
/// Complexity: O(n log c) for n cases and c classes, plus O(c^2) memory.
///
///   const auto table = discgeom::confusion_matrix(truth, predicted);
///   std::cout << table.counts[0][1] << " cases of class " << table.classes[0] << " missed\n";
template <sample Truth, sample Predicted>
[[nodiscard]] confusion_table confusion_matrix(Truth&& truth, Predicted&& predicted,
                                               const confusion_options& options = {}) {
  return detail::confusion_of_samples(truth, predicted, options.classes, "confusion_matrix");
}

// ------------------------------------------------------------------------------------------------
// Binary and per-class scores
// ------------------------------------------------------------------------------------------------

/// Which denominators of a one-class (positive versus rest) evaluation are zero. The scores
/// whose denominator is zero take options.zero_division (scikit-learn's zero_division).
enum class score_status {
  ok,                     ///< every denominator is non-zero
  no_predicted_positive,  ///< TP + FP = 0: precision takes zero_division
  no_actual_positive,     ///< TP + FN = 0: recall takes zero_division (F1 = 0 since FP > 0)
  no_positive,            ///< TP + FP + FN = 0: precision, recall and F1 take zero_division
  no_actual_negative,     ///< TN + FP = 0: specificity takes zero_division
  /// TP = FP = TN = 0, every case a missed positive: precision and specificity take
  /// zero_division (recall = F1 = 0)
  only_false_negatives,
};

/// "ok", "no_predicted_positive", "no_actual_positive", "no_positive", "no_actual_negative",
/// "only_false_negatives".
template <>
struct enum_names<score_status> {
  static constexpr std::array<enum_name<score_status>, 6> table{{
      {score_status::ok, "ok"},
      {score_status::no_predicted_positive, "no_predicted_positive"},
      {score_status::no_actual_positive, "no_actual_positive"},
      {score_status::no_positive, "no_positive"},
      {score_status::no_actual_negative, "no_actual_negative"},
      {score_status::only_false_negatives, "only_false_negatives"},
  }};
};

/// The scores of one class against the rest. With TP, FP, FN, TN counted for `positive`:
struct binary_scores {
  class_label positive = 0;  ///< the class scored as positive
  std::uint64_t tp = 0;      ///< true positives
  std::uint64_t fp = 0;      ///< false positives
  std::uint64_t fn = 0;      ///< false negatives
  std::uint64_t tn = 0;      ///< true negatives
  /// Positive predictive value TP / (TP + FP).
  double precision = std::numeric_limits<double>::quiet_NaN();
  /// Sensitivity, true positive rate: TP / (TP + FN).
  double recall = std::numeric_limits<double>::quiet_NaN();
  /// True negative rate: TN / (TN + FP).
  double specificity = std::numeric_limits<double>::quiet_NaN();
  /// 2 TP / (2 TP + FP + FN), the harmonic mean of precision and recall.
  double f1 = std::numeric_limits<double>::quiet_NaN();
  /// (TP + TN) / n.
  double accuracy = std::numeric_limits<double>::quiet_NaN();
  /// Mean of recall and specificity over those of the two that have cases in truth
  /// (scikit-learn's balanced_accuracy_score): (recall + specificity) / 2 when truth holds both.
  double balanced_accuracy = std::numeric_limits<double>::quiet_NaN();
  score_status status = score_status::ok;
};

/// Options of binary_classification.
struct binary_options {
  class_label positive = 1;  ///< the positive class
  /// The value of a score whose denominator is zero (see score_status): in [0, 1] or NaN.
  /// 0, the default, is scikit-learn's zero_division=0 (a class never predicted scores 0).
  double zero_division = 0.0;
};

namespace detail {

[[nodiscard]] inline score_status score_status_of(std::uint64_t tp, std::uint64_t fp,
                                                  std::uint64_t fn, std::uint64_t tn) noexcept {
  const bool no_predicted = tp + fp == 0;
  const bool no_actual = tp + fn == 0;
  const bool no_negative = tn + fp == 0;
  if (no_predicted && no_negative) {
    return score_status::only_false_negatives;
  }
  if (no_predicted && no_actual) {
    return score_status::no_positive;
  }
  if (no_predicted) {
    return score_status::no_predicted_positive;
  }
  if (no_actual) {
    return score_status::no_actual_positive;
  }
  if (no_negative) {
    return score_status::no_actual_negative;
  }
  return score_status::ok;
}

[[nodiscard]] inline double fraction_or(std::uint64_t numerator, std::uint64_t denominator,
                                        double zero_division) noexcept {
  return denominator == 0 ? zero_division
                          : static_cast<double>(numerator) / static_cast<double>(denominator);
}

[[nodiscard]] inline binary_scores score_counts(class_label positive, std::uint64_t tp,
                                                std::uint64_t fp, std::uint64_t fn,
                                                std::uint64_t tn, double zero_division) noexcept {
  binary_scores s;
  s.positive = positive;
  s.tp = tp;
  s.fp = fp;
  s.fn = fn;
  s.tn = tn;
  s.status = score_status_of(tp, fp, fn, tn);
  s.precision = fraction_or(tp, tp + fp, zero_division);
  s.recall = fraction_or(tp, tp + fn, zero_division);
  s.specificity = fraction_or(tn, tn + fp, zero_division);
  s.f1 = fraction_or(2 * tp, 2 * tp + fp + fn, zero_division);
  const std::uint64_t n = tp + fp + fn + tn;
  s.accuracy = fraction_or(tp + tn, n, zero_division);
  // Balanced accuracy averages the recall of each class that truth holds (never zero_division).
  if (tp + fn > 0 && tn + fp > 0) {
    s.balanced_accuracy = 0.5 * (static_cast<double>(tp) / static_cast<double>(tp + fn) +
                                 static_cast<double>(tn) / static_cast<double>(tn + fp));
  } else if (tp + fn > 0) {
    s.balanced_accuracy = static_cast<double>(tp) / static_cast<double>(tp + fn);
  } else if (tn + fp > 0) {
    s.balanced_accuracy = static_cast<double>(tn) / static_cast<double>(tn + fp);
  }
  return s;
}

/// The one-versus-rest counts of row/column `i` of a confusion table.
[[nodiscard]] inline binary_scores score_class(const confusion_table& table, std::size_t i,
                                               std::uint64_t total, double zero_division) noexcept {
  const std::uint64_t tp = table.counts[i][i];
  std::uint64_t row = 0;
  std::uint64_t column = 0;
  for (std::size_t j = 0; j < table.classes.size(); ++j) {
    row += table.counts[i][j];
    column += table.counts[j][i];
  }
  const std::uint64_t fn = row - tp;
  const std::uint64_t fp = column - tp;
  return score_counts(table.classes[i], tp, fp, fn, total - tp - fn - fp, zero_division);
}

inline void check_table(const confusion_table& table, const char* function) {
  DISCGEOM_PRECONDITION(table.counts.size() == table.classes.size(), function, "table has ",
                        table.classes.size(), " classes but ", table.counts.size(), " rows");
  for (std::size_t i = 0; i < table.counts.size(); ++i) {
    DISCGEOM_PRECONDITION(table.counts[i].size() == table.classes.size(), function, "table row ", i,
                          " has ", table.counts[i].size(), " columns, expected ",
                          table.classes.size());
  }
  DISCGEOM_PRECONDITION(table.total() > 0, function, "table counts no case");
}

[[nodiscard]] inline binary_scores binary_of_table(const confusion_table& table,
                                                   const binary_options& options,
                                                   const char* function) {
  check_zero_division(options.zero_division, function);
  check_table(table, function);
  DISCGEOM_PRECONDITION(table.classes.size() <= 2, function,
                        "binary scores need at most two classes, got ", table.classes.size(), " ",
                        table.classes, " (use multiclass_classification)");
  const auto index = table.index_of(options.positive);
  if (index) {
    return score_class(table, *index, table.total(), options.zero_division);
  }
  DISCGEOM_PRECONDITION(table.classes.size() < 2, function, "options.positive ", options.positive,
                        " is not one of the classes ", table.classes);
  // One class, not the positive one: every case is a true negative.
  return score_counts(options.positive, 0, 0, 0, table.total(), options.zero_division);
}

/// The binary scores of label samples. zero_division is checked before the labels are read, so
/// a bad option is reported first.
template <sample Truth, sample Predicted>
[[nodiscard]] binary_scores binary_of_samples(Truth&& truth, Predicted&& predicted,
                                              const binary_options& options, const char* function) {
  check_zero_division(options.zero_division, function);
  return binary_of_table(confusion_of_samples(truth, predicted, {}, function), options, function);
}

}  // namespace detail

/// Binary scores of `options.positive` against the other class, from a confusion table of at most
/// two classes (see the sample overload for the definitions).
///
/// \throws precondition_error when the table is ragged, counts no case, holds more than two
///         classes, or two of which neither is options.positive, or when options.zero_division is
///         not in [0, 1] or NaN
/// Complexity: O(1).
[[nodiscard]] inline binary_scores binary_classification(const confusion_table& table,
                                                         const binary_options& options = {}) {
  return detail::binary_of_table(table, options, "binary_classification");
}

/// Binary scores of a two-class problem: with TP, FP, FN, TN counted for the class
/// `options.positive`,
///   precision = TP / (TP + FP), recall (sensitivity) = TP / (TP + FN),
///   specificity = TN / (TN + FP), F1 = 2 TP / (2 TP + FP + FN), accuracy = (TP + TN) / n,
///   balanced accuracy = (recall + specificity) / 2 (Brodersen et al., ICPR 2010: 3121),
/// each as scikit-learn's average='binary' with pos_label. A score whose denominator is zero
/// takes options.zero_division (default 0, as scikit-learn's zero_division=0) and `status` says
/// which; balanced accuracy averages only the classes present in truth, as
/// sklearn.metrics.balanced_accuracy_score.
///
/// \tparam Truth, Predicted  `sample`s of integer labels
/// \param truth, predicted  the classes of every case; together they hold at most two classes,
///        and when two, options.positive is one of them (a single class other than the positive
///        one makes every case a true negative)
/// \returns the counts and the scores (fractions in [0, 1])
/// \throws precondition_error on different or zero lengths, a missing or non-integer label
///         (naming the argument, index and value), more than two classes, or a positive class
///         absent from two present classes
/// Complexity: O(n).
///
///   const auto s = discgeom::binary_classification(truth, predicted, {.positive = 1});
///   std::cout << "sensitivity " << s.recall << " specificity " << s.specificity << '\n';
template <sample Truth, sample Predicted>
[[nodiscard]] binary_scores binary_classification(Truth&& truth, Predicted&& predicted,
                                                  const binary_options& options = {}) {
  return detail::binary_of_samples(truth, predicted, options, "binary_classification");
}

/// F1 of options.positive: binary_classification(truth, predicted, options).f1.
template <sample Truth, sample Predicted>
[[nodiscard]] double binary_f1(Truth&& truth, Predicted&& predicted,
                               const binary_options& options = {}) {
  return detail::binary_of_samples(truth, predicted, options, "binary_f1").f1;
}

// ------------------------------------------------------------------------------------------------
// Multiclass scores and averages
// ------------------------------------------------------------------------------------------------

/// Precision, recall and F1 averaged over classes.
struct averaged_scores {
  double precision = std::numeric_limits<double>::quiet_NaN();
  double recall = std::numeric_limits<double>::quiet_NaN();
  double f1 = std::numeric_limits<double>::quiet_NaN();
};

/// The scores of a multiclass (or binary) problem.
struct multiclass_scores {
  confusion_table table{};
  /// One-versus-rest scores of every class of table.classes, in that order.
  std::vector<binary_scores> per_class{};
  /// Unweighted mean over classes of the per-class precision, recall and F1 (every class weighs
  /// the same; F1 is the mean of the per-class F1, not the F1 of the mean precision and recall).
  averaged_scores macro{};
  /// Scores of the counts pooled over classes: with every case in exactly one class, pooled
  /// FP = pooled FN = n - trace, so micro precision = recall = F1 = accuracy.
  averaged_scores micro{};
  double accuracy = std::numeric_limits<double>::quiet_NaN();  ///< trace / n
  /// Mean over the classes present in truth of their recall.
  double balanced_accuracy = std::numeric_limits<double>::quiet_NaN();
  /// ok when every class's status is ok; otherwise the first per-class status that is not.
  score_status status = score_status::ok;
};

/// Options of multiclass_classification, macro_f1 and micro_f1.
struct multiclass_options {
  /// The classes to score, as confusion_options::classes (default: sorted union of the labels).
  std::vector<class_label> classes{};
  /// As binary_options::zero_division (default 0, scikit-learn's zero_division=0).
  double zero_division = 0.0;
};

namespace detail {

[[nodiscard]] inline multiclass_scores multiclass_of_table(const confusion_table& table,
                                                           double zero_division,
                                                           const char* function) {
  check_zero_division(zero_division, function);
  check_table(table, function);
  multiclass_scores result;
  result.table = table;
  const std::uint64_t total = table.total();
  const double c = static_cast<double>(table.classes.size());
  result.macro = {0.0, 0.0, 0.0};
  std::uint64_t trace = 0;
  std::uint64_t pooled_fp = 0;
  std::uint64_t pooled_fn = 0;
  double recall_sum = 0.0;
  std::size_t classes_in_truth = 0;
  for (std::size_t i = 0; i < table.classes.size(); ++i) {
    const binary_scores s = detail::score_class(table, i, total, zero_division);
    result.per_class.push_back(s);
    result.macro.precision += s.precision;
    result.macro.recall += s.recall;
    result.macro.f1 += s.f1;
    trace += s.tp;
    pooled_fp += s.fp;
    pooled_fn += s.fn;
    if (s.tp + s.fn > 0) {
      recall_sum += s.recall;
      ++classes_in_truth;
    }
    if (result.status == score_status::ok) {
      result.status = s.status;
    }
  }
  result.macro.precision /= c;
  result.macro.recall /= c;
  result.macro.f1 /= c;
  result.micro.precision = detail::fraction_or(trace, trace + pooled_fp, zero_division);
  result.micro.recall = detail::fraction_or(trace, trace + pooled_fn, zero_division);
  result.micro.f1 =
      detail::fraction_or(2 * trace, 2 * trace + pooled_fp + pooled_fn, zero_division);
  result.accuracy = static_cast<double>(trace) / static_cast<double>(total);
  result.balanced_accuracy = recall_sum / static_cast<double>(classes_in_truth);
  return result;
}

/// The multiclass scores of label samples. zero_division is checked before the labels are read,
/// so a bad option is reported first.
template <sample Truth, sample Predicted>
[[nodiscard]] multiclass_scores multiclass_of_samples(Truth&& truth, Predicted&& predicted,
                                                      const multiclass_options& options,
                                                      const char* function) {
  check_zero_division(options.zero_division, function);
  return multiclass_of_table(confusion_of_samples(truth, predicted, options.classes, function),
                             options.zero_division, function);
}

}  // namespace detail

/// Multiclass scores from a confusion table (see the sample overload for the definitions).
///
/// \throws precondition_error when the table is ragged or counts no case, or zero_division is not
///         in [0, 1] or NaN
/// Complexity: O(c^2) for c classes.
[[nodiscard]] inline multiclass_scores multiclass_classification(const confusion_table& table,
                                                                 double zero_division = 0.0) {
  return detail::multiclass_of_table(table, zero_division, "multiclass_classification");
}

/// Per-class, macro and micro precision, recall and F1, accuracy and balanced accuracy of a
/// classification into any number of classes (scikit-learn's precision_recall_fscore_support
/// with average=None, 'macro' and 'micro', accuracy_score, balanced_accuracy_score):
///   per class c (one versus rest): precision_c = TP_c / (TP_c + FP_c),
///     recall_c = TP_c / (TP_c + FN_c), F1_c = 2 TP_c / (2 TP_c + FP_c + FN_c);
///   macro: (1/C) sum_c score_c over the C classes of the table (sorted union of the labels by
///     default, so a class only ever predicted counts, with recall zero_division);
///   micro: the same ratios of sum_c TP_c, sum_c FP_c, sum_c FN_c (= accuracy);
///   accuracy = sum_c TP_c / n; balanced accuracy = mean of recall_c over classes with TP_c +
///     FN_c > 0 (Brodersen et al. 2010; Kelleher et al. 2015).
/// A score whose denominator is zero takes options.zero_division (default 0, as scikit-learn's
/// zero_division=0); each per-class `status` says which.
///
/// \tparam Truth, Predicted  `sample`s of integer labels
/// \param options  classes (the classes to score and their order) and zero_division
/// \throws precondition_error as confusion_matrix, or when zero_division is not in [0, 1] or NaN
/// Complexity: O(n log c + c^2).
///
///   const auto s = discgeom::multiclass_classification(truth, predicted);
///   std::cout << "macro F1 " << s.macro.f1
///             << " balanced accuracy " << s.balanced_accuracy << '\n';
template <sample Truth, sample Predicted>
[[nodiscard]] multiclass_scores multiclass_classification(Truth&& truth, Predicted&& predicted,
                                                          const multiclass_options& options = {}) {
  return detail::multiclass_of_samples(truth, predicted, options, "multiclass_classification");
}

/// Macro F1: multiclass_classification(truth, predicted, options).macro.f1.
template <sample Truth, sample Predicted>
[[nodiscard]] double macro_f1(Truth&& truth, Predicted&& predicted,
                              const multiclass_options& options = {}) {
  return detail::multiclass_of_samples(truth, predicted, options, "macro_f1").macro.f1;
}

/// Micro F1: multiclass_classification(truth, predicted, options).micro.f1 (equal to accuracy).
template <sample Truth, sample Predicted>
[[nodiscard]] double micro_f1(Truth&& truth, Predicted&& predicted,
                              const multiclass_options& options = {}) {
  return detail::multiclass_of_samples(truth, predicted, options, "micro_f1").micro.f1;
}

/// Accuracy: the fraction of cases whose predicted class is the true class.
/// \throws precondition_error as confusion_matrix. Complexity: O(n).
///
///   const double acc = discgeom::accuracy(truth, predicted);
template <sample Truth, sample Predicted>
[[nodiscard]] double accuracy(Truth&& truth, Predicted&& predicted) {
  const detail::paired_labels labels = detail::paired_labels_of(truth, predicted, "accuracy");
  std::size_t correct = 0;
  for (std::size_t k = 0; k < labels.truth.size(); ++k) {
    correct += labels.truth[k] == labels.predicted[k] ? 1 : 0;
  }
  return static_cast<double>(correct) / static_cast<double>(labels.truth.size());
}

/// Balanced accuracy: the mean over the classes present in truth of their recall
/// (sklearn.metrics.balanced_accuracy_score with adjusted=False).
/// \throws precondition_error as confusion_matrix. Complexity: O(n log c + c^2).
///
///   const double bacc = discgeom::balanced_accuracy(truth, predicted);
template <sample Truth, sample Predicted>
[[nodiscard]] double balanced_accuracy(Truth&& truth, Predicted&& predicted) {
  return detail::multiclass_of_samples(truth, predicted, {}, "balanced_accuracy").balanced_accuracy;
}

}  // namespace discgeom
