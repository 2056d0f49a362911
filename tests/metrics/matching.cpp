// SPDX-License-Identifier: MIT
#include "discgeom/metrics/matching.hpp"

#include <cmath>
#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

TEST_CASE("match_structures: SPIDER-style detection", "[metrics][matching]") {
  // Reference structures 1 (100 voxels), 2 (100), 3 (50). Prediction: label 5 covers 90 voxels
  // of structure 1 and 10 of background; label 6 covers 5 voxels of structure 2 and 200 of
  // background; label 7 covers 40 of structure 2 (Dice 80 / 140 with 2's 100 and 7's 40);
  // nothing covers structure 3.
  const discgeom::label_pair_counts pairs({{1, 5, 90},
                                           {1, 0, 10},
                                           {0, 5, 10},
                                           {2, 6, 5},
                                           {2, 7, 40},
                                           {2, 0, 55},
                                           {0, 6, 200},
                                           {3, 0, 50},
                                           {0, 0, 1000}});
  const auto m = discgeom::match_structures(pairs);
  REQUIRE(m.matches.size() == 3);
  CHECK(m.matches[0].prediction == 5);
  CHECK(m.matches[0].dice == Approx(180.0 / 200.0));
  CHECK(m.matches[0].detected);
  CHECK(m.matches[1].prediction == 7);
  CHECK(m.matches[1].dice == Approx(80.0 / 140.0));
  CHECK(m.matches[1].detected);
  CHECK(m.matches[2].prediction == 0);
  CHECK_FALSE(m.matches[2].detected);
  CHECK(m.detected == 2);
  CHECK(m.detection_rate == Approx(2.0 / 3.0));
  CHECK(m.unmatched_predictions == std::vector<discgeom::label_value>{6});

  SECTION("a match below Dice 0.1 is a missed structure") {
    const discgeom::label_pair_counts weak({{1, 4, 5}, {1, 0, 95}, {0, 4, 100}});
    const auto w = discgeom::match_structures(weak);  // Dice 10 / 205 < 0.1
    CHECK(w.matches[0].prediction == 4);
    CHECK_FALSE(w.matches[0].detected);
    CHECK(w.detection_rate == 0.0);
    CHECK(discgeom::match_structures(weak, {.min_dice = 0.0}).detection_rate == 1.0);
  }
  SECTION("no reference structure: the rate is undefined, not perfect") {
    CHECK(std::isnan(
        discgeom::match_structures(discgeom::label_pair_counts({{0, 3, 4}})).detection_rate));
  }
  CHECK_THROWS_WITH(discgeom::match_structures(pairs, {.min_dice = 1.5}),
                    "match_structures(): options.min_dice must be in [0, 1], got 1.5");
}
