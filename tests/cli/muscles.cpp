// SPDX-License-Identifier: MIT
// `discgeom muscles` run as a user runs it: the real TotalSegmentator MR against nibabel and numpy
// (tests/golden/make_muscles_golden.py, tests/data/muscles_totalsegmentator_golden.csv) and every
// bad input the issue names.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cli/cli_helpers.hpp"
#include "discgeom/io/image_io.hpp"
#include "real_data.hpp"

namespace fs = std::filesystem;
using namespace cli_test;

namespace {
fs::path write_text(const std::string& name, const std::string& text) {
  const fs::path path = scratch() / name;
  std::ofstream(path) << text;
  return path;
}

// An axial map (axis 2 S) with autochthon left (46) at larger x than autochthon right (47), or
// the other way round when `swapped`.
fs::path write_axial(const std::string& name, bool swapped) {
  const discgeom::image_geometry g{.spacing = {0.8, 0.8, 4.0}};
  auto img = discgeom::image<std::uint8_t>::filled({20, 12, 3}, g, 0);
  for (std::size_t k = 0; k < 3; ++k)
    for (std::size_t j = 4; j < 8; ++j) {
      for (std::size_t i = 13; i < 17; ++i)
        img.voxels(i, j, k) = swapped ? 47 : 46;
      for (std::size_t i = 3; i < 7; ++i)
        img.voxels(i, j, k) = swapped ? 46 : 47;
    }
  const fs::path path = scratch() / name;
  discgeom::write_image(path, img);
  return path;
}
}  // namespace

TEST_CASE("muscles on a real MR equal nibabel and numpy per slice") {
  const fs::path folder = real_data::shared_folder("totalsegmentator-mr");
  if (!fs::exists(folder / "example_seg_mr.nii.gz")) {
    WARN("skipped: " << folder << " is absent");
    return;
  }
  const auto result = run("muscles " + (folder / "example_seg_mr.nii.gz").string());
  CHECK(result.status == 0);
  CHECK(result.err.empty());
  std::map<std::pair<std::string, std::string>, std::map<std::string, std::string>> ours;
  std::size_t empty = 0;
  for (const auto& row : parse_csv(result.out)) {
    CHECK(row.at("case") == "example_seg_mr");
    CHECK(row.at("level").empty());  // no --discs
    if (row.at("status") == "empty") {
      CHECK(row.at("pixels") == "0");
      ++empty;
      continue;
    }
    CHECK(row.at("status") == "ok");
    ours[{row.at("label"), row.at("slice")}] = row;
  }
  std::ifstream file(DISCGEOM_TEST_DATA_DIR "/muscles_totalsegmentator_golden.csv");
  const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const auto golden = parse_csv(text);
  REQUIRE(golden.size() == 53);
  CHECK(ours.size() == golden.size());
  for (const auto& g : golden) {
    INFO("label " << g.at("label") << " slice " << g.at("slice"));
    const auto found = ours.find({g.at("label"), g.at("slice")});
    REQUIRE(found != ours.end());
    const auto& row = found->second;
    CHECK(row.at("muscle") == g.at("muscle"));
    CHECK(row.at("side") == g.at("side"));
    CHECK(row.at("pixels") == g.at("pixels"));
    for (const char* column : {"csa_mm2", "centroid_x_mm", "centroid_y_mm", "centroid_z_mm"})
      CHECK(number(row, column) == Approx(number(g, column)).margin(1e-6));
    CHECK(number(row, "csa_cm2") == Approx(number(g, "csa_mm2") / 100).margin(1e-8));
  }
  CHECK(empty == 0);  // every muscle is present on every slice of its extent here

  // With a discs table of the same space: each slice takes the nearest disc's level.
  const auto discs = write_text("ts_discs.csv",
                                "case,level,centroid_x_mm,centroid_y_mm,centroid_z_mm,status\n"
                                "x,L1/L2,0,0,40,ok\nx,L2/L3,0,0,70,ok\nx,,0,0,55,fragment\n");
  const auto levelled =
      run("muscles " + (folder / "example_seg_mr.nii.gz").string() + " --discs " + discs.string());
  CHECK(levelled.status == 0);
  for (const auto& row : parse_csv(levelled.out)) {
    const double z = 28.989641189575195 + 3.0 * number(row, "slice");
    CHECK(row.at("level") == (z - 40 <= 70 - z ? "L1/L2" : "L2/L3"));
  }
}

