// SPDX-License-Identifier: MIT
// `discgeom indices` run as a user runs it: BianqueNet's golden spine as a 2D NIfTI, a 3D file of
// one slice and a PNG; a SPIDER series with its image and demographics; every bad input.
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cli/cli_helpers.hpp"
#include "discgeom/io/image_io.hpp"
#include "discgeom/io/png.hpp"

namespace fs = std::filesystem;
using namespace cli_test;

namespace {

// The first case of tests/data/bianquenet_golden.txt: labels, image (row * 512 + column) and
// per disc DH, DHI, DWR and Delta SI in pixels.
struct golden_spine {
  std::vector<std::uint8_t> labels, image;
  std::vector<std::array<double, 4>> discs;  // dh, dhi, dwr, dsi
};

const golden_spine& golden() {
  static const golden_spine spine = [] {
    golden_spine g;
    std::ifstream file(DISCGEOM_TEST_DATA_DIR "/bianquenet_golden.txt");
    std::string line;
    bool first = false;
    const auto rle = [](std::istringstream& in) {
      std::vector<std::uint8_t> out;
      int value = 0;
      std::size_t count = 0;
      while (in >> value >> count)
        out.insert(out.end(), count, static_cast<std::uint8_t>(value));
      return out;
    };
    std::size_t si = 0;
    while (std::getline(file, line)) {
      std::istringstream in(line);
      std::string key, word;
      in >> key;
      if (key == "case") {
        in >> word;
        first = word == "lordotic_healthy";
      }
      if (!first)
        continue;
      if (key == "labels")
        g.labels = rle(in);
      if (key == "image")
        g.image = rle(in);
      if (key == "disc") {
        std::string w;
        double dh = 0, dhi = 0, dwr = 0;
        while (in >> w) {
          if (w == "dh")
            in >> dh;
          if (w == "dhi")
            in >> dhi;
          if (w == "dwr")
            in >> dwr;
        }
        g.discs.push_back({dh, dhi, dwr, 0.0});
      }
      if (key == "si") {
        std::string w;
        while (in >> w)
          if (w == "dsi")
            in >> g.discs.at(si++)[3];
      }
    }
    return g;
  }();
  return spine;
}

// A 2D NIfTI-1 file (uint8, 512 x 512) whose sform puts axis 0 posterior, axis 1 inferior
// (PIL) at `pixel` mm, or, with `identity`, no qform nor sform at all.
fs::path write_nifti_2d(const std::string& name, const std::vector<std::uint8_t>& values,
                        double pixel, bool identity = false) {
  std::array<char, 352> header{};
  const auto put = [&](std::size_t offset, auto value) {
    std::memcpy(header.data() + offset, &value, sizeof value);
  };
  put(0, std::int32_t{348});
  const std::int16_t dims[8] = {2, 512, 512, 1, 1, 1, 1, 1};
  for (std::size_t d = 0; d < 8; ++d)
    put(40 + 2 * d, dims[d]);
  put(70, std::int16_t{2});  // uint8
  put(72, std::int16_t{8});
  const float pixdim[8] = {1.0f, float(pixel), float(pixel), 1.0f, 0, 0, 0, 0};
  for (std::size_t d = 0; d < 8; ++d)
    put(76 + 4 * d, pixdim[d]);
  put(108, 352.0f);
  header[123] = 2;  // mm
  if (!identity) {
    put(254, std::int16_t{1});  // sform_code
    const float srow[3][4] = {{0, 0, -1, 0}, {-float(pixel), 0, 0, 0}, {0, -float(pixel), 0, 0}};
    for (std::size_t r = 0; r < 3; ++r)
      for (std::size_t c = 0; c < 4; ++c)
        put(280 + 16 * r + 4 * c, srow[r][c]);
  }
  std::memcpy(header.data() + 344, "n+1", 4);
  const fs::path path = scratch() / name;
  std::ofstream out(path, std::ios::binary);
  out.write(header.data(), header.size());
  out.write(reinterpret_cast<const char*>(values.data()),
            static_cast<std::streamsize>(values.size()));
  return path;
}

fs::path write_png_of(const std::string& name, const std::vector<std::uint8_t>& values) {
  const fs::path path = scratch() / name;
  discgeom::write_png(path, discgeom::gray_picture{512, 512, values});
  return path;
}

bool close(const std::string& text, double expected) {
  const double value = std::stod(text);
  return std::abs(value - expected) <= 1e-12 * std::max(1.0, std::abs(expected));
}

// A SPIDER sagittal series (axes P, I, L at 0.5 x 0.8 x 4 mm; 3 slices): vertebra 2 (L4) rows
// 20-59, disc 202 rows 60-71, vertebra 1 (L5) rows 72-111, disc 201 rows 112-121, sacrum 26 rows
// 122-160, columns 30-85; canal 100 (columns 95-105) unless `canal` is false. Its image: bodies
// 90, discs 150 (an annulus of 60 in columns 30-37 of disc 202), canal 200.
struct spider_files {
  fs::path labels, image;
};

spider_files write_spider(const std::string& name, bool canal = true,
                          const std::string& code = "PIL") {
  const discgeom::image_geometry g{.spacing = {0.5, 0.8, 4.0},
                                   .direction = discgeom::direction_from_orientation(code)};
  auto labels = discgeom::image<std::uint8_t>::filled({120, 170, 3}, g, 0);
  auto grey = discgeom::image<std::int16_t>::filled({120, 170, 3}, g, 40);
  const auto fill = [&](std::uint8_t label, std::size_t r0, std::size_t r1, std::size_t c0,
                        std::size_t c1, std::int16_t value) {
    for (std::size_t k = 0; k < 3; ++k)
      for (std::size_t r = r0; r <= r1; ++r)
        for (std::size_t c = c0; c <= c1; ++c) {
          labels.voxels(c, r, k) = label;
          grey.voxels(c, r, k) = value;
        }
  };
  fill(2, 20, 59, 30, 85, 90);
  fill(202, 60, 71, 30, 85, 150);
  fill(1, 72, 111, 30, 85, 90);
  fill(201, 112, 121, 30, 85, 150);
  fill(26, 122, 160, 30, 85, 80);
  if (canal)
    fill(100, 10, 165, 95, 105, 200);
  fill(202, 60, 71, 30, 37, 60);
  spider_files files{scratch() / (name + ".nii.gz"), scratch() / (name + "_t2.nii.gz")};
  discgeom::write_image(files.labels, labels);
  discgeom::write_image(files.image, grey);
  return files;
}

}  // namespace

