// SPDX-License-Identifier: MIT
#include "discgeom/transform/reorient.hpp"

#include <cmath>
#include <cstdint>
#include <limits>

#include <catch2/catch.hpp>
#include <xtensor/xtensor.hpp>

namespace {
discgeom::image<std::int16_t> counting(const char* code) {
  const discgeom::image_geometry g{.spacing = {0.5, 0.7, 3.0},
                                   .origin = {10, -4, 60},
                                   .direction = discgeom::direction_from_orientation(code)};
  auto img = discgeom::image<std::int16_t>::filled({4, 5, 3}, g, 0);
  std::int16_t next = 1;
  for (auto& v : img.voxels)
    v = next++;
  return img;
}
}  // namespace

TEST_CASE("reorient: every voxel keeps its value at its physical position") {
  for (const char* source : {"PIL", "LPS", "ASR", "IRA"}) {
    const auto img = counting(source);
    for (const char* target : {"LPS", "RAS", "PIL", "SLA"}) {
      const auto out = discgeom::reorient(img, img.geometry, target);
      INFO(source << " -> " << target);
      CHECK(out.geometry.orientation_code() == target);
      CHECK(out.voxels.size() == img.voxels.size());
      for (std::size_t k = 0; k < out.shape()[2]; ++k)
        for (std::size_t j = 0; j < out.shape()[1]; ++j)
          for (std::size_t i = 0; i < out.shape()[0]; ++i) {
            const auto p = out.geometry.index_to_physical(std::array<std::size_t, 3>{i, j, k});
            const auto x = img.geometry.physical_to_index(p);
            const std::array<std::size_t, 3> src{static_cast<std::size_t>(std::lround(x[0])),
                                                 static_cast<std::size_t>(std::lround(x[1])),
                                                 static_cast<std::size_t>(std::lround(x[2]))};
            REQUIRE(std::abs(x[0] - static_cast<double>(src[0])) < 1e-9);
            CHECK(out.voxels(i, j, k) == img.voxels(src[0], src[1], src[2]));
          }
    }
  }
  const auto img = counting("LPS");
  CHECK_THROWS_AS(discgeom::reorient(img, img.geometry, "LPQ"), discgeom::precondition_error);
}
