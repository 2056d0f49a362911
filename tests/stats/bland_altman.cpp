// SPDX-License-Identifier: MIT
// Bland-Altman limits of agreement: a case by hand, golden values from
// tests/golden/make_agreement_golden.py (tests/data/agreement_golden.txt; Python is not run
// here), degenerate samples, preconditions and input containers.
#include "discgeom/stats/bland_altman.hpp"

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

// Quantiles to 17 digits: the standard normal's at 0.975 and 0.95, and Student's t at 0.975
// with 3 df (closed form: theta + sin(theta) cos(theta) = 0.475 pi, t = sqrt(3) tan(theta)) and
// with 1 df (t = tan(0.475 pi)), solved in 40-digit decimal arithmetic.
constexpr double z975 = 1.959963984540054;
constexpr double z95 = 1.6448536269514729;
constexpr double t975_3 = 3.1824463052837096;
constexpr double t975_1 = 12.706204736174705;

// x - y = (1, 0, 2, -1): bias 1/2, squared deviations 1/4 1/4 9/4 9/4, sd = sqrt(5/3).
const std::vector<double> hand_x{10, 12, 14, 16};
const std::vector<double> hand_y{9, 12, 12, 17};

}  // namespace

TEST_CASE("bland_altman: limits and intervals by hand", "[stats][bland_altman]") {
  const auto ba = discgeom::bland_altman(hand_x, hand_y);
  REQUIRE(ba.status == discgeom::bland_altman_status::ok);
  CHECK(ba.n == 4);
  CHECK(ba.n_missing == 0);
  const double sd = std::sqrt(5.0 / 3.0);
  CHECK(ba.bias == 0.5);
  CHECK(ba.sd == Approx(sd).epsilon(1e-14));
  CHECK(ba.multiplier == Approx(z975).epsilon(1e-14));
  CHECK(ba.lower_limit == Approx(0.5 - z975 * sd).epsilon(1e-14));
  CHECK(ba.upper_limit == Approx(0.5 + z975 * sd).epsilon(1e-14));
  CHECK(ba.bias_se == Approx(sd / 2.0).epsilon(1e-14));
  CHECK(ba.bias_ci_low == Approx(0.5 - t975_3 * sd / 2.0).epsilon(1e-13));
  CHECK(ba.bias_ci_high == Approx(0.5 + t975_3 * sd / 2.0).epsilon(1e-13));
  // Bland & Altman (1999): se of a limit = sd sqrt(1/n + z^2 / (2 (n - 1))).
  const double limit_se = sd * std::sqrt(0.25 + z975 * z975 / 6.0);
  CHECK(ba.limit_se == Approx(limit_se).epsilon(1e-14));
  CHECK(ba.lower_limit_ci_low == Approx(ba.lower_limit - t975_3 * limit_se).epsilon(1e-13));
  CHECK(ba.lower_limit_ci_high == Approx(ba.lower_limit + t975_3 * limit_se).epsilon(1e-13));
  CHECK(ba.upper_limit_ci_low == Approx(ba.upper_limit - t975_3 * limit_se).epsilon(1e-13));
  CHECK(ba.upper_limit_ci_high == Approx(ba.upper_limit + t975_3 * limit_se).epsilon(1e-13));
}

TEST_CASE("bland_altman: coverage and a user multiplier set z", "[stats][bland_altman]") {
  const double sd = std::sqrt(5.0 / 3.0);
  const auto printed = discgeom::bland_altman(hand_x, hand_y, {.multiplier = 1.96});
  CHECK(printed.multiplier == 1.96);
  CHECK(printed.lower_limit == Approx(0.5 - 1.96 * sd).epsilon(1e-14));
  CHECK(printed.upper_limit == Approx(0.5 + 1.96 * sd).epsilon(1e-14));
  const auto ninety = discgeom::bland_altman(hand_x, hand_y, {.coverage = 0.90});
  CHECK(ninety.multiplier == Approx(z95).epsilon(1e-14));
  CHECK(ninety.upper_limit == Approx(0.5 + z95 * sd).epsilon(1e-14));
  // The multiplier overrides the coverage.
  const auto both = discgeom::bland_altman(hand_x, hand_y, {.coverage = 0.5, .multiplier = 2.0});
  CHECK(both.multiplier == 2.0);
  // The confidence changes the intervals only.
  const auto wide = discgeom::bland_altman(hand_x, hand_y, {.confidence = 0.99});
  CHECK(wide.upper_limit == Approx(0.5 + z975 * sd).epsilon(1e-14));
  CHECK(wide.bias_ci_low < discgeom::bland_altman(hand_x, hand_y).bias_ci_low);
}