TEST_CASE("indices on a 2D NIfTI sagittal slice: BianqueNet's own numbers, in mm") {
  const auto& g = golden();
  REQUIRE(g.discs.size() == 5);
  const auto labels = write_nifti_2d("spine_2d.nii", g.labels, 0.5);
  const auto image = write_nifti_2d("spine_2d_t2.nii", g.image, 0.5);
  const auto result =
      run("indices " + labels.string() + " --image " + image.string() + " --labels bianquenet");
  INFO(result.err);
  REQUIRE(result.status == 0);
  CHECK(result.err.empty());
  const auto rows = parse_csv(result.out);
  REQUIRE(rows.size() == 5);
  const char* levels[] = {"L1/L2", "L2/L3", "L3/L4", "L4/L5", "L5/S1"};
  for (std::size_t k = 0; k < 5; ++k) {
    const auto& row = rows[k];
    INFO(levels[k]);
    CHECK(row.at("case") == "spine_2d");
    CHECK(row.at("level") == levels[k]);
    CHECK(row.at("label") == std::to_string(3 + 2 * k));
    CHECK(row.at("slice") == "0");
    CHECK(row.at("status") == "ok");
    CHECK(close(row.at("dh_px"), g.discs[k][0]));
    CHECK(close(row.at("dh_mm"), 0.5 * g.discs[k][0]));
    CHECK(close(row.at("dhi"), g.discs[k][1]));
    CHECK(close(row.at("hdr"), g.discs[k][2]));
    CHECK(close(row.at("delta_si"), g.discs[k][3]));
    CHECK(row.at("reference_mode") == "223");
  }
}

