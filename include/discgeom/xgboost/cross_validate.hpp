// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Stratified k-fold cross-validation of gradient-boosted trees for a binary label (disc
/// narrowing) on one or more feature sets (latent, geometric, combined), with F1 of the positive
/// class, macro F1 and ROC AUC per fold, and their mean with a t confidence interval across
/// folds. Every feature set is evaluated on the same folds. Seeded and deterministic: the same
/// input, options and library give the same numbers bit for bit. Details:
/// docs/classification.md.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "discgeom/error.hpp"
#include "discgeom/io/csv.hpp"
#include "discgeom/stats/classification.hpp"
#include "discgeom/stats/folds.hpp"
#include "discgeom/stats/roc.hpp"
#include "discgeom/stats/sample.hpp"
#include "discgeom/stats/summary.hpp"
#include "discgeom/xgboost/booster.hpp"
#include "discgeom/xgboost/types.hpp"

namespace discgeom::xgboost {

namespace detail {

/// The two label values and the class (0 negative, 1 positive) of every row with a label.
struct binary_labels {
  std::vector<std::size_t> rows{};     ///< input rows with a label, increasing
  std::vector<class_label> classes{};  ///< 0 or 1, one per entry of rows
  double negative = 0.0;
  double positive = 0.0;
  std::size_t n_positive = 0;
  std::size_t n_negative = 0;
};

[[nodiscard]] inline binary_labels binary_labels_of(std::span<const double> labels,
                                                    const cross_validation_options& options,
                                                    const std::string& label_name) {
  constexpr const char* function = "cross_validate";
  std::set<double> values;
  std::size_t used = 0;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (std::isnan(labels[i])) {
      continue;
    }
    DISCGEOM_PRECONDITION(std::isfinite(labels[i]), function, label_name, " row ", i,
                          " is not a finite number: ", labels[i]);
    values.insert(labels[i]);
    ++used;
  }
  DISCGEOM_PRECONDITION(!values.empty(), function, label_name, " has no value in ", labels.size(),
                        " rows (every label is missing)");
  DISCGEOM_PRECONDITION(values.size() >= 2, function, label_name, " has a single class (",
                        *values.begin(), ") in ", used, " rows");
  DISCGEOM_PRECONDITION(values.size() == 2, function, label_name, " has ", values.size(),
                        " classes ", std::vector<double>(values.begin(), values.end()),
                        ", a binary classifier needs two");
  binary_labels result;
  result.negative = *values.begin();
  result.positive = *values.rbegin();
  if (options.positive) {
    DISCGEOM_PRECONDITION(values.count(*options.positive) == 1, function, "options.positive (",
                          *options.positive, ") is not one of the classes ",
                          std::vector<double>(values.begin(), values.end()), " of ", label_name);
    if (*options.positive != result.positive) {
      std::swap(result.negative, result.positive);
    }
  }
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (std::isnan(labels[i])) {
      continue;
    }
    result.rows.push_back(i);
    const bool positive = labels[i] == result.positive;
    result.classes.push_back(positive ? 1 : 0);
    ++(positive ? result.n_positive : result.n_negative);
  }
  return result;
}

/// Checks every feature set: a name, distinct names, columns, lengths, no infinite value.
inline void check_feature_sets(std::span<const feature_set> sets, std::size_t n) {
  constexpr const char* function = "cross_validate";
  DISCGEOM_PRECONDITION(!sets.empty(), function, "no feature set given");
  std::set<std::string> names;
  for (const feature_set& set : sets) {
    DISCGEOM_PRECONDITION(!set.name.empty(), function, "a feature set has an empty name");
    DISCGEOM_PRECONDITION(names.insert(set.name).second, function, "feature set '", set.name,
                          "' is given twice");
    DISCGEOM_PRECONDITION(!set.values.empty(), function, "feature set '", set.name,
                          "' has no column");
    DISCGEOM_PRECONDITION(set.columns.empty() || set.columns.size() == set.values.size(), function,
                          "feature set '", set.name, "' names ", set.columns.size(),
                          " columns but holds ", set.values.size());
    for (std::size_t c = 0; c < set.values.size(); ++c) {
      const std::string column =
          set.columns.empty() ? std::to_string(c) : "'" + set.columns[c] + "'";
      DISCGEOM_PRECONDITION(set.values[c].size() == n, function, "feature set '", set.name,
                            "', column ", column, " has ", set.values[c].size(),
                            " values, the labels ", n);
      for (std::size_t i = 0; i < n; ++i) {
        const double x = set.values[c][i];
        DISCGEOM_PRECONDITION(
            std::isnan(x) || std::abs(x) <= static_cast<double>(std::numeric_limits<float>::max()),
            function, "feature set '", set.name, "', column ", column, " row ", i,
            " is not a finite number in the range of float: ", x,
            " (a missing value is NaN or an empty cell)");
      }
    }
  }
}

