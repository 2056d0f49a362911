// SPDX-License-Identifier: MIT
#include "discgeom/stats/multiple_testing.hpp"

#include <cmath>
#include <limits>
#include <vector>

#include <catch2/catch.hpp>

using discgeom::p_adjustment;

TEST_CASE("multiple_testing: adjustments by hand", "[stats]") {
  // Sorted: 0.01 (index 2), 0.02 (0), 0.03 (3), 0.5 (1); m = 4.
  const std::vector<double> p{0.02, 0.5, 0.01, 0.03};
  CHECK(discgeom::adjust_p_values(p, p_adjustment::none) == p);
  const auto bonferroni = discgeom::adjust_p_values(p, p_adjustment::bonferroni);
  CHECK(bonferroni[0] == Approx(0.08));
  CHECK(bonferroni[1] == 1.0);
  CHECK(bonferroni[2] == Approx(0.04));
  CHECK(bonferroni[3] == Approx(0.12));
  // Holm: 4 x 0.01 = 0.04; 3 x 0.02 = 0.06; 2 x 0.03 = 0.06; 1 x 0.5 = 0.5 (running maximum).
  const auto holm = discgeom::adjust_p_values(p, p_adjustment::holm);
  CHECK(holm[2] == Approx(0.04));
  CHECK(holm[0] == Approx(0.06));
  CHECK(holm[3] == Approx(0.06));
  CHECK(holm[1] == Approx(0.5));
  // BH: 0.5 x 4/4 = 0.5; 0.03 x 4/3 = 0.04; 0.02 x 4/2 = 0.04; 0.01 x 4/1 = 0.04 (running min).
  const auto bh = discgeom::adjust_p_values(p, p_adjustment::benjamini_hochberg);
  CHECK(bh[1] == Approx(0.5));
  CHECK(bh[3] == Approx(0.04));
  CHECK(bh[0] == Approx(0.04));
  CHECK(bh[2] == Approx(0.04));
}

TEST_CASE("multiple_testing: a missing p-value stays missing and is not counted", "[stats]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> p{0.01, nan, 0.04};
  const auto bonferroni = discgeom::adjust_p_values(p, p_adjustment::bonferroni);
  CHECK(bonferroni[0] == Approx(0.02));  // m = 2, not 3
  CHECK(std::isnan(bonferroni[1]));
  CHECK(bonferroni[2] == Approx(0.08));
  CHECK(discgeom::adjust_p_values(std::vector<double>{}, p_adjustment::holm).empty());
}

TEST_CASE("multiple_testing: a p-value outside [0, 1] is refused", "[stats]") {
  REQUIRE_THROWS_WITH(discgeom::adjust_p_values(std::vector{0.2, 1.5}, p_adjustment::holm),
                      Catch::Contains("adjust_p_values()") && Catch::Contains("p_values[1]") &&
                          Catch::Contains("1.5"));
  REQUIRE_THROWS_WITH(discgeom::adjust_p_values(std::vector{-0.1}, p_adjustment::none),
                      Catch::Contains("-0.1"));
}
