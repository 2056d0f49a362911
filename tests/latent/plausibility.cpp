// SPDX-License-Identifier: MIT
#include "discgeom/latent/plausibility.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

namespace {

/// d_k by brute force: the mean of the k smallest distances.
double brute_force_distance(const std::vector<std::vector<double>>& columns,
                            const std::vector<double>& code, std::size_t k, std::size_t skip) {
  std::vector<double> distances;
  for (std::size_t c = 0; c < columns.front().size(); ++c) {
    if (c == skip) {
      continue;
    }
    double squared = 0.0;
    for (std::size_t f = 0; f < columns.size(); ++f) {
      squared += (columns[f][c] - code[f]) * (columns[f][c] - code[f]);
    }
    distances.push_back(std::sqrt(squared));
  }
  std::sort(distances.begin(), distances.end());
  double sum = 0.0;
  for (std::size_t i = 0; i < k; ++i) {
    sum += distances[i];
  }
  return sum / static_cast<double>(k);
}

}  // namespace

TEST_CASE("plausibility: codes on a line, by hand", "[latent]") {
  // Eleven real codes (0, 0) ... (10, 0). With k = 2 inner codes have mean distance 1 to their
  // two nearest others, the ends 1.5: the median D is 1.
  std::vector<std::vector<double>> columns(2, std::vector<double>(11, 0.0));
  for (std::size_t c = 0; c < 11; ++c) {
    columns[0][c] = static_cast<double>(c);
  }
  const discgeom::latent_plausibility plausible(columns, {.k = 2});
  CHECK(plausible.typical_distance() == 1.0);
  CHECK(plausible.status() == discgeom::plausibility_status::ok);
  // (5, 3): nearest (5, 0) at 3, then (4, 0) or (6, 0) at sqrt(10).
  const std::vector<double> off{5.0, 3.0};
  CHECK(plausible.distance(off) == Approx((3.0 + std::sqrt(10.0)) / 2.0).epsilon(1e-15));
  CHECK(plausible(off) == Approx((3.0 + std::sqrt(10.0)) / 2.0).epsilon(1e-15));
  // A real code itself: distances 0 and 1.
  CHECK(plausible(std::vector<double>{3.0, 0.0}) == 0.5);
}

TEST_CASE("plausibility: equals a brute-force search in 8 dimensions", "[latent]") {
  std::mt19937_64 generator(8);
  std::normal_distribution<double> normal;
  std::vector<std::vector<double>> columns(8, std::vector<double>(150));
  for (auto& column : columns) {
    for (double& v : column) {
      v = normal(generator);
    }
  }
  const discgeom::latent_plausibility plausible(columns, {.k = 4});
  std::vector<double> own;
  for (std::size_t c = 0; c < 150; ++c) {
    std::vector<double> code(8);
    for (std::size_t f = 0; f < 8; ++f) {
      code[f] = columns[f][c];
    }
    own.push_back(brute_force_distance(columns, code, 4, c));
  }
  std::sort(own.begin(), own.end());
  CHECK(plausible.typical_distance() == Approx(0.5 * (own[74] + own[75])).epsilon(1e-14));
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<double> query(8);
    for (double& v : query) {
      v = 2.0 * normal(generator);
    }
    CHECK(plausible.distance(query) ==
          Approx(brute_force_distance(columns, query, 4, SIZE_MAX)).epsilon(1e-14));
  }
}

TEST_CASE("plausibility: scaling by sd makes the ratio unit-free", "[latent]") {
  std::vector<std::vector<double>> columns{{0, 1, 2, 3, 4, 5}, {0, 100, 200, 300, 400, 500}};
  std::vector<std::vector<double>> scaled{{0, 1, 2, 3, 4, 5}, {0, 1, 2, 3, 4, 5}};
  const discgeom::latent_plausibility a(
      columns, {.k = 1, .scaling = discgeom::latent_scaling::standard_deviation});
  const discgeom::latent_plausibility b(
      scaled, {.k = 1, .scaling = discgeom::latent_scaling::standard_deviation});
  CHECK(a(std::vector<double>{2.5, 700.0}) ==
        Approx(b(std::vector<double>{2.5, 7.0})).epsilon(1e-14));
}

TEST_CASE("plausibility: coincident codes and bad input", "[latent]") {
  const std::vector<std::vector<double>> same{{1, 1, 1}, {2, 2, 2}};
  const discgeom::latent_plausibility coincident(same, {.k = 1});
  CHECK(coincident.status() == discgeom::plausibility_status::coincident_codes);
  CHECK(std::isnan(coincident(std::vector<double>{0.0, 0.0})));
  CHECK(coincident.distance(std::vector<double>{1.0, 5.0}) == 3.0);

  const std::vector<std::vector<double>> three{{0, 1, 2}, {0, 1, 2}};
  REQUIRE_THROWS_WITH(discgeom::latent_plausibility(three, {.k = 3}),
                      Catch::Contains("latent_plausibility()") &&
                          Catch::Contains("needs at least 4 real codes, got 3"));
  REQUIRE_THROWS_WITH(discgeom::latent_plausibility(three, {.k = 0}), Catch::Contains("options.k"));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<std::vector<double>> missing{{0, 1, 2}, {0, nan, 2}};
  REQUIRE_THROWS_WITH(discgeom::latent_plausibility(missing, {.k = 1}),
                      Catch::Contains("real code 1 has no value for feature 1"));
  const std::vector<std::vector<double>> ragged{{0, 1, 2}, {0, 1}};
  REQUIRE_THROWS_WITH(discgeom::latent_plausibility(ragged, {.k = 1}),
                      Catch::Contains("latent feature 1 has 2 values"));
  const discgeom::latent_plausibility ok(three, {.k = 1});
  REQUIRE_THROWS_WITH(ok(std::vector<double>{1.0}), Catch::Contains("the code has 1 values"));
  REQUIRE_THROWS_WITH(ok(std::vector<double>{1.0, nan}), Catch::Contains("query[1] is not finite"));
  REQUIRE_THROWS_WITH(discgeom::latent_plausibility(
                          same, {.k = 1, .scaling = discgeom::latent_scaling::standard_deviation}),
                      Catch::Contains("latent feature 0 has standard deviation 0"));
}
