// SPDX-License-Identifier: MIT
#pragma once
// `discgeom correlate TABLE.csv --x COLS --y COLS [--method pearson|spearman|kendall]
//   [--adjust none|bonferroni|holm|bh] ...`: every x column against every y column of a CSV
// table, with p-values, confidence intervals and adjusted p-values
// (docs/cli.md).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "command_line.hpp"
#include "discgeom/io/csv.hpp"
#include "discgeom/stats/correlation_matrix.hpp"
#include "outputs.hpp"
#include "table.hpp"

namespace discgeom::cli {

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

/// `list` when none of its comma-separated names is empty. \throws usage_error naming `option`
inline std::string check_column_list(const std::string& option, const std::string& list) {
  for (const std::string& item : split_commas(list)) {
    if (item.empty())
      throw usage_error(option + " '" + list + "' has an empty column name");
  }
  return list;
}

/// The columns named by a comma-separated list of names and patterns, in list order (a
/// pattern's matches in table order), each once.
inline std::vector<std::string> select_columns(const csv_table& table, const std::string& option,
                                               const std::string& list) {
  std::vector<std::string> selected;
  for (const std::string& item : split_commas(check_column_list(option, list))) {
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

/// "pearson,kendall": the methods in list order.
inline std::vector<correlation_method> parse_methods(const std::string& option,
                                                     const std::string& list) {
  std::vector<correlation_method> methods;
  for (const std::string& item : split_commas(list))
    methods.push_back(parse_choice<correlation_method>(option, item));
  return methods;
}

/// The settings of `discgeom correlate`.
struct correlate_settings {
  std::string table;  ///< the CSV table
  /// The x columns: comma-separated names, '*' in a name matching any text ("z*"). Every x
  /// column is correlated with every y column.
  std::string x;
  std::string y;  ///< the y columns, as x
  /// One block of rows per method, in this order.
  std::vector<correlation_method> methods{correlation_method::pearson};
  /// Of the p-values of one method (all its pairs).
  p_adjustment adjust = p_adjustment::none;
  alternative_hypothesis alternative = alternative_hypothesis::two_sided;
  double confidence = 0.95;  ///< of the intervals, in (0, 1)
  /// fisher_z or bootstrap (--ci fisher|bootstrap).
  correlation_interval interval = correlation_interval::fisher_z;
  std::size_t resamples = 2000;  ///< of the bootstrap interval, >= 1
  std::uint64_t seed = 0;        ///< of the bootstrap: the same seed, the same intervals
  table_format format = table_format::csv;
  std::string out;  ///< empty: stdout
  /// Accepted as by every command; correlate writes no progress lines, and still warns of the
  /// pairs without r, p or an interval.
  bool quiet = false;
};

inline void add_correlate_options(CLI::App& app, correlate_settings& s) {
  add_input(app, "TABLE.csv", s.table, "the CSV table");
  add_parsed(app, "--x", s.x, check_column_list, "the x columns: names, '*' matching any text",
             "COLS")
      ->required();
  add_parsed(app, "--y", s.y, check_column_list, "the y columns: names, '*' matching any text",
             "COLS")
      ->required();
  add_parsed(app, "--method", s.methods, parse_methods, "the correlations, in this order",
             enum_choices<correlation_method>() + "[,...]")
      ->default_str("pearson");
  add_choice(app, "--adjust", s.adjust, "adjustment of the p-values for multiple testing");
  add_choice(app, "--alternative", s.alternative, "the alternative hypothesis of the p-values");
  add_number(app, "--confidence", s.confidence, "confidence level of the intervals", 1e-9,
             1.0 - 1e-9);
  add_parsed(
      app, "--ci", s.interval,
      [](const std::string& option, const std::string& text) {
        if (text == "fisher")
          return correlation_interval::fisher_z;
        if (text == "bootstrap")
          return correlation_interval::bootstrap;
        throw usage_error(option + " '" + text + "' must be fisher or bootstrap");
      },
      "the intervals: Fisher's z transform or a seeded bootstrap", "fisher|bootstrap")
      ->default_str("fisher");
  add_count(app, "--resamples", s.resamples, "resamples of the bootstrap interval", 1);
  add_count(app, "--seed", s.seed, "seed of the bootstrap: the same seed, the same intervals");
  add_table_output(app, s.format, s.out);
  add_quiet(app, s.quiet);
  app.footer(
      "COLS is a comma-separated list of column names; '*' in a name matches any text (z*).\n"
      "One row per (x, y) pair: x,y,method,n,r,p,ci_low,ci_high,p_adjusted.");
}

/// `discgeom correlate`: 0, or 1 when the table cannot be read or lacks a column.
/// \throws usage_error when --out is the table; io_error when the result cannot be written
inline int run_correlate(const correlate_settings& s) {
  refuse_output_over_input({{"--out", s.out}}, {s.table});
  correlation_matrix_options options;
  options.adjustment = s.adjust;
  options.correlation.alternative = s.alternative;
  options.correlation.confidence = s.confidence;
  options.correlation.interval = s.interval;
  options.correlation.bootstrap_resamples = s.resamples;
  options.correlation.seed = s.seed;

  const std::string& file = s.table;
  table result{{"x", "y", "method", "n", "r", "p", "ci_low", "ci_high", "p_adjusted"}, {}};
  try {
    const csv_table input = read_csv(file);
    const auto x_names = select_columns(input, "--x", s.x);
    const auto y_names = select_columns(input, "--y", s.y);
    std::vector<std::vector<double>> x_columns;
    std::vector<std::vector<double>> y_columns;
    for (const auto& name : x_names)
      x_columns.push_back(input.numeric_column(name));
    for (const auto& name : y_names)
      y_columns.push_back(input.numeric_column(name));
    for (const correlation_method method : s.methods) {
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
  write_table_output(s.out, result, s.format);
  return 0;
}

}  // namespace discgeom::cli
