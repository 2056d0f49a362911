// SPDX-License-Identifier: MIT
#include "discgeom/stats/correlation.hpp"

#include <cmath>
#include <limits>
#include <optional>
#include <random>
#include <ranges>
#include <span>
#include <vector>

#include <catch2/catch.hpp>
#include <xtensor/xtensor.hpp>

using discgeom::alternative_hypothesis;
using discgeom::correlation_interval;
using discgeom::correlation_method;
using discgeom::correlation_status;

namespace {

const double missing = std::numeric_limits<double>::quiet_NaN();

struct measured_disc {
  double height_mm;
  std::optional<double> latent;
};

}  // namespace

TEST_CASE("correlation: four pairs by hand", "[stats]") {
  const std::vector<double> x{1, 2, 3, 4};
  const std::vector<double> y{1, 3, 2, 4};
  // Centred: dx = dy = (-1.5, -0.5, 0.5, 1.5) up to the middle swap: Sxy = 4, Sxx = Syy = 5.
  const auto pearson = discgeom::correlate(x, y);
  CHECK(pearson.status == correlation_status::ok);
  CHECK(pearson.n == 4);
  CHECK(pearson.r == Approx(0.8).epsilon(1e-15));
  // df = 2: P(|T| >= t) = I_{1-r^2}(1, 1/2) = 1 - sqrt(r^2) = 0.2.
  CHECK(pearson.p == Approx(0.2).epsilon(1e-13));
  // se = 1 / sqrt(4 - 3) = 1.
  CHECK(pearson.ci_low == Approx(std::tanh(std::atanh(0.8) - 1.959963984540054)).epsilon(1e-14));
  // Kendall: 6 pairs, one discordant (2-3): tau = (5 - 1) / 6; var S = 4 * 3 * 13 / 18.
  const auto kendall = discgeom::correlate(x, y, {.method = correlation_method::kendall});
  CHECK(kendall.r == Approx(4.0 / 6.0).epsilon(1e-15));
  CHECK(
      kendall.p ==
      Approx(std::erfc(4.0 / std::sqrt(4.0 * 3.0 * 13.0 / 18.0) / std::sqrt(2.0))).epsilon(1e-14));
  CHECK(kendall.status == correlation_status::no_interval);  // its Fisher z needs n > 4
  CHECK(std::isnan(kendall.ci_low));
  // Spearman: no ties, so rho equals Pearson's r of the data here.
  const auto spearman = discgeom::correlate(x, y, {.method = correlation_method::spearman});
  CHECK(spearman.r == Approx(0.8).epsilon(1e-15));
}

TEST_CASE("correlation: a perfect monotone relation", "[stats]") {
  const std::vector<double> x{1, 2, 3, 4, 5, 6};
  const std::vector<double> y{-3, 0, 1, 8, 27, 64};  // increasing, not linear
  const auto spearman = discgeom::correlate(x, y, {.method = correlation_method::spearman});
  CHECK(spearman.r == 1.0);
  CHECK(spearman.p == 0.0);
  CHECK(spearman.ci_low == 1.0);
  CHECK(spearman.ci_high == 1.0);
  const auto kendall = discgeom::correlate(x, y, {.method = correlation_method::kendall});
  CHECK(kendall.r == 1.0);
  // S = 15, var S = 6 * 5 * 17 / 18.
  CHECK(
      kendall.p ==
      Approx(std::erfc(15.0 / std::sqrt(6.0 * 5.0 * 17.0 / 18.0) / std::sqrt(2.0))).epsilon(1e-14));
  const auto pearson = discgeom::correlate(x, y);
  CHECK(pearson.r > 0.8);
  CHECK(pearson.r < 1.0);
}

