// SPDX-License-Identifier: MIT
#include "discgeom/image_geometry.hpp"

#include <array>
#include <cmath>
#include <limits>
#include <string>

#include <catch2/catch.hpp>

using discgeom::anatomical_axis;
using discgeom::image_geometry;
using discgeom::mat3;
using discgeom::vec3;

namespace {

constexpr double pi = 3.14159265358979323846;

mat3 multiply(const mat3& a, const mat3& b) {
  mat3 result{};
  for (std::size_t r = 0; r < 3; ++r)
    for (std::size_t c = 0; c < 3; ++c)
      for (std::size_t k = 0; k < 3; ++k)
        result[r][c] += a[r][k] * b[k][c];
  return result;
}

mat3 rotation_x(double degrees) {
  const double t = degrees * pi / 180.0;
  return {{{1, 0, 0}, {0, std::cos(t), -std::sin(t)}, {0, std::sin(t), std::cos(t)}}};
}
mat3 rotation_z(double degrees) {
  const double t = degrees * pi / 180.0;
  return {{{std::cos(t), -std::sin(t), 0}, {std::sin(t), std::cos(t), 0}, {0, 0, 1}}};
}

void check_close(const vec3& a, const vec3& b, double tolerance = 1e-9) {
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(a[i] == Approx(b[i]).margin(tolerance));
  }
}

}  // namespace

TEST_CASE("index_to_physical: p = origin + D diag(spacing) index, by hand") {
  // A sagittal scan stored as (AP, SI, LR): axis 0 grows to Anterior, 1 to Inferior, 2 to Left.
  const image_geometry geometry{.spacing = {0.5, 0.6, 4.4},
                                .origin = {-20.0, 30.0, 100.0},
                                .direction = discgeom::direction_from_orientation("AIL")};
  geometry.validate();
  CHECK(geometry.orientation_code() == "AIL");
  // index (2, 10, 3): 2 * 0.5 mm anterior (-y), 10 * 0.6 mm inferior (-z), 3 * 4.4 mm left (+x).
  check_close(geometry.index_to_physical(std::array<int, 3>{2, 10, 3}),
              {-20.0 + 13.2, 30.0 - 1.0, 100.0 - 6.0});
  CHECK(geometry.voxel_volume() == Approx(0.5 * 0.6 * 4.4));
  CHECK(geometry.anatomical_axes() == std::array<anatomical_axis, 3>{anatomical_axis::ap,
                                                                     anatomical_axis::si,
                                                                     anatomical_axis::lr});
  CHECK(geometry.array_axis(anatomical_axis::si) == 1);
  CHECK(geometry.array_axis(anatomical_axis::lr) == 2);
  check_close(geometry.axis_step(2), {4.4, 0.0, 0.0});
}

TEST_CASE("physical_to_index inverts index_to_physical for oblique anisotropic geometry") {
  const image_geometry geometry{.spacing = {0.4296875, 0.4296875, 4.4},
                                .origin = {12.5, -80.25, 33.0},
                                .direction = multiply(rotation_z(17.0), rotation_x(-23.0))};
  geometry.validate();
  for (const vec3 index : {vec3{0, 0, 0}, vec3{511, 511, 10}, vec3{-3.5, 250.25, 4.75}}) {
    check_close(geometry.physical_to_index(geometry.index_to_physical(index)), index, 1e-9);
  }
  // Distances between voxel centres are physical: one step along axis 2 is 4.4 mm.
  const vec3 a = geometry.index_to_physical(vec3{3, 4, 5});
  const vec3 b = geometry.index_to_physical(vec3{3, 4, 6});
  CHECK(std::hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]) == Approx(4.4));
}

TEST_CASE("anatomical axes follow the direction cosines, also when oblique") {
  const image_geometry aligned{};
  CHECK(aligned.orientation_code() == "LPS");
  CHECK(aligned.obliquity_deg() == Approx(0.0));
  // 30 degrees about SI: axis 0 is still mostly LR and axis 1 mostly AP.
  const image_geometry oblique{.direction = rotation_z(30.0)};
  CHECK(oblique.anatomical_axes() == std::array<anatomical_axis, 3>{anatomical_axis::lr,
                                                                    anatomical_axis::ap,
                                                                    anatomical_axis::si});
  CHECK(oblique.obliquity_deg() == Approx(30.0));
  // 120 degrees: axis 0 points to the right-posterior, mostly P; axis 1 mostly R.
  const image_geometry turned{.direction = rotation_z(120.0)};
  CHECK(turned.orientation_code() == "PRS");
  // Exactly 45 degrees: two axes tie, yet each patient axis is used exactly once.
  const image_geometry tie{.direction = rotation_z(45.0)};
  const auto axes = tie.anatomical_axes();
  CHECK(axes[0] != axes[1]);
  CHECK(axes[2] == anatomical_axis::si);
}

TEST_CASE("direction_from_orientation round-trips all 48 orientation codes") {
  const std::string letters[3][2] = {{"L", "R"}, {"P", "A"}, {"S", "I"}};
  std::array<std::size_t, 3> permutation{0, 1, 2};
  int codes = 0;
  do {
    for (int signs = 0; signs < 8; ++signs) {
      std::string code;
      for (std::size_t axis = 0; axis < 3; ++axis) {
        code += letters[permutation[axis]][(signs >> axis) & 1];
      }
      const image_geometry geometry{.direction = discgeom::direction_from_orientation(code)};
      CHECK_NOTHROW(geometry.validate());
      CHECK(geometry.orientation_code() == code);
      ++codes;
    }
  } while (std::next_permutation(permutation.begin(), permutation.end()));
  CHECK(codes == 48);
  CHECK(discgeom::direction_from_orientation("asl") == discgeom::direction_from_orientation("ASL"));
}