/// The rows `rows` of a feature set as a row-major float matrix, scaled per column by
/// (x - centre[c]) / scale[c].
[[nodiscard]] inline std::vector<float> gather_rows(const feature_set& set,
                                                    std::span<const std::size_t> rows,
                                                    std::span<const double> centre,
                                                    std::span<const double> scale) {
  const std::size_t p = set.values.size();
  std::vector<float> matrix(rows.size() * p);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t c = 0; c < p; ++c) {
      const double x = set.values[c][rows[r]];
      matrix[r * p + c] = static_cast<float>((x - centre[c]) / scale[c]);
    }
  }
  return matrix;
}

/// The per-column (centre, scale) of the training rows: (0, 1) without scaling; with
/// standardisation (mean, sample sd) of the values present, (mean, 1) for a column with fewer
/// than two values present or zero sd, (0, 1) for a column without values.
inline void scaling_of(const feature_set& set, std::span<const std::size_t> rows,
                       feature_scaling scaling, std::vector<double>& centre,
                       std::vector<double>& scale) {
  const std::size_t p = set.values.size();
  centre.assign(p, 0.0);
  scale.assign(p, 1.0);
  if (scaling == feature_scaling::none) {
    return;
  }
  for (std::size_t c = 0; c < p; ++c) {
    double sum = 0.0;
    std::size_t count = 0;
    for (std::size_t row : rows) {
      if (!std::isnan(set.values[c][row])) {
        sum += set.values[c][row];
        ++count;
      }
    }
    if (count == 0) {
      continue;
    }
    const double mean = sum / static_cast<double>(count);
    double squares = 0.0;
    for (std::size_t row : rows) {
      if (!std::isnan(set.values[c][row])) {
        squares += (set.values[c][row] - mean) * (set.values[c][row] - mean);
      }
    }
    centre[c] = mean;
    if (count >= 2 && squares > 0.0) {
      scale[c] = std::sqrt(squares / static_cast<double>(count - 1));
    }
  }
}

