// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Reading feature tables from CSV (RFC 4180: a header row, comma-separated fields, double
/// quotes around fields that hold commas, quotes or line breaks, "" for a quote inside them;
/// LF or CRLF line ends; a leading UTF-8 byte-order mark is skipped). Cells stay text until a
/// numeric column is asked for; then a cell that is not a number is an error naming the file,
/// the row and the column. Any bytes are safe to parse: what is not such a table (a NUL byte, an
/// unclosed quote, a quote inside an unquoted field, a ragged row, a record or a row wider than
/// the bounds of csv_options, a column named twice) throws io_error naming the source and the
/// line. No library needed: this header depends on the standard library only.

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "discgeom/error.hpp"
#include "discgeom/io/detail/text_header.hpp"

namespace discgeom {

namespace detail {

/// The first pair of equal names, as indices (a < b), or {0, 0} when all differ.
[[nodiscard]] inline std::pair<std::size_t, std::size_t> csv_first_duplicate(
    const std::vector<std::string>& names) {
  std::vector<std::size_t> order(names.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return names[a] < names[b]; });
  std::pair<std::size_t, std::size_t> first{0, 0};
  for (std::size_t i = 1; i < order.size(); ++i) {
    if (names[order[i - 1]] == names[order[i]] && (first.second == 0 || order[i] < first.second))
      first = {order[i - 1], order[i]};
  }
  return first;
}

}  // namespace detail

/// Bounds on what parse_csv accepts, so that no input makes it allocate without limit per row.
struct csv_options {
  /// The longest record (a line, or the lines of a record with quoted line breaks), in bytes.
  std::size_t max_record_bytes = std::size_t{1} << 24;
  /// The most cells a record may have (the header's included).
  std::size_t max_columns = std::size_t{1} << 16;
};

/// A CSV table: the header and the rows as text.
struct csv_table {
  std::string source;  ///< the file name (or what the caller named the text), for messages
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  ///< every row has header.size() cells
  /// The line of the text each row starts on (rows[r] on lines[r]), for messages; when it does
  /// not have one entry per row (a table built by hand), row r is taken to be on line r + 2.
  std::vector<std::size_t> lines;

  /// Index of the column called `name`.
  /// \throws io_error naming the source, the column and the columns there are
  [[nodiscard]] std::size_t column(std::string_view name) const {
    const auto found = std::find(header.begin(), header.end(), name);
    if (found == header.end()) {
      std::string names;
      for (const auto& h : header) {
        names += (names.empty() ? "" : ",") + h;
      }
      detail::throw_error<io_error>("csv_table::column", source, ": no column '",
                                    detail::text_excerpt(name),
                                    "' (columns: ", detail::text_excerpt(names, 2000), ")");
    }
    return static_cast<std::size_t>(found - header.begin());
  }

  /// The line of the text row `row` (0 = the first data row) starts on.
  [[nodiscard]] std::size_t line_of(std::size_t row) const noexcept {
    return lines.size() == rows.size() && row < lines.size() ? lines[row] : row + 2;
  }

  /// Whether a cell means "no value": empty (after trimming spaces), NA, NaN or nan.
  [[nodiscard]] static bool is_missing(std::string_view cell) noexcept {
    return cell.empty() || cell == "NA" || cell == "NaN" || cell == "nan";
  }

  /// The column called `name` as numbers; a missing cell (see is_missing) is NaN.
  /// \throws io_error when the column does not exist, or a cell is not a finite decimal
  ///         number: the message names the source, the row (1 = the first data row), its line
  ///         in the file, the column and the cell's text
  [[nodiscard]] std::vector<double> numeric_column(std::string_view name) const {
    const std::size_t c = column(name);
    std::vector<double> values;
    values.reserve(rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r) {
      values.push_back(parse_cell(rows[r][c], r, name));
    }
    return values;
  }

  /// The cell of row `row` (0 = the first data row) in column `column` as a number; a missing
  /// cell (see is_missing) is NaN.
  /// \throws io_error as numeric_column; precondition_error when row or column is out of range
  [[nodiscard]] double number(std::size_t row, std::size_t column) const {
    DISCGEOM_PRECONDITION(row < rows.size() && column < header.size(), "csv_table::number", source,
                          ": no cell (", row, ", ", column, ") in a table of ", rows.size(),
                          " rows and ", header.size(), " columns");
    return parse_cell(rows[row][column], row, header[column]);
  }

