// SPDX-License-Identifier: MIT
#include "discgeom/metrics/surface_scores.hpp"

#include <cmath>
#include <limits>

#include <catch2/catch.hpp>

namespace {

// Distances set by hand: reference -> prediction 0, 1, 2, 3, 4; prediction -> reference 0, 10.
discgeom::surface_distances hand_made(bool with_areas = false) {
  discgeom::surface_distances d;
  d.label = 5;
  d.status = discgeom::overlap_status::ok;
  d.reference_to_prediction = {3, 0, 4, 1, 2};
  d.prediction_to_reference = {10, 0};
  d.reference_points = 5;
  d.prediction_points = 2;
  if (with_areas) {
    d.kind = discgeom::surface_kind::corner_surfels;
    d.reference_areas = {1, 1, 1, 1, 6};  // the distance 2 weighs 6
    d.prediction_areas = {1, 3};          // 10 weighs 1, 0 weighs 3
  }
  return d;
}

}  // namespace

TEST_CASE("surface metrics from hand-made distance arrays", "[metrics][surface]") {
  const auto d = hand_made();
  CHECK(discgeom::hausdorff_distance(d) == 10.0);
  SECTION("percentile with linear interpolation, three aggregations") {
    // Directed P95: (5 - 1) * 0.95 = 3.8 -> 3.8; (2 - 1) * 0.95 -> 9.5. Pooled (7 values):
    // sorted 0 0 1 2 3 4 10, h = 5.7 -> 4 + 0.7 * 6 = 8.2.
    CHECK(discgeom::hausdorff_percentile_distance(d) == Approx(9.5));
    CHECK(discgeom::hausdorff_percentile_distance(
              d, {.aggregation = discgeom::percentile_aggregation::pooled}) == Approx(8.2));
    CHECK(discgeom::hausdorff_percentile_distance(
              d, {.aggregation = discgeom::percentile_aggregation::mean_of_directed}) ==
          Approx(0.5 * (3.8 + 9.5)));
    CHECK(discgeom::hausdorff_percentile_distance(d, {.percentile = 100}) == 10.0);
    CHECK(discgeom::hausdorff_percentile_distance(d, {.percentile = 50}) == Approx(5.0));
  }
  SECTION("lower rank (plastimatch) and cumulative weight (DeepMind)") {
    // Lower rank, p = 95: floor(5 * 0.95) = 4th smallest of 0..4 = 3; floor(2 * 0.95) = 1st = 0.
    CHECK(discgeom::hausdorff_percentile_distance(
              d, {.aggregation = discgeom::percentile_aggregation::mean_of_directed,
                  .rule = discgeom::percentile_rule::lower_rank}) == Approx(1.5));
    // Cumulative weight, p = 95: 0..4 reach 1.0 at 4; {0, 10} reach 0.5 at 0, 1.0 at 10.
    CHECK(discgeom::hausdorff_percentile_distance(
              d, {.rule = discgeom::percentile_rule::cumulative_weight}) == 10.0);
    CHECK(discgeom::hausdorff_percentile_distance(
              d, {.percentile = 50, .rule = discgeom::percentile_rule::cumulative_weight}) == 2.0);
  }
  SECTION("averages: directed, pooled ASSD, MASD") {
    CHECK(discgeom::directed_average_surface_distance(
              d, discgeom::surface_direction::reference_to_prediction) == 2.0);
    CHECK(discgeom::directed_average_surface_distance(
              d, discgeom::surface_direction::prediction_to_reference) == 5.0);
    CHECK(discgeom::average_symmetric_surface_distance(d) == Approx(20.0 / 7.0));
    CHECK(discgeom::mean_average_surface_distance(d) == 3.5);
  }
  SECTION("normalised surface distance at a tolerance, <= counts") {
    CHECK(discgeom::normalised_surface_distance(d, {.tolerance_mm = 2.0}) == Approx(4.0 / 7.0));
    CHECK(discgeom::normalised_surface_distance(d, {.tolerance_mm = 0.0}) == Approx(2.0 / 7.0));
    CHECK(discgeom::normalised_surface_distance(d, {.tolerance_mm = 10.0}) == 1.0);
  }
  SECTION("score_surface gathers them all") {
    const auto s = discgeom::score_surface(d, {.tolerance_mm = 2.0});
    CHECK(s.label == 5);
    CHECK(s.hausdorff_mm == 10.0);
    CHECK(s.hausdorff_percentile_mm == Approx(9.5));
    CHECK(s.assd_mm == Approx(20.0 / 7.0));
    CHECK(s.masd_mm == 3.5);
    CHECK(s.nsd == Approx(4.0 / 7.0));
  }
}

TEST_CASE("surface metrics weighted by surfel area", "[metrics][surface]") {
  const auto d = hand_made(true);
  const discgeom::surface_metric_options area{.rule = discgeom::percentile_rule::cumulative_weight,
                                              .weighting = discgeom::surface_weighting::area};
  // Reference weights 1 1 1 1 6 on 0 1 2 3 4?  No: areas follow the array order 3 0 4 1 2.
  // Sorted by distance: 0(1) 1(1) 2(6) 3(1) 4(1); total 10: the median (0.5) is reached at 2.
  auto median = area;
  median.percentile = 50;
  median.aggregation = discgeom::percentile_aggregation::pooled;
  // Pooled: 0(1) 0(3) 1(1) 2(6) 3(1) 4(1) 10(1), total 14: 7/14 reached at 2.
  CHECK(discgeom::hausdorff_percentile_distance(d, median) == 2.0);
  CHECK(discgeom::directed_average_surface_distance(
            d, discgeom::surface_direction::reference_to_prediction, area) ==
        Approx((3 + 0 + 4 + 1 + 12) / 10.0));
  CHECK(discgeom::directed_average_surface_distance(
            d, discgeom::surface_direction::prediction_to_reference, area) == Approx(10.0 / 4.0));
  auto tolerance = area;
  tolerance.tolerance_mm = 1.0;
  CHECK(discgeom::normalised_surface_distance(d, tolerance) == Approx((2.0 + 3.0) / 14.0));
}

TEST_CASE("surface metric options are checked", "[metrics][surface][errors]") {
  const auto d = hand_made();
  CHECK_THROWS_WITH(discgeom::hausdorff_percentile_distance(d, {.percentile = 101}),
                    "hausdorff_percentile_distance(): options.percentile must be in [0, 100], "
                    "got 101");
  CHECK_THROWS_WITH(discgeom::normalised_surface_distance(d, {.tolerance_mm = -1}),
                    "normalised_surface_distance(): options.tolerance_mm must be finite and >= 0, "
                    "got -1");
  CHECK_THROWS_WITH(
      discgeom::hausdorff_distance(d, {.weighting = discgeom::surface_weighting::area}),
      "hausdorff_distance(): options.weighting is area but the surface kind is face_connected, "
      "whose points carry no area");
  CHECK_THROWS_WITH(discgeom::hausdorff_distance(hand_made(true),
                                                 {.weighting = discgeom::surface_weighting::area}),
                    "hausdorff_distance(): options.rule linear reads unweighted values; with "
                    "area weighting use percentile_rule::cumulative_weight");
}
