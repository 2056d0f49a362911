// SPDX-License-Identifier: MIT
#include "discgeom/metrics/surface.hpp"

#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>

#include <catch2/catch.hpp>

#include "brute_force.hpp"
#include "discgeom/image.hpp"

namespace {

discgeom::image<std::uint8_t> box_image(const std::array<std::size_t, 3>& shape,
                                        const std::array<std::size_t, 3>& begin,
                                        const std::array<std::size_t, 3>& end,
                                        const discgeom::image_geometry& geometry) {
  auto img = discgeom::image<std::uint8_t>::filled(shape, geometry, 0);
  for (std::size_t k = begin[2]; k < end[2]; ++k)
    for (std::size_t j = begin[1]; j < end[1]; ++j)
      for (std::size_t i = begin[0]; i < end[0]; ++i)
        img.voxels(i, j, k) = 1;
  return img;
}

double total(const std::vector<double>& values) {
  return std::accumulate(values.begin(), values.end(), 0.0);
}

// Marching-cubes area of an a x b x c voxel box (centres joined through edge midpoints): flat
// faces between the outer centres, 45-degree strips along the edges, a triangle at each corner.
double box_surfel_area(double a, double b, double c, const discgeom::vec3& s) {
  const double la = (a - 1) * s[0], lb = (b - 1) * s[1], lc = (c - 1) * s[2];
  const double faces = 2 * (la * lb + lb * lc + la * lc);
  const double strips =
      4 * (la * std::hypot(s[1] / 2, s[2] / 2) + lb * std::hypot(s[0] / 2, s[2] / 2) +
           lc * std::hypot(s[0] / 2, s[1] / 2));
  const double corner =
      0.5 * 0.25 *
      std::sqrt(s[1] * s[1] * s[2] * s[2] + s[0] * s[0] * s[2] * s[2] + s[0] * s[0] * s[1] * s[1]);
  return faces + strips + 8 * corner;
}

}  // namespace

TEST_CASE("extract_surface: surface voxels of a box, counted by hand", "[metrics][surface]") {
  const discgeom::image_geometry g{.spacing = {0.43, 0.43, 4.4}};
  // A 5 x 4 x 3 box inside a 9 x 8 x 7 volume: 60 voxels, 3 x 2 x 1 = 6 interior.
  const auto img = box_image({9, 8, 7}, {2, 2, 2}, {7, 6, 5}, g);
  CHECK(discgeom::extract_surface(img.view(), g, 1).points_mm.size() == 54);
  CHECK(discgeom::extract_surface(img.view(), g, 1, discgeom::surface_kind::fully_connected)
            .points_mm.size() == 54);
  CHECK(discgeom::extract_surface(img.view(), g, 2).points_mm.empty());  // absent label

  SECTION("the image border counts as outside") {
    const auto full = box_image({5, 5, 5}, {0, 0, 0}, {5, 5, 5}, g);
    CHECK(discgeom::extract_surface(full.view(), g, 1).points_mm.size() == 125 - 27);
  }
  SECTION("a one-voxel volume is its own surface") {
    const auto one = box_image({1, 1, 1}, {0, 0, 0}, {1, 1, 1}, g);
    const auto s = discgeom::extract_surface(one.view(), g, 1);
    REQUIRE(s.points_mm.size() == 1);
    CHECK(s.points_mm[0] == discgeom::vec3{0, 0, 0});
  }
}

