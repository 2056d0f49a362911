// SPDX-License-Identifier: MIT
// `discgeom discs` run as a user runs it: exit status, stdout table, stderr lines.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "cli/cli_helpers.hpp"
#include "discgeom/io/image_io.hpp"
#include "perrone_golden.hpp"
#include "real_data.hpp"

namespace fs = std::filesystem;
using namespace cli_test;

namespace {

fs::path write_spine(const std::string& name, int disc_label = 201) {
  // A disc of 8 x 10 x 3 voxels at 2.5 x 2.5 x 2.0 mm: 20 mm LR, 25 mm AP, 6 mm high.
  auto img = discgeom::image<std::int16_t>::filled({12, 14, 16}, {.spacing = {2.5, 2.5, 2.0}}, 0);
  for (std::size_t i = 2; i < 10; ++i)
    for (std::size_t j = 3; j < 13; ++j)
      for (std::size_t k = 4; k < 7; ++k)
        img.voxels(i, j, k) = static_cast<std::int16_t>(disc_label);
  const fs::path path = scratch() / name;
  discgeom::write_image(path, img);
  return path;
}

}  // namespace

TEST_CASE("discs: the contract's columns, values and exit status 0") {
  const auto path = write_spine("spine.nii.gz");
  const auto result = run("discs " + path.string());
  CHECK(result.status == 0);
  CHECK(result.err.empty());
  CHECK(result.out.substr(0, result.out.find('\n')) ==
        "case,level,label,voxels,volume_mm3,centroid_x_mm,centroid_y_mm,centroid_z_mm,height_mm,ap_"
        "width_mm,"
        "lateral_width_mm,sagittal_angle_deg,coronal_angle_deg,transverse_angle_deg,minrect_height_"
        "mm,"
        "touches_border,status");
  const auto rows = parse_csv(result.out);
  REQUIRE(rows.size() == 1);
  const auto& row = rows[0];
  CHECK(row.at("case") == "spine");
  CHECK(row.at("level") == "L5/S1");
  CHECK(row.at("label") == "201");
  CHECK(row.at("voxels") == "240");
  CHECK(row.at("volume_mm3") == "3000");
  CHECK(row.at("height_mm") == "6");
  CHECK(row.at("ap_width_mm") == "25");
  CHECK(row.at("lateral_width_mm") == "20");
  CHECK(row.at("minrect_height_mm") == "6");
  CHECK(row.at("sagittal_angle_deg") == "0");
  CHECK(row.at("coronal_angle_deg") == "0");
  CHECK(row.at("transverse_angle_deg") == "90");
  CHECK(row.at("centroid_x_mm") == "13.75");
  CHECK(row.at("touches_border") == "0");
  CHECK(row.at("status") == "ok");

  const auto json = run("discs " + path.string() + " --format json");
  CHECK(json.status == 0);
  CHECK(json.out.find("\"level\": \"L5/S1\"") != std::string::npos);
  CHECK(json.out.find("\"voxels\": 240") != std::string::npos);

  const auto to_file =
      run("discs " + path.string() + " --out " + (scratch() / "table.csv").string() + " --quiet");
  CHECK(to_file.status == 0);
  CHECK(to_file.out.empty());
  CHECK(parse_csv(slurp(scratch() / "table.csv")).size() == 1);
}

TEST_CASE("discs: --spacing and --orientation override the header") {
  const auto path = write_spine("override.nii.gz");
  const auto rows =
      parse_csv(run("discs " + path.string() + " --spacing 1,1,1 --orientation LPI").out);
  REQUIRE(rows.size() == 1);
  CHECK(number(rows[0], "volume_mm3") == Approx(240.0));
  CHECK(number(rows[0], "height_mm") == Approx(3.0));
  CHECK(number(rows[0], "centroid_z_mm") == Approx(-5.0));  // k grows inferior: z = -k, mean k 5
}

TEST_CASE("discs: a bad case gets a status row and exit 1, the batch goes on") {
  // Labels stored as float with a non-integer value.
  auto fractional = discgeom::image<float>::filled({4, 4, 4}, {}, 0.0f);
  fractional.voxels(1, 1, 1) = 201.5f;
  const fs::path float_path = scratch() / "fractional.nii.gz";
  discgeom::write_image(float_path, fractional);
  // A 2D label image.
  discgeom::detail::register_image_io_factories();
  const fs::path flat = scratch() / "flat.mha";
  std::ofstream(flat) << "ObjectType = Image\nNDims = 2\nDimSize = 2 2\nElementSpacing = 1 1\n"
                         "ElementType = MET_UCHAR\nElementDataFile = LOCAL\n"
                      << std::string(4, '\0');
  const auto good = write_spine("good.nii.gz");
  const auto result = run("discs " + float_path.string() + " " + flat.string() + " " +
                          (scratch() / "missing.nii.gz").string() + " " + good.string());
  CHECK(result.status == 1);
  const auto rows = parse_csv(result.out);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].at("case") == "fractional");
  CHECK(rows[0].at("status").find("holds the value 201.5 at voxel [1,1,1]") != std::string::npos);
  CHECK(rows[1].at("status").find("2D") != std::string::npos);
  CHECK(rows[2].at("status").find("no such file") != std::string::npos);
  CHECK(rows[3].at("status") == "ok");
  // One line per bad input on stderr, naming the file.
  CHECK(result.err.find(float_path.string()) != std::string::npos);
  CHECK(result.err.find(flat.string() + ":") != std::string::npos);
  CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 3);
}

