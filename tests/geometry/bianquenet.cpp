// SPDX-License-Identifier: MIT
#include "discgeom/geometry/bianquenet.hpp"

#include <cstdint>

#include <catch2/catch.hpp>

#include "discgeom/image.hpp"

namespace {
// A sagittal stack at 0.5 x 0.5 x 4 mm (axes AP, SI growing upwards, LR): vertebra 1 (L5) 30 mm
// AP x 25 mm high, disc 202 above it 30 x 10 mm, vertebra 2 (L4) 30 x 27 mm, disc 201 below
// vertebra 1, 30 x 8 mm. Each structure 5 LR slices.
discgeom::image<std::uint8_t> stack() {
  const discgeom::image_geometry g{.spacing = {0.5, 0.5, 4.0},
                                   .direction = discgeom::direction_from_orientation("ASL")};
  auto img = discgeom::image<std::uint8_t>::filled({80, 200, 7}, g, 0);
  const auto box = [&](std::uint8_t label, std::size_t j0, std::size_t height_voxels) {
    for (std::size_t i = 10; i < 70; ++i)
      for (std::size_t j = j0; j < j0 + height_voxels; ++j)
        for (std::size_t k = 1; k < 6; ++k)
          img.voxels(i, j, k) = label;
  };
  box(201, 10, 16);  // 8 mm
  box(1, 26, 50);    // 25 mm
  box(202, 76, 20);  // 10 mm
  box(2, 96, 54);    // 27 mm
  return img;
}
}  // namespace

TEST_CASE("BianqueNet indices of rectangular discs and bodies, by hand") {
  const auto img = stack();
  const auto indices = discgeom::measure_bianquenet(img, img.geometry);
  REQUIRE(indices.size() == 2);
  const auto& l5s1 = indices[0];
  CHECK(l5s1.label == 201);
  CHECK(l5s1.status == "ok");
  CHECK(*l5s1.ap_width_mm == Approx(30.0));
  // The central 80% of a 30 mm rectangle: 24 mm of 48 pixel columns... exactly 48 columns x 16
  // rows.
  CHECK(*l5s1.dh_mm == Approx(8.0));
  CHECK(*l5s1.hv_above_mm == Approx(25.0));
  CHECK_FALSE(l5s1.hv_below_mm);
  CHECK(*l5s1.dhi == Approx(8.0 / 25.0));
  CHECK(*l5s1.hdr == Approx(8.0 / 30.0));
  const auto& l4l5 = indices[1];
  CHECK(l4l5.label == 202);
  CHECK(*l4l5.dh_mm == Approx(10.0));
  CHECK(*l4l5.hv_above_mm == Approx(27.0));
  CHECK(*l4l5.hv_below_mm == Approx(25.0));
  CHECK(*l4l5.dhi == Approx(2.0 * 10.0 / (27.0 + 25.0)));
}

TEST_CASE("BianqueNet: a missing vertebra leaves DHI empty with a status") {
  auto img = stack();
  for (auto& v : img.voxels)
    if (v == 2)
      v = 0;
  const auto indices = discgeom::measure_bianquenet(img, img.geometry);
  REQUIRE(indices.size() == 2);
  CHECK(indices[1].status == "no vertebra above");
  CHECK_FALSE(indices[1].dhi);
  CHECK(indices[1].dh_mm);
}
