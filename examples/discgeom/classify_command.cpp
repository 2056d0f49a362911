// SPDX-License-Identifier: MIT
// `discgeom classify` (docs/cli.md): the one translation unit of the program that includes the
// XGBoost C API.
#include "classify_command.hpp"

#include <iostream>
#include <string>

#include "discgeom/io/csv.hpp"
#include "discgeom/xgboost/cross_validate.hpp"
#include "outputs.hpp"
#include "table.hpp"

namespace discgeom::cli {

xgboost::cross_validation_result classify_table(const csv_table& table,
                                                const classify_settings& settings) {
  return xgboost::cross_validate(table, settings.label, settings.sets, settings.options);
}

int run_classify(const classify_command_settings& s) {
  check_classify_settings(s);
  if (!s.out.empty()) {
    refuse_output_over_input(
        {{"--out", s.out}, {"--out's summary", classification_summary_path(s.out)}}, {s.table});
  }
  classify_settings settings;
  settings.label = s.label;
  settings.options = cross_validation_options_for(s);

  const std::string& file = s.table;
  const bool quiet = s.quiet;
  xgboost::cross_validation_result result;
  try {
    const csv_table input = read_csv(file);
    settings.sets = select_feature_sets(input, s.features, settings.label);
    result = classify_table(input, settings);
  } catch (const error& failure) {
    const std::string message = failure.what();  // the table's path first, unless named already
    std::cerr << "discgeom classify: "
              << (message.find(file) == std::string::npos ? file + ": " : std::string()) << message
              << '\n';
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
  try {
    if (s.out.empty())
      write_table_output("", classification_summary_table(result), table_format::csv);
    else
      write_classification_tables(result, s.out);
  } catch (const error& failure) {
    std::cerr << "discgeom classify: " << failure.what() << '\n';
    return 1;
  }
  return 0;
}

}  // namespace discgeom::cli