TEST_CASE("extract_surface equals its definition on random shapes", "[metrics][surface]") {
  std::mt19937_64 generator(3);
  const discgeom::image_geometry g{.spacing = {0.7, 0.5, 3.3},
                                   .origin = {10, -4, 2},
                                   .direction = discgeom::direction_from_orientation("PIL")};
  for (int trial = 0; trial < 5; ++trial) {
    auto img = discgeom::image<std::uint8_t>::filled({9, 8, 6}, g, 0);
    for (std::size_t k = 0; k < 6; ++k)
      for (std::size_t j = 0; j < 8; ++j)
        for (std::size_t i = 0; i < 9; ++i)
          img.voxels(i, j, k) = generator() % 3 != 0 ? 1 : 2;
    for (bool full : {false, true}) {
      const auto kind =
          full ? discgeom::surface_kind::fully_connected : discgeom::surface_kind::face_connected;
      auto ours = discgeom::extract_surface(img.view(), g, 1, kind).points_mm;
      auto expected = brute_force::surface_voxels<std::uint8_t>(img, 1, full);
      std::sort(ours.begin(), ours.end());
      std::sort(expected.begin(), expected.end());
      REQUIRE(ours.size() == expected.size());
      for (std::size_t i = 0; i < ours.size(); ++i)
        for (std::size_t d = 0; d < 3; ++d)
          CHECK(ours[i][d] == Approx(expected[i][d]).margin(1e-9));
    }
    // The same labels in a row-major buffer (last axis fastest) give the same surface.
    std::vector<std::uint8_t> row_major(9 * 8 * 6);
    const discgeom::volume_view<std::uint8_t, 3> row_view(row_major.data(), {9, 8, 6});
    for (std::size_t k = 0; k < 6; ++k)
      for (std::size_t j = 0; j < 8; ++j)
        for (std::size_t i = 0; i < 9; ++i)
          row_view(i, j, k) = img.voxels(i, j, k);
    auto from_rows = discgeom::extract_surface(row_view, g, 1).points_mm;
    auto from_columns = discgeom::extract_surface(img.view(), g, 1).points_mm;
    std::sort(from_rows.begin(), from_rows.end());
    std::sort(from_columns.begin(), from_columns.end());
    CHECK(from_rows == from_columns);
    auto corners =
        discgeom::extract_surface(img.view(), g, 1, discgeom::surface_kind::corner_surfels)
            .points_mm;
    auto expected_corners = brute_force::surface_corners<std::uint8_t>(img, 1);
    CHECK(corners.size() == expected_corners.size());
  }
}

TEST_CASE("corner surfels: areas known by hand", "[metrics][surface]") {
  SECTION("one voxel: an octahedron through the face centres, sqrt(3) s^2 at unit spacing") {
    const discgeom::image_geometry g{.spacing = {1, 1, 1}};
    const auto one = box_image({3, 3, 3}, {1, 1, 1}, {2, 2, 2}, g);
    const auto s =
        discgeom::extract_surface(one.view(), g, 1, discgeom::surface_kind::corner_surfels);
    REQUIRE(s.areas_mm2.size() == 8);
    for (double a : s.areas_mm2)
      CHECK(a == Approx(std::sqrt(3.0) / 8.0));
    CHECK(total(s.areas_mm2) == Approx(std::sqrt(3.0)));
  }
  SECTION("boxes at anisotropic spacing: faces, edge strips and corner triangles") {
    for (const discgeom::vec3 spacing : {discgeom::vec3{1, 1, 1}, discgeom::vec3{0.43, 0.43, 4.4},
                                         discgeom::vec3{0.9, 3.3, 0.5}}) {
      const discgeom::image_geometry g{.spacing = spacing};
      const auto img = box_image({10, 9, 8}, {1, 2, 3}, {8, 6, 5}, g);  // 7 x 4 x 2 voxels
      const auto s =
          discgeom::extract_surface(img.view(), g, 1, discgeom::surface_kind::corner_surfels);
      CHECK(total(s.areas_mm2) == Approx(box_surfel_area(7, 4, 2, spacing)).epsilon(1e-12));
    }
  }
  SECTION("a box touching the image border is closed at the border") {
    const discgeom::image_geometry g{.spacing = {0.5, 0.5, 2}};
    const auto img = box_image({4, 3, 2}, {0, 0, 0}, {4, 3, 2}, g);
    const auto s =
        discgeom::extract_surface(img.view(), g, 1, discgeom::surface_kind::corner_surfels);
    CHECK(total(s.areas_mm2) == Approx(box_surfel_area(4, 3, 2, g.spacing)).epsilon(1e-12));
  }
}