 private:
  [[nodiscard]] double parse_cell(std::string_view text, std::size_t row,
                                  std::string_view name) const {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
      text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
      text.remove_suffix(1);
    }
    if (is_missing(text)) {
      return std::numeric_limits<double>::quiet_NaN();
    }
    std::string_view digits = text;
    if (digits.front() == '+') {
      digits.remove_prefix(1);
    }
    double value = 0.0;
    const auto [end, code] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (code != std::errc{} || end != digits.data() + digits.size() || !std::isfinite(value) ||
        (digits.size() < text.size() && digits.front() == '-')) {
      detail::throw_error<io_error>("csv_table::numeric_column", source, ": row ", row + 1,
                                    " (line ", line_of(row), "), column '",
                                    detail::text_excerpt(name), "': '", detail::text_excerpt(text),
                                    "' is not a number");
    }
    return value;
  }
};

/// Parses CSV text (see the file comment). `source` names the text in messages. Safe for any
/// bytes (a fuzzing entry point): every malformed input throws io_error, and no record may
/// exceed the bounds of `options`.
/// \throws io_error naming the source and the line when the text is empty, has no header, holds
///         a NUL byte, a row has a different number of cells than the header (row and line
///         named), a quoted field is not closed, a quote stands inside an unquoted field or text
///         follows a closing quote, a record exceeds options.max_record_bytes or
///         options.max_columns, or the header names a column twice
[[nodiscard]] inline csv_table parse_csv(std::string_view text, std::string source,
                                         const csv_options& options = {}) {
  csv_table table;
  table.source = std::move(source);
  const auto fail = [&](std::size_t line, const auto&... parts) {
    detail::throw_error<io_error>("parse_csv", table.source, ": line ", line, ": ", parts...);
  };
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);  // a UTF-8 byte-order mark, as spreadsheet programs write
  }
  std::vector<std::string> fields(1);
  bool quoted = false;
  bool field_was_quoted = false;
  bool after_closing_quote = false;
  std::size_t line = 1;
  std::size_t record_line = 1;
  std::size_t record_start = 0;
  const auto end_record = [&] {
    const bool blank = fields.size() == 1 && fields.front().empty() && !field_was_quoted;
    if (!blank) {
      if (table.header.empty()) {
        table.header = std::move(fields);
        if (const auto [a, b] = detail::csv_first_duplicate(table.header); b != 0) {
          fail(record_line, "the header names column '", detail::text_excerpt(table.header[a]),
               "' twice (columns ", a + 1, " and ", b + 1, ")");
        }
      } else {
        if (fields.size() != table.header.size()) {
          detail::throw_error<io_error>("parse_csv", table.source, ": row ", table.rows.size() + 1,
                                        " (line ", record_line, ") has ", fields.size(),
                                        " cells, the header has ", table.header.size());
        }
        table.rows.push_back(std::move(fields));
        table.lines.push_back(record_line);
      }
    }
    fields.assign(1, std::string());
    field_was_quoted = false;
    after_closing_quote = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\0') {
      fail(line, "holds a NUL byte (byte ", i + 1, "): not a text table");
    }
    if (i - record_start >= options.max_record_bytes) {
      fail(record_line, "a record longer than ", options.max_record_bytes,
           " bytes (csv_options::max_record_bytes)");
    }
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
        after_closing_quote = true;
      } else {
        line += c == '\n';
        fields.back() += c;
      }
    } else if (c == ',') {
      if (fields.size() >= options.max_columns) {
        fail(record_line, "more than ", options.max_columns,
             " cells in a record (csv_options::max_columns)");
      }
      fields.emplace_back();
      after_closing_quote = false;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;  // CRLF: the LF ends the record
    } else if (c == '\n') {
      end_record();
      record_line = ++line;
      record_start = i + 1;
    } else if (after_closing_quote) {
      if (c != ' ' && c != '\t') {
        fail(line, "text after the closing quote of a field (cell ", fields.size(), ")");
      }
    } else if (c == '"') {
      if (!fields.back().empty()) {
        fail(line, "a quote inside an unquoted field (cell ", fields.size(),
             "; quote the whole field and double the quote)");
      }
      quoted = true;
      field_was_quoted = true;
    } else {
      fields.back() += c;
    }
  }
  if (quoted) {
    detail::throw_error<io_error>("parse_csv", table.source, ": a quoted field opened on line ",
                                  record_line, " is not closed");
  }
  end_record();
  if (table.header.empty()) {
    detail::throw_error<io_error>("parse_csv", table.source, ": no header row (empty table)");
  }
  return table;
}

/// Reads a CSV file (see parse_csv).
/// \throws io_error when the file cannot be read, and as parse_csv
[[nodiscard]] inline csv_table read_csv(const std::filesystem::path& file,
                                        const csv_options& options = {}) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    detail::throw_error<io_error>("read_csv", file.string(), ": cannot be opened for reading");
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    detail::throw_error<io_error>("read_csv", file.string(), ": read failed");
  }
  return parse_csv(text.str(), file.string(), options);
}

}  // namespace discgeom
