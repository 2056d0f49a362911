// SPDX-License-Identifier: MIT
#pragma once
// `discgeom correlate TABLE.csv --x COLS --y COLS [--method pearson|spearman|kendall]
//   [--adjust none|bonferroni|holm|bh] ...`: every x column against every y column of a CSV
// table, with p-values, confidence intervals and adjusted p-values
// (docs/cli.md).

#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "arguments.hpp"
#include "discgeom/io/csv.hpp"
#include "discgeom/stats/correlation_matrix.hpp"
#include "table.hpp"

namespace discgeom::cli {

inline constexpr const char* correlate_usage =
    "usage: discgeom correlate TABLE.csv --x COLS --y COLS\n"
    "                          [--method pearson|spearman|kendall[,...]]\n"
    "                          [--adjust none|bonferroni|holm|bh]\n"
    "                          [--alternative two-sided|less|greater] [--confidence C]\n"
    "                          [--ci fisher|bootstrap] [--resamples B] [--seed S]\n"
    "                          [--format csv|json] [--out FILE]\n"
    "COLS is a comma-separated list of column names; '*' in a name matches any text (z*).\n"
    "One row per (x, y) pair: x,y,method,n,r,p,ci_low,ci_high,p_adjusted.\n";

/// Whether `name` matches `pattern`, where '*' matches any run of characters.
inline bool matches_pattern(const std::string& pattern, const std::string& name) {
  std::size_t p = 0, n = 0, star = std::string::npos, resume = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = n;
    } else if (p < pattern.size() && pattern[p] == name[n]) {
      ++p;
      ++n;
    } else if (star != std::string::npos) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*')
    ++p;
  return p == pattern.size();
}

/// The columns named by a comma-separated list of names and patterns, in list order (a
/// pattern's matches in table order), each once.
inline std::vector<std::string> select_columns(const csv_table& table, const std::string& option,
                                               const std::string& list) {
  std::vector<std::string> selected;
  for (const std::string& item : split_commas(list)) {
    if (item.empty())
      throw usage_error(option + " '" + list + "' has an empty column name");
    bool found = false;
    for (const auto& name : table.header) {
      if (matches_pattern(item, name)) {
        found = true;
        if (std::find(selected.begin(), selected.end(), name) == selected.end())
          selected.push_back(name);
      }
    }
    if (!found) {
      (void)table.column(item);  // throws io_error naming the file and listing the columns
    }
  }
  return selected;
}

inline std::vector<correlation_method> parse_methods(const std::string& list) {
  std::vector<correlation_method> methods;
  for (const std::string& item : split_commas(list))
    methods.push_back(parse_choice<correlation_method>("--method", item));
  return methods;
}

inline int run_correlate(const std::vector<std::string>& argv) {
  const auto args =
      parse_arguments(argv,
                      {"--x", "--y", "--method", "--adjust", "--alternative", "--confidence",
                       "--ci", "--resamples", "--seed", "--format", "--out"},
                      {"--quiet"});
  if (args.positional.size() != 1)
    throw usage_error("correlate needs exactly one TABLE.csv, got " +
                      std::to_string(args.positional.size()));
  if (!args.has("--x") || !args.has("--y"))
    throw usage_error("correlate needs --x COLS and --y COLS");
  const auto methods = parse_methods(args.value_or("--method", "pearson"));
  correlation_matrix_options options;
  options.adjustment = parse_choice<p_adjustment>("--adjust", args.value_or("--adjust", "none"));
  options.correlation.alternative = parse_choice<alternative_hypothesis>(
      "--alternative", args.value_or("--alternative", "two-sided"));
  if (args.has("--confidence"))
    options.correlation.confidence =
        parse_number("--confidence", args.value_or("--confidence", ""), 1e-9, 1.0 - 1e-9);
  const std::string interval = args.value_or("--ci", "fisher");
  if (interval == "bootstrap")
    options.correlation.interval = correlation_interval::bootstrap;
  else if (interval != "fisher")
    throw usage_error("--ci '" + interval + "' must be fisher or bootstrap");
  if (args.has("--resamples")) {
    options.correlation.bootstrap_resamples =
        parse_count("--resamples", args.value_or("--resamples", ""));
    if (options.correlation.bootstrap_resamples == 0)
      throw usage_error("--resamples must be at least 1");
  }
  if (args.has("--seed"))
    options.correlation.seed = parse_count("--seed", args.value_or("--seed", ""));
  const std::string format = parse_format(args);

  const std::string file = args.positional[0];
  table result{{"x", "y", "method", "n", "r", "p", "ci_low", "ci_high", "p_adjusted"}, {}};
  try {
    const csv_table input = read_csv(file);
    const auto x_names = select_columns(input, "--x", args.value_or("--x", ""));
    const auto y_names = select_columns(input, "--y", args.value_or("--y", ""));
    std::vector<std::vector<double>> x_columns;
    std::vector<std::vector<double>> y_columns;
    for (const auto& name : x_names)
      x_columns.push_back(input.numeric_column(name));
    for (const auto& name : y_names)
      y_columns.push_back(input.numeric_column(name));
    for (const correlation_method method : methods) {
      options.correlation.method = method;
      const auto matrix = correlation_matrix(x_columns, y_columns, options);
      for (std::size_t i = 0; i < x_names.size(); ++i) {
        for (std::size_t j = 0; j < y_names.size(); ++j) {
          const correlation_result& c = matrix(i, j);
          if (c.status != correlation_status::ok) {
            std::cerr << "discgeom correlate: " << file << ": " << x_names[i] << " vs "
                      << y_names[j] << " (" << to_string(method) << "): " << to_string(c.status)
                      << (c.status == correlation_status::no_interval
                              ? " (too few pairs for the interval)"
                              : " (r and p undefined)")
                      << ", n = " << c.n << '\n';
          }
          result.rows.push_back(
              {text(x_names[i]), text(y_names[j]), text(std::string(to_string(method))),
               number(static_cast<double>(c.n)), number(c.r), number(c.p), number(c.ci_low),
               number(c.ci_high), number(matrix.adjusted_p(i, j))});
        }
      }
    }
  } catch (const error& failure) {
    std::cerr << "discgeom correlate: " << failure.what() << '\n';
    return 1;
  }
  std::ofstream file_out;
  std::ostream& out = open_output(args.value_or("--out", ""), file_out, "correlate");
  write_table(out, result, format);
  return 0;
}

}  // namespace discgeom::cli
