// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Reading feature tables from CSV (RFC 4180: a header row, comma-separated fields, double
/// quotes around fields that hold commas, quotes or line breaks, "" for a quote inside them;
/// LF or CRLF line ends). Cells stay text until a numeric column is asked for; then a cell
/// that is not a number is an error naming the file, the row and the column. No library
/// needed: this header depends on the standard library only.

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
#include <vector>

#include "discgeom/error.hpp"

namespace discgeom {

/// A CSV table: the header and the rows as text.
struct csv_table {
  std::string source;  ///< the file name (or what the caller named the text), for messages
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  ///< every row has header.size() cells

  /// Index of the column called `name`.
  /// \throws io_error naming the source, the column and the columns there are
  [[nodiscard]] std::size_t column(std::string_view name) const {
    const auto found = std::find(header.begin(), header.end(), name);
    if (found == header.end()) {
      std::string names;
      for (const auto& h : header) {
        names += (names.empty() ? "" : ",") + h;
      }
      detail::throw_error<io_error>("csv_table::column", source, ": no column '", name,
                                    "' (columns: ", names, ")");
    }
    return static_cast<std::size_t>(found - header.begin());
  }

  /// Whether a cell means "no value": empty (after trimming spaces), NA, NaN or nan.
  [[nodiscard]] static bool is_missing(std::string_view cell) noexcept {
    return cell.empty() || cell == "NA" || cell == "NaN" || cell == "nan";
  }

  /// The column called `name` as numbers; a missing cell (see is_missing) is NaN.
  /// \throws io_error when the column does not exist, or a cell is not a finite decimal
  ///         number: the message names the source, the row (1 = the first data row, and the
  ///         line of the file), the column and the cell's text
  [[nodiscard]] std::vector<double> numeric_column(std::string_view name) const {
    const std::size_t c = column(name);
    std::vector<double> values;
    values.reserve(rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r) {
      values.push_back(parse_cell(rows[r][c], r, name));
    }
    return values;
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
    if (code != std::errc{} || end != digits.data() + digits.size() || !std::isfinite(value)) {
      detail::throw_error<io_error>("csv_table::numeric_column", source, ": row ", row + 1,
                                    " (line ", row + 2, "), column '", name, "': '", text,
                                    "' is not a number");
    }
    return value;
  }
};

/// Parses CSV text (see the file comment). `source` names the text in messages.
/// \throws io_error when the text is empty, has no header, a row has a different number of
///         cells than the header (row and line named), or a quoted field is not closed
[[nodiscard]] inline csv_table parse_csv(std::string_view text, std::string source) {
  csv_table table;
  table.source = std::move(source);
  std::vector<std::string> fields(1);
  bool quoted = false;
  bool field_was_quoted = false;
  std::size_t line = 1;
  std::size_t record_line = 1;
  const auto end_record = [&] {
    const bool blank = fields.size() == 1 && fields.front().empty() && !field_was_quoted;
    if (!blank) {
      if (table.header.empty()) {
        table.header = std::move(fields);
      } else {
        if (fields.size() != table.header.size()) {
          detail::throw_error<io_error>("parse_csv", table.source, ": row ", table.rows.size() + 1,
                                        " (line ", record_line, ") has ", fields.size(),
                                        " cells, the header has ", table.header.size());
        }
        table.rows.push_back(std::move(fields));
      }
    }
    fields.assign(1, std::string());
    field_was_quoted = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        line += c == '\n';
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
      field_was_quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;  // CRLF: the LF ends the record
    } else if (c == '\n') {
      end_record();
      record_line = ++line;
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
[[nodiscard]] inline csv_table read_csv(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    detail::throw_error<io_error>("read_csv", file.string(), ": cannot be opened for reading");
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    detail::throw_error<io_error>("read_csv", file.string(), ": read failed");
  }
  return parse_csv(text.str(), file.string());
}

}  // namespace discgeom
