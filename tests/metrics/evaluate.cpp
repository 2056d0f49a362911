// SPDX-License-Identifier: MIT
#include "discgeom/metrics/evaluate.hpp"

#include <cmath>
#include <cstdint>

#include <catch2/catch.hpp>

#include "discgeom/image.hpp"

namespace {

discgeom::image<std::uint16_t> two_boxes(std::size_t shift, const discgeom::image_geometry& g) {
  auto img = discgeom::image<std::uint16_t>::filled({16, 12, 6}, g, 0);
  for (std::size_t k = 1; k < 4; ++k)
    for (std::size_t j = 2; j < 9; ++j) {
      for (std::size_t i = 1 + shift; i < 6 + shift; ++i)
        img.voxels(i, j, k) = 201;
      for (std::size_t i = 9; i < 14; ++i)
        img.voxels(i, j, k) = 202;
    }
  return img;
}

}  // namespace

TEST_CASE("evaluate_segmentation: overlap and surface scores of every label", "[metrics]") {
  const discgeom::image_geometry g{.spacing = {0.43, 0.43, 4.4}};
  const auto reference = two_boxes(0, g), prediction = two_boxes(1, g);
  const auto result = discgeom::evaluate_segmentation(reference.view(), prediction.view(), g);
  REQUIRE(result.size() == 2);
  CHECK(result[0].label == 201);
  CHECK(result[0].overlap.dice == Approx(2.0 * 4 / 10.0));
  CHECK(result[0].surface.hausdorff_mm == Approx(0.43));
  CHECK(result[1].overlap.dice == 1.0);
  CHECK(result[1].surface.hausdorff_mm == 0.0);
  CHECK(result[1].surface.nsd == 1.0);

  SECTION("from a histogram counted once, which must count these maps") {
    const auto pairs = discgeom::count_label_pairs(reference.view(), prediction.view());
    const auto again =
        discgeom::evaluate_segmentation(pairs, reference.view(), prediction.view(), g);
    REQUIRE(again.size() == 2);
    CHECK(again[0].overlap.dice == result[0].overlap.dice);
    CHECK(again[0].surface.hausdorff_mm == result[0].surface.hausdorff_mm);
    const discgeom::label_pair_counts other({{0, 0, 7}});
    CHECK_THROWS_WITH(
        discgeom::evaluate_segmentation(other, reference.view(), prediction.view(), g),
        "evaluate_segmentation(): pairs counts 7 voxels but the maps hold 1152");
  }
  SECTION("labels may be listed; overlap only skips the surfaces") {
    const auto listed = discgeom::evaluate_segmentation(
        reference.view(), prediction.view(), g, {.labels = {203, 201}, .surface_metrics = false});
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].overlap.status == discgeom::overlap_status::both_empty);
    CHECK(listed[1].overlap.dice == Approx(0.8));
    CHECK(listed[1].surface.hausdorff_mm == 0.0);  // not computed
  }
}