TEST_CASE("correlation: a Fisher-z interval by hand", "[stats]") {
  std::vector<double> x(28);
  std::vector<double> y(28);
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i] = static_cast<double>(i);
    y[i] = static_cast<double>((i * 7) % 28);  // a permutation: ranks are the values + 1
  }
  const auto pearson = discgeom::correlate(x, y);
  const double z = std::atanh(pearson.r);
  const double h = 1.959963984540054;  // the 0.975 normal quantile
  CHECK(pearson.ci_low == Approx(std::tanh(z - h / 5.0)).epsilon(1e-14));  // se = 1/sqrt(25)
  CHECK(pearson.ci_high == Approx(std::tanh(z + h / 5.0)).epsilon(1e-14));
  const auto spearman = discgeom::correlate(x, y, {.method = correlation_method::spearman});
  CHECK(spearman.r == Approx(pearson.r).epsilon(1e-14));
  CHECK(spearman.ci_low == Approx(std::tanh(z - h * std::sqrt(1.06 / 25.0))).epsilon(1e-13));
  const auto kendall = discgeom::correlate(
      x, y,
      {.method = correlation_method::kendall, .alternative = alternative_hypothesis::greater});
  CHECK(kendall.ci_high == 1.0);
  CHECK(kendall.ci_low ==
        Approx(std::tanh(std::atanh(kendall.r) - 1.6448536269514722 * std::sqrt(0.437 / 24.0)))
            .epsilon(1e-13));
}

TEST_CASE("correlation: one-sided p-values split the two-sided one", "[stats]") {
  std::mt19937_64 generator(11);
  std::normal_distribution<double> normal;
  std::vector<double> x(40);
  std::vector<double> y(40);
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i] = normal(generator);
    y[i] = -0.4 * x[i] + normal(generator);
  }
  for (auto method :
       {correlation_method::pearson, correlation_method::spearman, correlation_method::kendall}) {
    const auto two = discgeom::correlate(x, y, {.method = method});
    const auto less =
        discgeom::correlate(x, y, {.method = method, .alternative = alternative_hypothesis::less});
    const auto greater = discgeom::correlate(
        x, y, {.method = method, .alternative = alternative_hypothesis::greater});
    REQUIRE(two.r < 0.0);
    CHECK(less.p == Approx(0.5 * two.p).epsilon(1e-12));
    CHECK(greater.p == Approx(1.0 - 0.5 * two.p).epsilon(1e-12));
    CHECK(less.ci_low == -1.0);
    CHECK(greater.ci_high == 1.0);
  }
}

TEST_CASE("correlation: missing values are deleted pairwise and counted", "[stats]") {
  const std::vector<measured_disc> discs{{8.0, 1.0},     {9.0, std::nullopt}, {7.5, 0.5},
                                         {missing, 2.0}, {10.0, 3.0},         {6.0, -1.0}};
  const auto heights = discs | std::views::transform(&measured_disc::height_mm);
  const auto latents = discs | std::views::transform(&measured_disc::latent);
  const auto with_missing = discgeom::correlate(heights, latents);
  const std::vector<double> x{8.0, 7.5, 10.0, 6.0};
  const std::vector<double> y{1.0, 0.5, 3.0, -1.0};
  const auto complete = discgeom::correlate(x, y);
  CHECK(with_missing.n == 4);
  CHECK(with_missing.n_missing == 2);
  CHECK(with_missing.r == complete.r);
  CHECK(with_missing.p == complete.p);
}

TEST_CASE("correlation: any container", "[stats]") {
  const std::vector<float> x{1.f, 2.f, 4.f, 3.f, 6.f};
  const xt::xtensor<double, 1> y{2.0, 1.0, 5.0, 4.0, 7.0};
  const std::vector<int> y_int{2, 1, 5, 4, 7};
  const auto a = discgeom::correlate(std::span<const float>(x), y);
  const auto b = discgeom::correlate(x, y_int);
  CHECK(a.r == b.r);
  CHECK(a.n == 5);
}