[[nodiscard]] inline cross_validation_result cross_validate_sets(
    std::span<const feature_set> sets, std::span<const double> labels,
    const cross_validation_options& options, const std::string& label_name) {
  constexpr const char* function = "cross_validate";
  check_booster_options(options.booster, function);
  DISCGEOM_PRECONDITION(options.folds >= 2, function, "options.folds must be at least 2, got ",
                        options.folds);
  DISCGEOM_PRECONDITION(options.threshold >= 0.0 && options.threshold <= 1.0, function,
                        "options.threshold must be in [0, 1], got ", options.threshold);
  DISCGEOM_PRECONDITION(options.confidence > 0.0 && options.confidence < 1.0, function,
                        "options.confidence must be in (0, 1), got ", options.confidence);
  DISCGEOM_PRECONDITION(!labels.empty(), function, label_name, " has no row");
  check_feature_sets(sets, labels.size());
  const binary_labels y = binary_labels_of(labels, options, label_name);
  DISCGEOM_PRECONDITION(y.n_positive >= options.folds && y.n_negative >= options.folds, function,
                        "class ", y.n_positive < options.folds ? y.positive : y.negative, " of ",
                        label_name, " has ", std::min(y.n_positive, y.n_negative),
                        " rows, fewer than the ", options.folds,
                        " folds (every test fold needs both classes)");

  cross_validation_result result;
  result.n_rows = labels.size();
  result.n_missing_label = labels.size() - y.rows.size();
  result.n_positive = y.n_positive;
  result.n_negative = y.n_negative;
  result.positive = y.positive;
  result.negative = y.negative;
  result.folds = options.folds;
  result.seed = options.seed;
  const stratified_folds split = stratified_k_fold(y.classes, options.folds, options.seed);
  result.fold_of.assign(labels.size(), options.folds);
  for (std::size_t f = 0; f < split.folds.size(); ++f) {
    for (std::size_t index : split.folds[f].test) {
      result.fold_of[y.rows[index]] = f;
    }
  }

  const mean_interval_options summary_options{
      .confidence = options.confidence, .bootstrap_resamples = 1000, .seed = options.seed};
  std::vector<double> centre, scale;
  for (const feature_set& set : sets) {
    feature_set_result out;
    out.name = set.name;
    out.columns = set.columns;
    out.probabilities.assign(labels.size(), std::numeric_limits<double>::quiet_NaN());
    std::vector<double> f1s, macros, aucs;
    for (std::size_t f = 0; f < split.folds.size(); ++f) {
      const fold_indices& fold = split.folds[f];
      std::vector<std::size_t> train_rows, test_rows;
      std::vector<float> train_labels;
      std::vector<class_label> truth;
      fold_result r;
      r.fold = f;
      for (std::size_t index : fold.train) {
        train_rows.push_back(y.rows[index]);
        train_labels.push_back(static_cast<float>(y.classes[index]));
        r.n_positive_train += y.classes[index] == 1 ? 1 : 0;
      }
      for (std::size_t index : fold.test) {
        test_rows.push_back(y.rows[index]);
        truth.push_back(y.classes[index]);
        r.n_positive_test += y.classes[index] == 1 ? 1 : 0;
      }
      r.n_train = train_rows.size();
      r.n_test = test_rows.size();
      scaling_of(set, train_rows, options.scaling, centre, scale);
      const std::size_t p = set.values.size();
      dmatrix train(gather_rows(set, train_rows, centre, scale), train_rows.size(), p);
      train.set_labels(train_labels);
      dmatrix test(gather_rows(set, test_rows, centre, scale), test_rows.size(), p);
      booster_options booster_settings = options.booster;
      if (options.imbalance == imbalance_handling::weight) {
        booster_settings.scale_pos_weight = static_cast<double>(r.n_train - r.n_positive_train) /
                                            static_cast<double>(r.n_positive_train);
      }
      r.scale_pos_weight = booster_settings.scale_pos_weight;
      booster model = train_booster(train, booster_settings);
      const std::vector<double> probability = model.predict(test);
      std::vector<class_label> predicted(probability.size());
      for (std::size_t i = 0; i < probability.size(); ++i) {
        predicted[i] = probability[i] > options.threshold ? 1 : 0;
        out.probabilities[test_rows[i]] = probability[i];
      }
      const binary_scores positive_scores =
          binary_classification(truth, predicted, {.positive = 1});
      r.f1 = positive_scores.f1;
      r.f1_status = positive_scores.status;
      r.f1_macro = multiclass_classification(truth, predicted, {.classes = {0, 1}}).macro.f1;
      const roc_auc_result auc = roc_auc(truth, probability, 1);
      r.auc = auc.auc;
      r.auc_status = auc.status;
      f1s.push_back(r.f1);
      macros.push_back(r.f1_macro);
      aucs.push_back(r.auc);
      out.folds.push_back(r);
    }
    out.f1 = summarise_folds(f1s, summary_options);
    out.f1_macro = summarise_folds(macros, summary_options);
    out.auc = summarise_folds(aucs, summary_options);
    result.sets.push_back(std::move(out));
  }
  return result;
}

}  // namespace detail

