// SPDX-License-Identifier: MIT
#pragma once
// `discgeom agree REFERENCE.csv TEST.csv --key COLS --measures COLS [--by COL]`: the agreement of
// two tables of the same measures, rows paired by key (Hess et al.'s Tables 6-8; docs/cli.md).

#include <cstddef>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "command_line.hpp"
#include "correlate_command.hpp"
#include "discgeom/io/csv.hpp"
#include "discgeom/stats/agreement.hpp"
#include "outputs.hpp"
#include "table.hpp"

namespace discgeom::cli {

/// The settings of `discgeom agree`.
struct agree_settings {
  std::string reference;  ///< the reference table (e.g. manual)
  std::string test;       ///< the table compared with it (e.g. automatic)
  std::string key;        ///< comma-separated columns that pair the rows
  std::string measures;   ///< comma-separated measure columns ('*' matches any text)
  std::string by;         ///< optional grouping column (e.g. level)
  table_format format = table_format::csv;
  std::string out;  ///< empty: stdout
  bool quiet = false;
};

inline void add_agree_options(CLI::App& app, agree_settings& s) {
  add_input(app, "REFERENCE.csv", s.reference, "the reference table (e.g. manual measures)");
  add_input(app, "TEST.csv", s.test, "the table compared with it (e.g. automatic measures)");
  add_parsed(app, "--key", s.key, check_column_list, "the columns that pair the rows", "COLS")
      ->required();
  add_parsed(app, "--measures", s.measures, check_column_list,
             "the measures compared: names, '*' matching any text", "COLS")
      ->required();
  add_text(app, "--by", s.by, "one row per value of this column, and an overall row", "COL");
  add_table_output(app, s.format, s.out);
  add_quiet(app, s.quiet);
  app.footer(
      "One row per measure (and group): measure,group,n,pearson_r,pearson_p,mae,mae_sd,bias,\n"
      "loa_low,loa_high,icc_a1,ccc,n_unpaired,n_missing. Differences are TEST - REFERENCE.");
}

/// The key of every row of a table (its key cells joined by a separator no CSV cell holds
/// unquoted), in row order.
/// \throws io_error naming the file, the key and both lines when a key repeats
inline std::vector<std::string> agree_row_keys(const csv_table& table,
                                               const std::vector<std::size_t>& key) {
  std::vector<std::string> keys;
  std::map<std::string, std::size_t> seen;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    std::string joined;
    for (const std::size_t c : key) {
      joined += table.rows[r][c];
      joined += '\x1f';
    }
    const auto [at, inserted] = seen.emplace(joined, r);
    if (!inserted) {
      std::string shown;
      for (const std::size_t c : key)
        shown += (shown.empty() ? "" : ",") + table.rows[r][c];
      discgeom::detail::throw_error<io_error>("agree", table.source, ": the key (", shown,
                                              ") is on lines ", table.line_of(at->second), " and ",
                                              table.line_of(r), ": --key must name each row once");
    }
    keys.push_back(std::move(joined));
  }
  return keys;
}

/// `discgeom agree`: 0, or 1 when a table cannot be read, lacks a column or repeats a key.
/// \throws usage_error when --out is one of the tables; io_error when the result cannot be written
inline int run_agree(const agree_settings& s) {
  refuse_output_over_input({{"--out", s.out}}, {s.reference, s.test});
  table result{{"measure", "group", "n", "pearson_r", "pearson_p", "mae", "mae_sd", "bias",
                "loa_low", "loa_high", "icc_a1", "ccc", "n_unpaired", "n_missing"},
               {}};
  try {
    const csv_table reference = read_csv(s.reference);
    const csv_table test = read_csv(s.test);
    std::vector<std::size_t> reference_key, test_key;
    for (const std::string& name : split_commas(s.key)) {
      reference_key.push_back(reference.column(name));
      test_key.push_back(test.column(name));
    }
    const auto measures = select_columns(reference, "--measures", s.measures);
    const auto reference_keys = agree_row_keys(reference, reference_key);
    const auto test_keys = agree_row_keys(test, test_key);
    std::map<std::string, std::size_t> reference_rows, test_rows;
    for (std::size_t r = 0; r < reference_keys.size(); ++r)
      reference_rows[reference_keys[r]] = r;
    for (std::size_t t = 0; t < test_keys.size(); ++t)
      test_rows[test_keys[t]] = t;

    // The group of a row: its --by cell in its own table (empty without --by).
    const bool grouped = !s.by.empty();
    const std::size_t reference_by = grouped ? reference.column(s.by) : 0;
    const std::size_t test_by = grouped ? test.column(s.by) : 0;
    struct pairing {
      std::vector<std::pair<std::size_t, std::size_t>> pairs;  // reference row, test row
      std::size_t unpaired = 0;
    };
    std::map<std::string, pairing> groups;  // "" = every row
    std::vector<std::string> group_order;
    const auto group_of = [&](const std::string& name) -> pairing& {
      if (!groups.count(name))
        group_order.push_back(name);
      return groups[name];
    };
    group_of("");
    for (std::size_t r = 0; r < reference_keys.size(); ++r) {  // in row order
      const auto partner = test_rows.find(reference_keys[r]);
      const std::string group = grouped ? reference.rows[r][reference_by] : "";
      if (partner == test_rows.end()) {
        ++groups[""].unpaired;
        if (grouped)
          ++group_of(group).unpaired;
        continue;
      }
      groups[""].pairs.emplace_back(r, partner->second);
      if (grouped)
        group_of(group).pairs.emplace_back(r, partner->second);
    }
    for (std::size_t t = 0; t < test_keys.size(); ++t) {
      if (reference_rows.count(test_keys[t]))
        continue;
      ++groups[""].unpaired;
      if (grouped)
        ++group_of(test.rows[t][test_by]).unpaired;
    }
    const std::size_t unpaired = groups[""].unpaired;
    if (unpaired > 0 && !s.quiet) {
      std::cerr << "discgeom agree: " << unpaired << " rows without a partner (counted in "
                << "n_unpaired, not compared)\n";
    }

    for (const auto& measure : measures) {
      const std::size_t reference_column = reference.column(measure);
      const std::size_t test_column = test.column(measure);
      // Groups in order of first appearance, the overall row last.
      std::vector<std::string> order(group_order.begin() + 1, group_order.end());
      order.push_back("");
      for (const auto& group : order) {
        const pairing& p = groups[group];
        std::vector<double> x, y;
        for (const auto& [r, t] : p.pairs) {
          x.push_back(reference.number(r, reference_column));
          y.push_back(test.number(t, test_column));
        }
        const auto a = agreement(x, y);
        result.rows.push_back(
            {text(measure), text(group), number(static_cast<double>(a.n)), number(a.pearson_r),
             number(a.pearson_p), number(a.mae), number(a.mae_sd), number(a.bias),
             number(a.loa_low), number(a.loa_high), number(a.icc_a1), number(a.ccc),
             number(static_cast<double>(p.unpaired)), number(static_cast<double>(a.n_missing))});
      }
    }
  } catch (const error& failure) {
    std::cerr << "discgeom agree: " << failure.what() << '\n';
    return 1;
  }
  write_table_output(s.out, result, s.format);
  return 0;
}

}  // namespace discgeom::cli