TEST_CASE("direction_from_orientation: bad codes throw precondition_error naming the code") {
  CHECK_THROWS_WITH(
      discgeom::direction_from_orientation("LP"),
      "direction_from_orientation(): code 'LP' must have three letters, one per array axis");
  CHECK_THROWS_WITH(
      discgeom::direction_from_orientation("LPX"),
      "direction_from_orientation(): code 'LPX' has letter 'X', expected one of L R P A S I");
  CHECK_THROWS_WITH(discgeom::direction_from_orientation("AAL"),
                    "direction_from_orientation(): code 'AAL' names the AP axis twice");
  CHECK_THROWS_AS(discgeom::direction_from_orientation("LRS"), discgeom::precondition_error);
}

TEST_CASE(
    "validate: non-positive or non-finite spacing throws, naming the function and the value") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS((image_geometry{.spacing = {0.5, 0.5, 0.0}}.validate()),
                  discgeom::precondition_error);
  CHECK_THROWS_WITH((image_geometry{.spacing = {0.5, 0.5, -4.4}}.validate("disc_height")),
                    "disc_height(): geometry.spacing[2] must be finite and > 0, got -4.4 (spacing "
                    "[0.5,0.5,-4.4])");
  CHECK_THROWS_WITH(
      (image_geometry{.spacing = {nan, 1.0, 1.0}}.validate()),
      Catch::StartsWith(
          "image_geometry::validate(): geometry.spacing[0] must be finite and > 0, got nan"));
  CHECK_THROWS_WITH((image_geometry{.spacing = {1.0, inf, 1.0}}.validate()),
                    Catch::Contains("geometry.spacing[1] must be finite and > 0, got inf"));
  CHECK_THROWS_WITH((image_geometry{.origin = {0.0, nan, 0.0}}.validate()),
                    Catch::Contains("geometry.origin[1] must be finite, got nan"));
}

TEST_CASE(
    "validate: a non-orthonormal direction throws with its deviation, single precision passes") {
  image_geometry sheared{};
  sheared.direction[0][1] = 0.2;
  CHECK_THROWS_AS(sheared.validate(), discgeom::precondition_error);
  CHECK_THROWS_WITH(sheared.validate(),
                    "image_geometry::validate(): geometry.direction is not orthonormal: "
                    "max |D^T D - I| = 0.2 > 0.0001 (direction [[1,0.2,0],[0,1,0],[0,0,1]])");
  image_geometry scaled{};
  scaled.direction[2][2] = 2.0;
  CHECK_THROWS_WITH(scaled.validate(), Catch::Contains("max |D^T D - I| = 3 > 0.0001"));

  // Cosines stored as float, as NIfTI headers do.
  image_geometry single{.direction = multiply(rotation_z(11.0), rotation_x(37.0))};
  for (auto& row : single.direction)
    for (auto& value : row)
      value = static_cast<float>(value);
  CHECK_NOTHROW(single.validate());
  CHECK(single.orthonormality_error() > 0.0);
  CHECK_THROWS(single.validate("tight", 1e-12));
  image_geometry nan_direction{};
  nan_direction.direction[1][1] = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(nan_direction.validate(),
                    Catch::Contains("geometry.direction[1][1] must be finite, got nan"));
}

TEST_CASE("a singular direction cannot be inverted: numerical_error") {
  image_geometry flat{};
  flat.direction[2] = {0.0, 0.0, 0.0};
  CHECK_THROWS_AS(flat.physical_to_index({1.0, 2.0, 3.0}), discgeom::numerical_error);
}

TEST_CASE("grid_difference: nothing for one grid, else the first difference with both names",
          "[geometry]") {
  const discgeom::image_geometry a{.spacing = {0.5, 0.5, 4.0}};
  discgeom::image_geometry b = a;
  b.origin[2] = 0.00005;  // within 1e-4 mm
  CHECK_FALSE(discgeom::grid_difference("image", {4, 4, 4}, a, "mask", {4, 4, 4}, b));
  CHECK(discgeom::grid_difference("image", {4, 4, 4}, a, "mask", {4, 4, 5}, b) ==
        "image and mask differ in shape: image [4,4,4] vs mask [4,4,5]");
  b.spacing[2] = 3.3;
  CHECK(discgeom::grid_difference("image", {4, 4, 4}, a, "mask", {4, 4, 4}, b) ==
        "image and mask differ in spacing: image [0.5,0.5,4] vs mask [0.5,0.5,3.3]");
  b = a;
  b.origin[0] = 0.001;  // beyond 1e-4 mm, within a looser tolerance
  CHECK(discgeom::grid_difference("image", {4, 4, 4}, a, "mask", {4, 4, 4}, b)
            .value()
            .find("differ in origin") != std::string::npos);
  CHECK_FALSE(discgeom::grid_difference("image", {4, 4, 4}, a, "mask", {4, 4, 4}, b, 0.01));
  b = a;
  b.direction = discgeom::direction_from_orientation("PIL");
  CHECK(discgeom::grid_difference("image", {4, 4, 4}, a, "mask", {4, 4, 4}, b)
            .value()
            .find("differ in direction") != std::string::npos);
}