TEST_CASE("discs: a file too large for memory is that file's failure, the batch goes on") {
  // One disc filling 512 x 512 x 128 voxels: read in about 0.3 GB, measured in 0.6 GB more. In
  // 600 MB of address space the program runs out of memory on it (std::bad_alloc, or the
  // reader's own check) and says so for that file only.
  const fs::path huge = scratch() / "huge_disc.nii.gz";
  discgeom::write_image(huge, discgeom::image<std::uint8_t>::filled({512, 512, 128}, {}, 201));
  const auto good = write_spine("beside_huge.nii.gz");
  const auto result =
      run_limited("ulimit -v 600000", "discs " + huge.string() + " " + good.string() + " --quiet");
  INFO(result.err);
  CHECK(result.status == 1);
  const auto rows = parse_csv(result.out);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].at("case") == "huge_disc");
  CHECK(rows[0].at("status").rfind("error: ", 0) == 0);
  CHECK(rows[1].at("status") == "ok");
  CHECK(result.err.rfind("discgeom discs: " + huge.string() + ": ", 0) == 0);
  CHECK(result.err.find("bad_alloc") == std::string::npos);
  CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
}

TEST_CASE("discs: a disc on the array border, a file without discs") {
  auto img = discgeom::image<std::uint8_t>::filled({5, 5, 5}, {}, 0);
  img.voxels(0, 2, 2) = 201;
  img.voxels(1, 2, 2) = 201;
  const fs::path edge = scratch() / "edge.nii.gz";
  discgeom::write_image(edge, img);
  const auto rows = parse_csv(run("discs " + edge.string()).out);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].at("touches_border") == "1");
  img.voxels.fill(0);
  img.voxels(2, 2, 2) = 5;  // a vertebra, no disc
  discgeom::write_image(edge, img);
  const auto none = run("discs " + edge.string());
  CHECK(none.status == 0);
  const auto none_rows = parse_csv(none.out);
  REQUIRE(none_rows.size() == 1);
  CHECK(none_rows[0].at("status") == "no discs");
  CHECK(none_rows[0].at("voxels").empty());
}

TEST_CASE("discs: bad usage exits 2 with a message") {
  const auto path = write_spine("usage.nii.gz").string();
  for (const std::string& arguments : std::vector<std::string>{
           "discs", "discs " + path + " --bogus", "discs " + path + " --labels vertebrae",
           "discs " + path + " --spacing 1,2", "discs " + path + " --spacing 1,0,1",
           "discs " + path + " --orientation LPX", "discs " + path + " --lowest-level L5",
           "discs " + path + " --min-voxels -3", "discs " + path + " --format xml", "frobnicate"}) {
    INFO(arguments);
    const auto result = run(arguments);
    CHECK(result.status == 2);
    CHECK_FALSE(result.err.empty());
  }
}

