// SPDX-License-Identifier: MIT
// Lin's concordance correlation: cases by hand, golden values from
// tests/golden/make_agreement_golden.py (tests/data/agreement_golden.txt; Python is not run
// here), degenerate samples, preconditions and input containers.
#include "discgeom/stats/concordance.hpp"

#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <ranges>
#include <span>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <xtensor/xtensor.hpp>

#include "agreement_golden.hpp"

namespace {

using agreement_golden::missing;
constexpr double z975 = 1.959963984540054;  // scipy.stats.norm.isf(0.025)

// y = x + 1: means 3 and 4, 1/n variances 2 and 2, covariance 2.
const std::vector<double> hand_x{1, 2, 3, 4, 5};
const std::vector<double> hand_y{2, 3, 4, 5, 6};

}  // namespace

TEST_CASE("concordance: a shifted line by hand", "[stats][concordance]") {
  const auto c = discgeom::concordance_correlation(hand_x, hand_y);
  REQUIRE(c.status == discgeom::concordance_status::ok);
  CHECK(c.n == 5);
  // rho_c = 2 * 2 / (2 + 2 + 1) = 4/5; r = 1; v = 1; u = -1/sqrt(2); C_b = 2 / (2 + 1/2) = 4/5.
  CHECK(c.value == Approx(0.8).epsilon(1e-15));
  CHECK(c.pearson_r == Approx(1.0).epsilon(1e-15));
  CHECK(c.scale_shift == Approx(1.0).epsilon(1e-15));
  CHECK(c.location_shift == Approx(-1.0 / std::sqrt(2.0)).epsilon(1e-15));
  CHECK(c.bias_correction == Approx(0.8).epsilon(1e-15));
  // z = atanh(4/5) = ln(9)/2. Lin's var(z) with r = 1, rho = 4/5, u^2 = 1/2:
  // [0 + 2 (64/125)(1/5)(1/2) / (9/25)^2 - (256/625)(1/4) / (2 (9/25)^2)] / 3
  // = [0.1024 / 0.1296 - 0.1024 / 0.2592] / 3 = 32/243.
  CHECK(c.z == Approx(std::log(9.0) / 2.0).epsilon(1e-15));
  const double se = std::sqrt(32.0 / 243.0);
  CHECK(c.z_se == Approx(se).epsilon(1e-13));
  CHECK(c.ci_low == Approx(std::tanh(std::log(9.0) / 2.0 - z975 * se)).epsilon(1e-13));
  CHECK(c.ci_high == Approx(std::tanh(std::log(9.0) / 2.0 + z975 * se)).epsilon(1e-13));
}

TEST_CASE("concordance: zero Pearson correlation needs no division by r", "[stats][concordance]") {
  // Means 0 and 0, 1/n variances 1/2 and 1/2, covariance 0: rho_c = r = 0, C_b = 1, u = 0,
  // so var(z) = C_b^2 / (n - 2) = 1/2.
  const std::vector<double> x{-1, 0, 1, 0};
  const std::vector<double> y{0, 1, 0, -1};
  const auto c = discgeom::concordance_correlation(x, y);
  REQUIRE(c.status == discgeom::concordance_status::ok);
  CHECK(c.value == 0.0);
  CHECK(c.pearson_r == 0.0);
  CHECK(c.bias_correction == Approx(1.0).epsilon(1e-15));
  CHECK(c.z_se == Approx(std::sqrt(0.5)).epsilon(1e-14));
  CHECK(c.ci_low == Approx(-std::tanh(z975 * std::sqrt(0.5))).epsilon(1e-13));
  CHECK(c.ci_high == Approx(std::tanh(z975 * std::sqrt(0.5))).epsilon(1e-13));
}

TEST_CASE("concordance: golden values (numpy, scipy.stats pearsonr and norm)",
          "[stats][concordance]") {
  for (const auto& g : agreement_golden::read_cases("pairs", {"confidence"})) {
    INFO("case " << g.name);
    const auto c = discgeom::concordance_correlation(g.x, g.y, {.confidence = g.confidence});
    const auto& e = g.expect.at("concordance");
    CHECK(c.status == discgeom::concordance_status::ok);
    CHECK(static_cast<double>(c.n) == e.at("n"));
    CHECK(static_cast<double>(c.n_missing) == e.at("n_missing"));
    const std::map<std::string, double> actual{{"value", c.value},
                                               {"pearson_r", c.pearson_r},
                                               {"bias_correction", c.bias_correction},
                                               {"scale_shift", c.scale_shift},
                                               {"location_shift", c.location_shift},
                                               {"z", c.z},
                                               {"z_se", c.z_se},
                                               {"ci_low", c.ci_low},
                                               {"ci_high", c.ci_high}};
    agreement_golden::check_named_values(actual, e, 1e-9);
  }
}

