// SPDX-License-Identifier: MIT
#include "discgeom/geometry/disc_measures.hpp"

#include <cstdint>

#include <catch2/catch.hpp>

#include "discgeom/image.hpp"

namespace {

// A sagittal-ish spine in SPIDER labels: identity direction (axis 2 superior), spacing
// 0.5 x 0.5 x 2.0 mm. Discs 201 (k 2..3), 202 (k 8..9), 203 (k 14..15) stacked upwards, each
// 10 x 12 voxels in LR x AP; vertebra 2 between 201 and 202; canal 100 behind everything.
discgeom::image<std::int16_t> spine() {
  const discgeom::image_geometry g{.spacing = {0.5, 0.5, 2.0}};
  auto img = discgeom::image<std::int16_t>::filled({20, 30, 20}, g, 0);
  const auto fill = [&](std::int16_t label, std::size_t k0, std::size_t k1, std::size_t j0 = 5,
                        std::size_t j1 = 16) {
    for (std::size_t i = 5; i < 15; ++i)
      for (std::size_t j = j0; j <= j1; ++j)
        for (std::size_t k = k0; k <= k1; ++k)
          img.voxels(i, j, k) = label;
  };
  fill(201, 2, 3);
  fill(2, 4, 7);
  fill(202, 8, 9);
  fill(203, 14, 15);
  fill(100, 1, 18, 20, 24);
  return img;
}

}  // namespace

TEST_CASE("measure_discs, SPIDER: only 201-225, lowest first, levels from the label") {
  const auto img = spine();
  const auto discs = discgeom::measure_discs(img, img.geometry);
  REQUIRE(discs.size() == 3);
  CHECK(discs[0].label == 201);
  CHECK(discs[0].level == "L5/S1");
  CHECK(discs[1].level == "L4/L5");
  CHECK(discs[2].label == 203);
  CHECK(discs[2].level == "L3/L4");
  for (const auto& d : discs) {
    CHECK(d.status == "ok");
    CHECK(d.voxels == 10 * 12 * 2);
    CHECK(d.volume_mm3 == Approx(240 * 0.5 * 0.5 * 2.0));
    CHECK(*d.height_mm == Approx(4.0));
    CHECK(*d.ap_width_mm == Approx(6.0));
    CHECK(*d.lateral_width_mm == Approx(5.0));
    CHECK(*d.minrect_height_mm == Approx(4.0));
    CHECK_FALSE(d.touches_border);
  }
  CHECK((*discs[0].centroid_mm)[2] == Approx(2.5 * 2.0));

  const auto six = discgeom::measure_discs(img, img.geometry, {.lowest_level = "L6/S1"});
  CHECK(six[0].level == "L6/S1");
  CHECK(six[1].level == "L5/L6");
}

TEST_CASE("measure_discs, ordinal: every label, ordered cranio-caudally, fragments take no level") {
  auto img = spine();
  // A stray voxel of label 250 between discs 202 and 203.
  img.voxels(10, 10, 11) = 250;
  const auto discs = discgeom::measure_discs(
      img, img.geometry, {.scheme = discgeom::disc_label_scheme::ordinal, .min_voxels = 10});
  REQUIRE(discs.size() == 6);  // 201, 2, 202, 250, 203 and the canal 100, by centroid height
  CHECK(discs[0].label == 201);
  CHECK(discs[0].level == "L5/S1");
  CHECK(discs[1].label == 2);
  CHECK(discs[1].level == "L4/L5");
  // The canal spans k 1..18: centroid 9.5, between 202 (8.5) and the fragment (11).
  CHECK(discs[2].label == 202);
  CHECK(discs[3].label == 100);
  CHECK(discs[4].label == 250);
  CHECK(discs[4].status == "fragment");
  CHECK(discs[4].level == "unknown");
  CHECK(discs[4].voxels == 1);
  CHECK_FALSE(discs[4].height_mm);
  CHECK(discs[5].label == 203);
  CHECK(discs[5].level == "L1/L2");
}

TEST_CASE("measure_discs, user table, largest component, border, bad options") {
  auto img = spine();
  img.voxels(0, 0, 0) = 201;  // a stray voxel of disc 201 in the corner
  const discgeom::label_table table{{203, {discgeom::structure_kind::disc, "L2/L3"}},
                                    {2, {discgeom::structure_kind::vertebra, "L5"}}};
  const auto from_table = discgeom::measure_discs(
      img, img.geometry, {.scheme = discgeom::disc_label_scheme::table, .table = &table});
  REQUIRE(from_table.size() == 1);
  CHECK(from_table[0].level == "L2/L3");

  const auto whole = discgeom::measure_discs(img, img.geometry);
  CHECK(whole[0].voxels == 241);
  CHECK(whole[0].touches_border);  // the stray voxel is on the boundary
  CHECK(whole[0].voxels_left_out == 0);
  const auto largest = discgeom::measure_discs(img, img.geometry, {.largest_component = true});
  CHECK(largest[0].voxels == 240);
  CHECK(largest[0].voxels_left_out == 1);
  CHECK_FALSE(largest[0].touches_border);

  CHECK_THROWS_WITH(
      discgeom::measure_discs(img, img.geometry, {.scheme = discgeom::disc_label_scheme::table}),
      "measure_discs(): options.scheme is table but options.table is null");
  CHECK_THROWS_AS(discgeom::measure_discs(img, img.geometry, {.lowest_level = "S1"}),
                  discgeom::precondition_error);
  const discgeom::image_geometry bad{.spacing = {0.5, 0.0, 2.0}};
  CHECK_THROWS_AS(discgeom::measure_discs(img, bad), discgeom::precondition_error);
}

TEST_CASE("measure_disc: empty and fragment statuses, measures left empty") {
  const discgeom::voxel_set none{{}, {4, 4, 4}, {}};
  const auto empty = discgeom::measure_disc(none);
  CHECK(empty.status == "empty");
  CHECK(empty.voxels == 0);
  CHECK_FALSE(empty.centroid_mm);
  const discgeom::voxel_set few{{{1, 1, 1}, {1, 1, 2}}, {4, 4, 4}, {}};
  const auto fragment = discgeom::measure_disc(few, 3);
  CHECK(fragment.status == "fragment");
  CHECK(fragment.volume_mm3 == Approx(2.0));
  CHECK_FALSE(fragment.height_mm);
}
