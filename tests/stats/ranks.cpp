// SPDX-License-Identifier: MIT
#include "discgeom/stats/ranks.hpp"

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

TEST_CASE("ranks: average ranks share the mean of the tied positions", "[stats]") {
  CHECK(discgeom::average_ranks(std::vector{3.0, 1.0, 3.0}) == std::vector{2.5, 1.0, 2.5});
  CHECK(discgeom::average_ranks(std::vector{5, 5, 5, 5}) == std::vector{2.5, 2.5, 2.5, 2.5});
  CHECK(discgeom::average_ranks(std::vector{-0.0, 0.0, -1.0}) == std::vector{2.5, 2.5, 1.0});
  CHECK(discgeom::average_ranks(std::vector<double>{}).empty());
}

TEST_CASE("ranks: the radix route for long samples equals a count of smaller and equal values",
          "[stats]") {
  std::mt19937_64 generator(3);
  std::uniform_int_distribution<int> small(-40, 40);
  std::normal_distribution<double> normal(0.0, 1e3);
  std::vector<double> values(3000);
  for (std::size_t i = 0; i < values.size(); ++i) {
    values[i] = i % 3 == 0 ? normal(generator) : 0.5 * small(generator);  // many ties, negatives
  }
  const auto ranks = discgeom::average_ranks(values);
  for (std::size_t i = 0; i < values.size(); i += 7) {
    double below = 0;
    double equal = 0;
    for (double v : values) {
      below += v < values[i];
      equal += v == values[i];
    }
    CHECK(ranks[i] == below + 0.5 * (equal + 1.0));
  }
}

TEST_CASE("ranks: tie sums by hand", "[stats]") {
  // Groups of 3 (the 2s) and 2 (the 7s).
  const auto ties = discgeom::ties_of(std::vector{2.0, 7.0, 2.0, 1.0, 2.0, 7.0});
  CHECK(ties.tied_pairs == 3 + 1);
  CHECK(ties.t_t1_t2 == 3.0 * 2.0 * 1.0);
  CHECK(ties.t_t1_2t5 == 3.0 * 2.0 * 11.0 + 2.0 * 1.0 * 9.0);
  CHECK(ties.largest_group == 3);
}

TEST_CASE("ranks: a missing value is refused with its index", "[stats]") {
  const std::vector<double> values{1.0, std::numeric_limits<double>::quiet_NaN()};
  REQUIRE_THROWS_WITH(discgeom::average_ranks(values),
                      Catch::Contains("average_ranks()") && Catch::Contains("value 1"));
}
