// SPDX-License-Identifier: MIT
// Mean signed, mean absolute and root mean square error: a case by hand, golden values from
// tests/golden/make_agreement_golden.py (scikit-learn; tests/data/agreement_golden.txt, Python
// is not run here), degenerate samples, preconditions and input containers.
#include "discgeom/stats/error_measures.hpp"

#include <cmath>
#include <limits>
#include <optional>
#include <ranges>
#include <span>
#include <vector>

#include <catch2/catch.hpp>
#include <xtensor/xtensor.hpp>

#include "agreement_golden.hpp"

namespace {

using agreement_golden::missing;

// x - y = (1, 0, 2, -1).
const std::vector<double> hand_x{10, 12, 14, 16};
const std::vector<double> hand_y{9, 12, 12, 17};

}  // namespace

TEST_CASE("error_measures: by hand", "[stats][error_measures]") {
  const auto e = discgeom::error_measures(hand_x, hand_y);
  REQUIRE(e.status == discgeom::error_measures_status::ok);
  CHECK(e.n == 4);
  CHECK(e.n_missing == 0);
  CHECK(e.mean_error == 0.5);                                                // (1 + 0 + 2 - 1) / 4
  CHECK(e.mean_absolute_error == 1.0);                                       // (1 + 0 + 2 + 1) / 4
  CHECK(e.root_mean_square_error == Approx(std::sqrt(1.5)).epsilon(1e-15));  // sqrt(6 / 4)
  // Swapping the arguments flips the sign of the mean error only.
  const auto swapped = discgeom::error_measures(hand_y, hand_x);
  CHECK(swapped.mean_error == -0.5);
  CHECK(swapped.mean_absolute_error == 1.0);
  CHECK(swapped.root_mean_square_error == e.root_mean_square_error);
}

TEST_CASE("error_measures: golden values (scikit-learn)", "[stats][error_measures]") {
  for (const auto& g : agreement_golden::read_cases("pairs", {})) {
    INFO("case " << g.name);
    const auto e = discgeom::error_measures(g.x, g.y);
    const auto& expect = g.expect.at("error_measures");
    CHECK(e.status == discgeom::error_measures_status::ok);
    CHECK(static_cast<double>(e.n) == expect.at("n"));
    CHECK(static_cast<double>(e.n_missing) == expect.at("n_missing"));
    CHECK(e.mean_error == Approx(expect.at("mean_error")).epsilon(1e-12));
    CHECK(e.mean_absolute_error == Approx(expect.at("mean_absolute_error")).epsilon(1e-12));
    CHECK(e.root_mean_square_error == Approx(expect.at("root_mean_square_error")).epsilon(1e-12));
  }
}

TEST_CASE("error_measures: any sample container, missing pairs left out and counted",
          "[stats][error_measures]") {
  SECTION("span of float") {
    const std::vector<float> xf{1.5f, 2.0f, 4.0f};
    const std::vector<float> yf{1.0f, 2.5f, 3.0f};  // errors 0.5, -0.5, 1
    const auto e = discgeom::error_measures(std::span<const float>(xf), std::span<const float>(yf));
    CHECK(e.mean_error == Approx(1.0 / 3.0).epsilon(1e-15));
    CHECK(e.mean_absolute_error == Approx(2.0 / 3.0).epsilon(1e-15));
    CHECK(e.root_mean_square_error == Approx(std::sqrt(0.5)).epsilon(1e-15));
  }
  SECTION("optional values and NaN") {
    const std::vector<std::optional<double>> x{10, std::nullopt, 12, 14, 3, 16};
    const std::vector<double> y{9, 1, 12, 12, missing, 17};
    const auto e = discgeom::error_measures(x, y);
    CHECK(e.n == 4);
    CHECK(e.n_missing == 2);
    CHECK(e.mean_absolute_error == 1.0);
  }
  SECTION("members of a user's struct through std::views::transform") {
    struct measured_disc {
      double predicted_mm;
      std::optional<double> reference_mm;
    };
    const std::vector<measured_disc> discs{{10, 9}, {12, 12}, {14, 12}, {16, 17}, {5, {}}};
    const auto e =
        discgeom::error_measures(discs | std::views::transform(&measured_disc::predicted_mm),
                                 discs | std::views::transform(&measured_disc::reference_mm));
    CHECK(e.n == 4);
    CHECK(e.n_missing == 1);
    CHECK(e.root_mean_square_error == Approx(std::sqrt(1.5)).epsilon(1e-15));
  }
  SECTION("xtensor") {
    const xt::xtensor<double, 1> x{10, 12, 14, 16};
    const xt::xtensor<double, 1> y{9, 12, 12, 17};
    const auto e = discgeom::error_measures(x, y);
    CHECK(e.mean_error == 0.5);
  }
}

TEST_CASE("error_measures: no complete pair gives no_pairs and NaN", "[stats][error_measures]") {
  const std::vector<double> empty;
  const auto none = discgeom::error_measures(empty, empty);
  CHECK(none.status == discgeom::error_measures_status::no_pairs);
  CHECK(none.n == 0);
  CHECK(std::isnan(none.mean_error));
  CHECK(std::isnan(none.mean_absolute_error));
  CHECK(std::isnan(none.root_mean_square_error));
  const std::vector<std::optional<double>> x{std::nullopt, 2.0};
  const std::vector<double> y{1.0, missing};
  const auto all_missing = discgeom::error_measures(x, y);
  CHECK(all_missing.status == discgeom::error_measures_status::no_pairs);
  CHECK(all_missing.n_missing == 2);
}

TEST_CASE("error_measures: an infinite value is a broken precondition", "[stats][error_measures]") {
  const std::vector<double> x{1.0, std::numeric_limits<double>::infinity()};
  const std::vector<double> y{1.0, 2.0};
  REQUIRE_THROWS_AS(discgeom::error_measures(x, y), discgeom::precondition_error);
  REQUIRE_THROWS_WITH(
      discgeom::error_measures(x, y),
      "error_measures(): x[1] is inf; values must be finite (NaN marks a missing value)");
}

TEST_CASE("error_measures: lengths must match", "[stats][error_measures]") {
  const std::vector<double> three{1, 2, 3};
  const std::vector<double> four{1, 2, 3, 4};
  REQUIRE_THROWS_AS(discgeom::error_measures(three, four), discgeom::precondition_error);
  REQUIRE_THROWS_WITH(discgeom::error_measures(three, four),
                      "error_measures(): x and y differ in length: 3 vs 4");
  CHECK(discgeom::to_string(discgeom::error_measures_status::ok) == "ok");
  CHECK(discgeom::to_string(discgeom::error_measures_status::no_pairs) == "no_pairs");
}
