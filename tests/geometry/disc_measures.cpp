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
  CHECK(discs[4].level.empty());
  CHECK(discs[4].voxels == 1);
  CHECK_FALSE(discs[4].height_mm);
  CHECK(discs[5].label == 203);
  CHECK(discs[5].level == "L1/L2");
}

TEST_CASE("measure_discs: without min_voxels, a tenth of the others' median makes a fragment") {
  auto img = spine();
  // Like real subject 5: a few stray voxels of a label of their own, above the real discs.
  img.voxels(10, 10, 17) = 255;
  img.voxels(10, 10, 18) = 255;
  const auto ordinal =
      discgeom::measure_discs(img, img.geometry, {.scheme = discgeom::disc_label_scheme::ordinal});
  REQUIRE(ordinal.size() == 6);
  // Voxel counts 240, 480, 240, 900 (canal), 240 and 2: the others' median is 240 for the stray
  // piece (threshold 24) and at least 240 for the rest (none below its threshold).
  CHECK(ordinal[5].label == 255);
  CHECK(ordinal[5].status == "fragment");
  CHECK(ordinal[5].level.empty());
  CHECK(ordinal[5].voxels == 2);
  CHECK(ordinal[5].volume_mm3 == Approx(2 * 0.5 * 0.5 * 2.0));
  CHECK_FALSE(ordinal[5].centroid_mm);
  CHECK(ordinal[4].label == 203);
  CHECK(ordinal[4].level == "L1/L2");  // the stray piece above it takes no name
  for (std::size_t n = 0; n < 5; ++n)
    CHECK(ordinal[n].status == "ok");

  // SPIDER: a fragment keeps its row but loses its level name.
  img.voxels(10, 10, 17) = 204;
  img.voxels(10, 10, 18) = 204;
  const auto spider = discgeom::measure_discs(img, img.geometry);
  REQUIRE(spider.size() == 4);
  CHECK(spider[3].label == 204);
  CHECK(spider[3].status == "fragment");
  CHECK(spider[3].level.empty());
  CHECK(spider[2].level == "L3/L4");

  // A given min_voxels replaces the relative rule, in both directions.
  const auto strict = discgeom::measure_discs(img, img.geometry, {.min_voxels = 241});
  for (const auto& d : strict)
    CHECK(d.status == "fragment");
  const auto lenient = discgeom::measure_discs(img, img.geometry, {.min_voxels = 1});
  CHECK(lenient[3].status != "fragment");
  CHECK(lenient[3].level == "L2/L3");

  // A lone disc is never a fragment by the relative rule: it has no others to compare with.
  auto one = discgeom::image<std::int16_t>::filled({4, 4, 4}, {}, 0);
  one.voxels(1, 1, 1) = 201;
  const auto lone = discgeom::measure_discs(one, one.geometry);
  REQUIRE(lone.size() == 1);
  CHECK(lone[0].status != "fragment");  // one voxel: measured, its angles undefined
  CHECK(lone[0].level == "L5/S1");
}

TEST_CASE("measure_discs, components: discs sharing one label are its 26-connected pieces") {
  auto img = spine();
  for (auto& v : img.voxels) {
    v = (v >= 201 && v <= 225) ? 1 : 0;
  }
  img.voxels(10, 10, 12) = 1;  // a stray voxel between the second and third discs
  const auto discs = discgeom::measure_discs(img, img.geometry,
                                             {.scheme = discgeom::disc_label_scheme::components});
  REQUIRE(discs.size() == 4);
  CHECK(discs[0].level == "L5/S1");
  CHECK(discs[1].level == "L4/L5");
  CHECK(discs[2].status == "fragment");
  CHECK(discs[2].voxels == 1);
  CHECK(discs[2].level.empty());
  CHECK(discs[3].level == "L3/L4");
  for (const std::size_t n : {0, 1, 3}) {
    CHECK(discs[n].label == 1);
    CHECK(discs[n].voxels == 240);
    CHECK((*discs[n].centroid_mm)[2] == Approx((n == 0 ? 2.5 : n == 1 ? 8.5 : 14.5) * 2.0));
  }
}

TEST_CASE("measure_disc: a measure cut by the field of view is left empty and the status says so") {
  // A slab 6 x 4 x 3 voxels in a 6 x 10 x 8 array (identity direction: axis 0 LR, 1 AP, 2 SI):
  // it touches both left-right faces, so its lateral width (6 x 0.8 mm) is only a lower bound.
  const discgeom::image_geometry g{.spacing = {0.8, 0.5, 2.0}};
  discgeom::voxel_set slab{{}, {6, 10, 8}, g};
  for (std::uint32_t k = 2; k < 5; ++k)
    for (std::uint32_t j = 3; j < 7; ++j)
      for (std::uint32_t i = 0; i < 6; ++i)
        slab.voxels.push_back({i, j, k});
  const auto lateral = discgeom::measure_disc(slab);
  CHECK(lateral.status == "lateral width cut by field of view");
  CHECK_FALSE(lateral.lateral_width_mm);
  CHECK(*lateral.height_mm == Approx(6.0));
  CHECK(*lateral.ap_width_mm == Approx(2.0));
  CHECK(lateral.touches_border);
  CHECK(discgeom::is_measured_status(lateral.status));

  // Touching one face only is not a cut: the width is measured (touches_border says 1).
  discgeom::voxel_set one_face = slab;
  std::erase_if(one_face.voxels, [](const auto& v) { return v[0] == 5; });
  const auto one_side = discgeom::measure_disc(one_face);
  CHECK(one_side.status == "ok");
  CHECK(*one_side.lateral_width_mm == Approx(5 * 0.8));

  // Filling the whole SI extent cuts the height; filling AP in the middle sagittal slice cuts
  // the AP width. Both are named.
  discgeom::voxel_set column{{}, {6, 4, 3}, g};
  for (std::uint32_t k = 0; k < 3; ++k)
    for (std::uint32_t j = 0; j < 4; ++j)
      for (std::uint32_t i = 1; i < 4; ++i)
        column.voxels.push_back({i, j, k});
  const auto both = discgeom::measure_disc(column);
  CHECK(both.status == "height and ap width cut by field of view");
  CHECK_FALSE(both.height_mm);
  CHECK_FALSE(both.ap_width_mm);
  CHECK(*both.lateral_width_mm == Approx(3 * 0.8));
  CHECK(discgeom::is_measured_status(both.status));
  CHECK_FALSE(discgeom::is_measured_status("fragment"));
  CHECK_FALSE(discgeom::is_measured_status("middle slice empty"));
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