TEST_CASE("bland_altman: golden values (numpy, scipy.stats t and norm)", "[stats][bland_altman]") {
  for (const auto& g :
       agreement_golden::read_cases("pairs", {"confidence", "coverage", "multiplier"})) {
    INFO("case " << g.name);
    const auto ba = discgeom::bland_altman(
        g.x, g.y, {.confidence = g.confidence, .coverage = g.coverage, .multiplier = g.multiplier});
    const auto& e = g.expect.at("bland_altman");
    CHECK(ba.status == discgeom::bland_altman_status::ok);
    CHECK(static_cast<double>(ba.n) == e.at("n"));
    CHECK(static_cast<double>(ba.n_missing) == e.at("n_missing"));
    const std::map<std::string, double> actual{{"bias", ba.bias},
                                               {"sd", ba.sd},
                                               {"multiplier", ba.multiplier},
                                               {"lower_limit", ba.lower_limit},
                                               {"upper_limit", ba.upper_limit},
                                               {"bias_se", ba.bias_se},
                                               {"bias_ci_low", ba.bias_ci_low},
                                               {"bias_ci_high", ba.bias_ci_high},
                                               {"limit_se", ba.limit_se},
                                               {"lower_limit_ci_low", ba.lower_limit_ci_low},
                                               {"lower_limit_ci_high", ba.lower_limit_ci_high},
                                               {"upper_limit_ci_low", ba.upper_limit_ci_low},
                                               {"upper_limit_ci_high", ba.upper_limit_ci_high}};
    agreement_golden::check_named_values(actual, e, 1e-9);
  }
}

TEST_CASE("bland_altman: swapping the methods negates the bias and mirrors the limits",
          "[stats][bland_altman]") {
  const auto ab = discgeom::bland_altman(hand_x, hand_y);
  const auto ba = discgeom::bland_altman(hand_y, hand_x);
  CHECK(ba.bias == -ab.bias);
  CHECK(ba.sd == Approx(ab.sd).epsilon(1e-15));
  CHECK(ba.lower_limit == Approx(-ab.upper_limit).epsilon(1e-14));
  CHECK(ba.upper_limit_ci_high == Approx(-ab.lower_limit_ci_low).epsilon(1e-14));
}

TEST_CASE("bland_altman: any sample container, missing pairs left out and counted",
          "[stats][bland_altman]") {
  const auto expected = discgeom::bland_altman(hand_x, hand_y);
  SECTION("span of float") {
    const std::vector<float> xf(hand_x.begin(), hand_x.end());
    const std::vector<float> yf(hand_y.begin(), hand_y.end());
    const auto ba = discgeom::bland_altman(std::span<const float>(xf), std::span<const float>(yf));
    CHECK(ba.bias == expected.bias);
    CHECK(ba.upper_limit_ci_high == expected.upper_limit_ci_high);
  }
  SECTION("optional values and NaN") {
    const std::vector<std::optional<double>> x{10, std::nullopt, 12, 14, 3, 16};
    const std::vector<double> y{9, 1, 12, 12, missing, 17};
    const auto ba = discgeom::bland_altman(x, y);
    CHECK(ba.n == 4);
    CHECK(ba.n_missing == 2);
    CHECK(ba.sd == expected.sd);
    CHECK(ba.lower_limit == expected.lower_limit);
  }
  SECTION("members of a user's struct through std::views::transform") {
    struct measured_disc {
      double automatic_mm;
      std::optional<double> manual_mm;
    };
    std::vector<measured_disc> discs;
    for (std::size_t i = 0; i < hand_x.size(); ++i)
      discs.push_back({hand_x[i], hand_y[i]});
    discs.push_back({7.0, std::nullopt});
    const auto ba =
        discgeom::bland_altman(discs | std::views::transform(&measured_disc::automatic_mm),
                               discs | std::views::transform(&measured_disc::manual_mm));
    CHECK(ba.n == 4);
    CHECK(ba.n_missing == 1);
    CHECK(ba.bias_ci_low == expected.bias_ci_low);
  }
  SECTION("xtensor") {
    const xt::xtensor<double, 1> x{10, 12, 14, 16};
    const xt::xtensor<double, 1> y{9, 12, 12, 17};
    const auto ba = discgeom::bland_altman(x, y);
    CHECK(ba.limit_se == expected.limit_se);
  }
}