/// Stratified k-fold cross-validation of gradient-boosted trees (booster.hpp) predicting a
/// binary label from each of several feature sets, on the same folds.
///
/// Procedure: rows whose label is missing (NaN) are left out and counted; the two label values
/// are mapped to 0 (negative) and 1 (positive: options.positive, or the larger value); the rows
/// are split by stratified_k_fold(classes, k, options.seed) (stats/folds.hpp). For every feature
/// set and fold: scaling (options.scaling) is fitted on the training rows only; an ensemble is
/// trained on the training rows (options.booster, with scale_pos_weight = negatives / positives
/// of the training rows under imbalance_handling::weight, He & Garcia, IEEE TKDE 21:1263, 2009);
/// the test rows get the probability p of the positive class and are predicted positive when
/// p > options.threshold. Per fold:
///   F1 = 2 TP / (2 TP + FP + FN) of the positive class (binary_classification, zero_division 0);
///   macro F1 = (F1_positive + F1_negative) / 2 (multiclass_classification);
///   AUC = P(p_pos > p_neg) + P(tie) / 2 (roc_auc; Hanley & McNeil 1982).
/// Across the k folds: mean and t interval mean -+ t_{(1+c)/2, k-1} s / sqrt(k)
/// (summarise_folds; the folds share training rows, so the interval describes the spread of the
/// fold estimates and is narrower than an interval of the expected performance: Bengio &
/// Grandvalet, JMLR 5:1089, 2004).
///
/// Missing feature values (NaN) go to XGBoost as missing: each split learns a default direction
/// for them (Chen & Guestrin 2016, Sec. 3.4); no imputation. Features are converted to float, as
/// XGBoost stores them.
///
/// \param sets     the feature sets (name, column names, values[c][row] with NaN = missing)
/// \param labels   the label of every row: two distinct finite values, NaN = missing (left out)
/// \param options  booster parameters (paper defaults), folds, seed, imbalance, scaling,
///                 positive, threshold, confidence
/// \returns per set: per-fold counts, F1, macro F1, AUC with statuses, the summaries and the
///          out-of-fold probabilities; the fold of every row; the label values and counts
/// \throws precondition_error when no set is given, a set is unnamed, repeated, empty, has a
///         column of another length or a value that is infinite or beyond float; the labels are
///         empty, all missing, infinite, of one class ("labels has a single class (0) in 40
///         rows") or of more than two; options.positive is not a class; a class has fewer rows
///         than folds; an option is out of range. numerical_error when XGBoost fails.
/// Complexity: O(S k T n p log n) for S sets, k folds, T trees, n rows, p features (exact).
///
///   const auto r = discgeom::xgboost::cross_validate(std::vector{geometric, latent}, narrowed);
///   std::cout << r.sets[0].auc.mean << " [" << r.sets[0].auc.t_low << ", "
///             << r.sets[0].auc.t_high << "]\n";
template <sample Labels>
[[nodiscard]] cross_validation_result cross_validate(std::span<const feature_set> sets,
                                                     Labels&& labels,
                                                     const cross_validation_options& options = {}) {
  const std::vector<double> values = sample_values(labels);
  return detail::cross_validate_sets(sets, values, options, "labels");
}

/// cross_validate on the columns of a CSV table (io/csv.hpp): the label column and each set's
/// columns are read as numbers (an empty, NA or NaN cell is missing). Messages name the label
/// column ("label column 'narrowed' has a single class (0) in 40 rows").
///
/// \param table         the table, e.g. read_csv("discs.csv")
/// \param label_column  the name of the label column
/// \param sets          the feature sets by column names
/// \param options       as cross_validate
/// \throws precondition_error when a named column does not exist (listing the table's columns),
///         or as cross_validate; io_error when a cell is not a number (csv_table::numeric_column)
/// Complexity: as cross_validate, plus reading the columns.
///
///   const auto table = discgeom::read_csv("discs.csv");
///   const std::vector<discgeom::xgboost::feature_set_columns> sets = {
///       {"geometric", {"height_mm", "ap_width_mm"}}, {"latent", {"z0", "z1", "z2", "z3"}}};
///   const auto r = discgeom::xgboost::cross_validate(table, "narrowed", sets);
[[nodiscard]] inline cross_validation_result cross_validate(
    const csv_table& table, std::string_view label_column,
    std::span<const feature_set_columns> sets, const cross_validation_options& options = {}) {
  constexpr const char* function = "cross_validate";
  std::string names;
  for (const auto& h : table.header) {
    names += (names.empty() ? "" : ",") + h;
  }
  const auto require = [&](std::string_view column, const std::string& role) {
    DISCGEOM_PRECONDITION(
        std::find(table.header.begin(), table.header.end(), column) != table.header.end(), function,
        table.source, ": no column '", std::string(column), "' (", role, "); the columns are ",
        names);
  };
  require(label_column, "the label");
  std::vector<feature_set> in_memory;
  for (const feature_set_columns& set : sets) {
    feature_set values;
    values.name = set.name;
    values.columns = set.columns;
    for (const std::string& column : set.columns) {
      require(column, "feature set '" + set.name + "'");
      values.values.push_back(table.numeric_column(column));
    }
    in_memory.push_back(std::move(values));
  }
  const std::vector<double> labels = table.numeric_column(label_column);
  return detail::cross_validate_sets(in_memory, labels, options,
                                     "label column '" + std::string(label_column) + "'");
}

}  // namespace discgeom::xgboost
