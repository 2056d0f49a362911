// SPDX-License-Identifier: MIT
#pragma once
// The cells and rows of the measure tables, shared by the discgeom program (examples/discgeom,
// whose table.hpp writes them as CSV or JSON) and the Python module (python/src, which returns
// them as numpy columns). I/O-free: no ITK, no LibTorch, no pybind11.
//
// A number keeps its value here, infinity and NaN included (an infinite Hausdorff distance stays
// inf in the module); the program turns a non-finite number into a missing cell when it takes a
// row (cli::program_row in case_rows.hpp), so its tables are as the contract has them.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace discgeom::rows {

/// One cell of a table: missing, text, or a number.
using cell = std::variant<std::monostate, std::string, double>;

/// One row of a table, a cell per column.
using row = std::vector<cell>;

/// A number, infinity and NaN kept.
inline cell number(double value) {
  return cell{value};
}

/// The optional's number (as a double), or a missing cell when it has none.
template <class Optional>
requires requires(const Optional& o) {
  o.has_value();
}
cell number(const Optional& value) {
  return value ? number(static_cast<double>(*value)) : cell{};
}

/// A count (voxels, pixels, a slice index) as a number.
inline cell count(std::uint64_t value) {
  return cell{static_cast<double>(value)};
}

/// A text cell.
inline cell text(std::string value) {
  return cell{std::move(value)};
}

/// A row that says only `status` (in the column named "status"), every other cell missing:
/// the row of a case or an image with nothing to measure.
inline row status_row(const std::vector<std::string>& columns, const std::string& status) {
  row out(columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c)
    if (columns[c] == "status")
      out[c] = text(status);
  return out;
}

}  // namespace discgeom::rows