TEST_CASE("bland_altman: fewer than three pairs", "[stats][bland_altman]") {
  SECTION("no pair") {
    const std::vector<double> empty;
    const auto ba = discgeom::bland_altman(empty, empty);
    CHECK(ba.status == discgeom::bland_altman_status::no_pairs);
    CHECK(ba.n == 0);
    CHECK(std::isnan(ba.bias));
    CHECK(std::isnan(ba.upper_limit));
    CHECK(ba.multiplier == Approx(z975).epsilon(1e-14));
    const std::vector<double> x{1.0, missing};
    const std::vector<double> y{missing, 2.0};
    const auto all_missing = discgeom::bland_altman(x, y);
    CHECK(all_missing.status == discgeom::bland_altman_status::no_pairs);
    CHECK(all_missing.n_missing == 2);
  }
  SECTION("one pair: the bias only") {
    const std::vector<double> x{5.0, missing};
    const std::vector<double> y{3.5, 1.0};
    const auto ba = discgeom::bland_altman(x, y);
    CHECK(ba.status == discgeom::bland_altman_status::single_pair);
    CHECK(ba.n == 1);
    CHECK(ba.n_missing == 1);
    CHECK(ba.bias == 1.5);
    CHECK(std::isnan(ba.sd));
    CHECK(std::isnan(ba.lower_limit));
    CHECK(std::isnan(ba.bias_ci_low));
    CHECK(std::isnan(ba.upper_limit_ci_high));
  }
  SECTION("two pairs: every number, t with one degree of freedom") {
    const std::vector<double> x{3.0, 6.0};
    const std::vector<double> y{2.0, 3.0};  // d = 1, 3: bias 2, sd sqrt(2)
    const auto ba = discgeom::bland_altman(x, y);
    CHECK(ba.status == discgeom::bland_altman_status::ok);
    CHECK(ba.bias == 2.0);
    CHECK(ba.sd == Approx(std::sqrt(2.0)).epsilon(1e-15));
    CHECK(ba.bias_ci_high == Approx(2.0 + t975_1 * 1.0).epsilon(1e-13));
    const double limit_se = std::sqrt(2.0) * std::sqrt(0.5 + z975 * z975 / 2.0);
    CHECK(ba.upper_limit_ci_low ==
          Approx(2.0 + z975 * std::sqrt(2.0) - t975_1 * limit_se).epsilon(1e-13));
  }
  SECTION("identical differences: sd 0, zero-width intervals") {
    const std::vector<double> x{3.0, 4.0, 8.0};
    const std::vector<double> y{1.0, 2.0, 6.0};
    const auto ba = discgeom::bland_altman(x, y);
    CHECK(ba.status == discgeom::bland_altman_status::ok);
    CHECK(ba.sd == 0.0);
    CHECK(ba.lower_limit == 2.0);
    CHECK(ba.upper_limit_ci_high == 2.0);
  }
}

TEST_CASE("bland_altman: broken preconditions throw naming the function and the values",
          "[stats][bland_altman]") {
  const std::vector<double> three{1, 2, 3};
  const std::vector<double> two{1, 2};
  REQUIRE_THROWS_AS(discgeom::bland_altman(three, two), discgeom::precondition_error);
  REQUIRE_THROWS_WITH(discgeom::bland_altman(three, two),
                      "bland_altman(): x and y differ in length: 3 vs 2");
  REQUIRE_THROWS_WITH(discgeom::bland_altman(three, three, {.confidence = 1.5}),
                      "bland_altman(): options.confidence must be in (0, 1), got 1.5");
  REQUIRE_THROWS_WITH(discgeom::bland_altman(three, three, {.coverage = 0.0}),
                      "bland_altman(): options.coverage must be in (0, 1), got 0");
  REQUIRE_THROWS_WITH(discgeom::bland_altman(three, three, {.multiplier = -1.96}),
                      "bland_altman(): options.multiplier must be finite and > 0, got -1.96");
  REQUIRE_THROWS_WITH(
      discgeom::bland_altman(three, three, {.multiplier = std::numeric_limits<double>::infinity()}),
      Catch::Contains("options.multiplier must be finite"));
  const std::vector<double> with_infinity{1, -std::numeric_limits<double>::infinity(), 3};
  REQUIRE_THROWS_WITH(discgeom::bland_altman(three, with_infinity),
                      "bland_altman(): y[1] is -inf; values must be finite (NaN marks a missing "
                      "value)");
}

TEST_CASE("bland_altman: status names", "[stats][bland_altman]") {
  CHECK(discgeom::to_string(discgeom::bland_altman_status::ok) == "ok");
  CHECK(discgeom::to_string(discgeom::bland_altman_status::single_pair) == "single_pair");
  CHECK(discgeom::to_string(discgeom::bland_altman_status::no_pairs) == "no_pairs");
}
