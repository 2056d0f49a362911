// SPDX-License-Identifier: MIT
// `discgeom phantom` run as a user runs it: files, truth.csv, determinism, bad usage.
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cli/cli_helpers.hpp"
#include "discgeom/io/image_io.hpp"

namespace fs = std::filesystem;
using namespace cli_test;

namespace {

const std::string truth_header =
    "case,level,label,lowest_level,height_mm,ap_width_mm,lateral_width_mm,sagittal_angle_deg,"
    "midplane_tilt_deg,wedge_angle_deg,posterior_bulge_mm,lateral_tilt_deg,endplate_concavity_mm,"
    "narrowed,centre_x_mm,centre_y_mm,centre_z_mm,spacing_i_mm,spacing_j_mm,spacing_k_mm";

fs::path fresh(const std::string& name) {
  const fs::path dir = scratch() / name;
  fs::remove_all(dir);
  return dir;
}

}  // namespace

TEST_CASE("phantom: labels, T1 images and truth.csv, same seed, same bytes") {
  const fs::path one = fresh("phantom_one"), two = fresh("phantom_two");
  const auto first = run("phantom --out " + one.string() + " --cases 2 --seed 7 --image --quiet");
  CHECK(first.status == 0);
  CHECK(first.err.empty());
  for (const std::string file : {"phantom_001.nii.gz", "phantom_002.nii.gz",
                                 "phantom_001_t1.nii.gz", "phantom_002_t1.nii.gz", "truth.csv"}) {
    INFO(file);
    CHECK(fs::is_regular_file(one / file));
  }
  for (const auto& entry : fs::directory_iterator(one))
    CHECK(entry.path().string().find(".partial") == std::string::npos);

  const auto second = run("phantom --out " + two.string() + " --cases 2 --seed 7 --image --quiet");
  CHECK(second.status == 0);
  for (const std::string file : {"phantom_001.nii.gz", "phantom_002.nii.gz",
                                 "phantom_001_t1.nii.gz", "phantom_002_t1.nii.gz", "truth.csv"}) {
    INFO(file);
    CHECK(slurp(one / file) == slurp(two / file));
  }

  const std::string truth = slurp(one / "truth.csv");
  CHECK(truth.substr(0, truth.find('\n')) == truth_header);
  const auto rows = parse_csv(truth);
  REQUIRE(rows.size() >= 10);  // 5 to 7 discs per spine
  CHECK(rows[0].at("case") == "phantom_001");
  CHECK(rows[0].at("label") == "201");
  CHECK(rows.back().at("case") == "phantom_002");
  for (const auto& row : rows) {
    CHECK((row.at("narrowed") == "0" || row.at("narrowed") == "1"));
    CHECK(number(row, "height_mm") > 3.0);
    CHECK(number(row, "ap_width_mm") > 25.0);
  }

  // The label volume reads back with the truth's spacing and an oblique sagittal orientation.
  const auto labels = discgeom::read_image<std::uint8_t>(one / "phantom_001.nii.gz");
  CHECK(labels.geometry.spacing[0] == Approx(number(rows[0], "spacing_i_mm")).epsilon(1e-6));
  CHECK(labels.geometry.spacing[2] == Approx(number(rows[0], "spacing_k_mm")).epsilon(1e-6));
  CHECK(labels.geometry.orientation_code() == "PIL");
  const auto t1 = discgeom::read_image<std::int16_t>(one / "phantom_001_t1.nii.gz");
  CHECK(t1.shape() == labels.shape());
}

TEST_CASE("phantom: another seed differs, case k is the same whatever --cases and --first") {
  const fs::path a = fresh("phantom_a"), b = fresh("phantom_b"), c = fresh("phantom_c"),
                 d = fresh("phantom_d");
  REQUIRE(run("phantom --out " + a.string() + " --cases 2 --seed 3 --quiet").status == 0);
  REQUIRE(run("phantom --out " + b.string() + " --cases 1 --seed 3 --quiet").status == 0);
  REQUIRE(run("phantom --out " + c.string() + " --cases 1 --seed 4 --quiet").status == 0);
  REQUIRE(run("phantom --out " + d.string() + " --cases 1 --first 2 --seed 3 --quiet").status == 0);
  CHECK(slurp(a / "phantom_001.nii.gz") == slurp(b / "phantom_001.nii.gz"));
  CHECK(slurp(a / "phantom_002.nii.gz") == slurp(d / "phantom_002.nii.gz"));
  CHECK_FALSE(fs::exists(d / "phantom_001.nii.gz"));
  CHECK(slurp(a / "phantom_001.nii.gz") != slurp(c / "phantom_001.nii.gz"));
  CHECK(slurp(b / "truth.csv") != slurp(c / "truth.csv"));
  CHECK_FALSE(fs::exists(a / "phantom_001_t1.nii.gz"));  // no --image, no T1
}

