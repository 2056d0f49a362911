// SPDX-License-Identifier: MIT
#include "discgeom/stats/agreement.hpp"

#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include <catch2/catch.hpp>

TEST_CASE("agreement: a test method that reads 1 more than the reference, by hand") {
  // d = test - reference = 1, 1, 1, 3: bias 1.5, SD(d) 1, |d| the same; r of (1,2,3,4) and
  // (2,3,4,7).
  const std::vector<double> reference{1, 2, 3, 4}, test{2, 3, 4, 7};
  const auto a = discgeom::agreement(reference, test);
  CHECK(a.n == 4);
  CHECK(a.n_missing == 0);
  CHECK(a.bias == Approx(1.5));
  CHECK(a.loa_low == Approx(1.5 - 1.96));
  CHECK(a.loa_high == Approx(1.5 + 1.96));
  CHECK(a.mae == Approx(1.5));
  CHECK(a.mae_sd == Approx(1.0));
  // Pearson: sxy = 8, sxx = 5, syy = 14 (sums of centred products).
  CHECK(a.pearson_r == Approx(8 / std::sqrt(5.0 * 14.0)));
  // Lin's CCC with 1/n moments: 2 (8/4) / (5/4 + 14/4 + 1.5^2) = 4/7.
  CHECK(a.ccc == Approx(4.0 / 7.0));
  CHECK(a.icc_a1 < a.pearson_r);  // absolute agreement pays for the bias
}

TEST_CASE("agreement: missing values are left out and counted, bad input throws") {
  const std::vector<std::optional<double>> reference{1.0, 2.0, std::nullopt, 4.0, 5.0};
  const std::vector<double> test{1.0, 2.5, 3.0, std::numeric_limits<double>::quiet_NaN(), 5.5};
  const auto a = discgeom::agreement(reference, test);
  CHECK(a.n == 3);
  CHECK(a.n_missing == 2);
  CHECK(a.bias == Approx(1.0 / 3));
  const std::vector<double> one{1.0};
  const auto single = discgeom::agreement(one, one);
  CHECK(single.n == 1);
  CHECK(std::isnan(single.mae_sd));
  CHECK(std::isnan(single.pearson_r));
  CHECK_THROWS_WITH(discgeom::agreement(one, test),
                    "agreement(): reference has 1 values but test has 5");
  CHECK_THROWS_AS(discgeom::agreement(one, one, {.limits_multiplier = -1}),
                  discgeom::precondition_error);
}