TEST_CASE("indices on a PNG slice needs its pixel size and axes, then equals the NIfTI") {
  const auto& g = golden();
  const auto labels = write_png_of("spine_png.png", g.labels);
  const auto image = write_png_of("spine_png_t2.png", g.image);
  auto result = run("indices " + labels.string() + " --labels bianquenet");
  CHECK(result.status == 1);
  CHECK(result.err.find("a PNG or BMP has no pixel size: give --spacing SX,SY") != std::string::npos);
  result = run("indices " + labels.string() + " --labels bianquenet --spacing 0.5,0.5");
  CHECK(result.status == 1);
  CHECK(result.err.find("give --orientation, e.g. PI") != std::string::npos);
  result = run("indices " + labels.string() + " --image " + image.string() +
               " --labels bianquenet --spacing 0.5,0.5 --orientation PI");
  INFO(result.err);
  REQUIRE(result.status == 0);
  const auto rows = parse_csv(result.out);
  REQUIRE(rows.size() == 5);
  for (std::size_t k = 0; k < 5; ++k) {
    CHECK(rows[k].at("case") == "spine_png");
    CHECK(close(rows[k].at("dh_mm"), 0.5 * g.discs[k][0]));
    CHECK(close(rows[k].at("delta_si"), g.discs[k][3]));
  }
}

TEST_CASE("indices refuses a slice whose header is not sagittal and proposes --orientation") {
  const auto& g = golden();
  const auto labels = write_nifti_2d("naive_2d.nii", g.labels, 0.5, true);
  auto result = run("indices " + labels.string() + " --labels bianquenet");
  CHECK(result.status == 1);
  CHECK(result.err.find("naive_2d.nii: its slice spans LR and AP by its header (orientation LP), "
                        "not AP and SI: it is not a sagittal slice; if the header is wrong, give "
                        "--orientation PI (") != std::string::npos);
  const auto rows = parse_csv(result.out);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].at("status").find("error: its slice spans LR and AP") == 0);
  CHECK(rows[0].at("dh_mm").empty());
  // The override proposed gives the numbers.
  result = run("indices " + labels.string() + " --labels bianquenet --orientation PI");
  CHECK(result.status == 0);
  CHECK(close(parse_csv(result.out).at(0).at("dh_mm"), 0.5 * g.discs[0][0]));
}

TEST_CASE("indices refuses a sagittal series under an identity header") {
  // The same voxels as a SPIDER series, but the header says LPS: the discs stack along "P".
  const auto good = write_spider("spider_good");
  auto labels = discgeom::read_image<std::uint8_t>(good.labels);
  labels.geometry = {.spacing = labels.geometry.spacing};
  const fs::path naive = scratch() / "spider_naive.nii.gz";
  discgeom::write_image(naive, labels);
  const auto result = run("indices " + naive.string() + " --sacrum-label 26");
  CHECK(result.status == 1);
  INFO(result.err);
  CHECK(result.err.find("the discs stack along the antero-posterior axis of the header "
                        "(orientation LPS)") != std::string::npos);
  CHECK(result.err.find("give --orientation PIL") != std::string::npos);
}

