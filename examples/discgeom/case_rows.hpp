// SPDX-License-Identifier: MIT
#pragma once
// The shared rows of the measure tables (rows/*.hpp, also the Python module's) as the program's:
// behind a "case" column, and with the program's rule for numbers: a non-finite number (an
// infinite Hausdorff distance, a NaN ratio) is a missing cell, written empty in CSV and null in
// JSON (table.hpp), as number() makes it.

#include <cmath>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "rows/cells.hpp"
#include "table.hpp"

namespace discgeom::cli {

static_assert(std::is_same_v<cell, rows::cell>, "the program's cells are the shared rows' cells");

/// A shared row as the program's: each non-finite number becomes a missing cell.
inline std::vector<cell> program_row(rows::row row) {
  for (auto& value : row)
    if (const auto* d = std::get_if<double>(&value); d && !std::isfinite(*d))
      value = cell{};
  return row;
}

/// A shared row as the program's (program_row) behind the case's name, for case_columns.
inline std::vector<cell> case_row(const std::string& name, rows::row row) {
  row.insert(row.begin(), text(name));
  return program_row(std::move(row));
}

/// A shared table's columns behind the program's "case" column.
inline std::vector<std::string> case_columns(std::vector<std::string> columns) {
  columns.insert(columns.begin(), "case");
  return columns;
}

}  // namespace discgeom::cli