TEST_CASE("conventions_of: each preset switches what its tool does", "[metrics]") {
  using discgeom::metric_convention;
  const auto ours = discgeom::conventions_of(metric_convention::discgeom);
  CHECK(ours.kind == discgeom::surface_kind::face_connected);
  CHECK(ours.surface.aggregation == discgeom::percentile_aggregation::max_of_directed);
  const auto deepmind = discgeom::conventions_of(metric_convention::deepmind);
  CHECK(deepmind.kind == discgeom::surface_kind::corner_surfels);
  CHECK(deepmind.surface.weighting == discgeom::surface_weighting::area);
  const auto medpy = discgeom::conventions_of(metric_convention::medpy);
  CHECK(medpy.surface.aggregation == discgeom::percentile_aggregation::pooled);
  const auto plastimatch = discgeom::conventions_of(metric_convention::plastimatch);
  CHECK(plastimatch.surface.rule == discgeom::percentile_rule::lower_rank);

  // On one pair of masks, every preset runs and reports the same Hausdorff distance for shapes
  // whose surfaces are translates (DeepMind's corner points move with the voxels).
  const discgeom::image_geometry g{.spacing = {0.5, 0.5, 2.0}};
  const auto reference = two_boxes(0, g), prediction = two_boxes(2, g);
  for (auto convention :
       {metric_convention::discgeom, metric_convention::monai, metric_convention::deepmind,
        metric_convention::medpy, metric_convention::plastimatch}) {
    const auto r = discgeom::evaluate_segmentation(reference.view(), prediction.view(), g,
                                                   discgeom::conventions_of(convention));
    CHECK(r[0].surface.hausdorff_mm == Approx(1.0));
  }
  // Empty masks under MONAI: NaN when both are empty, inf when one is; NSD 0 then.
  const auto empty = discgeom::image<std::uint16_t>::filled({16, 12, 6}, g, 0);
  const auto monai = discgeom::evaluate_segmentation(
      reference.view(), empty.view(), g, discgeom::conventions_of(metric_convention::monai));
  CHECK(std::isinf(monai[0].surface.hausdorff_mm));
  CHECK(monai[0].surface.nsd == 0.0);
  // MONAI's Dice with ignore_empty=True (DiceHelper.compute_channel): 0 for a missed structure,
  // NaN whenever the reference is empty, even when the prediction holds the label.
  CHECK(monai[0].overlap.status == discgeom::overlap_status::prediction_empty);
  CHECK(monai[0].overlap.dice == 0.0);
  const auto monai_false_detection = discgeom::evaluate_segmentation(
      empty.view(), reference.view(), g, discgeom::conventions_of(metric_convention::monai));
  CHECK(monai_false_detection[0].overlap.status == discgeom::overlap_status::reference_empty);
  CHECK(std::isnan(monai_false_detection[0].overlap.dice));
  // The other presets and the default score a false detection 0.
  for (auto convention :
       {metric_convention::discgeom, metric_convention::deepmind, metric_convention::plastimatch}) {
    const auto r = discgeom::evaluate_segmentation(empty.view(), reference.view(), g,
                                                   discgeom::conventions_of(convention));
    CHECK(r[0].overlap.dice == 0.0);
  }
  // MONAI's ignore_empty=False is the default fill: 1 when both are empty, 0 when one is.
  discgeom::overlap_options keep_empty{};
  CHECK(discgeom::score_overlap({.tn = 10}, keep_empty).dice == 1.0);
}

TEST_CASE("require_same_grid names the first difference and both values", "[metrics][errors]") {
  const discgeom::image_geometry a{.spacing = {0.5, 0.5, 4.0}};
  discgeom::image_geometry b = a;
  CHECK_NOTHROW(discgeom::require_same_grid("overlap", {4, 4, 4}, a, {4, 4, 4}, b));
  CHECK_THROWS_WITH(discgeom::require_same_grid("overlap", {4, 4, 4}, a, {4, 4, 5}, b),
                    "overlap(): reference and prediction differ in shape: reference [4,4,4] vs "
                    "prediction [4,4,5]");
  b.spacing[2] = 3.3;
  CHECK_THROWS_WITH(discgeom::require_same_grid("overlap", {4, 4, 4}, a, {4, 4, 4}, b),
                    "overlap(): reference and prediction differ in spacing: reference "
                    "[0.5,0.5,4] vs prediction [0.5,0.5,3.3]");
  b = a;
  b.origin[0] = 0.00005;  // within 1e-4 mm
  CHECK_NOTHROW(discgeom::require_same_grid("overlap", {4, 4, 4}, a, {4, 4, 4}, b));
  b.origin[0] = 0.5;
  CHECK_THROWS_WITH(discgeom::require_same_grid("overlap", {4, 4, 4}, a, {4, 4, 4}, b),
                    Catch::Matchers::Contains("differ in origin"));
  b = a;
  b.direction = discgeom::direction_from_orientation("PIL");
  CHECK_THROWS_WITH(discgeom::require_same_grid("overlap", {4, 4, 4}, a, {4, 4, 4}, b),
                    Catch::Matchers::Contains("differ in direction"));
}
