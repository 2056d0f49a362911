// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Options and results of gradient-boosted classification (discgeom::xgboost): the booster's
/// parameters with the paper's defaults, the cross-validation settings, feature sets and the
/// per-fold and summary results. This header does not include the XGBoost C API, so code that
/// only passes options and results around (a command-line front end, a report writer) compiles
/// without it; booster.hpp and cross_validate.hpp do the work. Details: docs/classification.md.

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "discgeom/enum_names.hpp"
#include "discgeom/error.hpp"
#include "discgeom/stats/classification.hpp"
#include "discgeom/stats/roc.hpp"
#include "discgeom/stats/summary.hpp"

namespace discgeom::xgboost {

using discgeom::to_string;  // the names below (enum_names.hpp), found by argument-dependent lookup

/// How XGBoost searches the split of a node (its `tree_method` parameter).
enum class tree_method {
  /// Exact greedy: every distinct value of every feature is a candidate split (Chen & Guestrin,
  /// KDD 2016, Algorithm 1). What XGBoost 1.x's default "auto" picks for data sets of this size,
  /// and deterministic whatever the number of threads. The default.
  exact,
  /// Histogram of at most 256 bins per feature (faster on large tables; splits differ slightly).
  hist,
};

/// Parameters of one gradient-boosted tree ensemble with the logistic objective
/// (XGBoost's binary:logistic). The defaults are the paper's: depth 3, 200 trees, learning rate
/// 0.1; every other parameter keeps XGBoost's default (min_child_weight 1, lambda 1, alpha 0,
/// gamma 0, subsample 1, colsample 1, base_score 0.5), so the ensemble equals that of
/// `xgboost.XGBClassifier(max_depth=3, n_estimators=200, learning_rate=0.1, tree_method="exact")`.
struct booster_options {
  std::size_t n_trees = 200;   ///< boosting rounds (one tree each), >= 1
  int max_depth = 3;           ///< maximum depth of a tree, >= 1
  double learning_rate = 0.1;  ///< shrinkage eta, in (0, 1]
  tree_method method = tree_method::exact;
  /// OpenMP threads of XGBoost (its nthread), >= 1. Explicit, so a run does not depend on the
  /// machine's core count.
  int threads = 1;
  /// XGBoost's seed (used only by its random subsampling, which these defaults switch off).
  std::int64_t seed = 0;
  /// Weight of every positive case relative to a negative one (XGBoost's scale_pos_weight), > 0.
  /// cross_validate overrides it on each training fold when imbalance_handling::weight.
  double scale_pos_weight = 1.0;
};

/// How cross_validate counters the rarity of the positive class (about 20% of discs are narrowed).
enum class imbalance_handling {
  /// No correction: booster_options::scale_pos_weight as given (1 by default).
  none,
  /// scale_pos_weight = negatives / positives of each training fold, so both classes weigh the
  /// same in the loss (XGBoost's documented remedy for unbalanced classes). The default.
  weight,
};

/// Feature scaling inside each fold.
enum class feature_scaling {
  none,  ///< the features as given (the default: trees are invariant to monotone rescaling)
  /// (x - mean) / sd with the mean and sample sd of the training fold only (missing values left
  /// out, a constant column only centred), applied to the training and test rows
  standardise,
};

/// Settings of cross_validate.
struct cross_validation_options {
  booster_options booster{};  ///< the ensemble trained on each training fold
  std::size_t folds = 5;      ///< k of the stratified k-fold split, >= 2
  std::uint64_t seed = 0;     ///< seed of the split (stratified_k_fold) and of the summaries
  imbalance_handling imbalance = imbalance_handling::weight;
  feature_scaling scaling = feature_scaling::none;
  /// The label value of the positive class; empty: the larger of the two values.
  std::optional<double> positive{};
  /// A test case is predicted positive when its probability is > threshold (as
  /// XGBClassifier.predict with 0.5); in [0, 1].
  double threshold = 0.5;
  double confidence = 0.95;  ///< of the intervals across folds, in (0, 1)
};

/// A named set of feature columns held in memory: values[c][i] is feature c of row i; a missing
/// value is NaN.
struct feature_set {
  std::string name{};
  std::vector<std::string> columns{};         ///< the names of the columns, for reports
  std::vector<std::vector<double>> values{};  ///< one vector per column, all of the label's length
};

/// A named set of feature columns of a csv_table, by column name.
struct feature_set_columns {
  std::string name{};
  std::vector<std::string> columns{};
};

/// The evaluation of one feature set on one fold.
struct fold_result {
  std::size_t fold = 0;     ///< 0 .. k - 1
  std::size_t n_train = 0;  ///< rows of the training part
  std::size_t n_test = 0;   ///< rows of the test part
  std::size_t n_positive_train = 0;
  std::size_t n_positive_test = 0;
  double scale_pos_weight = 1.0;  ///< the value the booster was trained with
  /// F1 of the positive class, 2 TP / (2 TP + FP + FN) (0 when the denominator is zero)
  double f1 = std::numeric_limits<double>::quiet_NaN();
  /// mean of the F1 of the positive and of the negative class
  double f1_macro = std::numeric_limits<double>::quiet_NaN();
  /// ROC AUC of the predicted probability for the positive class
  double auc = std::numeric_limits<double>::quiet_NaN();
  score_status f1_status = score_status::ok;  ///< e.g. no_predicted_positive (then F1 = 0)
  roc_status auc_status = roc_status::ok;
};

/// The cross-validation of one feature set.
struct feature_set_result {
  std::string name{};
  std::vector<std::string> columns{};
  std::vector<fold_result> folds{};  ///< k folds, in order
  mean_interval f1{};                ///< across folds: mean and t interval (t_low, t_high)
  mean_interval f1_macro{};
  mean_interval auc{};
  /// The out-of-fold probability of the positive class of every input row (NaN for a row left
  /// out for its missing label).
  std::vector<double> probabilities{};
};

/// What cross_validate returns.
struct cross_validation_result {
  std::vector<feature_set_result> sets{};  ///< in the order given
  std::size_t n_rows = 0;                  ///< input rows
  std::size_t n_missing_label = 0;         ///< rows left out because their label is missing
  std::size_t n_positive = 0;              ///< rows used of the positive class
  std::size_t n_negative = 0;              ///< rows used of the negative class
  double positive = std::numeric_limits<double>::quiet_NaN();  ///< the positive label value
  double negative = std::numeric_limits<double>::quiet_NaN();  ///< the negative label value
  /// The test fold of every input row (rows left out: folds, i.e. one past the last fold).
  std::vector<std::size_t> fold_of{};
  std::size_t folds = 0;
  std::uint64_t seed = 0;
};

namespace detail {

/// Checks booster options; messages name `function` and the option.
inline void check_booster_options(const booster_options& options, const char* function) {
  DISCGEOM_PRECONDITION(options.n_trees >= 1, function,
                        "options.n_trees must be at least 1, got 0");
  DISCGEOM_PRECONDITION(
      options.n_trees <= static_cast<std::size_t>(std::numeric_limits<int>::max()), function,
      "options.n_trees must be at most ", std::numeric_limits<int>::max(), ", got ",
      options.n_trees);
  DISCGEOM_PRECONDITION(options.max_depth >= 1, function,
                        "options.max_depth must be at least 1, got ", options.max_depth);
  DISCGEOM_PRECONDITION(options.learning_rate > 0.0 && options.learning_rate <= 1.0, function,
                        "options.learning_rate must be in (0, 1], got ", options.learning_rate);
  DISCGEOM_PRECONDITION(options.threads >= 1, function, "options.threads must be at least 1, got ",
                        options.threads);
  DISCGEOM_PRECONDITION(std::isfinite(options.scale_pos_weight) && options.scale_pos_weight > 0.0,
                        function, "options.scale_pos_weight must be finite and > 0, got ",
                        options.scale_pos_weight);
}

}  // namespace detail

}  // namespace discgeom::xgboost

// The names of the enums above (enum_names.hpp).
namespace discgeom {

/// "exact", "hist" (the values of XGBoost's tree_method).
template <>
struct enum_names<xgboost::tree_method> {
  static constexpr std::array<enum_name<xgboost::tree_method>, 2> table{{
      {xgboost::tree_method::exact, "exact"},
      {xgboost::tree_method::hist, "hist"},
  }};
};

/// "none", "weight".
template <>
struct enum_names<xgboost::imbalance_handling> {
  static constexpr std::array<enum_name<xgboost::imbalance_handling>, 2> table{{
      {xgboost::imbalance_handling::none, "none"},
      {xgboost::imbalance_handling::weight, "weight"},
  }};
};

/// "none", "standardise".
template <>
struct enum_names<xgboost::feature_scaling> {
  static constexpr std::array<enum_name<xgboost::feature_scaling>, 2> table{{
      {xgboost::feature_scaling::none, "none"},
      {xgboost::feature_scaling::standardise, "standardise"},
  }};
};

}  // namespace discgeom