TEST_CASE("correlation: degenerate data comes back with a status", "[stats]") {
  const std::vector<double> constant{2, 2, 2, 2, 2};
  const std::vector<double> varying{1, 2, 3, 4, 5};
  for (auto method :
       {correlation_method::pearson, correlation_method::spearman, correlation_method::kendall}) {
    const auto cx = discgeom::correlate(constant, varying, {.method = method});
    CHECK(cx.status == correlation_status::constant_x);
    CHECK(std::isnan(cx.r));
    CHECK(std::isnan(cx.p));
    CHECK(cx.n == 5);
    CHECK(discgeom::correlate(varying, constant, {.method = method}).status ==
          correlation_status::constant_y);
    CHECK(discgeom::correlate(constant, constant, {.method = method}).status ==
          correlation_status::constant_both);
    // Constant over the complete pairs only.
    const std::vector<double> constant_where_paired{2, 2, 7, 2};
    const std::vector<double> paired{1, 2, missing, 4};
    CHECK(discgeom::correlate(constant_where_paired, paired, {.method = method}).status ==
          correlation_status::constant_x);
    const auto few =
        discgeom::correlate(std::vector{1.0, 2.0}, std::vector{3.0, 1.0}, {.method = method});
    CHECK(few.status == correlation_status::too_few);
    CHECK(few.n == 2);
    CHECK(std::isnan(few.r));
    const auto none = discgeom::correlate(std::vector<double>{}, std::vector<double>{});
    CHECK(none.status == correlation_status::too_few);
    CHECK(none.n == 0);
  }
  // Kendall's interval needs n > 4; Pearson's n > 3.
  const std::vector<double> x4{1, 2, 3, 5};
  const std::vector<double> y4{2, 1, 4, 4.5};
  CHECK(discgeom::correlate(x4, y4, {.method = correlation_method::kendall}).status ==
        correlation_status::no_interval);
  const std::vector<double> x5{1, 2, 3, 5, 4};
  const std::vector<double> y5{2, 1, 4, 4.5, 3};
  CHECK(discgeom::correlate(x5, y5, {.method = correlation_method::kendall}).status ==
        correlation_status::ok);
  // Ties everywhere but one value: defined, finite.
  const std::vector<double> tied{1, 1, 1, 1, 1, 1, 1, 2};
  const std::vector<double> tied_y{0, 0, 0, 0, 0, 0, 1, 1};
  for (auto method :
       {correlation_method::pearson, correlation_method::spearman, correlation_method::kendall}) {
    const auto r = discgeom::correlate(tied, tied_y, {.method = method});
    CHECK(r.status == correlation_status::ok);
    CHECK(r.r > 0.0);
    CHECK(r.p > 0.0);
    CHECK(r.p < 1.0);
  }
}

TEST_CASE("correlation: the bootstrap interval is seeded and brackets r", "[stats]") {
  std::mt19937_64 generator(2);
  std::normal_distribution<double> normal;
  std::vector<double> x(60);
  std::vector<double> y(60);
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i] = normal(generator);
    y[i] = 0.5 * x[i] + normal(generator);
  }
  for (auto method :
       {correlation_method::pearson, correlation_method::spearman, correlation_method::kendall}) {
    const discgeom::correlation_options options{.method = method,
                                                .interval = correlation_interval::bootstrap,
                                                .bootstrap_resamples = 500,
                                                .seed = 9};
    const auto a = discgeom::correlate(x, y, options);
    const auto b = discgeom::correlate(x, y, options);
    auto other_seed = options;
    other_seed.seed = 10;
    const auto c = discgeom::correlate(x, y, other_seed);
    CHECK(a.status == correlation_status::ok);
    CHECK(a.ci_low == b.ci_low);
    CHECK(a.ci_high == b.ci_high);
    CHECK(a.ci_low != c.ci_low);
    CHECK(a.ci_low < a.r);
    CHECK(a.r < a.ci_high);
    // Close to the Fisher-z interval for 60 roughly normal pairs.
    const auto fisher = discgeom::correlate(x, y, {.method = method});
    CHECK(a.ci_low == Approx(fisher.ci_low).margin(0.1));
    CHECK(a.ci_high == Approx(fisher.ci_high).margin(0.1));
  }
  const auto none = discgeom::correlate(x, y, {.interval = correlation_interval::none});
  CHECK(none.status == correlation_status::ok);
  CHECK(std::isnan(none.ci_low));
}

TEST_CASE("correlation: bad input is refused with the argument and value named", "[stats]") {
  const std::vector<double> three{1, 2, 3};
  const std::vector<double> four{1, 2, 3, 4};
  REQUIRE_THROWS_WITH(discgeom::correlate(three, four),
                      Catch::Contains("correlate()") && Catch::Contains("3 vs 4"));
  const std::vector<double> infinite{1, std::numeric_limits<double>::infinity(), 3};
  REQUIRE_THROWS_WITH(discgeom::correlate(three, infinite), Catch::Contains("y[1] is inf;"));
  REQUIRE_THROWS_WITH(discgeom::correlate(three, three, {.confidence = 1.0}),
                      Catch::Contains("confidence") && Catch::Contains("1"));
  REQUIRE_THROWS_WITH(discgeom::correlate(three, three, {.bootstrap_resamples = 0}),
                      Catch::Contains("bootstrap_resamples"));
}