TEST_CASE("concordance: symmetric in x and y", "[stats][concordance]") {
  const std::vector<double> x{1.5, 2.0, 4.5, 3.0, 7.25, 6.0};
  const std::vector<double> y{1.0, 2.5, 4.0, 3.5, 6.0, 6.5};
  const auto xy = discgeom::concordance_correlation(x, y);
  const auto yx = discgeom::concordance_correlation(y, x);
  CHECK(xy.value == Approx(yx.value).epsilon(1e-15));
  CHECK(xy.ci_low == Approx(yx.ci_low).epsilon(1e-14));
  CHECK(xy.ci_high == Approx(yx.ci_high).epsilon(1e-14));
  CHECK(xy.scale_shift == Approx(1.0 / yx.scale_shift).epsilon(1e-15));
  CHECK(xy.location_shift == Approx(-yx.location_shift).epsilon(1e-15));
}

TEST_CASE("concordance: any sample container, missing pairs left out and counted",
          "[stats][concordance]") {
  const auto expected = discgeom::concordance_correlation(hand_x, hand_y);
  SECTION("span of float") {
    const std::vector<float> xf(hand_x.begin(), hand_x.end());
    const std::vector<float> yf(hand_y.begin(), hand_y.end());
    const auto c =
        discgeom::concordance_correlation(std::span<const float>(xf), std::span<const float>(yf));
    CHECK(c.value == expected.value);
    CHECK(c.ci_low == expected.ci_low);
  }
  SECTION("optional values and NaN") {
    const std::vector<std::optional<double>> x{1, 2, std::nullopt, 3, 4, 5, 9};
    const std::vector<double> y{2, 3, 10, 4, 5, 6, missing};
    const auto c = discgeom::concordance_correlation(x, y);
    CHECK(c.n == 5);
    CHECK(c.n_missing == 2);
    CHECK(c.value == expected.value);
    CHECK(c.ci_high == expected.ci_high);
  }
  SECTION("members of a user's struct through std::views::transform") {
    struct measured_disc {
      double predicted_mm;
      std::optional<double> reference_mm;
    };
    std::vector<measured_disc> discs;
    for (std::size_t i = 0; i < hand_x.size(); ++i)
      discs.push_back({hand_x[i], hand_y[i]});
    discs.push_back({0.0, std::nullopt});
    const auto c = discgeom::concordance_correlation(
        discs | std::views::transform(&measured_disc::predicted_mm),
        discs | std::views::transform(&measured_disc::reference_mm));
    CHECK(c.n_missing == 1);
    CHECK(c.z_se == expected.z_se);
  }
  SECTION("xtensor") {
    const xt::xtensor<double, 1> x{1, 2, 3, 4, 5};
    const xt::xtensor<double, 1> y{2, 3, 4, 5, 6};
    const auto c = discgeom::concordance_correlation(x, y);
    CHECK(c.value == expected.value);
  }
}