TEST_CASE("phantom: `discgeom discs` on a phantom joins truth.csv on (case, level)") {
  const fs::path dir = fresh("phantom_join");
  REQUIRE(run("phantom --out " + dir.string() + " --cases 1 --seed 12 --quiet").status == 0);
  const auto truth = parse_csv(slurp(dir / "truth.csv"));
  REQUIRE(!truth.empty());
  const std::string lowest = truth[0].at("lowest_level");
  const auto measured = run("discs " + (dir / "phantom_001.nii.gz").string() + " --lowest-level " +
                            lowest + " --quiet");
  REQUIRE(measured.status == 0);
  const auto rows = parse_csv(measured.out);
  REQUIRE(rows.size() == truth.size());
  std::map<std::pair<std::string, std::string>, std::map<std::string, std::string>> by_key;
  for (const auto& row : rows)
    by_key[{row.at("case"), row.at("level")}] = row;
  for (const auto& t : truth) {
    INFO(t.at("level"));
    const auto found = by_key.find({t.at("case"), t.at("level")});
    REQUIRE(found != by_key.end());
    const auto& m = found->second;
    CHECK(m.at("label") == t.at("label"));
    CHECK(m.at("status") == "ok");
    CHECK(m.at("touches_border") == "0");
    // tolerances from the voxel size, derived in tests/phantom/spine.cpp
    const double s_in = number(t, "spacing_i_mm"), s_lr = number(t, "spacing_k_mm");
    CHECK(number(m, "height_mm") == Approx(number(t, "height_mm")).margin(s_in));
    CHECK(number(m, "ap_width_mm") == Approx(number(t, "ap_width_mm")).margin(s_in));
    CHECK(number(m, "lateral_width_mm") ==
          Approx(number(t, "lateral_width_mm")).margin(s_lr + 0.05));
    CHECK(number(m, "sagittal_angle_deg") ==
          Approx(number(t, "sagittal_angle_deg"))
              .margin(std::atan(s_in / number(t, "ap_width_mm")) * 180.0 / 3.14159265358979));
  }
}

TEST_CASE("phantom: bad usage exits 2, an unwritable folder exits 1 naming it") {
  const auto no_out = run("phantom --cases 2");
  CHECK(no_out.status == 2);
  CHECK(no_out.err.find("phantom needs --out DIR") != std::string::npos);
  CHECK(run("phantom --out " + fresh("phantom_bad").string() + " --cases abc").status == 2);
  CHECK(run("phantom --out " + fresh("phantom_bad").string() + " --cases 0").status == 2);
  const auto bad_seed = run("phantom --out " + fresh("phantom_bad").string() + " --seed -3");
  CHECK(bad_seed.status == 2);
  CHECK(bad_seed.err.find("--seed '-3'") != std::string::npos);
  CHECK(run("phantom --out " + fresh("phantom_bad").string() + " --seed 18446744073709551616")
            .status == 2);
  CHECK(run("phantom --out " + fresh("phantom_bad").string() + " --frobnicate").status == 2);
  CHECK(run("phantom extra --out " + fresh("phantom_bad").string()).status == 2);

  const fs::path blocker = scratch() / "phantom_blocker";
  fs::remove_all(blocker);
  { std::ofstream(blocker) << "a file, not a folder"; }
  const auto blocked = run("phantom --out " + blocker.string() + " --cases 1");
  CHECK(blocked.status == 1);
  CHECK(blocked.err.find(blocker.string()) != std::string::npos);

  const auto help = run("phantom --help");
  CHECK(help.status == 0);
  CHECK(help.out.find("usage: discgeom phantom --out DIR") != std::string::npos);
}
