// SPDX-License-Identifier: MIT
#pragma once
// `discgeom classify TABLE.csv --label COLUMN --features SET=COLS [--features SET=COLS ...]
//   [--folds 5] [--seed S] ...`: gradient-boosted trees predicting a binary label (disc
// narrowing) from each feature set, stratified k-fold cross-validation, F1, macro F1 and ROC AUC
// per fold and their mean with a 95% t interval (docs/cli.md, docs/classification.md).
//
// Declared here without the XGBoost C API, so that only classify_command.cpp compiles against
// it and other translation units (the pipeline) can call classify_table() and
// write_classification_tables(); built without XGBoost, classify_unavailable.cpp says so.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "arguments.hpp"
#include "correlate_command.hpp"
#include "discgeom/detail/atomic_file.hpp"
#include "discgeom/io/csv.hpp"
#include "discgeom/xgboost/types.hpp"
#include "table.hpp"

namespace discgeom::cli {

inline constexpr const char* classify_usage =
    "usage: discgeom classify TABLE.csv --label COLUMN --features SET=COLS\n"
    "                         [--features SET=COLS ...] [--folds 5] [--seed S]\n"
    "                         [--positive VALUE] [--trees 200] [--depth 3]\n"
    "                         [--learning-rate 0.1] [--threads 1] [--imbalance weight|none]\n"
    "                         [--scaling none|standardise] [--tree-method exact|hist]\n"
    "                         [--threshold 0.5] [--out FILE.csv] [--quiet]\n"
    "COLS is a comma-separated list of column names; '*' in a name matches any text (z*).\n"
    "The label column holds two values (the larger is positive unless --positive says); rows\n"
    "without a label are left out and counted on stderr; empty feature cells are missing values.\n"
    "With --out: per-fold rows in FILE.csv\n"
    "  (feature_set,fold,n_train,n_test,n_positive_test,f1,f1_macro,auc,status)\n"
    "and the summary in FILE.summary.csv (feature_set,metric,mean,ci_low,ci_high,n_folds);\n"
    "without --out the summary goes to stdout.\n";

/// What to classify: the label column, the feature sets (column names, patterns resolved) and the
/// cross-validation options.
struct classify_settings {
  std::string label{};
  std::vector<xgboost::feature_set_columns> sets{};
  xgboost::cross_validation_options options{};
};

/// The values of --features, "SET=COLS" each, split at the first '=' into (SET, COLS).
/// \throws usage_error when a value is not SET=COLS with both parts non-empty, or a set is
///         named twice
inline std::vector<std::pair<std::string, std::string>> parse_feature_options(
    const std::vector<std::string>& values) {
  std::vector<std::pair<std::string, std::string>> sets;
  for (const std::string& value : values) {
    const std::size_t equals = value.find('=');
    if (equals == std::string::npos || equals == 0 || equals + 1 == value.size())
      throw usage_error("--features '" + value +
                        "' must be SET=COLS (e.g. geometric=height_mm,ap_width_mm)");
    std::string name = value.substr(0, equals);
    for (const auto& known : sets) {
      if (known.first == name)
        throw usage_error("--features: feature set '" + name + "' is given twice");
    }
    sets.emplace_back(std::move(name), value.substr(equals + 1));
  }
  return sets;
}

/// The columns of each (SET, COLS) of `table`: COLS a comma-separated list of names and '*'
/// patterns (select_columns, as `discgeom correlate`).
/// \throws usage_error when a list has an empty name or a set includes `label`; io_error when a
///         name matches no column (listing the columns)
inline std::vector<xgboost::feature_set_columns> select_feature_sets(
    const csv_table& table, const std::vector<std::pair<std::string, std::string>>& sets,
    const std::string& label) {
  std::vector<xgboost::feature_set_columns> selected;
  for (const auto& [name, list] : sets) {
    auto columns = select_columns(table, "--features " + name, list);
    if (std::find(columns.begin(), columns.end(), label) != columns.end())
      throw usage_error("--features " + name + " includes the label column '" + label + "'");
    selected.push_back({name, std::move(columns)});
  }
  return selected;
}

/// `discgeom classify`: 0 on success, 1 when the table cannot be processed (one line on stderr);
/// throws usage_error on bad usage (exit 2).
int run_classify(const std::vector<std::string>& argv);

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
/// through a temporary file and a rename.
/// \throws io_error naming the file when it cannot be written
inline void write_classification_tables(const xgboost::cross_validation_result& result,
                                        const std::filesystem::path& folds_csv) {
  const auto write = [](const std::filesystem::path& file, const table& t) {
    detail::write_atomically(file, "write_classification_tables",
                             [&](const std::filesystem::path& temporary) {
                               std::ofstream out(temporary);
                               write_csv(out, t);
                               out.close();
                               if (!out)
                                 throw std::runtime_error(detail::stream_failure_reason());
                             });
  };
  write(folds_csv, classification_folds_table(result));
  write(classification_summary_path(folds_csv), classification_summary_table(result));
}

}  // namespace discgeom::cli
