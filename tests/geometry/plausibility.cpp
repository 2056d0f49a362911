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
  // All five discs carry label 202 and lie on one straight line: nothing tells the signs.
  CHECK(*advice.orientation == "PSL");
  CHECK(advice.orientation_basis.find("S or I unknown") != std::string::npos);
  CHECK(advice.orientation_basis.find("A or P unknown") != std::string::npos);
}

TEST_CASE("check_disc_spacing: anatomy proposes the whole orientation code") {
  // The real masks' case: array axis 0 grows posterior, axis 1 inferior, axis 2 (9 slices) left,
  // the true code PIL; the header says identity with 4.4 mm on axis 0. Labels 51 (L5/S1) to 255
  // (L1/L2) count up from the lowest disc, which has the largest axis-1 index. Lordosis: the
  // middle discs lie 8 voxels (3.4 mm) anterior, at smaller axis-0 index, of the end discs' line.
  const discgeom::image_geometry header{.spacing = {4.4, 0.4296875, 0.4296875}};
  const auto spine = [&](int middle_offset) {
    std::vector<discgeom::disc_measures> discs;
    const int offsets[] = {0, middle_offset, middle_offset, middle_offset, 0};
    for (int level = 0; level < 5; ++level) {
      auto d = disc(
          2.5, 8.0, 316.8,
          header.index_to_physical(discgeom::vec3{70.0 + offsets[level], 300.0 - 60 * level, 4}));
      d.label = 51 * (level + 1);
      d.level = std::string(level == 4 ? "L1/L2" : "L5/S1");
      discs.push_back(d);
    }
    return discs;
  };
  const auto advice = discgeom::check_disc_spacing(spine(-8), {127, 342, 9}, header);
  REQUIRE(advice.orientation);
  CHECK(*advice.orientation == "PIL");
  CHECK(advice.orientation_basis ==
        "L assumed (left and right cannot be told from discs); I: the disc labels decrease along "
        "the axis (they count up from the lowest disc); P: lordosis, the middle discs lie "
        "anterior to the line through the end discs");
  // Mirrored antero-posteriorly, the bulge is at larger axis-0 index: A.
  CHECK(*discgeom::check_disc_spacing(spine(8), {127, 342, 9}, header).orientation == "AIL");
  // Less than 1 mm of bulge decides nothing.
  CHECK(*discgeom::check_disc_spacing(spine(1), {127, 342, 9}, header).orientation == "PIL");
  CHECK(discgeom::check_disc_spacing(spine(1), {127, 342, 9}, header)
            .orientation_basis.find("A or P unknown") != std::string::npos);
  // A labelled canal decides against lordosis: it lies posterior, here at smaller axis-0 index.
  const discgeom::spine_landmarks canal{header.index_to_physical(discgeom::vec3{20, 180, 4})};
  const auto with_canal = discgeom::check_disc_spacing(spine(-8), {127, 342, 9}, header, {}, canal);
  CHECK(*with_canal.orientation == "AIL");
  CHECK(with_canal.orientation_basis.find("A: the spinal canal lies behind the discs") !=
        std::string::npos);
  // Thoracic discs are kyphotic, not lordotic: no sign from the curve.
  auto thoracic = spine(-8);
  for (auto& d : thoracic)
    d.level = "T8/T9";
  CHECK(discgeom::check_disc_spacing(thoracic, {127, 342, 9}, header)
            .orientation_basis.find("A or P unknown") != std::string::npos);
}
