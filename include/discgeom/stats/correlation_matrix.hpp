// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The correlation of every feature of one set with every feature of another (latent features
/// against geometric features, as in Perrone et al.), each cell with its coefficient, p-value,
/// interval and status, and the family of p-values adjusted for multiple testing.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <ranges>
#include <span>
#include <type_traits>
#include <vector>

#include "discgeom/error.hpp"
#include "discgeom/stats/correlation.hpp"
#include "discgeom/stats/multiple_testing.hpp"
#include "discgeom/stats/sample.hpp"

namespace discgeom {

struct correlation_matrix_options {
  correlation_options correlation;               ///< method, alternative, interval of every cell
  p_adjustment adjustment = p_adjustment::none;  ///< over all cells with a p-value
};

/// Cells in row-major order: cell (i, j) is x feature i against y feature j.
struct correlation_matrix_result {
  std::size_t x_features = 0;
  std::size_t y_features = 0;
  std::vector<correlation_result> cells;
  std::vector<double> p_adjusted;  ///< same layout; equal to p when adjustment is none

  [[nodiscard]] const correlation_result& operator()(std::size_t i, std::size_t j) const {
    return cells[i * y_features + j];
  }
  [[nodiscard]] double adjusted_p(std::size_t i, std::size_t j) const {
    return p_adjusted[i * y_features + j];
  }
};

namespace detail {

/// A feature column ready for the matrix: its values, whether any is missing, and, when none
/// is, the mean and the inverse norm that centre and scale the values (or their ranks, for
/// Spearman) to unit length, so that Pearson's r of two such columns is their dot product.
struct prepared_column {
  std::vector<double> copy;        ///< the values, when the caller's are not contiguous doubles
  std::span<const double> values;  ///< the caller's contiguous doubles, or `copy`
  bool has_missing = false;
  bool constant = false;
  std::vector<double> ranks;  ///< Spearman, complete columns: the average ranks
  bool standardised = false;  ///< complete and not constant: mean and inverse_norm hold
  double mean = 0.0;          ///< of the values (or ranks); meaningful for complete columns
  double inverse_norm = 0.0;  ///< 1 / ||v - mean||
  std::vector<std::uint32_t> present_order;  ///< rows with a value, by increasing value
};

/// The rows of a column that hold a value, in increasing order of value (Spearman with missing
/// values: sorted once per column, so each pair ranks in O(n) instead of sorting again).
inline void order_present_rows(prepared_column& column, correlation_scratch& scratch) {
  std::vector<double> present;
  std::vector<std::uint32_t> rows_of_present;
  for (std::size_t k = 0; k < column.values.size(); ++k) {
    if (!std::isnan(column.values[k])) {
      present.push_back(column.values[k]);
      rows_of_present.push_back(static_cast<std::uint32_t>(k));
    }
  }
  order_by_value(present, scratch.order, scratch.radix);
  column.present_order.resize(present.size());
  for (std::size_t i = 0; i < present.size(); ++i) {
    column.present_order[i] = rows_of_present[scratch.order[i]];
  }
}

/// Spearman's coefficient of the rows where both columns hold a value, from their presorted
/// orders: each side's average ranks among those rows (written by row into x_ranks and
/// y_ranks), then Pearson's r of the rank pairs. Returns the rank pairs' count in `pairs`.
inline coefficient spearman_of_present_pairs(const prepared_column& x, const prepared_column& y,
                                             correlation_scratch& scratch, paired_values& pairs) {
  const std::size_t rows = x.values.size();
  scratch.x_ranks.resize(rows);
  scratch.y_ranks.resize(rows);
  const auto rank_where_other_present =
      [&](const prepared_column& side, const prepared_column& other, std::vector<double>& ranks) {
        scratch.order.clear();
        for (std::uint32_t row : side.present_order) {
          if (!std::isnan(other.values[row])) {
            scratch.order.push_back(row);
          }
        }
        average_ranks_in_order(side.values, scratch.order, ranks);
      };
  rank_where_other_present(x, y, scratch.x_ranks);
  rank_where_other_present(y, x, scratch.y_ranks);
  pairs.x.clear();
  pairs.y.clear();
  for (std::size_t k = 0; k < rows; ++k) {
    if (!std::isnan(x.values[k]) && !std::isnan(y.values[k])) {
      pairs.x.push_back(scratch.x_ranks[k]);
      pairs.y.push_back(scratch.y_ranks[k]);
    }
  }
  pairs.n_missing = rows - pairs.x.size();
  coefficient c;
  if (pairs.x.size() >= 3) {
    c.r = pearson_of_pairs(pairs.x, pairs.y, c.constant_x, c.constant_y);
  }
  return c;
}

/// A column scaled on the fly: (data[k] - mean) * scale.
struct standardised_column {
  const double* data = nullptr;
  double mean = 0.0;
  double scale = 0.0;
};

inline void standardise_column(prepared_column& column, correlation_method method,
                               correlation_scratch& scratch) {
  if (column.has_missing || method == correlation_method::kendall || column.values.empty()) {
    return;
  }
  std::span<const double> v = column.values;  // its mean was summed while checking it
  if (method == correlation_method::spearman) {
    ranks_of(column.values, scratch, column.ranks);
    v = column.ranks;
    column.mean = 0.5 * static_cast<double>(v.size() + 1);  // of the ranks 1..n, ties or not
  }
  column.constant =
      std::all_of(v.begin(), v.end(), [&](double value) { return value == v.front(); });
  if (column.constant) {
    return;
  }
  double squares = 0.0;
  for (double value : v) {
    squares += (value - column.mean) * (value - column.mean);
  }
  column.inverse_norm = 1.0 / std::sqrt(squares);
  column.standardised = true;
}

/// Copies rows [begin, end) of the columns `columns[first .. first + 4)`, standardised, into
/// `panel` as [row][4] (columns past the end as zeros): four values the kernel loads together.
inline void pack_panel(std::span<const standardised_column> columns, std::size_t first,
                       std::size_t begin, std::size_t end, double* panel) {
  for (std::size_t u = 0; u < 4; ++u) {
    if (first + u >= columns.size()) {
      for (std::size_t k = begin; k < end; ++k) {
        panel[(k - begin) * 4 + u] = 0.0;
      }
      continue;
    }
    const standardised_column& c = columns[first + u];
    for (std::size_t k = begin; k < end; ++k) {
      panel[(k - begin) * 4 + u] = (c.data[k] - c.mean) * c.scale;
    }
  }
}

/// out[i * b.size() + j] = sum_k a[i][k] b[j][k] over k < n: every dot product of two sets of
/// columns. Rows go in blocks that stay in cache; within a block, four columns of each set are
/// packed side by side, so that the 4 x 4 tile of sums is updated by contiguous four-wide
/// multiply-adds the compiler turns into SIMD instructions at any vector width.
inline void cross_products(std::span<const standardised_column> a,
                           std::span<const standardised_column> b, std::size_t n,
                           std::span<double> out) {
  constexpr std::size_t rows_per_block = 256;
  const std::size_t na = a.size();
  const std::size_t nb = b.size();
  const std::size_t a_tiles = (na + 3) / 4;
  const std::size_t b_tiles = (nb + 3) / 4;
  std::fill(out.begin(), out.end(), 0.0);
  std::vector<double> a_panels(a_tiles * rows_per_block * 4);
  std::vector<double> b_panels(b_tiles * rows_per_block * 4);
  for (std::size_t begin = 0; begin < n; begin += rows_per_block) {
    const std::size_t end = std::min(n, begin + rows_per_block);
    const std::size_t length = end - begin;
    for (std::size_t t = 0; t < a_tiles; ++t) {
      pack_panel(a, 4 * t, begin, end, a_panels.data() + t * rows_per_block * 4);
    }
    for (std::size_t t = 0; t < b_tiles; ++t) {
      pack_panel(b, 4 * t, begin, end, b_panels.data() + t * rows_per_block * 4);
    }
    for (std::size_t ta = 0; ta < a_tiles; ++ta) {
      const double* pa = a_panels.data() + ta * rows_per_block * 4;
      for (std::size_t tb = 0; tb < b_tiles; ++tb) {
        const double* pb = b_panels.data() + tb * rows_per_block * 4;
        double s[4][4] = {};
        for (std::size_t k = 0; k < length; ++k) {
          const double* ak = pa + 4 * k;
          const double* bk = pb + 4 * k;
          for (std::size_t u = 0; u < 4; ++u) {
            for (std::size_t v = 0; v < 4; ++v) {
              s[u][v] += ak[u] * bk[v];
            }
          }
        }
        for (std::size_t u = 0; u < 4 && 4 * ta + u < na; ++u) {
          for (std::size_t v = 0; v < 4 && 4 * tb + v < nb; ++v) {
            out[(4 * ta + u) * nb + 4 * tb + v] += s[u][v];
          }
        }
      }
    }
  }
}

template <sample_columns Columns>
std::vector<prepared_column> prepare_columns(Columns&& columns, const char* argument,
                                             std::size_t& rows, bool& rows_known) {
  std::vector<prepared_column> prepared;
  std::size_t index = 0;
  for (auto&& column : columns) {
    prepared_column p;
    using column_type = std::remove_cvref_t<decltype(column)>;
    if constexpr (std::ranges::contiguous_range<column_type> &&
                  std::same_as<std::ranges::range_value_t<column_type>, double>) {
      p.values = std::span<const double>(std::ranges::data(column), std::ranges::size(column));
    } else {
      p.copy = sample_values(column);
      p.values = p.copy;
    }
    if (!rows_known) {
      rows = p.values.size();
      rows_known = true;
    }
    DISCGEOM_PRECONDITION(p.values.size() == rows, "correlation_matrix", argument, " column ",
                          index, " has ", p.values.size(), " values, the first column has ", rows);
    // Branch-free counts first (they vectorise); the slow search only to name a bad row.
    std::size_t missing = 0;
    std::size_t infinite = 0;
    double sum = 0.0;
    for (const double value : p.values) {
      missing += value != value ? 1 : 0;
      infinite += std::fabs(value) == std::numeric_limits<double>::infinity() ? 1 : 0;
      sum += value;
    }
    p.mean = sum / static_cast<double>(p.values.size());
    for (std::size_t k = 0; infinite > 0 && k < p.values.size(); ++k) {
      DISCGEOM_PRECONDITION(!std::isinf(p.values[k]), "correlation_matrix", argument, " column ",
                            index, " row ", k, " is infinite (NaN marks a missing value)");
    }
    p.has_missing = missing > 0;
    prepared.push_back(std::move(p));
    ++index;
  }
  return prepared;
}

}  // namespace detail

/// Correlates every column of `x` with every column of `y` (cell (i, j) = correlate(x[i], y[j])
/// with options.correlation, pairwise deletion per cell) and adjusts the p-values of all cells
/// together (options.adjustment; cells without a p-value are not counted in the family).
///
/// Every cell equals what `correlate` gives for the pair (to rounding). Pearson and Spearman
/// cells of two columns without missing values take a fast route: each column is centred and
/// scaled once (ranked first for Spearman, by an O(n) radix sort), and all coefficients are the
/// dot products of those unit columns, computed in cache-sized blocks; a pair with a missing
/// value is gathered and computed on its own, and so is every Kendall cell.
///
/// \tparam X, Y ranges of samples (columns); all columns of both sets have the same length
/// \returns x.size() * y.size() cells, row-major, and their adjusted p-values
/// \throws precondition_error when a column's length differs from the first column's (both
///         named), a value is infinite, or a correlation option is out of range
/// Complexity: O(n (p + q) + n p q / blocked) for complete Pearson/Spearman columns (p, q the
/// feature counts); O(p q n log n) for Kendall or columns with missing values.
///
///   const auto m = discgeom::correlation_matrix(latents, geometry,
///       {.correlation = {.method = discgeom::correlation_method::spearman},
///        .adjustment = discgeom::p_adjustment::holm});
template <sample_columns X, sample_columns Y>
[[nodiscard]] correlation_matrix_result correlation_matrix(
    X&& x, Y&& y, const correlation_matrix_options& options = {}) {
  const correlation_options& single = options.correlation;
  detail::check_correlation_options(single, "correlation_matrix");
  std::size_t rows = 0;
  bool rows_known = false;
  std::vector<detail::prepared_column> xs = detail::prepare_columns(x, "x", rows, rows_known);
  std::vector<detail::prepared_column> ys = detail::prepare_columns(y, "y", rows, rows_known);

  correlation_matrix_result result;
  result.x_features = xs.size();
  result.y_features = ys.size();
  result.cells.resize(xs.size() * ys.size());
  detail::correlation_scratch scratch;
  for (auto* set : {&xs, &ys}) {
    for (auto& column : *set) {
      detail::standardise_column(column, single.method, scratch);
    }
  }

  // Dot products of the unit columns: the coefficients of every complete, non-constant pair.
  std::vector<detail::standardised_column> x_units;
  std::vector<detail::standardised_column> y_units;
  std::vector<std::size_t> x_unit_index(xs.size(), SIZE_MAX);
  std::vector<std::size_t> y_unit_index(ys.size(), SIZE_MAX);
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (xs[i].standardised) {
      const auto& c = xs[i];
      x_unit_index[i] = x_units.size();
      x_units.push_back(
          {c.ranks.empty() ? c.values.data() : c.ranks.data(), c.mean, c.inverse_norm});
    }
  }
  for (std::size_t j = 0; j < ys.size(); ++j) {
    if (ys[j].standardised) {
      const auto& c = ys[j];
      y_unit_index[j] = y_units.size();
      y_units.push_back(
          {c.ranks.empty() ? c.values.data() : c.ranks.data(), c.mean, c.inverse_norm});
    }
  }
  std::vector<double> products(x_units.size() * y_units.size());
  detail::cross_products(x_units, y_units, rows, products);