// Acceptance on the ten real masks: with the true spacing and orientation, volumes reproduce
// volumes.csv and every dimension is anatomically plausible; with the lying header, a warning
// proposes the fix.
TEST_CASE("discs on the real masks") {
  if (!real_data::present()) {
    WARN("skipped: " << real_data::folder() << " is absent");
    return;
  }
  int subjects = 0, cut = 0;
  for (const auto& [subject, published] : real_data::published_volumes()) {
    const fs::path mask = real_data::folder() / (subject + "_Labels.nii.gz");
    INFO("subject " << subject);

    // No --min-voxels: the stray voxels of subject 5 (10 voxels labelled 255) are a fragment by
    // the relative rule, keep their row without a level, and shift no name.
    const auto fixed = run("discs " + mask.string() +
                           " --labels ordinal --spacing 0.4296875,0.4296875,4.4 --orientation PIL");
    CHECK(fixed.status == 0);
    CHECK(fixed.err.empty());
    std::vector<std::map<std::string, std::string>> discs;
    for (const auto& row : parse_csv(fixed.out)) {
      if (row.at("status") != "fragment") {
        discs.push_back(row);
      } else {
        CHECK(subject == "5");
        CHECK(row.at("label") == "255");
        CHECK(row.at("voxels") == "10");
        CHECK(row.at("level").empty());
        CHECK(row.at("height_mm").empty());
      }
    }
    REQUIRE(discs.size() == 5);
    const char* levels[] = {"L5/S1", "L4/L5", "L3/L4", "L2/L3", "L1/L2"};
    for (std::size_t level = 0; level < 5; ++level) {
      const auto& row = discs[level];
      CHECK(row.at("level") == levels[level]);
      // The discs fill the left-right field of view of these sagittal series (9 to 11 slices of
      // 4.4 mm): their lateral width is only a lower bound, left empty, and the status says so.
      // One disc (subject 4's L5/S1) touches only one face in its middle transverse slice: its
      // width (8 of 9 slices) is measured.
      if (row.at("status") == "ok") {
        CHECK(number(row, "lateral_width_mm") < 9 * 4.4);
      } else {
        CHECK(row.at("status") == "lateral width cut by field of view");
        CHECK(row.at("lateral_width_mm").empty());
        ++cut;
      }
      // volume = voxels x 0.4296875^2 x 4.4 mm^3. The published volumes imply the same voxel
      // counts exactly; their voxel sizes differ from 0.4296875^2 x 4.4 by up to 4.2e-8 relative
      // (per subject, as if taken from the scanner's rounded header), hence 1e-7 on the volume.
      const double voxel_volume = 0.4296875 * 0.4296875 * 4.4;
      CHECK(number(row, "volume_mm3") ==
            Approx(number(row, "voxels") * voxel_volume).epsilon(1e-15));
      CHECK(std::round(published[level] / voxel_volume) == number(row, "voxels"));
      CHECK(number(row, "volume_mm3") == Approx(published[level]).epsilon(1e-7));
      CHECK(number(row, "height_mm") > 3.0);
      CHECK(number(row, "height_mm") < 12.0);
      CHECK(number(row, "ap_width_mm") > 20.0);
      CHECK(number(row, "ap_width_mm") < 50.0);
      CHECK(std::abs(number(row, "sagittal_angle_deg")) < 45.0);
    }
    // Lordosis: L5/S1's anterior end is lower than its posterior end; L1/L2 tilts the other way.
    CHECK(number(discs[0], "sagittal_angle_deg") < -10.0);
    CHECK(number(discs[4], "sagittal_angle_deg") > 0.0);

    const auto header = run("discs " + mask.string() + " --labels ordinal");
    CHECK(header.status == 0);
    CHECK(header.err.find("implausible spacing") != std::string::npos);
    CHECK(header.err.find("try --spacing 0.4296875,0.4296875,4.4") != std::string::npos);
    // The whole code from anatomy: I from the labels (51 = L5/S1 is the lowest), P from
    // lordosis, L assumed.
    CHECK(header.err.find("--orientation PIL (") != std::string::npos);
    ++subjects;
  }
  CHECK(subjects == 10);
  CHECK(cut == 49);
}

// --convention perrone: Perrone et al.'s released geometry, its columns and numbers
// (tests/data/perrone_golden.txt, made by running the released functions).
namespace {

std::string spacing_argument(const std::array<double, 3>& spacing) {
  std::ostringstream text;
  text.precision(17);
  text << spacing[0] << ',' << spacing[1] << ',' << spacing[2];
  return text.str();
}

// The released columns of a golden disc line against a CSV row.
void check_perrone_row(const std::map<std::string, std::string>& row,
                       const perrone_golden::record& golden) {
  CHECK(number(row, "blob_voxels") == golden.number("voxels"));
  CHECK(number(row, "pieces") == golden.number("pieces"));
  for (const auto& [column, field] :
       std::vector<std::pair<std::string, std::string>>{{"disc height", "disc_height"},
                                                        {"ap width", "ap_width"},
                                                        {"lat width", "lat_width"},
                                                        {"sag angle", "sag_angle"},
                                                        {"axial angle", "axial_angle"},
                                                        {"front angle", "front_angle"}}) {
    INFO(column);
    CHECK(number(row, column) == Approx(golden.number(field)).margin(1e-9).epsilon(0));
  }
}

}  // namespace

