// SPDX-License-Identifier: MIT
#include "discgeom/stats/correlation_matrix.hpp"

#include <cmath>
#include <limits>
#include <random>
#include <span>
#include <vector>

#include <catch2/catch.hpp>

using discgeom::correlation_method;

namespace {

const double missing = std::numeric_limits<double>::quiet_NaN();

std::vector<std::vector<double>> random_columns(std::size_t count, std::size_t rows,
                                                std::uint64_t seed, bool with_ties) {
  std::mt19937_64 generator(seed);
  std::normal_distribution<double> normal;
  std::vector<std::vector<double>> columns(count, std::vector<double>(rows));
  for (std::size_t c = 0; c < count; ++c) {
    for (std::size_t k = 0; k < rows; ++k) {
      const double shared = c > 0 ? 0.3 * columns[0][k] : 0.0;
      columns[c][k] = shared + normal(generator);
      if (with_ties && c % 2 == 1) {
        columns[c][k] = std::round(columns[c][k]);
      }
    }
  }
  return columns;
}

}  // namespace

TEST_CASE("correlation_matrix: every cell equals correlate of its pair", "[stats]") {
  // 6 x 5 features (not multiples of the 4 x 4 tile), 1500 rows (the radix ranking route), ties,
  // missing values in two columns and a constant column.
  auto x = random_columns(6, 1500, 1, true);
  auto y = random_columns(5, 1500, 2, true);
  x[2][10] = missing;
  y[3][700] = missing;
  y[4].assign(1500, 1.25);
  for (auto method :
       {correlation_method::pearson, correlation_method::spearman, correlation_method::kendall}) {
    const auto matrix = discgeom::correlation_matrix(
        x, y, {.correlation = {.method = method}, .adjustment = discgeom::p_adjustment::holm});
    std::vector<double> p;
    for (std::size_t i = 0; i < x.size(); ++i) {
      for (std::size_t j = 0; j < y.size(); ++j) {
        INFO(to_string(method) << " cell " << i << "," << j);
        const auto pair = discgeom::correlate(x[i], y[j], {.method = method});
        const auto& cell = matrix(i, j);
        CHECK(cell.status == pair.status);
        CHECK(cell.n == pair.n);
        CHECK(cell.n_missing == pair.n_missing);
        if (std::isnan(pair.r)) {
          CHECK(std::isnan(cell.r));
        } else {
          CHECK(cell.r == Approx(pair.r).margin(1e-14));
          CHECK(cell.p == Approx(pair.p).epsilon(1e-10).margin(1e-300));
          CHECK(cell.ci_low == Approx(pair.ci_low).margin(1e-13));
        }
        p.push_back(pair.p);
      }
    }
    const auto holm = discgeom::adjust_p_values(p, discgeom::p_adjustment::holm);
    for (std::size_t c = 0; c < p.size(); ++c) {
      if (std::isnan(holm[c])) {
        CHECK(std::isnan(matrix.p_adjusted[c]));
      } else {
        CHECK(matrix.p_adjusted[c] == Approx(holm[c]).epsilon(1e-9).margin(1e-300));
      }
    }
  }
}

TEST_CASE("correlation_matrix: a feature against itself", "[stats]") {
  const auto x = random_columns(9, 200, 4, false);
  const auto matrix = discgeom::correlation_matrix(x, x);
  for (std::size_t i = 0; i < x.size(); ++i) {
    CHECK(matrix(i, i).r == Approx(1.0).margin(1e-15));
    for (std::size_t j = 0; j < x.size(); ++j) {
      CHECK(matrix(i, j).r == Approx(matrix(j, i).r).margin(1e-15));
    }
  }
  CHECK(matrix.p_adjusted.size() == 81);
  CHECK(matrix.p_adjusted[1] == matrix(0, 1).p);  // adjustment none: unchanged
}

TEST_CASE("correlation_matrix: spans and too few rows", "[stats]") {
  const std::vector<double> a{1, 2, 3, 4, 5};
  const std::vector<double> b{2, 1, 4, 3, 5};
  const std::vector<std::span<const double>> columns{a, b};
  const auto matrix = discgeom::correlation_matrix(columns, columns);
  CHECK(matrix(0, 1).r == Approx(0.8));
  // Columns that are not contiguous doubles are copied: the same cells.
  const std::vector<std::vector<float>> as_float{{1, 2, 3, 4, 5}, {2, 1, 4, 3, 5}};
  const auto from_float = discgeom::correlation_matrix(as_float, columns);
  CHECK(from_float(1, 0).r == matrix(1, 0).r);
  CHECK(from_float(0, 1).p == matrix(0, 1).p);
  const std::vector<std::vector<double>> two_rows{{1, 2}, {2, 1}};
  const auto few = discgeom::correlation_matrix(two_rows, two_rows);
  CHECK(few(0, 1).status == discgeom::correlation_status::too_few);
  const std::vector<std::vector<double>> none;
  CHECK(discgeom::correlation_matrix(none, two_rows).cells.empty());
}

TEST_CASE("correlation_matrix: columns of different lengths are refused, named", "[stats]") {
  const std::vector<std::vector<double>> x{{1, 2, 3, 4}, {1, 2, 3, 4}};
  const std::vector<std::vector<double>> y{{1, 2, 3, 4}, {1, 2, 3}};
  REQUIRE_THROWS_WITH(discgeom::correlation_matrix(x, y),
                      Catch::Contains("correlation_matrix()") && Catch::Contains("y column 1") &&
                          Catch::Contains("has 3 values") && Catch::Contains("has 4"));
  const std::vector<std::vector<double>> infinite{{1, 2, std::numeric_limits<double>::infinity()}};
  REQUIRE_THROWS_WITH(discgeom::correlation_matrix(infinite, infinite),
                      Catch::Contains("x column 0 row 2 is infinite"));
}