  // Spearman with missing values and the Fisher-z interval: rank each pair from presorted rows.
  const bool any_missing =
      std::any_of(xs.begin(), xs.end(), [](const auto& c) { return c.has_missing; }) ||
      std::any_of(ys.begin(), ys.end(), [](const auto& c) { return c.has_missing; });
  const bool presorted = single.method == correlation_method::spearman && any_missing &&
                         single.interval != correlation_interval::bootstrap;
  if (presorted) {
    for (auto* set : {&xs, &ys}) {
      for (auto& column : *set) {
        detail::order_present_rows(column, scratch);
      }
    }
  }
  detail::paired_values pairs;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    for (std::size_t j = 0; j < ys.size(); ++j) {
      correlation_result& cell = result.cells[i * ys.size() + j];
      const bool complete = !xs[i].has_missing && !ys[j].has_missing;
      if (complete && single.method != correlation_method::kendall && rows >= 3) {
        detail::coefficient c;
        c.constant_x = xs[i].constant;
        c.constant_y = ys[j].constant;
        if (!c.constant_x && !c.constant_y) {
          c.r = std::clamp(products[x_unit_index[i] * y_units.size() + y_unit_index[j]], -1.0, 1.0);
        }
        cell = detail::finish_correlation(c, xs[i].values, ys[j].values, 0, single, scratch);
      } else if (presorted) {
        const detail::coefficient c =
            detail::spearman_of_present_pairs(xs[i], ys[j], scratch, pairs);
        if (pairs.x.size() < 3) {
          cell = correlation_result{
              .method = single.method, .n = pairs.x.size(), .n_missing = pairs.n_missing};
        } else {
          // The ranks stand in for the values: the Fisher-z interval needs only r and n.
          cell = detail::finish_correlation(c, pairs.x, pairs.y, pairs.n_missing, single, scratch);
        }
      } else {
        detail::keep_complete_pairs(xs[i].values, ys[j].values, pairs);
        cell = detail::correlate_pairs(pairs.x, pairs.y, pairs.n_missing, single, scratch);
      }
    }
  }
  std::vector<double> p(result.cells.size());
  std::transform(result.cells.begin(), result.cells.end(), p.begin(),
                 [](const correlation_result& cell) { return cell.p; });
  result.p_adjusted = adjust_p_values(p, options.adjustment);
  return result;
}

}  // namespace discgeom
