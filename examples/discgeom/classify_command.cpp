// SPDX-License-Identifier: MIT
// `discgeom classify` (docs/cli.md): the one translation unit of the program that includes the
// XGBoost C API.
#include "classify_command.hpp"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include "arguments.hpp"
#include "correlate_command.hpp"
#include "discgeom/io/csv.hpp"
#include "discgeom/xgboost/cross_validate.hpp"
#include "table.hpp"

namespace discgeom::cli {

namespace {

/// --features values (repeatable), taken out of argv; the rest is returned for parse_arguments.
std::vector<std::string> take_feature_options(const std::vector<std::string>& argv,
                                              std::vector<std::string>& features) {
  std::vector<std::string> rest;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    if (argv[i] == "--features") {
      if (i + 1 >= argv.size())
        throw usage_error("--features needs a value SET=COLS");
      features.push_back(argv[++i]);
    } else {
      rest.push_back(argv[i]);
    }
  }
  return rest;
}

int parse_int(const std::string& option, const std::string& text, int low) {
  const std::size_t value = parse_count(option, text);
  if (value < static_cast<std::size_t>(low) ||
      value > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw usage_error(option + " '" + text + "' must be a whole number >= " + std::to_string(low));
  return static_cast<int>(value);
}

xgboost::cross_validation_options parse_options(const arguments& args) {
  xgboost::cross_validation_options options;
  if (args.has("--folds")) {
    options.folds = parse_count("--folds", args.value_or("--folds", ""));
    if (options.folds < 2)
      throw usage_error("--folds must be at least 2");
  }
  if (args.has("--seed")) {
    const std::size_t seed = parse_count("--seed", args.value_or("--seed", ""));
    if (seed > static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max()))
      throw usage_error("--seed must be at most " +
                        std::to_string(std::numeric_limits<std::int64_t>::max()));
    options.seed = seed;
    options.booster.seed = static_cast<std::int64_t>(seed);
  }
  if (args.has("--positive")) {
    const std::string text = args.value_or("--positive", "");
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !std::isfinite(value))
      throw usage_error("--positive '" + text + "' must be a number (a value of the label column)");
    options.positive = value;
  }
  if (args.has("--trees"))
    options.booster.n_trees =
        static_cast<std::size_t>(parse_int("--trees", args.value_or("--trees", ""), 1));
  if (args.has("--depth"))
    options.booster.max_depth = parse_int("--depth", args.value_or("--depth", ""), 1);
  if (args.has("--learning-rate")) {
    options.booster.learning_rate =
        parse_number("--learning-rate", args.value_or("--learning-rate", ""), 0.0, 1.0);
    if (options.booster.learning_rate <= 0.0)
      throw usage_error("--learning-rate must be > 0");
  }
  if (args.has("--threads"))
    options.booster.threads = parse_int("--threads", args.value_or("--threads", ""), 1);
  options.imbalance = parse_choice<xgboost::imbalance_handling>(
      "--imbalance", args.value_or("--imbalance", "weight"));
  options.scaling =
      parse_choice<xgboost::feature_scaling>("--scaling", args.value_or("--scaling", "none"));
  options.booster.method =
      parse_choice<xgboost::tree_method>("--tree-method", args.value_or("--tree-method", "exact"));
  if (args.has("--threshold"))
    options.threshold = parse_number("--threshold", args.value_or("--threshold", ""), 0.0, 1.0);
  return options;
}

}  // namespace

xgboost::cross_validation_result classify_table(const csv_table& table,
                                                const classify_settings& settings) {
  return xgboost::cross_validate(table, settings.label, settings.sets, settings.options);
}

int run_classify(const std::vector<std::string>& argv) {
  std::vector<std::string> feature_options;
  const auto args = parse_arguments(
      take_feature_options(argv, feature_options),
      {"--label", "--folds", "--seed", "--positive", "--trees", "--depth", "--learning-rate",
       "--threads", "--imbalance", "--scaling", "--tree-method", "--threshold", "--out"},
      {"--quiet"});
  if (args.positional.size() != 1)
    throw usage_error("classify needs exactly one TABLE.csv, got " +
                      std::to_string(args.positional.size()));
  if (!args.has("--label"))
    throw usage_error("classify needs --label COLUMN");
  if (feature_options.empty())
    throw usage_error("classify needs at least one --features SET=COLS");
  classify_settings settings;
  settings.label = args.value_or("--label", "");
  settings.options = parse_options(args);
  const auto requested = parse_feature_options(feature_options);

  const std::string file = args.positional[0];
  const bool quiet = args.has("--quiet");
  xgboost::cross_validation_result result;
  try {
    const csv_table input = read_csv(file);
    settings.sets = select_feature_sets(input, requested, settings.label);
    result = classify_table(input, settings);
  } catch (const error& failure) {
    std::cerr << "discgeom classify: " << failure.what() << '\n';
    return 1;
  }
  if (result.n_missing_label > 0 && !quiet) {
    std::cerr << "discgeom classify: " << file << ": " << result.n_missing_label << " of "
              << result.n_rows << " rows have no value in '" << settings.label
              << "' and are left out\n";
  }
  for (const auto& set : result.sets) {
    for (const auto& fold : set.folds) {
      if (fold.f1_status != score_status::ok && !quiet) {
        std::cerr << "discgeom classify: " << file << ": feature set '" << set.name << "', fold "
                  << fold.fold << ": " << to_string(fold.f1_status)
                  << " (F1 = " << format_number(fold.f1) << ")\n";
      }
    }
  }
  const std::string out = args.value_or("--out", "");
  if (out.empty()) {
    write_csv(std::cout, classification_summary_table(result));
  } else {
    try {
      write_classification_tables(result, out);
    } catch (const error& failure) {
      std::cerr << "discgeom classify: " << failure.what() << '\n';
      return 1;
    }
  }
  return 0;
}

}  // namespace discgeom::cli
