// SPDX-License-Identifier: MIT
#include "discgeom/stats/sample.hpp"

#include <cmath>
#include <list>
#include <optional>
#include <ranges>
#include <span>
#include <vector>

#include <catch2/catch.hpp>
#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>

namespace {

struct disc_row {
  double height_mm;
  std::optional<float> z0;
};

}  // namespace

TEST_CASE("sample: the containers users hold their data in are samples", "[stats]") {
  STATIC_REQUIRE(discgeom::sample<std::vector<double>>);
  STATIC_REQUIRE(discgeom::sample<std::span<const float>>);
  STATIC_REQUIRE(discgeom::sample<std::list<int>>);
  STATIC_REQUIRE(discgeom::sample<std::vector<std::optional<double>>>);
  STATIC_REQUIRE(discgeom::sample<xt::xtensor<double, 1>>);
  STATIC_REQUIRE(!discgeom::sample<std::vector<bool>>);
  STATIC_REQUIRE(!discgeom::sample<std::vector<std::vector<double>>>);
  STATIC_REQUIRE(discgeom::sample_columns<std::vector<std::vector<double>>>);
  STATIC_REQUIRE(discgeom::sample_columns<std::vector<std::span<const double>>>);
}

TEST_CASE("sample: values are copied as doubles, a missing value as NaN", "[stats]") {
  const std::vector<disc_row> rows{{8.5, 0.25f}, {9.0, std::nullopt}, {7.25, -1.5f}};
  const auto heights = discgeom::sample_values(rows | std::views::transform(&disc_row::height_mm));
  const auto z0 = discgeom::sample_values(rows | std::views::transform(&disc_row::z0));
  CHECK(heights == std::vector<double>{8.5, 9.0, 7.25});
  REQUIRE(z0.size() == 3);
  CHECK(z0[0] == 0.25);
  CHECK(std::isnan(z0[1]));
  CHECK(z0[2] == -1.5);

  const xt::xtensor<double, 2> table{{1.0, 10.0}, {2.0, 20.0}, {3.0, 30.0}};
  const auto second = discgeom::sample_values(xt::view(table, xt::all(), 1));
  CHECK(second == std::vector<double>{10.0, 20.0, 30.0});
}
