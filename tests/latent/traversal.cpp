// SPDX-License-Identifier: MIT
#include "discgeom/latent/traversal.hpp"

#include <limits>
#include <vector>

#include <catch2/catch.hpp>

using discgeom::traversal_anchor;

TEST_CASE("traversal: six steps from min to max, the others at the mean", "[latent]") {
  // Feature 0 spans [-1, 4], feature 1 [0, 10] with mean 3 and median 1.
  const std::vector<std::vector<double>> codes{{-1, 4, 0, 1}, {0, 10, 1, 1}};
  const auto grid = discgeom::traverse_latents(codes);
  REQUIRE(grid.steps == 6);
  REQUIRE(grid.points.size() == 12);
  CHECK(grid.anchor == std::vector<double>{1.0, 3.0});
  const std::vector<double> expected_0{-1, 0, 1, 2, 3, 4};  // min, 1/5 ... 4/5, max
  for (std::size_t s = 0; s < 6; ++s) {
    const auto& point = grid.points[s];
    CHECK(point.feature == 0);
    CHECK(point.step == s);
    CHECK(point.value == Approx(expected_0[s]).margin(1e-15));
    CHECK(point.latent == std::vector<double>{point.value, 3.0});
  }
  CHECK(grid.points[6].latent == std::vector<double>{1.0, 0.0});
  CHECK(grid.points[11].latent == std::vector<double>{1.0, 10.0});
  CHECK(grid.points[8].value == Approx(4.0));
}

TEST_CASE("traversal: median and given anchors, four steps", "[latent]") {
  const std::vector<std::vector<double>> codes{{-1, 4, 0, 1}, {0, 10, 1, 1}};
  const auto median =
      discgeom::traverse_latents(codes, {.steps = 4, .anchor = traversal_anchor::median});
  CHECK(median.anchor == std::vector<double>{0.5, 1.0});
  CHECK(median.points.size() == 8);
  CHECK(median.points[1].value == Approx(2.0 / 3.0));
  const auto given = discgeom::traverse_latents(
      codes, {.steps = 2, .anchor = traversal_anchor::given, .given = {7.0, 8.0}});
  CHECK(given.points[0].latent == std::vector<double>{-1.0, 8.0});
  CHECK(given.points[3].latent == std::vector<double>{7.0, 10.0});
}

TEST_CASE("traversal: a constant feature gives equal points", "[latent]") {
  const std::vector<std::vector<double>> codes{{2, 2, 2}, {0, 1, 2}};
  const auto grid = discgeom::traverse_latents(codes, {.steps = 3});
  CHECK(grid.points[0].value == 2.0);
  CHECK(grid.points[2].value == 2.0);
}

TEST_CASE("traversal: bad options and empty features are refused", "[latent]") {
  const std::vector<std::vector<double>> codes{{-1, 4}, {0, 10}};
  REQUIRE_THROWS_WITH(discgeom::traverse_latents(codes, {.steps = 1}),
                      Catch::Contains("traverse_latents()") && Catch::Contains("got 1"));
  REQUIRE_THROWS_WITH(
      discgeom::traverse_latents(codes, {.anchor = traversal_anchor::given, .given = {1.0}}),
      Catch::Contains("options.given has 1 values for 2"));
  REQUIRE_THROWS_WITH(
      discgeom::traverse_latents(codes, {.anchor = traversal_anchor::given,
                                         .given = {1.0, std::numeric_limits<double>::infinity()}}),
      Catch::Contains("options.given[1] is not finite"));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<std::vector<double>> empty_feature{{1, 2}, {nan, nan}};
  REQUIRE_THROWS_WITH(discgeom::traverse_latents(empty_feature),
                      Catch::Contains("latent feature 1 has no value"));
}
