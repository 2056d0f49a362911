// SPDX-License-Identifier: MIT
#include "discgeom/metrics/overlap.hpp"

#include <cmath>
#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

#include "discgeom/image.hpp"

namespace {

// A 10 x 6 x 6 volume; label 1 is a 4 x 4 x 4 cube at `x0` (64 voxels).
discgeom::image<std::uint8_t> cube_at(std::size_t x0, std::uint8_t label = 1) {
  auto img = discgeom::image<std::uint8_t>::filled({10, 6, 6}, {}, 0);
  for (std::size_t i = x0; i < x0 + 4; ++i)
    for (std::size_t j = 1; j < 5; ++j)
      for (std::size_t k = 1; k < 5; ++k)
        img.voxels(i, j, k) = label;
  return img;
}

}  // namespace

TEST_CASE("score_overlap: a cube against itself shifted by one voxel", "[metrics]") {
  // TP = 3 x 4 x 4 = 48, FP = FN = 16, TN = 360 - 80 = 280.
  const auto reference = cube_at(2), prediction = cube_at(3);
  const auto result = discgeom::overlap_by_label(reference.view(), prediction.view());
  REQUIRE(result.size() == 1);
  const auto& s = result[0].scores;
  CHECK(result[0].label == 1);
  CHECK(s.counts == discgeom::confusion_counts{48, 16, 16, 280});
  CHECK(s.status == discgeom::overlap_status::ok);
  CHECK(s.dice == Approx(96.0 / 128.0));
  CHECK(s.iou == Approx(48.0 / 80.0));
  CHECK(s.precision == Approx(0.75));
  CHECK(s.recall == Approx(0.75));
  CHECK(s.specificity == Approx(280.0 / 296.0));
  CHECK(s.false_discovery_rate == Approx(0.25));
  CHECK(s.volume_similarity == 1.0);
  CHECK(s.relative_volume_error == 0.0);
}

TEST_CASE("score_overlap: volume errors are signed and named", "[metrics]") {
  // |R| = 100, |P| = 80, TP = 70: FP = 10, FN = 30.
  const auto s = discgeom::score_overlap({70, 10, 30, 890});
  CHECK(s.volume_similarity == Approx(1.0 - 20.0 / 180.0));
  CHECK(s.relative_volume_error == Approx(-0.2));
  CHECK(s.absolute_relative_volume_error == Approx(0.2));
  CHECK(s.dice == Approx(140.0 / 180.0));
}

TEST_CASE("score_overlap: empty masks carry a status and the documented fill", "[metrics]") {
  using discgeom::overlap_status;
  SECTION("both empty: agreement 1, errors 0") {
    const auto s = discgeom::score_overlap({0, 0, 0, 50});
    CHECK(s.status == overlap_status::both_empty);
    CHECK(s.dice == 1.0);
    CHECK(s.iou == 1.0);
    CHECK(s.precision == 1.0);
    CHECK(s.recall == 1.0);
    CHECK(s.volume_similarity == 1.0);
    CHECK(s.relative_volume_error == 0.0);
    CHECK(s.false_discovery_rate == 0.0);
    CHECK(s.specificity == 1.0);
  }
  SECTION("a missed structure never scores best") {
    const auto s = discgeom::score_overlap({0, 0, 20, 30});
    CHECK(s.status == overlap_status::prediction_empty);
    CHECK(s.dice == 0.0);
    CHECK(s.iou == 0.0);
    CHECK(s.precision == 0.0);  // 0/0, filled
    CHECK(s.recall == 0.0);
    CHECK(s.volume_similarity == 0.0);
    CHECK(std::isnan(s.false_discovery_rate));
    CHECK(s.relative_volume_error == -1.0);
  }
  SECTION("a false detection") {
    const auto s = discgeom::score_overlap({0, 20, 0, 30});
    CHECK(s.status == overlap_status::reference_empty);
    CHECK(s.dice == 0.0);
    CHECK(s.recall == 0.0);
    CHECK(s.false_discovery_rate == 1.0);
    CHECK(std::isnan(s.relative_volume_error));
    CHECK(std::isnan(s.absolute_relative_volume_error));
  }
  SECTION("a chosen fill") {
    const auto s = discgeom::score_overlap({0, 0, 0, 50}, {.fill = {.both_empty = 0.0}});
    CHECK(s.dice == 0.0);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    // A missed structure (prediction empty) and a false detection (reference empty) apart.
    const discgeom::overlap_options missed_nan{.fill = {.prediction_empty = nan}};
    CHECK(std::isnan(discgeom::score_overlap({0, 0, 20, 30}, missed_nan).dice));
    CHECK(discgeom::score_overlap({0, 20, 0, 30}, missed_nan).dice == 0.0);
    const discgeom::overlap_options detected_nan{.fill = {.reference_empty = nan}};
    CHECK(std::isnan(discgeom::score_overlap({0, 20, 0, 30}, detected_nan).recall));
    CHECK(discgeom::score_overlap({0, 0, 20, 30}, detected_nan).dice == 0.0);
  }
  SECTION("specificity is undefined when the reference fills the volume") {
    const auto s = discgeom::score_overlap({50, 0, 0, 0});
    CHECK(s.dice == 1.0);
    CHECK(std::isnan(s.specificity));
  }
}

TEST_CASE("overlap_by_label: listed labels, absent ones included", "[metrics]") {
  const auto reference = cube_at(2, 1), prediction = cube_at(2, 2);
  const auto result =
      discgeom::overlap_by_label(reference.view(), prediction.view(), {.labels = {2, 1, 9}});
  REQUIRE(result.size() == 3);
  CHECK(result[0].label == 2);
  CHECK(result[0].scores.status == discgeom::overlap_status::reference_empty);
  CHECK(result[1].scores.status == discgeom::overlap_status::prediction_empty);
  CHECK(result[2].scores.status == discgeom::overlap_status::both_empty);
  CHECK(result[2].scores.dice == 1.0);
}

TEST_CASE("micro and macro averages", "[metrics]") {
  // Label 1: TP 10, FP 0, FN 10 (Dice 2/3); label 2: TP 90, FP 10, FN 0 (Dice 180/190).
  const std::vector<discgeom::label_overlap> per_label{
      {1, discgeom::score_overlap({10, 0, 10, 80})}, {2, discgeom::score_overlap({90, 10, 0, 0})}};
  const auto micro = discgeom::micro_average(per_label);
  CHECK(micro.counts == discgeom::confusion_counts{100, 10, 10, 80});
  CHECK(micro.dice == Approx(200.0 / 220.0));
  const auto macro = discgeom::macro_average(per_label);
  CHECK(macro.dice == Approx(0.5 * (20.0 / 30.0 + 180.0 / 190.0)));
  CHECK(macro.specificity == Approx(0.5));  // (80/80 + 0/10) / 2
  const std::vector<discgeom::label_overlap> with_undefined{
      per_label[0], {3, discgeom::score_overlap({5, 0, 0, 0})}};  // label 3 fills the volume
  CHECK(std::isnan(discgeom::macro_average(with_undefined).specificity));
  CHECK_THROWS_WITH(discgeom::micro_average({}), "micro_average(): per_label holds no label");
}
