// SPDX-License-Identifier: MIT
// Fuzzes parse_csv (with the default bounds and with tight ones) and the numeric accessors of
// the table it returns (column, numeric_column, number). Expected: a table, or io_error naming
// the source. A finding: any other exception, a ragged table, lines out of order, a number that
// is neither finite nor a missing value's NaN, numeric_column and number disagreeing.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "discgeom/error.hpp"
#include "discgeom/io/csv.hpp"
#include "fuzz_check.hpp"

namespace {

using namespace discgeom_fuzz;

void expected_error(const discgeom::error& e) {
  require(dynamic_cast<const discgeom::io_error*>(&e) != nullptr,
          "the CSV reader threw a discgeom::error other than io_error");
  require_names(e, "fuzz.csv");
}

std::string_view trimmed(std::string_view cell) {
  while (!cell.empty() && (cell.front() == ' ' || cell.front() == '\t'))
    cell.remove_prefix(1);
  while (!cell.empty() && (cell.back() == ' ' || cell.back() == '\t'))
    cell.remove_suffix(1);
  return cell;
}

void check_numbers(const discgeom::csv_table& table, std::size_t c) {
  bool column_refused = false;
  try {
    const auto values = table.numeric_column(table.header[c]);
    require(values.size() == table.rows.size(), "numeric_column's length is not the rows'");
    for (std::size_t r = 0; r < values.size(); ++r) {
      require(std::isfinite(values[r]) || std::isnan(values[r]), "a number that is infinite");
      require(std::isnan(values[r]) == discgeom::csv_table::is_missing(trimmed(table.rows[r][c])),
              "NaN for a cell that is not missing, or a number for one that is");
    }
  } catch (const discgeom::error& e) {
    expected_error(e);
    column_refused = true;
  }
  bool cell_refused = false;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    try {
      const double value = table.number(r, c);
      require(std::isfinite(value) || std::isnan(value), "a number that is infinite");
    } catch (const discgeom::error& e) {
      expected_error(e);
      cell_refused = true;
    }
  }
  require(column_refused == cell_refused, "numeric_column and number disagree on a column");
}

void check_table(const discgeom::csv_table& table) {
  require(!table.header.empty(), "a table without a header");
  require(table.lines.size() == table.rows.size(), "not one line per row");
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    require(table.rows[r].size() == table.header.size(), "a ragged row");
    require(table.line_of(r) >= 2 && (r == 0 || table.line_of(r) > table.line_of(r - 1)),
            "rows' lines out of order");
  }
  for (std::size_t c = 0; c < table.header.size(); ++c) {
    require(table.column(table.header[c]) == c, "column() finds another column of that name");
    check_numbers(table, c);
  }
  std::string absent = "\x01";  // a name no header has
  while (std::find(table.header.begin(), table.header.end(), absent) != table.header.end())
    absent += '\x01';
  try {
    (void)table.column(absent);
    require(false, "column() found a column no header names");
  } catch (const discgeom::error& e) {
    expected_error(e);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = as_text(data, size);
  for (const auto& options :
       {discgeom::csv_options{}, discgeom::csv_options{.max_record_bytes = 64, .max_columns = 8}}) {
    try {
      check_table(discgeom::parse_csv(text, "fuzz.csv", options));
    } catch (const discgeom::error& e) {
      expected_error(e);
    }
  }
  return 0;
}
