// SPDX-License-Identifier: MIT
#include "discgeom/geometry/muscle_sections.hpp"

#include <cmath>
#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

#include "discgeom/image.hpp"

namespace {
// Axial slices along axis 2 (identity direction: axis 0 L, 1 P, 2 S), 0.8 x 0.6 x 4 mm.
// Label 46 (left): a 3 x 2 block on slices 1 and 3 (none on 2); label 47 (right) a 2 x 2 block
// on slice 1, further right (smaller x).
discgeom::image<std::int16_t> muscles(discgeom::image_geometry g) {
  auto img = discgeom::image<std::int16_t>::filled({10, 8, 5}, g, 0);
  for (const std::size_t k : {1u, 3u})
    for (std::size_t i = 6; i < 9; ++i)
      for (std::size_t j = 2; j < 4; ++j)
        img.voxels(i, j, k) = 46;
  for (std::size_t i = 1; i < 3; ++i)
    for (std::size_t j = 4; j < 6; ++j)
      img.voxels(i, j, 1) = 47;
  return img;
}
}  // namespace

TEST_CASE("muscle_sections: CSA and centroid per axial slice by hand, gaps say empty") {
  const discgeom::image_geometry g{.spacing = {0.8, 0.6, 4.0}, .origin = {-10, 20, 100}};
  const auto img = muscles(g);
  const auto sections = discgeom::muscle_sections(img, g, {46, 47, 48});
  REQUIRE(sections.size() == 4);  // 46 on slices 1, 2 (empty), 3; 47 on slice 1; 48 absent
  CHECK(sections[0].label == 46);
  CHECK(sections[0].slice == 1);
  CHECK(sections[0].pixels == 6);
  CHECK(sections[0].csa_mm2 == Approx(6 * 0.8 * 0.6));
  CHECK((*sections[0].centroid_mm)[0] == Approx(-10 + 7 * 0.8));
  CHECK((*sections[0].centroid_mm)[1] == Approx(20 + 2.5 * 0.6));
  CHECK((*sections[0].centroid_mm)[2] == Approx(100 + 4.0));
  CHECK(sections[1].slice == 2);
  CHECK(sections[1].status == "empty");
  CHECK(sections[1].pixels == 0);
  CHECK_FALSE(sections[1].centroid_mm);
  CHECK(sections[2].slice == 3);
  CHECK(sections[3].label == 47);
  CHECK(sections[3].csa_mm2 == Approx(4 * 0.8 * 0.6));
  CHECK(discgeom::swapped_sides(sections, discgeom::totalsegmentator_mr_muscles()).empty());

  // Mirrored left-right by the header (axis 0 grows to the right): the left label now lies to
  // the patient's right.
  discgeom::image_geometry mirrored = g;
  mirrored.direction[0][0] = -1.0;
  const auto flipped = discgeom::muscle_sections(img, mirrored, {46, 47});
  CHECK(discgeom::swapped_sides(flipped, discgeom::totalsegmentator_mr_muscles()) ==
        std::vector<std::string>{"autochthon"});
}

TEST_CASE("muscle_sections: the slice axis follows SI in any orientation, levels by plane") {
  // Axis 0 is SI here (direction columns: axis 0 -> S, axis 1 -> L, axis 2 -> P).
  discgeom::image_geometry g{.spacing = {5.0, 0.7, 0.7}};
  g.direction = {{{0, 1, 0}, {0, 0, 1}, {1, 0, 0}}};
  auto img = discgeom::image<std::int16_t>::filled({4, 6, 6}, g, 0);
  img.voxels(2, 1, 1) = 48;
  img.voxels(2, 1, 2) = 48;
  const auto sections = discgeom::muscle_sections(img, g, {48});
  REQUIRE(sections.size() == 1);
  CHECK(sections[0].slice == 2);
  CHECK(sections[0].csa_mm2 == Approx(2 * 0.7 * 0.7));
  CHECK((*sections[0].centroid_mm)[2] == Approx(10.0));
  CHECK_FALSE(discgeom::not_axial_reason(g));

  // Slice 2 lies at z = 10 mm: the disc at z = 12 is nearer than the one at z = 4.
  const std::vector<discgeom::disc_position> discs{{"L4/L5", {0, 0, 4}}, {"L3/L4", {30, 5, 12}}};
  CHECK(discgeom::nearest_disc_level(g, 2, discs) == "L3/L4");
  CHECK(discgeom::nearest_disc_level(g, 0, discs) == "L4/L5");
  CHECK_FALSE(discgeom::nearest_disc_level(g, 0, {}));
  CHECK(discgeom::inside_image(g, {4, 6, 6}, {1.0, 2.0, 3.0}));
  CHECK_FALSE(discgeom::inside_image(g, {4, 6, 6}, {1.0, 2.0, 300.0}));
}