TEST_CASE("muscles: bad input gives a status or a clear error") {
  // Left and right swapped: a warning, and the rows say so.
  const auto swapped = run("muscles " + write_axial("swapped.nii.gz", true).string());
  CHECK(swapped.status == 0);
  CHECK(swapped.err.find("autochthon: the left label lies to the patient's right of the right "
                         "label") != std::string::npos);
  for (const auto& row : parse_csv(swapped.out))
    CHECK(row.at("status") == "left and right swapped");
  const auto fine = run("muscles " + write_axial("fine.nii.gz", false).string());
  CHECK(fine.err.empty());
  const auto rows = parse_csv(fine.out);
  REQUIRE(rows.size() == 6);  // two labels x three slices
  CHECK(rows[0].at("side") == "L");
  CHECK(number(rows[0], "csa_mm2") == Approx(16 * 0.64));

  // A sagittal series where axial sections are needed: exit 1, every axis named.
  const discgeom::image_geometry sagittal{.spacing = {4.4, 0.5, 0.5}};
  const fs::path sagittal_path = scratch() / "sagittal_muscles.nii.gz";
  discgeom::write_image(sagittal_path,
                        discgeom::image<std::uint8_t>::filled({5, 20, 20}, sagittal, 46));
  const auto refused =
      run("muscles " + sagittal_path.string() + " " + write_axial("fine.nii.gz", false).string());
  CHECK(refused.status == 1);
  CHECK(refused.err.find("not an axial series: axis 0 is LR (4.400000 mm)") != std::string::npos);
  const auto refused_rows = parse_csv(refused.out);
  CHECK(refused_rows.front().at("status").rfind("error: not an axial series", 0) == 0);
  CHECK(refused_rows.size() == 7);  // the batch went on

  // A discs table from another patient space: a warning, levels still named.
  const auto far = write_text("far_discs.csv",
                              "level,centroid_x_mm,centroid_y_mm,centroid_z_mm\nL4/L5,0,0,900\n");
  const auto elsewhere =
      run("muscles " + write_axial("fine.nii.gz", false).string() + " --discs " + far.string());
  CHECK(elsewhere.status == 0);
  CHECK(elsewhere.err.find("1 of 1 disc centroids of " + far.string() + " lie outside the image") !=
        std::string::npos);

  // A user's label table, and a bad one.
  const auto table = write_text("muscle_labels.csv", "label,muscle,side\n46,multifidus,L\n");
  const auto user =
      run("muscles " + write_axial("fine.nii.gz", false).string() + " --labels " + table.string());
  CHECK(user.status == 0);
  CHECK(parse_csv(user.out).size() == 3);
  CHECK(parse_csv(user.out).front().at("muscle") == "multifidus");
  const auto bad = write_text("bad_labels.csv", "label,muscle,side\n46,multifidus,left\n");
  const auto refused_table =
      run("muscles " + write_axial("fine.nii.gz", false).string() + " --labels " + bad.string());
  CHECK(refused_table.status == 1);
  CHECK(refused_table.err.find("side 'left' must be L, R or empty") != std::string::npos);
}

TEST_CASE("vertebrae: the spine's curve from the vertebral bodies, beside the discs") {
  // Identity direction, 1 mm voxels: vertebrae 1 (L5) at z 2..11 and 2 (L4) at z 16..25, disc 202
  // between them; a body shifted 3 mm anteriorly (smaller y) for L4.
  auto img = discgeom::image<std::uint8_t>::filled({10, 30, 30}, {}, 0);
  for (std::size_t i = 2; i < 8; ++i)
    for (std::size_t j = 5; j < 20; ++j) {
      for (std::size_t k = 2; k < 12; ++k)
        img.voxels(i, j, k) = 1;
      for (std::size_t k = 16; k < 26; ++k)
        img.voxels(i, j - 3, k) = 2;
      for (std::size_t k = 12; k < 16; ++k)
        img.voxels(i, j, k) = 202;
    }
  const fs::path path = scratch() / "vertebrae.nii.gz";
  discgeom::write_image(path, img);
  const auto result = run("vertebrae " + path.string());
  CHECK(result.status == 0);
  const auto rows = parse_csv(result.out);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].at("vertebra") == "L5");
  CHECK(rows[1].at("vertebra") == "L4");
  CHECK(number(rows[0], "height_mm") == Approx(10.0));
  CHECK(number(rows[1], "centroid_y_mm") == Approx(number(rows[0], "centroid_y_mm") - 3.0));
  CHECK(number(rows[1], "centroid_z_mm") == Approx(20.5));
  CHECK(number(rows[0], "upper_endplate_deg") == Approx(0.0).margin(1e-12));
  CHECK(rows[0].at("status") == "ok");
  const auto bad = run("vertebrae " + path.string() + " --lowest-level S9");
  CHECK(bad.status == 2);
}
