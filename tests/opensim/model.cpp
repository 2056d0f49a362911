// SPDX-License-Identifier: MIT
// OpenSim frames against a chain computed by hand; the model reader and writer on a small model
// written here and on Christophy et al.'s lumbar model (skipped when ../shared/data lacks it).
#include "discgeom/opensim/model.hpp"

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <string>

#include <catch2/catch.hpp>

#include "discgeom/opensim/subject_spine.hpp"
#include "real_data.hpp"

namespace fs = std::filesystem;
namespace os = discgeom::opensim;

namespace {

// One folder per process: ctest runs the test cases of this program in parallel processes.
fs::path scratch_file(const std::string& name) {
  const fs::path folder =
      fs::temp_directory_path() / ("discgeom_opensim_tests_" + std::to_string(::getpid()));
  fs::create_directories(folder);
  return folder / name;
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// ground -> base (weld at (0, 1, 0)) -> link (CustomJoint "hinge": in base at (0.1, 0, 0) turned
// 90 degrees about Z; in link at (0, -0.05, 0); rotation1 about Z = 2 q + 0, q default 0.25 rad;
// translation1 along X constant 0.01) -> tip (PinJoint "pin": in link at (0, 0.2, 0), q = 0).
// Two muscles.
const char* small_model = R"(<?xml version="1.0" encoding="UTF-8"?>
<!-- a test model -->
<OpenSimDocument Version="20101">
  <Model name="chain">
    <BodySet><objects>
      <Body name="ground"><Joint/></Body>
      <Body name="base"><Joint><WeldJoint name="weld">
        <parent_body> ground </parent_body>
        <location_in_parent> 0 1 0 </location_in_parent>
        <orientation_in_parent> 0 0 0 </orientation_in_parent>
        <location> 0 0 0 </location>
        <orientation> 0 0 0 </orientation>
      </WeldJoint></Joint></Body>
      <Body name="link"><Joint><CustomJoint name="hinge">
        <parent_body> base </parent_body>
        <location_in_parent> 0.1 0 0 </location_in_parent>
        <orientation_in_parent> 0 0 1.5707963267948966 </orientation_in_parent>
        <location> 0 -0.05 0 </location>
        <orientation> 0 0 0 </orientation>
        <CoordinateSet><objects><Coordinate name="q"><default_value> 0.25 </default_value></Coordinate></objects></CoordinateSet>
        <reverse> false </reverse>
        <SpatialTransform>
          <TransformAxis name="rotation1"><function><LinearFunction><coefficients> 2 0 </coefficients></LinearFunction></function><coordinates> q </coordinates><axis> 0 0 1 </axis></TransformAxis>
          <TransformAxis name="translation1"><function><Constant><value> 0.01 </value></Constant></function><coordinates> </coordinates><axis> 1 0 0 </axis></TransformAxis>
        </SpatialTransform>
      </CustomJoint></Joint></Body>
      <Body name="tip"><Joint><PinJoint name="pin">
        <parent_body> link </parent_body>
        <location_in_parent> 0 0.2 0 </location_in_parent>
        <orientation_in_parent> 0 0 0 </orientation_in_parent>
        <location> 0 0 0 </location>
        <orientation> 0 0 0 </orientation>
        <CoordinateSet><objects><Coordinate name="p"><default_value> 0 </default_value></Coordinate></objects></CoordinateSet>
      </PinJoint></Joint></Body>
    </objects></BodySet>
    <ForceSet><objects>
      <Thelen2003Muscle name="psoas_l"><max_isometric_force> 400 </max_isometric_force></Thelen2003Muscle>
      <Thelen2003Muscle name="psoas_r"><max_isometric_force> 410 </max_isometric_force></Thelen2003Muscle>
    </objects></ForceSet>
  </Model>
</OpenSimDocument>
)";

}  // namespace

TEST_CASE("opensim frames: Euler angles, axis rotations, composition and inverse by hand") {
  const auto r = os::body_fixed_xyz({0, 0, std::numbers::pi / 2});
  const auto p = os::transform_point({r, {1, 2, 3}}, {1, 0, 0});
  CHECK(p[0] == Approx(1.0));
  CHECK(p[1] == Approx(3.0));
  CHECK(p[2] == Approx(3.0));
  const os::rigid_transform a{os::axis_rotation({0, 0, 2}, 0.3), {0.5, -1, 2}};
  const auto round_trip = os::compose(a, os::inverse(a));
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(round_trip.translation[i] == Approx(0.0).margin(1e-15));
    for (std::size_t j = 0; j < 3; ++j)
      CHECK(round_trip.rotation[i][j] == Approx(i == j ? 1.0 : 0.0).margin(1e-15));
  }
  // X = -y, Y = z, Z = -x, mm to m.
  const auto m = os::lps_mm_to_opensim_m({10, 20, 30});
  CHECK(m == discgeom::vec3{-0.02, 0.03, -0.01});
}