TEST_CASE("not_axial_reason: a sagittal series is refused with every axis named") {
  const discgeom::image_geometry sagittal{.spacing = {4.4, 0.43, 0.43}};  // axis 2 SI, thin
  const auto reason = discgeom::not_axial_reason(sagittal);
  REQUIRE(reason);
  CHECK(*reason ==
        "not an axial series: axis 0 is LR (4.400000 mm), axis 1 is AP (0.430000 mm), axis 2 is "
        "SI (0.430000 mm); axial sections need the SI axis to be the slice axis (the coarsest)");
  CHECK_FALSE(discgeom::not_axial_reason({.spacing = {3, 3, 3}}));
  CHECK_FALSE(discgeom::not_axial_reason({.spacing = {0.7, 0.7, 4}}));
}

TEST_CASE("not_axial_reason: one axial slice passes whatever its pixel size") {
  // A 2D axial image read as a volume of one slice: the third spacing (1 mm, not stored in a 2D
  // file) is finer than the 1.5 mm pixels, yet the slice is one axial section.
  const discgeom::image_geometry one_slice{.spacing = {1.5, 1.5, 1.0}};
  CHECK(discgeom::not_axial_reason(one_slice));  // the spacing alone: refused
  CHECK_FALSE(discgeom::not_axial_reason(one_slice, {20, 20, 1}));
  // More than one slice: the spacing rule again.
  CHECK(discgeom::not_axial_reason(one_slice, {20, 20, 2}));
  // One slice of a sagittal series (axis 0 is LR, SI lies in the slice): still refused.
  const discgeom::image_geometry sagittal{.spacing = {4.4, 0.43, 0.43}};
  CHECK(discgeom::not_axial_reason(sagittal, {1, 40, 40}));
}

TEST_CASE("nearest_slice and is_level_slice: the slice nearest each disc, by hand") {
  // Slices run head to foot (axis 2 grows inferior), 5 mm apart: slice k lies at z = 100 - 5k.
  const discgeom::image_geometry g{.spacing = {0.8, 0.8, 5.0},
                                   .origin = {0, 0, 100},
                                   .direction = {{{1, 0, 0}, {0, 1, 0}, {0, 0, -1}}}};
  using discgeom::vec3;
  CHECK(discgeom::nearest_slice(g, 10, vec3{3, -4, 87.4}) == 3);    // index 2.52
  CHECK(discgeom::nearest_slice(g, 10, vec3{0, 0, 87.5}) == 3);     // index 2.5: half up
  CHECK(discgeom::nearest_slice(g, 10, vec3{0, 0, 87.6}) == 2);     // index 2.48
  CHECK(discgeom::nearest_slice(g, 10, vec3{0, 0, 102.6}) == 0);    // above the first: clamped
  CHECK(discgeom::nearest_slice(g, 10, vec3{0, 0, -1000.0}) == 9);  // below the last: clamped
  const std::vector<discgeom::disc_position> discs{{"L4/L5", {0, 0, 87.4}},
                                                   {"L5/S1", {0, 0, 60.0}}};
  CHECK(discgeom::is_level_slice(g, 10, 3, discs));        // z 85, nearest L4/L5, its slice
  CHECK_FALSE(discgeom::is_level_slice(g, 10, 2, discs));  // z 90: L4/L5's, not its nearest
  CHECK(discgeom::is_level_slice(g, 10, 8, discs));        // z 60: on L5/S1
  CHECK_FALSE(discgeom::is_level_slice(g, 10, 7, discs));  // z 65: L5/S1's, not its nearest
  CHECK_FALSE(discgeom::is_level_slice(g, 10, 3, {}));     // no discs, no level slice
  CHECK_THROWS_WITH(discgeom::nearest_slice(g, 10, vec3{0, 0, NAN}),
                    Catch::Contains("nearest_slice") && Catch::Contains("finite"));
}