TEST_CASE("discs --convention perrone: the released code's columns and numbers") {
  const auto cases = perrone_golden::read(DISCGEOM_TEST_DATA_DIR "/perrone_golden.txt");
  std::size_t checked = 0;
  for (const auto& c : cases) {
    INFO("case " << c.name);
    auto img = discgeom::image<std::int16_t>::filled(
        c.shape, {.spacing = {c.spacing[0], c.spacing[1], c.spacing[2]}}, 0);
    std::copy(c.mask.begin(), c.mask.end(), img.voxels.data());
    const fs::path path = scratch() / (c.name + ".mha");  // SPIDER's format and layout
    discgeom::write_image(path, img);
    const auto result = run("discs " + path.string() + " --convention perrone --spacing " +
                            spacing_argument(c.spacing));
    INFO(result.err);
    CHECK(result.status == 0);
    CHECK(result.out.substr(0, result.out.find('\n')) ==
          "case,level,label,voxels,pieces,blob_voxels,disc height,ap width,lat width,sag angle,"
          "axial angle,front angle,fov_check,status");
    const auto rows = parse_csv(result.out);
    REQUIRE(rows.size() == c.discs.size());
    for (std::size_t d = 0; d < rows.size(); ++d) {
      const auto& row = rows[d];
      CHECK(row.at("label") == c.discs[d].fields.at("label"));
      CHECK(row.at("fov_check") == (c.fov_pass ? "pass" : "fail"));
      CHECK(row.at("status") == "ok");
      check_perrone_row(row, c.discs[d]);
      ++checked;
    }
  }
  CHECK(checked == 9);
}

TEST_CASE("discs --convention perrone: what the released code cannot measure has a status") {
  // At the resampled spacing (1.4, 1.2, 1.5 mm) the zoom changes nothing. Disc 201 is one voxel
  // thick, so the cube's middle slice misses it; disc 202, 70 voxels wide, does not fit the cube.
  auto img = discgeom::image<std::int16_t>::filled({80, 30, 20}, {.spacing = {1.4, 1.2, 1.5}}, 0);
  for (std::size_t x = 5; x < 35; ++x)
    for (std::size_t y = 4; y < 24; ++y)
      img.voxels(x, y, 4) = 201;
  for (std::size_t x = 5; x < 75; ++x)
    for (std::size_t y = 4; y < 24; ++y)
      for (std::size_t z = 10; z < 15; ++z)
        img.voxels(x, y, z) = 202;
  const fs::path path = scratch() / "perrone_bad.mha";
  discgeom::write_image(path, img);
  const auto result = run("discs " + path.string() + " --convention perrone --min-voxels 1");
  CHECK(result.status == 0);
  const auto rows = parse_csv(result.out);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].at("level") == "L5/S1");
  CHECK(rows[0].at("status") == "middle slice of the cube empty");
  CHECK(rows[0].at("disc height").empty());
  CHECK(rows[0].at("blob_voxels") == "600");
  CHECK(rows[1].at("status") == "blob larger than the 64-voxel cube");
  CHECK(rows[1].at("sag angle").empty());
  CHECK(rows[1].at("fov_check") == "fail");  // 2 x 80 > 30

  // The released code's row is the disc's largest blob already.
  const auto usage = run("discs " + path.string() + " --convention perrone --largest-component");
  CHECK(usage.status == 2);
  CHECK(usage.err.find("--largest-component does not apply") != std::string::npos);
  CHECK(run("discs " + path.string() + " --convention nobody").status == 2);
}

// The ten real masks, converted as the golden script converts them (discs relabelled 201, 202,
// ... from the lowest, subject 5's ten stray voxels left out), equal the released code's values.
TEST_CASE("discs --convention perrone on the real masks equals the released code") {
  if (!real_data::present()) {
    WARN("skipped: " << real_data::folder() << " is absent");
    return;
  }
  const auto cases = perrone_golden::read(DISCGEOM_TEST_DATA_DIR "/perrone_real.txt");
  REQUIRE(cases.size() == 10);
  std::size_t checked = 0;
  for (const auto& c : cases) {
    INFO("case " << c.name);
    const fs::path mask = real_data::folder() / (c.name + ".nii.gz");
    const auto result = run("discs " + mask.string() +
                            " --labels ordinal --spacing 0.4296875,0.4296875,4.4 --orientation PIL"
                            " --convention perrone");
    CHECK(result.status == 0);
    CHECK(result.err.empty());
    std::vector<std::map<std::string, std::string>> discs;
    for (const auto& row : parse_csv(result.out))
      if (row.at("status") != "fragment")
        discs.push_back(row);
    REQUIRE(discs.size() == c.discs.size());
    for (std::size_t d = 0; d < discs.size(); ++d) {
      // Every case fails the released field-of-view test (2 x 28 > 45 ...): measured, and said.
      CHECK(discs[d].at("fov_check") == "fail");
      CHECK(discs[d].at("status") == "ok");
      check_perrone_row(discs[d], c.discs[d]);
      ++checked;
    }
  }
  CHECK(checked == 50);
}
