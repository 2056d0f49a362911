// SPDX-License-Identifier: MIT
#include "discgeom/geometry/plausibility.hpp"

#include <catch2/catch.hpp>

namespace {
discgeom::disc_measures disc(double height, double ap, double lateral, discgeom::vec3 centroid,
                             std::size_t voxels = 1000) {
  discgeom::disc_measures d;
  d.level = "L4/L5";
  d.label = 202;
  d.voxels = voxels;
  d.height_mm = height;
  d.ap_width_mm = ap;
  d.lateral_width_mm = lateral;
  d.centroid_mm = centroid;
  return d;
}
}  // namespace

TEST_CASE("check_disc_spacing: plausible discs pass") {
  const std::vector<discgeom::disc_measures> discs{disc(8, 35, 45, {0, 0, 0}),
                                                   disc(9, 36, 46, {0, 0, 30})};
  CHECK(discgeom::check_disc_spacing(discs, {300, 300, 12}, {}).plausible);
}

TEST_CASE("check_disc_spacing: a header with the slice spacing on the wrong axis") {
  // Like the real masks: shape 127 x 342 x 9, the header's 4.4 mm on axis 0 (LR by the header's
  // direction) although axis 2, of 9 voxels, is the slice axis; discs stack along axis 1.
  const discgeom::image_geometry header{.spacing = {4.4, 0.4296875, 0.4296875}};
  std::vector<discgeom::disc_measures> discs;
  for (int level = 0; level < 5; ++level) {
    discs.push_back(
        disc(2.5, 8.0, 316.8, header.index_to_physical(discgeom::vec3{60, 60.0 + 60 * level, 4})));
  }
  discs.push_back(disc(0.43, 0.43, 4.4, {0, 0, 0}, 10));  // a stray label: ignored by the check
  const auto advice = discgeom::check_disc_spacing(discs, {127, 342, 9}, header);
  CHECK_FALSE(advice.plausible);
  CHECK(advice.reason == "disc L4/L5 (label 202) has lateral width 316.8 mm, outside [5, 120]");
  REQUIRE(advice.spacing);
  CHECK(*advice.spacing == discgeom::vec3{0.4296875, 0.4296875, 4.4});
  REQUIRE(advice.orientation);
  CHECK(*advice.orientation == "PSL");
}
