// SPDX-License-Identifier: MIT
#pragma once
// Tables of the discgeom program: CSV with a header row (missing values empty, numbers in the
// shortest form that reads back as the same double) or the same records as JSON through
// nlohmann-json (missing values null). A table file is written in one way only,
// write_table_atomically: through a temporary and a rename, with errno's reason on failure.

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "discgeom/detail/atomic_file.hpp"
#include "discgeom/enum_names.hpp"
#include "discgeom/error.hpp"

namespace discgeom::cli {

/// How a command writes its table (--format).
enum class table_format { csv, json };

}  // namespace discgeom::cli

template <>
struct discgeom::enum_names<discgeom::cli::table_format> {
  static constexpr std::array<enum_name<cli::table_format>, 2> table{{
      {cli::table_format::csv, "csv"},
      {cli::table_format::json, "json"},
  }};
};

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

/// One CSV line (without its newline) of column names.
inline std::string csv_header(const std::vector<std::string>& columns) {
  std::string line;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (c > 0)
      line += ',';  // appended: GCC 12 -O3 warns falsely (-Wrestrict) on "," + std::string
    line += csv_escape(columns[c]);
  }
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

/// A cell as JSON: text as a string, a whole number below 2^53 as an integer (240, not 240.0),
/// any other number in nlohmann-json's shortest round-trip form, a missing value as null.
inline nlohmann::ordered_json json_cell(const cell& value) {
  if (const auto* s = std::get_if<std::string>(&value))
    return *s;
  if (const auto* d = std::get_if<double>(&value)) {
    if (std::trunc(*d) == *d && std::fabs(*d) < 9007199254740992.0)
      return static_cast<std::int64_t>(*d);
    return *d;
  }
  return nullptr;
}

/// `t` as a JSON array of records (nlohmann-json, indented by 2), keys in column order; text
/// that is not UTF-8 has its bad bytes replaced by U+FFFD rather than failing the table.
inline void write_json(std::ostream& out, const table& t) {
  nlohmann::ordered_json records = nlohmann::ordered_json::array();
  for (const auto& row : t.rows) {
    nlohmann::ordered_json record = nlohmann::ordered_json::object();
    for (std::size_t c = 0; c < t.columns.size(); ++c)
      record[t.columns[c]] = json_cell(row[c]);
    records.push_back(std::move(record));
  }
  out << records.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

/// `t` as CSV or as JSON records.
inline void write_table(std::ostream& out, const table& t, table_format format) {
  if (format == table_format::json)
    write_json(out, t);
  else
    write_csv(out, t);
}

/// Writes a table to `file` through `file.partial` and a rename (detail::write_atomically): a
/// crash or a full disk never leaves a truncated table under the real name.
/// \throws io_error "write_table(): FILE: cannot be written: REASON", REASON errno's ("No space
///         left on device", "No such file or directory", ...)
inline void write_table_atomically(const std::filesystem::path& file, const table& t,
                                   table_format format = table_format::csv) {
  detail::write_atomically(file, "write_table", [&](const std::filesystem::path& temporary) {
    errno = 0;  // the reason below is this write's, not an earlier call's
    std::ofstream out(temporary);
    write_table(out, t, format);
    out.close();
    if (!out)
      throw std::runtime_error(detail::stream_failure_reason());
  });
}

/// Writes a command's table: to `path` as write_table_atomically does, or to stdout when
/// `path` is empty, flushed and checked (a full disk behind a redirection is an error too).
/// \throws io_error naming the file (or stdout) and errno's reason when it cannot be written
inline void write_table_output(const std::string& path, const table& t, table_format format) {
  if (!path.empty()) {
    write_table_atomically(path, t, format);
    return;
  }
  errno = 0;
  write_table(std::cout, t, format);
  std::cout.flush();
  if (!std::cout)
    throw io_error("write_table(): stdout: cannot be written: " + detail::stream_failure_reason());
}

}  // namespace discgeom::cli
