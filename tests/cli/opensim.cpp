// SPDX-License-Identifier: MIT
// `discgeom opensim` run as a user runs it on Christophy et al.'s lumbar model (skipped when
// ../shared/data lacks it): joint centres follow the subject's discs, the rest is unchanged.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cli/cli_helpers.hpp"
#include "discgeom/opensim/model.hpp"
#include "real_data.hpp"

namespace fs = std::filesystem;
using namespace cli_test;

namespace {
fs::path write_text(const std::string& name, const std::string& text) {
  const fs::path path = scratch() / name;
  std::ofstream(path) << text;
  return path;
}

std::vector<std::string> lines_of(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

// A subject's disc centroids, LPS mm: L5/S1 lowest and most anterior, lordotic.
const char* subject_discs =
    "case,level,label,centroid_x_mm,centroid_y_mm,centroid_z_mm,status\n"
    "s1,L5/S1,201,1.5,-20.0,100.0,ok\n"
    "s1,L4/L5,202,2.0,-31.0,131.5,ok\n"
    "s1,L3/L4,203,1.0,-35.5,165.0,ok\n"
    "s1,L2/L3,204,0.5,-33.0,199.0,ok\n"
    "s1,L1/L2,205,0.0,-26.0,232.0,ok\n"
    "s1,,250,,,,fragment\n";
}  // namespace

TEST_CASE("opensim: the joint centres follow the subject's discs, nothing else changes") {
  const fs::path base =
      real_data::shared_folder("opensim-christophy") / "christophy2012_lumbar_skeleton.osim";
  if (!fs::exists(base)) {
    WARN("skipped: " << base << " is absent");
    return;
  }
  const auto discs = write_text("subject_discs.csv", subject_discs);
  const fs::path out = scratch() / "subject.osim";
  const auto result = run("opensim --model " + base.string() + " --discs " + discs.string() +
                          " --out " + out.string());
  CHECK(result.status == 0);
  CHECK(result.err.empty());
  // L5/S1 is the anchor: the four joints above it move.
  std::istringstream printed(result.out);
  std::vector<std::string> moved;
  for (std::string line; std::getline(printed, line);)
    moved.push_back(line.substr(0, line.find(':')));
  CHECK(moved ==
        std::vector<std::string>{"L4_L5_IVDjnt", "L3_L4_IVDjnt", "L2_L3_IVDjnt", "L1_L2_IVDjnt"});

  const auto model = discgeom::opensim::model::load(out);
  const auto original = discgeom::opensim::model::load(base);
  const auto anchor = model.joint_centre_in_ground(*model.find_joint("L5_S1_IVDjnt"));
  CHECK(anchor == original.joint_centre_in_ground(*original.find_joint("L5_S1_IVDjnt")));
  const std::vector<std::pair<std::string, discgeom::vec3>> subject{
      {"L4_L5_IVDjnt", {2.0, -31.0, 131.5}},
      {"L3_L4_IVDjnt", {1.0, -35.5, 165.0}},
      {"L2_L3_IVDjnt", {0.5, -33.0, 199.0}},
      {"L1_L2_IVDjnt", {0.0, -26.0, 232.0}}};
  for (const auto& [joint, lps] : subject) {
    INFO(joint);
    const auto centre = model.joint_centre_in_ground(*model.find_joint(joint));
    // X anterior = -y, Y superior = z, Z right = -x, metres, from the L5/S1 centroid.
    const discgeom::vec3 expected{anchor[0] - (lps[1] - -20.0) / 1000,
                                  anchor[1] + (lps[2] - 100.0) / 1000,
                                  anchor[2] - (lps[0] - 1.5) / 1000};
    for (std::size_t d = 0; d < 3; ++d)
      CHECK(std::abs(centre[d] - expected[d]) <= 1e-9);
  }
  // Every line but the four location_in_parent lines is the base model's, byte for byte.
  const auto before = lines_of(base), after = lines_of(out);
  REQUIRE(before.size() == after.size());
  std::size_t changed = 0;
  for (std::size_t n = 0; n < before.size(); ++n) {
    if (before[n] != after[n]) {
      ++changed;
      CHECK(after[n].find("<location_in_parent>") != std::string::npos);
    }
  }
  CHECK(changed == 4);

  // A missing disc leaves its joint as it was, with a line; a model without muscles is reported.
  const auto partial = write_text("partial_discs.csv",
                                  "level,centroid_x_mm,centroid_y_mm,centroid_z_mm\nL5/S1,0,0,0\n"
                                  "L4/L5,0,-5,30\nT12/L1,0,0,200\n");
  const auto map = write_text("muscle_map.csv", "model_muscle,muscle,side,reference_csa_mm2\n");
  const auto muscles = write_text("muscles.csv", "muscle,side,csa_mm2\npsoas,L,1500\n");
  const auto some = run("opensim --model " + base.string() + " --discs " + partial.string() +
                        " --out " + (scratch() / "partial.osim").string() + " --muscles " +
                        muscles.string() + " --muscle-map " + map.string());
  CHECK(some.status == 0);
  CHECK(some.err.find("level T12/L1 has no joint T12_L1_IVDjnt") != std::string::npos);
  CHECK(some.err.find("L3_L4_IVDjnt: no disc of its level") != std::string::npos);
  CHECK(some.err.find("has no muscles: --muscles leaves nothing to scale") != std::string::npos);
  CHECK(some.out.rfind("L4_L5_IVDjnt: location_in_parent 0.01", 0) == 0);

  // Several cases need --case; an anchor without a disc, bad usage.
  const auto two =
      write_text("two_cases.csv", std::string(subject_discs) + "s2,L5/S1,201,0,0,0,ok\n");
  const auto ambiguous = run("opensim --model " + base.string() + " --discs " + two.string() +
                             " --out " + (scratch() / "x.osim").string());
  CHECK(ambiguous.status == 1);
  CHECK(ambiguous.err.find("holds 2 cases; choose one with --case") != std::string::npos);
  CHECK(run("opensim --model " + base.string() + " --discs " + two.string() + " --case s1 --out " +
            (scratch() / "x.osim").string())
            .status == 0);
  const auto no_anchor = run("opensim --model " + base.string() + " --discs " + discs.string() +
                             " --anchor L6/S1 --out " + (scratch() / "x.osim").string());
  CHECK(no_anchor.status == 1);
  CHECK(no_anchor.err.find("anchor level 'L6/S1' has no disc centroid") != std::string::npos);
  CHECK(run("opensim --model " + base.string() + " --discs " + discs.string() + " --out " +
            (scratch() / "x.osim").string() + " --muscles " + muscles.string())
            .status == 2);
  CHECK(run("opensim --model " + base.string() + " --discs " + discs.string() + " --out " +
            base.string())
            .status == 2);
}

TEST_CASE("opensim: muscles scale by the subject's CSA over the reference CSA") {
  const auto model = write_text("muscled.osim", R"(<?xml version="1.0" encoding="UTF-8"?>
<OpenSimDocument Version="20101"><Model name="m"><BodySet><objects>
<Body name="ground"><Joint/></Body>
<Body name="sacrum"><Joint><WeldJoint name="w"><parent_body> ground </parent_body>
<location_in_parent> 0 0.93 0 </location_in_parent><orientation_in_parent> 0 0 0 </orientation_in_parent>
<location> 0 0 0 </location><orientation> 0 0 0 </orientation></WeldJoint></Joint></Body>
<Body name="lumbar5"><Joint><WeldJoint name="L5_S1_IVDjnt"><parent_body> sacrum </parent_body>
<location_in_parent> -0.098 0.071 0 </location_in_parent><orientation_in_parent> 0 0 0 </orientation_in_parent>
<location> 0 0 0 </location><orientation> 0 0 0 </orientation></WeldJoint></Joint></Body>
</objects></BodySet><ForceSet><objects>
<Thelen2003Muscle name="Psoas_L"><max_isometric_force> 400 </max_isometric_force></Thelen2003Muscle>
<Thelen2003Muscle name="Psoas_R"><max_isometric_force> 410 </max_isometric_force></Thelen2003Muscle>
</objects></ForceSet></Model></OpenSimDocument>
)");
  const auto discs = write_text("one_disc.csv",
                                "level,centroid_x_mm,centroid_y_mm,centroid_z_mm\n"
                                "L5/S1,0,0,0\n");
  const auto muscles = write_text("subject_muscles.csv",
                                  "case,muscle,side,slice,csa_mm2\n"
                                  "a,psoas,L,0,1200\na,psoas,L,1,1500\n"
                                  "a,psoas,R,0,1400\n");
  const auto map = write_text("map.csv",
                              "model_muscle,muscle,side,reference_csa_mm2\n"
                              "Psoas_L,psoas,L,1000\nPsoas_R,psoas,R,1000\n"
                              "Iliacus_L,iliacus,L,800\n");
  const fs::path out = scratch() / "muscled_subject.osim";
  const auto result =
      run("opensim --model " + model.string() + " --discs " + discs.string() + " --muscles " +
          muscles.string() + " --muscle-map " + map.string() + " --out " + out.string());
  CHECK(result.status == 0);
  CHECK(result.err.find("no muscle 'Iliacus_L' in the model: left unchanged") != std::string::npos);
  const auto written = discgeom::opensim::model::load(out);
  // The largest CSA over the slices: 1500 / 1000 and 1400 / 1000.
  CHECK(written.muscles()[0].max_isometric_force == Approx(600.0).epsilon(1e-15));
  CHECK(written.muscles()[1].max_isometric_force == Approx(574.0).epsilon(1e-15));
}
