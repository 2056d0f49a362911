// SPDX-License-Identifier: MIT
#pragma once
// Tables of the discgeom program: CSV with a header row (missing values empty, numbers %.10g)
// or the same records as JSON (missing values null).

#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include "discgeom/error.hpp"

namespace discgeom::cli {

/// A cell: text, a number, or missing.
using cell = std::variant<std::monostate, std::string, double>;

inline cell number(double value) {
  return std::isfinite(value) ? cell{value} : cell{};
}
inline cell number(const std::optional<double>& value) {
  return value ? number(*value) : cell{};
}
inline cell text(std::string value) {
  return cell{std::move(value)};
}

struct table {
  std::vector<std::string> columns;
  std::vector<std::vector<cell>> rows;
};

/// The shortest decimal that reads back as the same double (better than the contract's minimum
/// of %.10g: volumes and coordinates survive a round trip through the table exactly).
inline std::string format_number(double value) {
  char buffer[64];
  const auto [end, error] =
      std::to_chars(buffer, buffer + sizeof buffer, value == 0.0 ? 0.0 : value);  // no "-0"
  return error == std::errc{} ? std::string(buffer, end) : std::string("nan");
}

inline std::string csv_escape(const std::string& value) {
  if (value.find_first_of(",\"\n") == std::string::npos)
    return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"')
      quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

inline std::string json_escape(const std::string& value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
      out += buffer;
    } else {
      out += c;
    }
  }
  return out + '"';
}

/// One CSV line (without its newline) of column names.
inline std::string csv_header(const std::vector<std::string>& columns) {
  std::string line;
  for (std::size_t c = 0; c < columns.size(); ++c)
    line += (c ? "," : "") + csv_escape(columns[c]);
  return line;
}

/// One CSV line (without its newline) of cells: text quoted when needed, numbers as
/// format_number writes them, missing values empty.
inline std::string csv_row(const std::vector<cell>& row) {
  std::string line;
  for (std::size_t c = 0; c < row.size(); ++c) {
    if (c)
      line += ',';
    if (const auto* s = std::get_if<std::string>(&row[c]))
      line += csv_escape(*s);
    if (const auto* d = std::get_if<double>(&row[c]))
      line += format_number(*d);
  }
  return line;
}

inline void write_csv(std::ostream& out, const table& t) {
  out << csv_header(t.columns) << '\n';
  for (const auto& row : t.rows)
    out << csv_row(row) << '\n';
}

inline void write_json(std::ostream& out, const table& t) {
  out << "[\n";
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    out << "  {";
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      out << (c ? ", " : "") << json_escape(t.columns[c]) << ": ";
      const auto& value = t.rows[r][c];
      if (const auto* s = std::get_if<std::string>(&value))
        out << json_escape(*s);
      else if (const auto* d = std::get_if<double>(&value))
        out << format_number(*d);
      else
        out << "null";
    }
    out << (r + 1 < t.rows.size() ? "},\n" : "}\n");
  }
  out << "]\n";
}

/// `t` as CSV or, with format "json", as JSON records.
inline void write_table(std::ostream& out, const table& t, const std::string& format) {
  if (format == "json")
    write_json(out, t);
  else
    write_csv(out, t);
}

/// Where a table goes: `path` opened into `file`, or stdout when `path` is empty.
/// \throws io_error naming `command` and the path when the file cannot be written
inline std::ostream& open_output(const std::string& path, std::ofstream& file,
                                 const std::string& command) {
  if (path.empty())
    return std::cout;
  file.open(path);
  if (!file)
    throw io_error(command + "(): cannot write '" + path + "'");
  return file;
}

}  // namespace discgeom::cli