TEST_CASE("opensim model: the default-pose chain equals the hand-composed frames") {
  const auto file = scratch_file("chain.osim");
  std::ofstream(file) << small_model;
  const auto model = os::model::load(file);
  REQUIRE(model.joints().size() == 3);
  REQUIRE(model.muscles().size() == 2);
  CHECK(model.muscles()[1].max_isometric_force == 410.0);
  // By hand: the hinge frame F in base is at (0.1, 0, 0) turned 90 deg about Z; the motion turns
  // it by 2 x 0.25 = 0.5 rad more about Z and moves it 0.01 along F's X; the link's origin is
  // then 0.05 along M's +Y (the child frame sits at (0, -0.05, 0) in the link). The pin frame is
  // at (0, 0.2, 0) in the link: in ground, base + F + R_z(pi/2) (0.01, 0, 0) +
  // R_z(pi/2 + 0.5) (0, 0.05 + 0.2, 0).
  const double turn = std::numbers::pi / 2 + 0.5;
  const discgeom::vec3 expected{0.1 + std::cos(std::numbers::pi / 2) * 0.01 - std::sin(turn) * 0.25,
                                1.0 + std::sin(std::numbers::pi / 2) * 0.01 + std::cos(turn) * 0.25,
                                0.0};
  const auto centre = model.joint_centre_in_ground(*model.find_joint("pin"));
  for (std::size_t d = 0; d < 3; ++d)
    CHECK(centre[d] == Approx(expected[d]).margin(1e-15));
  CHECK(model.joint_centre_in_ground(*model.find_joint("hinge")) == discgeom::vec3{0.1, 1.0, 0.0});

  // Written back unchanged: byte for byte, comments and whitespace included.
  const auto copy = scratch_file("chain_copy.osim");
  model.save(copy);
  CHECK(slurp(copy) == slurp(file));
}

TEST_CASE("opensim model: moving joint centres, muscles, bad models") {
  const auto file = scratch_file("chain.osim");
  std::ofstream(file) << small_model;
  auto model = os::model::load(file);
  const discgeom::vec3 target{0.3, 1.4, -0.2};
  const auto moves = os::move_joint_centres(model, {{"pin", target}, {"hinge", {0.12, 1.0, 0.0}}});
  REQUIRE(moves.size() == 2);
  CHECK(moves[0].joint == "hinge");  // the chain's root side first
  CHECK(moves[0].changed);
  const auto centre = model.joint_centre_in_ground(*model.find_joint("pin"));
  for (std::size_t d = 0; d < 3; ++d)
    CHECK(centre[d] == Approx(target[d]).margin(1e-12));
  model.set_max_isometric_force("psoas_l", 500.0);
  const auto moved = scratch_file("chain_moved.osim");
  model.save(moved);
  const auto reread = os::model::load(moved);
  CHECK(reread.muscles()[0].max_isometric_force == 500.0);
  const auto reread_centre = reread.joint_centre_in_ground(*reread.find_joint("pin"));
  for (std::size_t d = 0; d < 3; ++d)
    CHECK(reread_centre[d] == Approx(target[d]).margin(1e-15));  // 17 digits survive the text
  CHECK_THROWS_AS(model.set_max_isometric_force("psoas_l", -1.0), discgeom::precondition_error);
  CHECK_THROWS_AS(os::move_joint_centres(model, {{"nowhere", target}}),
                  discgeom::precondition_error);

  const auto write = [](const std::string& name, const std::string& text) {
    const auto path = scratch_file(name);
    std::ofstream(path) << text;
    return path;
  };
  CHECK_THROWS_WITH(os::model::load(write("bad.osim", "<OpenSimDocument><Model>")),
                    Catch::Contains("not XML"));
  CHECK_THROWS_WITH(
      os::model::load(write("v4.osim",
                            "<OpenSimDocument><Model><JointSet><objects><PinJoint "
                            "name='a'/></objects></JointSet></Model></OpenSimDocument>")),
      Catch::Contains("an OpenSim 4 model"));
  std::string spline = small_model;
  spline.replace(spline.find("<LinearFunction>"), 16, "<SimmSpline>");
  spline.replace(spline.find("</LinearFunction>"), 17, "</SimmSpline>");
  CHECK_THROWS_WITH(os::model::load(write("spline.osim", spline)),
                    Catch::Contains("the function <SimmSpline>"));
  std::string nan_location = small_model;
  nan_location.replace(nan_location.find("0.1 0 0"), 7, "nan 0 0");
  CHECK_THROWS_WITH(os::model::load(write("nan.osim", nan_location)),
                    Catch::Contains("not a finite number"));
}

TEST_CASE("opensim model: Christophy et al.'s lumbar model, read and written back unchanged") {
  const fs::path base =
      real_data::shared_folder("opensim-christophy") / "christophy2012_lumbar_skeleton.osim";
  if (!fs::exists(base)) {
    WARN("skipped: " << base << " is absent");
    return;
  }
  auto model = os::model::load(base);
  CHECK(model.muscles().empty());
  for (const char* name :
       {"L5_S1_IVDjnt", "L4_L5_IVDjnt", "L3_L4_IVDjnt", "L2_L3_IVDjnt", "L1_L2_IVDjnt"})
    CHECK(model.find_joint(name) != nullptr);
  // By hand from the file: sacrum welded at (0, 0.93, 0), L5/S1 at (-0.098, 0.071, 0) in it;
  // lumbar5's child frame at its origin, so L4/L5 = L5/S1 centre + (0.01, 0.0296, 0).
  const auto l5s1 = model.joint_centre_in_ground(*model.find_joint("L5_S1_IVDjnt"));
  CHECK(l5s1[0] == Approx(-0.098));
  CHECK(l5s1[1] == Approx(1.001));
  const auto l4l5 = model.joint_centre_in_ground(*model.find_joint("L4_L5_IVDjnt"));
  CHECK(l4l5[0] == Approx(-0.088));
  CHECK(l4l5[1] == Approx(1.0306));
  const auto copy = scratch_file("christophy_copy.osim");
  model.save(copy);
  CHECK(slurp(copy) == slurp(base));
}
