// SPDX-License-Identifier: MIT
#include "discgeom/geometry/vertebra_measures.hpp"

#include <cstdint>

#include <catch2/catch.hpp>

#include "discgeom/image.hpp"

namespace {
// Identity direction (axis 0 L, 1 P, 2 S), 1 mm voxels. Vertebra 1 (L5): AP rows j = 2..21, its
// top at z = 10 + (j - 2) (rising posteriorly: the anterior end is lower, -45 degrees), bottom at
// z = 2 (flat); LR 3..8. Vertebra 2 (L4) a box z 40..49. A stray voxel of label 3.
discgeom::image<std::int16_t> spine() {
  auto img = discgeom::image<std::int16_t>::filled({12, 24, 64}, {}, 0);
  for (std::size_t i = 3; i < 9; ++i)
    for (std::size_t j = 2; j < 22; ++j) {
      for (std::size_t k = 2; k <= 10 + (j - 2); ++k)
        img.voxels(i, j, k) = 1;
      for (std::size_t k = 40; k < 50; ++k)
        img.voxels(i, j, k) = 2;
    }
  img.voxels(5, 5, 60) = 3;
  return img;
}
}  // namespace

TEST_CASE("measure_vertebrae: centroids, heights and endplate inclinations by hand") {
  const auto img = spine();
  const auto rows = discgeom::measure_vertebrae(img, img.geometry);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].name == "L5");
  CHECK(rows[0].status == "ok");
  CHECK(*rows[0].upper_endplate_deg == Approx(-45.0));
  CHECK(*rows[0].lower_endplate_deg == Approx(0.0).margin(1e-12));
  // Columns of 9 + (j - 2) voxels for j = 2..21: mean height 9 + 9.5 = 18.5 mm.
  CHECK(*rows[0].height_mm == Approx(18.5));
  CHECK(rows[1].name == "L4");
  CHECK(*rows[1].height_mm == Approx(10.0));
  CHECK(*rows[1].upper_endplate_deg == Approx(0.0).margin(1e-12));
  CHECK((*rows[1].centroid_mm)[2] == Approx(44.5));
  CHECK(rows[2].status == "fragment");
  CHECK(rows[2].name.empty());
  CHECK_FALSE(rows[2].centroid_mm);

  // Named from another lowest level: label 1 is the vertebra above the lowest disc.
  const auto six = discgeom::measure_vertebrae(img, img.geometry, "L6/S1");
  CHECK(six[0].name == "L6");
  // Mirrored SI by the header (index grows inferiorly): the upper endplate is now the low index.
  discgeom::image_geometry flipped;
  flipped.direction[2][2] = -1.0;
  const auto upside = discgeom::measure_vertebrae(img, flipped);
  CHECK(*upside[0].lower_endplate_deg == Approx(45.0));
  CHECK(*upside[0].upper_endplate_deg == Approx(0.0).margin(1e-12));
}
