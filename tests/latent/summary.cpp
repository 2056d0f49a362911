// SPDX-License-Identifier: MIT
#include "discgeom/latent/summary.hpp"

#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include <catch2/catch.hpp>

TEST_CASE("latent summary: min, max, mean, median, sd by hand", "[latent]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<std::vector<double>> codes{{1, 4, 2, 3}, {-2, nan, 0, 8}, {5, 5, 5, 5}};
  const auto features = discgeom::summarise_latents(codes);
  REQUIRE(features.size() == 3);
  CHECK(features[0].n == 4);
  CHECK(features[0].min == 1);
  CHECK(features[0].max == 4);
  CHECK(features[0].mean == 2.5);
  CHECK(features[0].median == 2.5);
  CHECK(features[0].sd == Approx(std::sqrt(5.0 / 3.0)).epsilon(1e-15));
  CHECK(features[1].n == 3);
  CHECK(features[1].n_missing == 1);
  CHECK(features[1].median == 0);
  CHECK(features[1].mean == 2);
  CHECK(features[2].sd == 0);
}

TEST_CASE("latent summary: a feature without values is all NaN, one value has no sd", "[latent]") {
  const std::vector<std::vector<std::optional<double>>> codes{{std::nullopt, std::nullopt},
                                                              {std::nullopt, 3.0}};
  const auto features = discgeom::summarise_latents(codes);
  CHECK(features[0].n == 0);
  CHECK(features[0].n_missing == 2);
  CHECK(std::isnan(features[0].mean));
  CHECK(std::isnan(features[0].min));
  CHECK(features[1].mean == 3.0);
  CHECK(std::isnan(features[1].sd));
}
