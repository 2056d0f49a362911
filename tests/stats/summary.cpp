// SPDX-License-Identifier: MIT
#include "discgeom/stats/summary.hpp"

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

TEST_CASE("summarise_mean: t interval known by hand", "[stats]") {
  const std::vector<double> values{1, 2, 3, 4, 5};
  const auto s = discgeom::summarise_mean(values);
  CHECK(s.status == discgeom::summary_status::ok);
  CHECK(s.n == 5);
  CHECK(s.mean == 3.0);
  CHECK(s.sd == Approx(std::sqrt(2.5)));
  // t_{0.975, 4} = 2.7764451051977987 (scipy.stats.t.ppf).
  const double half = 2.7764451051977987 * std::sqrt(2.5) / std::sqrt(5.0);
  CHECK(s.t_low == Approx(3.0 - half).epsilon(1e-12));
  CHECK(s.t_high == Approx(3.0 + half).epsilon(1e-12));
  CHECK(s.bootstrap_low >= 1.0);
  CHECK(s.bootstrap_high <= 5.0);
  CHECK(s.bootstrap_low < 3.0);
  CHECK(s.bootstrap_high > 3.0);
}

TEST_CASE("summarise_mean: the bootstrap is seeded and agrees with t on a large sample",
          "[stats]") {
  std::mt19937_64 generator(5);
  std::normal_distribution<double> normal(10.0, 2.0);
  std::vector<double> values(400);
  for (double& v : values)
    v = normal(generator);
  const auto a = discgeom::summarise_mean(values, {.seed = 1});
  const auto b = discgeom::summarise_mean(values, {.seed = 1});
  const auto c = discgeom::summarise_mean(values, {.seed = 2});
  CHECK(a.bootstrap_low == b.bootstrap_low);
  CHECK(a.bootstrap_high == b.bootstrap_high);
  CHECK(a.bootstrap_low != c.bootstrap_low);
  // For a normal sample of 400 both intervals are mean -+ 1.97 sd / 20 within a few percent.
  const double t_width = a.t_high - a.t_low;
  CHECK((a.bootstrap_high - a.bootstrap_low) == Approx(t_width).epsilon(0.08));
  CHECK(0.5 * (a.bootstrap_high + a.bootstrap_low) == Approx(a.mean).margin(0.05 * t_width));
}

TEST_CASE("summarise_mean: missing values are counted, degenerate samples have a status",
          "[stats]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> with_nan{1.0, nan, 3.0};
  const auto s = discgeom::summarise_mean(with_nan);
  CHECK(s.n == 2);
  CHECK(s.n_missing == 1);
  CHECK(s.mean == 2.0);
  const std::vector<double> one{4.0};
  const auto single = discgeom::summarise_mean(one);
  CHECK(single.status == discgeom::summary_status::single_value);
  CHECK(single.mean == 4.0);
  CHECK(std::isnan(single.t_low));
  const std::vector<double> none{nan, nan};
  const auto empty = discgeom::summarise_mean(none);
  CHECK(empty.status == discgeom::summary_status::no_values);
  CHECK(empty.n_missing == 2);
  CHECK(std::isnan(empty.mean));
  CHECK_THROWS_WITH(discgeom::summarise_mean(one, {.confidence = 1.0}),
                    "summarise_mean(): options.confidence must be in (0, 1), got 1");
}