TEST_CASE("concordance: degenerate samples give a status", "[stats][concordance]") {
  SECTION("no pair") {
    const std::vector<double> x{missing, 1.0};
    const std::vector<double> y{2.0, missing};
    const auto c = discgeom::concordance_correlation(x, y);
    CHECK(c.status == discgeom::concordance_status::no_pairs);
    CHECK(c.n_missing == 2);
    CHECK(std::isnan(c.value));
  }
  SECTION("a constant prediction scores 0") {
    const std::vector<double> x{0.1, 0.1, 0.1, 0.1, 0.1};
    const std::vector<double> y{1.0, 2.0, 3.0, 4.0, 5.0};
    const auto c = discgeom::concordance_correlation(x, y);
    CHECK(c.status == discgeom::concordance_status::constant_input);
    CHECK(c.value == 0.0);
    CHECK(std::isnan(c.pearson_r));
    CHECK(std::isnan(c.bias_correction));
    CHECK(std::isnan(c.ci_low));
    CHECK(discgeom::concordance_correlation(y, x).value == 0.0);
  }
  SECTION("both constant: 0 when they differ, NaN when equal") {
    const std::vector<double> a{2.0, 2.0, 2.0};
    const std::vector<double> b{3.0, 3.0, 3.0};
    CHECK(discgeom::concordance_correlation(a, b).value == 0.0);
    const auto same = discgeom::concordance_correlation(a, a);
    CHECK(same.status == discgeom::concordance_status::constant_input);
    CHECK(std::isnan(same.value));
  }
  SECTION("one pair is constant") {
    const std::vector<double> x{1.0};
    const std::vector<double> y{2.0};
    const auto c = discgeom::concordance_correlation(x, y);
    CHECK(c.status == discgeom::concordance_status::constant_input);
    CHECK(c.n == 1);
    CHECK(c.value == 0.0);
  }
  SECTION("two pairs: the coefficient, no interval") {
    const std::vector<double> x{1.0, 3.0};
    const std::vector<double> y{2.0, 3.0};
    // Means 2 and 2.5, 1/n variances 1 and 1/4, covariance 1/2: rho_c = 1 / (5/4 + 1/4) = 2/3.
    const auto c = discgeom::concordance_correlation(x, y);
    CHECK(c.status == discgeom::concordance_status::too_few_pairs);
    CHECK(c.value == Approx(2.0 / 3.0).epsilon(1e-15));
    CHECK(c.pearson_r == Approx(1.0).epsilon(1e-15));
    CHECK(std::isnan(c.z_se));
    CHECK(std::isnan(c.ci_low));
    CHECK(std::isnan(c.ci_high));
  }
  SECTION("perfect agreement and perfect discordance") {
    const std::vector<double> x{0.3, -1.2, 2.5, 0.1};
    const auto same = discgeom::concordance_correlation(x, x);
    CHECK(same.status == discgeom::concordance_status::perfect);
    CHECK(same.value == 1.0);
    CHECK(std::isnan(same.ci_low));
    const std::vector<double> a{-2.0, -1.0, 1.0, 2.0};
    const std::vector<double> b{2.0, 1.0, -1.0, -2.0};
    const auto opposite = discgeom::concordance_correlation(a, b);
    CHECK(opposite.status == discgeom::concordance_status::perfect);
    CHECK(opposite.value == -1.0);
  }
}

TEST_CASE("concordance: broken preconditions throw naming the function and the values",
          "[stats][concordance]") {
  const std::vector<double> four{1, 2, 3, 4};
  const std::vector<double> five{1, 2, 3, 4, 5};
  REQUIRE_THROWS_AS(discgeom::concordance_correlation(four, five), discgeom::precondition_error);
  REQUIRE_THROWS_WITH(discgeom::concordance_correlation(four, five),
                      "concordance_correlation(): x and y differ in length: 4 vs 5");
  REQUIRE_THROWS_WITH(discgeom::concordance_correlation(four, four, {.confidence = -0.5}),
                      "concordance_correlation(): options.confidence must be in (0, 1), got -0.5");
  const std::vector<double> with_infinity{1.0, 2.0, std::numeric_limits<double>::infinity(), 4.0};
  REQUIRE_THROWS_WITH(discgeom::concordance_correlation(with_infinity, four),
                      "concordance_correlation(): x[2] is inf; values must be finite (NaN marks a "
                      "missing value)");
  REQUIRE_THROWS_WITH(discgeom::concordance_correlation(four, with_infinity),
                      Catch::Contains("y[2] is inf"));
}

TEST_CASE("concordance: status names", "[stats][concordance]") {
  CHECK(discgeom::to_string(discgeom::concordance_status::ok) == "ok");
  CHECK(discgeom::to_string(discgeom::concordance_status::no_pairs) == "no_pairs");
  CHECK(discgeom::to_string(discgeom::concordance_status::constant_input) == "constant_input");
  CHECK(discgeom::to_string(discgeom::concordance_status::perfect) == "perfect");
  CHECK(discgeom::to_string(discgeom::concordance_status::too_few_pairs) == "too_few_pairs");
}