TEST_CASE("indices on a SPIDER series: mm by hand, Delta SI, percentiles") {
  const auto files = write_spider("spider_case");
  auto result = run("indices " + files.labels.string() + " --image " + files.image.string() +
                    " --sacrum-label 26 --age 45 --sex F");
  INFO(result.err);
  REQUIRE(result.status == 0);
  auto rows = parse_csv(result.out);
  REQUIRE(rows.size() == 2);
  const auto& l4l5 = rows[1];
  CHECK(l4l5.at("case") == "spider_case");
  CHECK(l4l5.at("level") == "L4/L5");
  CHECK(l4l5.at("label") == "202");
  CHECK(l4l5.at("slice") == "1");
  CHECK(l4l5.at("status") == "ok");
  // Central 80 %: 12 rows x 40 columns; |D1 D2| = 49 px; bodies 40 x 56 px, endplates 49 px.
  CHECK(number(l4l5, "central_pixels") == 480);
  CHECK(number(l4l5, "dh_mm") == Approx(480.0 * 0.8 / 49.0));
  CHECK(number(l4l5, "hv_above_mm") == Approx(40.0 * 56.0 * 0.8 / 49.0));
  CHECK(number(l4l5, "ap_width_mm") == Approx(55.0 * 0.5));
  CHECK(number(l4l5, "dhi") == Approx(480.0 / (40.0 * 56.0)));
  CHECK(number(l4l5, "delta_si") == Approx(90.0 * 255.0 / 200.0));
  CHECK(number(l4l5, "si_grade") == 1);  // 114.75: 0.72 sd below grade 1, 2.70 above grade 2
  CHECK(l4l5.at("age") == "45");
  CHECK(l4l5.at("sex") == "F");
  CHECK(l4l5.at("dh_percentile").empty());  // DH baselines are in pixels of unknown size
  CHECK(l4l5.at("dh_z").empty());
  // DHI L4/L5 female(0) 40-50: mean 0.366595, sd 0.0422322.
  CHECK(number(l4l5, "dhi_z") == Approx((480.0 / 2240.0 - 0.366595) / 0.0422322));
  CHECK(number(l4l5, "dhi_percentile") <= 2.5);
  CHECK(l4l5.at("baseline_status") == "ok");
  const auto& l5s1 = rows[0];
  CHECK(l5s1.at("level") == "L5/S1");
  CHECK(number(l5s1, "dhi") == Approx(number(l5s1, "dh_mm") / number(l5s1, "hv_above_mm")));

  // Without the sacrum's label, L5/S1 says what is missing; a demographics file names the cases.
  const fs::path table = scratch() / "demographics.csv";
  std::ofstream(table) << "case,age,sex\nspider_case,65,male\n";
  result = run("indices " + files.labels.string() + " --demographics " + table.string());
  REQUIRE(result.status == 0);
  rows = parse_csv(result.out);
  CHECK(rows[0].at("status") == "no sacrum label below");
  CHECK(rows[0].at("dh_mm").empty());
  CHECK(rows[1].at("sex") == "M");
  CHECK(rows[1].at("delta_si").empty());  // no --image
  CHECK_FALSE(rows[1].at("dhi_z").empty());
  CHECK(rows[0].at("baseline_status") == "ok");
}

TEST_CASE("indices without the reference region: Delta SI empty with a status") {
  const auto files = write_spider("spider_no_canal", false);
  const auto result = run("indices " + files.labels.string() + " --image " + files.image.string() +
                          " --sacrum-label 26");
  INFO(result.err);
  REQUIRE(result.status == 0);
  const auto rows = parse_csv(result.out);
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].at("status") == "no reference region (label 100) on the slice");
  CHECK(rows[1].at("delta_si").empty());
  CHECK(rows[1].at("si_disc") == "150");
  CHECK_FALSE(rows[1].at("dh_mm").empty());
}

TEST_CASE("indices: options that do not go together are bad usage") {
  const auto files = write_spider("spider_usage");
  CHECK(run("indices " + files.labels.string() + " --image a.nii b.nii").status == 2);
  CHECK(run("indices " + files.labels.string() + " --age 40").status == 2);
  CHECK(run("indices " + files.labels.string() + " --sex X").status == 2);
  CHECK(run("indices " + files.labels.string() + " --orientation PIX").status == 2);
  CHECK(run("indices " + files.labels.string() + " --spacing 1,2,3,4").status == 2);
  const auto result = run("indices " + files.labels.string() + " --orientation PI");
  CHECK(result.status == 1);
  CHECK(result.err.find("--orientation has two letters but the image is 3D") != std::string::npos);
}
