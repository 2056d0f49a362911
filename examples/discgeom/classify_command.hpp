// SPDX-License-Identifier: MIT
#pragma once
// `discgeom classify TABLE.csv --label COLUMN --features SET=COLS [--features SET=COLS ...]
//   [--folds 5] [--seed S] ...`: gradient-boosted trees predicting a binary label (disc
// narrowing) from each feature set, stratified k-fold cross-validation, F1, macro F1 and ROC AUC
// per fold and their mean with a 95% t interval (docs/cli.md, docs/classification.md).
//
// Declared here without the XGBoost C API, so that only classify_command.cpp compiles against
// it and other translation units (the pipeline) can fill a classify_command_settings and call
// run_classify(), or call classify_table() and write_classification_tables(); built without
// XGBoost, classify_unavailable.cpp says so.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "arguments.hpp"
#include "command_line.hpp"
#include "correlate_command.hpp"
#include "discgeom/io/csv.hpp"
#include "discgeom/xgboost/types.hpp"
#include "table.hpp"

namespace discgeom::cli {

/// What to classify: the label column, the feature sets (column names, patterns resolved) and the
/// cross-validation options.
struct classify_settings {
  std::string label{};
  std::vector<xgboost::feature_set_columns> sets{};
  xgboost::cross_validation_options options{};
};

/// One --features SET=COLS: the set's name and its columns, a comma-separated list of column
/// names where '*' matches any text ("height_mm,z*"), resolved against the table when it is read
/// (select_feature_sets).
struct feature_set_option {
  std::string name{};
  std::string columns{};
};

/// The settings of `discgeom classify`, with the command's defaults (the paper's booster).
struct classify_command_settings {
  std::string table{};                         ///< the CSV table
  std::string label{};                         ///< the label column: two distinct numbers
  std::vector<feature_set_option> features{};  ///< at least one, names distinct, in this order
  std::size_t folds = 5;                       ///< k of the stratified split, >= 2
  std::uint64_t seed = 0;            ///< of the split and of XGBoost, at most the largest int64
  std::optional<double> positive{};  ///< the positive label value; empty: the larger one
  std::size_t trees = 200;           ///< boosting rounds, >= 1
  std::size_t depth = 3;             ///< the depth of a tree, in [1, the largest int]
  double learning_rate = 0.1;        ///< in (0, 1]
  std::size_t threads = 1;           ///< XGBoost's threads, in [1, max_threads()]
  xgboost::imbalance_handling imbalance = xgboost::imbalance_handling::weight;
  xgboost::feature_scaling scaling = xgboost::feature_scaling::none;
  xgboost::tree_method method = xgboost::tree_method::exact;
  double threshold = 0.5;  ///< a test row is positive when its probability is > threshold
  /// empty: the summary to stdout; else the per-fold table here and the summary beside it
  /// (classification_summary_path)
  std::string out{};
  bool quiet = false;  ///< no notes on stderr (rows left out, folds without a positive)
};

/// One value of --features, "SET=COLS", split at the first '='.
/// \throws usage_error when it is not SET=COLS with both parts non-empty
inline feature_set_option parse_feature_option(const std::string& option,
                                               const std::string& value) {
  const std::size_t equals = value.find('=');
  if (equals == std::string::npos || equals == 0 || equals + 1 == value.size())
    throw usage_error(option + " '" + value +
                      "' must be SET=COLS (e.g. geometric=height_mm,ap_width_mm)");
  return {value.substr(0, equals), value.substr(equals + 1)};
}

/// The values of --features, "SET=COLS" each, split at the first '=' into (SET, COLS).
/// \throws usage_error when a value is not SET=COLS with both parts non-empty
inline std::vector<feature_set_option> parse_feature_options(
    const std::vector<std::string>& values) {
  std::vector<feature_set_option> sets;
  for (const std::string& value : values)
    sets.push_back(parse_feature_option("--features", value));
  return sets;
}

/// The rules that join several settings, checked by run_classify however `s` was filled.
/// \throws usage_error when there is no feature set, a set has no name or no columns, a set is
///         named twice, or the seed, depth or threads are more than XGBoost takes
inline void check_classify_settings(const classify_command_settings& s) {
  if (s.features.empty())
    throw usage_error("classify needs at least one --features SET=COLS");
  for (std::size_t i = 0; i < s.features.size(); ++i) {
    const feature_set_option& set = s.features[i];
    if (set.name.empty() || set.columns.empty())
      (void)parse_feature_option("--features", set.name + "=" + set.columns);
    for (std::size_t j = 0; j < i; ++j) {
      if (s.features[j].name == set.name)
        throw usage_error("--features: feature set '" + set.name + "' is given twice");
    }
  }
  constexpr auto largest_seed =
      static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (s.seed > largest_seed)
    throw usage_error("--seed must be at most " + std::to_string(largest_seed));
  constexpr auto largest_int = static_cast<std::size_t>(std::numeric_limits<int>::max());
  if (s.depth > largest_int)
    throw usage_error("--depth must be at most " + std::to_string(largest_int));
  if (s.threads < 1 || s.threads > max_threads())
    throw usage_error("--threads must be in [1, " + std::to_string(max_threads()) + "]");
}

/// The cross-validation options of `s` (check_classify_settings(s) first: the depth, threads
/// and seed are narrowed to XGBoost's types).
inline xgboost::cross_validation_options cross_validation_options_for(
    const classify_command_settings& s) {
  xgboost::cross_validation_options options;
  options.folds = s.folds;
  options.seed = s.seed;
  options.positive = s.positive;
  options.imbalance = s.imbalance;
  options.scaling = s.scaling;
  options.threshold = s.threshold;
  options.booster.n_trees = s.trees;
  options.booster.max_depth = static_cast<int>(s.depth);
  options.booster.learning_rate = s.learning_rate;
  options.booster.method = s.method;
  options.booster.threads = static_cast<int>(s.threads);
  options.booster.seed = static_cast<std::int64_t>(s.seed);
  return options;
}

/// Binds every option of `discgeom classify` to a field of `s`.
inline void add_classify_options(CLI::App& app, classify_command_settings& s) {
  add_input(app, "TABLE.csv", s.table, "the CSV table: the label and the feature columns");
  add_text(app, "--label", s.label, "the binary label column (two distinct numbers)", "COLUMN")
      ->required();
  auto* features = app.add_option_function<std::vector<std::string>>(
      "--features",
      [&s](const std::vector<std::string>& values) { s.features = parse_feature_options(values); },
      "a named feature set (repeatable): COLS, column names and '*' patterns");
  features->type_name("SET=COLS")->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  // One value per occurrence, "--features a=x --features b=y": the word after it is not a set.
  features->expected(1)->allow_extra_args(false);
  add_count(app, "--folds", s.folds, "k of the stratified k-fold cross-validation", 2);
  add_count(app, "--seed", s.seed, "seed of the folds and of XGBoost");
  add_parsed(
      app, "--positive", s.positive,
      [](const std::string& option, const std::string& text) {
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        if (text.empty() || *end != '\0' || !std::isfinite(value))
          throw usage_error(option + " '" + text +
                            "' must be a number (a value of the label column)");
        return std::optional<double>(value);
      },
      "the label value of the positive class (default: the larger value)", "VALUE");
  add_count(app, "--trees", s.trees, "boosting rounds, one tree each", 1);
  add_count(app, "--depth", s.depth, "the maximum depth of a tree", 1);
  add_number(app, "--learning-rate", s.learning_rate, "the shrinkage of each tree", 0.0, 1.0, true);
  add_parsed(app, "--threads", s.threads, parse_threads,
             "XGBoost's threads, at most 4 per core (the results do not depend on it)", "N")
      ->default_str(std::to_string(s.threads));
  add_choice(app, "--imbalance", s.imbalance,
             "weight: positives weigh negatives/positives of each training fold");
  add_choice(app, "--scaling", s.scaling, "standardise: fitted on each training fold only");
  add_choice(app, "--tree-method", s.method, "XGBoost's split search");
  add_number(app, "--threshold", s.threshold,
             "a test row is predicted positive when its probability is above X", 0.0, 1.0);
  add_text(app, "--out", s.out, "per-fold rows to FILE.csv and the summary beside it", "FILE.csv");
  add_switch(app, "--quiet", s.quiet, "no notes on stderr");
  app.footer(
      "COLS is a comma-separated list of column names; '*' in a name matches any text (z*).\n"
      "The label column holds two values (the larger is positive unless --positive says); rows\n"
      "without a label are left out and counted on stderr; empty feature cells are missing "
      "values.\n"
      "With --out: per-fold rows in FILE.csv\n"
      "  (feature_set,fold,n_train,n_test,n_positive_test,f1,f1_macro,auc,status)\n"
      "and the summary in FILE.summary.csv (feature_set,metric,mean,ci_low,ci_high,n_folds);\n"
      "without --out the summary goes to stdout.");
}

/// The columns of each (SET, COLS) of `table`: COLS a comma-separated list of names and '*'
/// patterns (select_columns, as `discgeom correlate`).
/// \throws usage_error when a list has an empty name or a set includes `label`; io_error when a
///         name matches no column (listing the columns)
inline std::vector<xgboost::feature_set_columns> select_feature_sets(
    const csv_table& table, const std::vector<feature_set_option>& sets, const std::string& label) {
  std::vector<xgboost::feature_set_columns> selected;
  for (const auto& [name, list] : sets) {
    auto columns = select_columns(table, "--features " + name, list);
    if (std::find(columns.begin(), columns.end(), label) != columns.end())
      throw usage_error("--features " + name + " includes the label column '" + label + "'");
    selected.push_back({name, std::move(columns)});
  }
  return selected;
}

/// `discgeom classify`: 0 on success, 1 when the table cannot be processed (one line on stderr).
/// \throws usage_error on bad usage (exit 2): check_classify_settings, a feature set that
///         includes the label, or --out (or the summary beside it) over the table
int run_classify(const classify_command_settings& s);

/// xgboost::cross_validate on an in-memory table (the same computation as the command).
/// \throws discgeom::error as cross_validate, or when this program was built without XGBoost
xgboost::cross_validation_result classify_table(const csv_table& table,
                                                const classify_settings& settings);

/// The per-fold table: feature_set,fold,n_train,n_test,n_positive_test,f1,f1_macro,auc,status
/// (fold counted from 0; status "ok", or the F1 and AUC statuses that are not ok).
inline table classification_folds_table(const xgboost::cross_validation_result& result) {
  table t{{"feature_set", "fold", "n_train", "n_test", "n_positive_test", "f1", "f1_macro", "auc",
           "status"},
          {}};
  for (const auto& set : result.sets) {
    for (const auto& fold : set.folds) {
      std::string status;
      if (fold.f1_status != score_status::ok)
        status = "f1_" + std::string(to_string(fold.f1_status));
      if (fold.auc_status != roc_status::ok)
        status += (status.empty() ? "auc_" : ";auc_") + std::string(to_string(fold.auc_status));
      t.rows.push_back(
          {text(set.name), number(static_cast<double>(fold.fold)),
           number(static_cast<double>(fold.n_train)), number(static_cast<double>(fold.n_test)),
           number(static_cast<double>(fold.n_positive_test)), number(fold.f1),
           number(fold.f1_macro), number(fold.auc), text(status.empty() ? "ok" : status)});
    }
  }
  return t;
}

/// The summary table: feature_set,metric,mean,ci_low,ci_high,n_folds, one row per set and metric
/// (f1, f1_macro, auc): mean over folds and the t interval; n_folds counts the folds where the
/// metric is defined.
inline table classification_summary_table(const xgboost::cross_validation_result& result) {
  table t{{"feature_set", "metric", "mean", "ci_low", "ci_high", "n_folds"}, {}};
  for (const auto& set : result.sets) {
    const std::pair<const char*, const mean_interval*> metrics[] = {
        {"f1", &set.f1}, {"f1_macro", &set.f1_macro}, {"auc", &set.auc}};
    for (const auto& [name, summary] : metrics) {
      t.rows.push_back({text(set.name), text(name), number(summary->mean), number(summary->t_low),
                        number(summary->t_high), number(static_cast<double>(summary->n))});
    }
  }
  return t;
}

/// FILE.summary.csv beside FILE.csv.
inline std::filesystem::path classification_summary_path(const std::filesystem::path& folds_csv) {
  return folds_csv.parent_path() /
         (folds_csv.stem().string() + ".summary" + folds_csv.extension().string());
}

/// Writes the per-fold table to `folds_csv` and the summary to FILE.summary.csv beside it, each
/// through a temporary file and a rename (write_table_atomically).
/// \throws io_error naming the file and errno's reason when it cannot be written
inline void write_classification_tables(const xgboost::cross_validation_result& result,
                                        const std::filesystem::path& folds_csv) {
  write_table_atomically(folds_csv, classification_folds_table(result));
  write_table_atomically(classification_summary_path(folds_csv),
                         classification_summary_table(result));
}

}  // namespace discgeom::cli
