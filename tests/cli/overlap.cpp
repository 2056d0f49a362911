// SPDX-License-Identifier: MIT
// `discgeom overlap` run as a user runs it: exit status, tables, stderr lines.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cli/cli_helpers.hpp"
#include "discgeom/io/image_io.hpp"
#include "real_data.hpp"

namespace fs = std::filesystem;
using namespace cli_test;

namespace {

const discgeom::image_geometry grid{.spacing = {0.5, 0.75, 3.0}};

// Label 201: a 6 x 5 x 3 box at x0; label 202: a 4 x 4 x 2 box; optionally label 203.
template <class T = std::uint16_t>
fs::path write_labels(const fs::path& path, std::size_t x0, bool with_203 = false,
                      const discgeom::image_geometry& geometry = grid) {
  auto img = discgeom::image<T>::filled({20, 16, 8}, geometry, T{0});
  for (std::size_t k = 1; k < 4; ++k)
    for (std::size_t j = 2; j < 7; ++j)
      for (std::size_t i = x0; i < x0 + 6; ++i)
        img.voxels(i, j, k) = T(201);
  for (std::size_t k = 5; k < 7; ++k)
    for (std::size_t j = 9; j < 13; ++j)
      for (std::size_t i = 12; i < 16; ++i)
        img.voxels(i, j, k) = T(202);
  if (with_203)
    img.voxels(18, 14, 6) = T(203);
  fs::create_directories(path.parent_path());
  discgeom::write_image(path, img);
  return path;
}

const std::string contract_header =
    "label,reference_voxels,prediction_voxels,tp,fp,fn,dice,iou,precision,recall,hd_mm,hd95_mm,"
    "assd_mm,masd_mm,nsd,status";

}  // namespace

TEST_CASE("overlap: the contract's columns and values for one pair") {
  const auto reference = write_labels(scratch() / "pair/reference.nii.gz", 3);
  const auto prediction = write_labels(scratch() / "pair/prediction.nii.gz", 4, true);
  const auto result =
      run("overlap --reference " + reference.string() + " --prediction " + prediction.string());
  CHECK(result.status == 0);
  CHECK(result.err.empty());
  CHECK(result.out.substr(0, result.out.find('\n')) == contract_header);
  const auto rows = parse_csv(result.out);
  REQUIRE(rows.size() == 3);
  // 201: 90 voxels each, shifted by one voxel of 0.5 mm: TP 75, Dice 150/180.
  CHECK(rows[0].at("label") == "201");
  CHECK(rows[0].at("reference_voxels") == "90");
  CHECK(rows[0].at("tp") == "75");
  CHECK(rows[0].at("fp") == "15");
  CHECK(rows[0].at("fn") == "15");
  CHECK(number(rows[0], "dice") == Approx(150.0 / 180.0));
  CHECK(number(rows[0], "iou") == Approx(75.0 / 105.0));
  CHECK(rows[0].at("hd_mm") == "0.5");
  CHECK(rows[0].at("nsd") == "1");
  CHECK(rows[0].at("status") == "ok");
  CHECK(rows[1].at("dice") == "1");
  CHECK(rows[1].at("hd_mm") == "0");
  // 203 only in the prediction: Dice 0, distance columns empty.
  CHECK(rows[2].at("label") == "203");
  CHECK(rows[2].at("status") == "reference_empty");
  CHECK(rows[2].at("dice") == "0");
  CHECK(rows[2].at("hd_mm").empty());
  CHECK(rows[2].at("hd95_mm").empty());
  CHECK(rows[2].at("nsd").empty());

  SECTION("--labels lists labels, absent ones included; --tolerance-mm and --percentile") {
    const auto listed =
        run("overlap --reference " + reference.string() + " --prediction " + prediction.string() +
            " --labels 204,201 --tolerance-mm 0.25 " + "--percentile 50");
    CHECK(listed.status == 0);
    const auto r = parse_csv(listed.out);
    REQUIRE(r.size() == 2);
    CHECK(r[0].at("label") == "204");
    CHECK(r[0].at("status") == "both_empty");
    CHECK(r[0].at("dice") == "1");
    CHECK(r[0].at("hd_mm").empty());
    CHECK(number(r[1], "nsd") < 1.0);
    CHECK(number(r[1], "hd95_mm") < 0.5);
  }
  SECTION("JSON") {
    const auto json = run("overlap --reference " + reference.string() + " --prediction " +
                          prediction.string() + " --format json");
    CHECK(json.status == 0);
    CHECK(json.out.find("\"hd_mm\": null") != std::string::npos);
    CHECK(json.out.find("\"status\": \"reference_empty\"") != std::string::npos);
  }
}

TEST_CASE("overlap: inputs that cannot be compared exit 1 naming the files") {
  const auto reference = write_labels(scratch() / "bad/reference.nii.gz", 3);
  SECTION("geometry differs") {
    const auto other =
        write_labels(scratch() / "bad/coarser.nii.gz", 3, false, {.spacing = {0.5, 0.75, 3.25}});
    const auto result =
        run("overlap --reference " + reference.string() + " --prediction " + other.string());
    CHECK(result.status == 1);
    CHECK(result.out.empty());
    CHECK(result.err ==
          "discgeom overlap: " + reference.string() + " vs " + other.string() +
              ": overlap(): reference and prediction differ in spacing: reference [0.5,0.75,3] "
              "vs prediction [0.5,0.75,3.25]\n");
  }
  SECTION("a float volume holding a value that is not a label") {
    auto img = discgeom::image<float>::filled({20, 16, 8}, grid, 0.0f);
    img.voxels(2, 3, 4) = 1.5f;
    const fs::path path = scratch() / "bad/fractional.nii.gz";
    discgeom::write_image(path, img);
    const auto result =
        run("overlap --reference " + reference.string() + " --prediction " + path.string());
    CHECK(result.status == 1);
    CHECK(result.err.find(path.string()) != std::string::npos);
    CHECK(result.err.find("1.5") != std::string::npos);
  }
}

TEST_CASE("overlap: bad usage exits 2") {
  const auto reference = write_labels(scratch() / "usage/reference.nii.gz", 3);
  for (const std::string& arguments :
       {"--reference " + reference.string(),
        "--reference " + reference.string() + " --prediction " + reference.string() + " --labels 0",
        "--reference " + reference.string() + " --prediction " + reference.string() +
            " --percentile 101",
        "--reference " + reference.string() + " --prediction " + reference.string() +
            " --tolerance-mm -1",
        "--reference " + reference.string() + " --prediction " + reference.string() +
            " --convention itk",
        "--reference " + reference.string() + " --prediction " +
            reference.parent_path().string()}) {
    INFO(arguments);
    const auto result = run("overlap " + arguments);
    CHECK(result.status == 2);
    CHECK(result.err.rfind("discgeom overlap: ", 0) == 0);
  }
}

TEST_CASE("overlap: folders of cases, one row per case and label, a summary with intervals") {
  const fs::path references = scratch() / "cohort/reference",
                 predictions = scratch() / "cohort/prediction";
  write_labels(references / "a.nii.gz", 3);
  write_labels(predictions / "a.nii.gz", 4);
  write_labels(references / "b.nii.gz", 3);
  write_labels(predictions / "b.nii.gz", 3);
  write_labels(references / "c.nii.gz", 3);   // no prediction
  write_labels(predictions / "d.nii.gz", 3);  // no reference
  const fs::path out = scratch() / "cohort/metrics.csv";
  const auto result = run("overlap --reference " + references.string() + " --prediction " +
                          predictions.string() + " --match --seed 3 --out " + out.string());
  CHECK(result.status == 1);  // c and d
  CHECK(result.err.find("c.nii.gz: no prediction of this case") != std::string::npos);
  CHECK(result.err.find("d.nii.gz: no reference of this case") != std::string::npos);
  const auto rows = parse_csv(slurp(out));
  REQUIRE(rows.size() == 6);  // a: 201, 202; b: 201, 202; c; d
  CHECK(rows[0].at("case") == "a");
  CHECK(rows[0].at("label") == "201");
  CHECK(rows[0].at("matched_label") == "201");
  CHECK(rows[0].at("detected") == "1");
  CHECK(rows[2].at("case") == "b");
  CHECK(rows[2].at("dice") == "1");
  CHECK(rows[4].at("case") == "c");
  CHECK(rows[4].at("status") == "error: no prediction");
  CHECK(rows[5].at("status") == "error: no reference");

  const auto summary = parse_csv(slurp(scratch() / "cohort/metrics.summary.csv"));
  bool found = false;
  for (const auto& row : summary) {
    if (row.at("label") == "201" && row.at("metric") == "dice") {
      found = true;
      CHECK(row.at("n") == "2");
      CHECK(number(row, "mean") == Approx(0.5 * (150.0 / 180.0 + 1.0)));
      CHECK(number(row, "t_ci_low") < number(row, "mean"));
      CHECK(number(row, "bootstrap_ci_high") <= 1.0);
    }
    if (row.at("label") == "201" && row.at("metric") == "detection_rate")
      CHECK(row.at("mean") == "1");
  }
  CHECK(found);
}

TEST_CASE("overlap: folders with a case that cannot be read or compared, the others scored") {
  const fs::path references = scratch() / "cohort_bad/reference",
                 predictions = scratch() / "cohort_bad/prediction";
  fs::remove_all(scratch() / "cohort_bad");
  write_labels(references / "a.nii.gz", 3);
  write_labels(predictions / "a.nii.gz", 4);
  // b: a prediction that is no image.
  write_labels(references / "b.nii.gz", 3);
  std::ofstream(predictions / "b.nii.gz") << "not an image";
  // c: a 512 x 256 x 128 checkerboard, read in 0.2 GB; comparing its 8 million surface voxels
  // takes more than the 400 MB of address space given below (std::bad_alloc).
  auto board = discgeom::image<std::uint8_t>::filled({512, 256, 128}, {}, 0);
  for (std::size_t k = 0; k < 128; ++k)
    for (std::size_t j = 0; j < 256; ++j)
      for (std::size_t i = (j + k) % 2; i < 512; i += 2)
        board.voxels(i, j, k) = 1;
  discgeom::write_image(references / "c.nii.gz", board);
  discgeom::write_image(predictions / "c.nii.gz", board);
  const fs::path out = scratch() / "cohort_bad/metrics.csv";
  const auto result = run_limited("ulimit -v 400000", "overlap --reference " + references.string() +
                                                          " --prediction " + predictions.string() +
                                                          " --quiet" + " --out " + out.string());
  INFO(result.err);
  CHECK(result.status == 1);
  const auto rows = parse_csv(slurp(out));
  REQUIRE(rows.size() == 4);  // a: 201, 202; b; c
  CHECK(rows[0].at("status") == "ok");
  CHECK(rows[1].at("status") == "ok");
  CHECK(rows[2].at("case") == "b");
  CHECK(rows[2].at("status").find((predictions / "b.nii.gz").string()) != std::string::npos);
  CHECK(rows[3].at("case") == "c");
  CHECK(rows[3].at("status").rfind("error: ", 0) == 0);
  CHECK(rows[3].at("status").find("c.nii.gz") != std::string::npos);
  // One line per bad case on stderr, naming its files; no bare exception name.
  CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 2);
  CHECK(result.err.find((predictions / "b.nii.gz").string()) != std::string::npos);
  CHECK(result.err.find("/c.nii.gz") != std::string::npos);
  CHECK(result.err.find("bad_alloc") == std::string::npos);
}

// The real masks against themselves moved by one in-plane voxel (0.4296875 mm): every surface
// point moved is a surface point of the other and no two grid points are closer, so HD is
// exactly one voxel, NSD at that tolerance is 1, and the voxel counts are the published ones.
TEST_CASE("overlap on the real masks moved by one voxel") {
  if (!real_data::present()) {
    WARN("skipped: " << real_data::folder() << " is absent");
    return;
  }
  const double voxel_volume = 0.4296875 * 0.4296875 * 4.4;
  for (const auto& [subject, published] : real_data::published_volumes()) {
    INFO("subject " << subject);
    const fs::path mask = real_data::folder() / (subject + "_Labels.nii.gz");
    const auto original = discgeom::read_image<std::uint32_t>(mask.string());
    auto moved = original;
    const auto shape = original.shape();
    for (std::size_t k = 0; k < shape[2]; ++k)
      for (std::size_t j = 0; j < shape[1]; ++j)
        for (std::size_t i = 0; i < shape[0]; ++i)
          moved.voxels(i, j, k) = j == 0 ? 0 : original.voxels(i, j - 1, k);
    const fs::path moved_path = scratch() / ("real_" + subject + "_moved.nii.gz");
    discgeom::write_image(moved_path, moved);
    const auto result =
        run("overlap --reference " + mask.string() + " --prediction " + moved_path.string() +
            " --spacing 0.4296875,0.4296875,4.4 --orientation PIL"
            " --tolerance-mm 0.4296875");
    CHECK(result.status == 0);
    std::vector<std::map<std::string, std::string>> discs;
    for (const auto& row : parse_csv(result.out))
      if (number(row, "reference_voxels") >= 100)
        discs.push_back(row);
    REQUIRE(discs.size() == 5);
    for (std::size_t level = 0; level < 5; ++level) {
      const auto& row = discs[level];  // labels increase from L5/S1 to L1/L2
      CHECK(row.at("status") == "ok");
      CHECK(number(row, "reference_voxels") * voxel_volume ==
            Approx(published[level]).epsilon(1e-7));
      CHECK(row.at("hd_mm") == "0.4296875");
      CHECK(row.at("nsd") == "1");
      // Dice counted here voxel by voxel.
      const auto label = static_cast<std::uint32_t>(number(row, "label"));
      double tp = 0, reference_voxels = 0, prediction_voxels = 0;
      for (std::size_t k = 0; k < shape[2]; ++k)
        for (std::size_t j = 0; j < shape[1]; ++j)
          for (std::size_t i = 0; i < shape[0]; ++i) {
            const bool r = original.voxels(i, j, k) == label, p = moved.voxels(i, j, k) == label;
            tp += r && p;
            reference_voxels += r;
            prediction_voxels += p;
          }
      CHECK(number(row, "dice") == Approx(2 * tp / (reference_voxels + prediction_voxels)));
    }
  }
}

// --convention spider-challenge on the challenge's own golden cases
// (tests/golden/make_spider_challenge_golden.py): the challenge's layout names a prediction by
// its job, so the cases are copied into two folders under their case names first.
namespace {

const fs::path spider_data = DISCGEOM_TEST_DATA_DIR "/spider_challenge";

nlohmann::json spider_golden() {
  std::ifstream file(spider_data / "golden.json");
  REQUIRE(file.good());
  return nlohmann::json::parse(file);
}

// reference/<case>.mha and prediction/<case>.mha under `folder`.
void copy_spider_cases(const nlohmann::json& golden, const fs::path& folder) {
  fs::remove_all(folder);
  fs::create_directories(folder / "reference");
  fs::create_directories(folder / "prediction");
  for (const auto& c : golden.at("cases")) {
    const std::string name = c.at("name").get<std::string>();
    fs::copy_file(spider_data / c.at("ground_truth").get<std::string>(),
                  folder / "reference" / (name + ".mha"));
    fs::copy_file(spider_data / c.at("prediction").get<std::string>(),
                  folder / "prediction" / (name + ".mha"));
  }
}

// A cell against the challenge's value: empty for its NaN (null), else within 1e-9 relative.
void check_cell(const std::string& cell, const nlohmann::json& expected) {
  INFO("table " << cell << ", challenge " << expected);
  if (expected.is_null()) {
    CHECK(cell.empty());
    return;
  }
  REQUIRE_FALSE(cell.empty());
  const double ours = std::stod(cell), value = expected.get<double>();
  CHECK((ours == value || std::abs(ours - value) <= 1e-9 * std::abs(value)));
}

// The folders of copy_spider_cases scored by the challenge's convention, more options after.
run_result run_cli_spider(const fs::path& folder, const std::string& options) {
  return run("overlap --reference " + (folder / "reference").string() + " --prediction " +
             (folder / "prediction").string() + " --convention spider-challenge" + options);
}

const std::vector<std::string> spider_keys{
    "DiceScoreVertebrae",     "DiceScoreDiscs",     "DiceScoreSpinalCanal", "OveralDiceScore",
    "DetectionRateVertebrae", "DetectionRateDiscs", "ASDVertebrae",         "ASDDiscs",
    "ASDSpinalCanal",         "OveralASD"};

}  // namespace

TEST_CASE("overlap --convention spider-challenge: the challenge's scores on its golden cases") {
  const auto golden = spider_golden();
  const fs::path folder = scratch() / "spider";
  copy_spider_cases(golden, folder);
  std::string header = "case";
  for (const auto& key : spider_keys)
    header += "," + key;
  header += ",status";
  for (const auto& [run, switch_text] :
       {std::pair{std::string("as_released"), std::string(" --challenge-spacing as-released")},
        std::pair{std::string("spacing_corrected"), std::string()},
        std::pair{std::string("spacing_corrected"),
                  std::string(" --challenge-spacing corrected")}}) {
    INFO("run " << run << switch_text);
    const auto result = run_cli_spider(folder, switch_text);
    CHECK(result.status == 0);
    CHECK(result.err.empty());
    CHECK(result.out.substr(0, result.out.find('\n')) == header);
    const auto rows = parse_csv(result.out);
    REQUIRE(rows.size() == 8);  // six cases by name, then mean and std
    const auto& expected = golden.at(run);
    for (std::size_t i = 0; i < 6; ++i) {
      const auto& score_case = expected.at("per_case")[i];
      const std::string name = score_case.at("case").get<std::string>();
      INFO("case " << name);
      CHECK(rows[i].at("case") == name);
      CHECK(rows[i].at("status") == "ok");
      for (const auto& key : spider_keys) {
        INFO(key);
        check_cell(rows[i].at(key), score_case.at("score_case").at(key));
      }
    }
    CHECK(rows[2].at("DiceScoreSpinalCanal") == "999");  // case03: no canal in the reference
    CHECK(rows[2].at("ASDSpinalCanal") == "999");
    CHECK(rows[6].at("case") == "mean");
    CHECK(rows[7].at("case") == "std");
    CHECK(rows[6].at("status") == "aggregate");
    for (const auto& key : spider_keys) {
      INFO(key);
      check_cell(rows[6].at(key), expected.at("metrics_json").at(key).at("mean"));
      check_cell(rows[7].at(key), expected.at("metrics_json").at(key).at("std"));
    }
  }

  SECTION("JSON: the same records, NaN as null, 999 as a number") {
    const auto json = run_cli_spider(folder, " --format json");
    CHECK(json.status == 0);
    const auto records = nlohmann::json::parse(json.out);
    REQUIRE(records.size() == 8);
    CHECK(records[1].at("case") == "case02_missed_vertebra_disc");
    CHECK(records[1].at("ASDVertebrae").is_null());
    CHECK(records[2].at("DiceScoreSpinalCanal") == 999);
    CHECK(records[5].at("OveralASD") == 0);
  }
  SECTION("one pair of files: its row, then its mean and an empty std") {
    const auto pair =
        run("overlap --reference " + (folder / "reference/case01_shifted_fp.mha").string() +
            " --prediction " + (folder / "prediction/case01_shifted_fp.mha").string() +
            " --convention spider-challenge --challenge-spacing as-released");
    CHECK(pair.status == 0);
    const auto rows = parse_csv(pair.out);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].at("case") == "case01_shifted_fp");
    check_cell(rows[0].at("ASDDiscs"), 1.1300212486879642);
    check_cell(rows[0].at("OveralASD"), 0.811868592971912);
    CHECK(rows[1].at("ASDDiscs") == rows[0].at("ASDDiscs"));
    CHECK(rows[2].at("ASDDiscs").empty());
  }
}

TEST_CASE("overlap --convention spider-challenge: degenerate and bad cases") {
  const auto golden = spider_golden();
  const fs::path folder = scratch() / "spider_bad";
  copy_spider_cases(golden, folder);
  SECTION("a reference without vertebrae: its detection rate empty, with a status") {
    auto labels = discgeom::read_image<std::uint32_t>(folder / "reference/case06_perfect.mha");
    for (auto& voxel : labels.voxels)
      if (voxel < 100)
        voxel = 0;
    discgeom::write_image(folder / "reference/case06_perfect.mha", labels);
    const auto result = run_cli_spider(folder, "");
    CHECK(result.status == 0);
    const auto rows = parse_csv(result.out);
    REQUIRE(rows.size() == 8);
    CHECK(rows[5].at("case") == "case06_perfect");
    CHECK(rows[5].at("status") == "no_vertebrae");
    CHECK(rows[5].at("DetectionRateVertebrae").empty());
    CHECK(rows[5].at("DiceScoreVertebrae").empty());
    CHECK(rows[5].at("DetectionRateDiscs") == "1");
    CHECK(rows[5].at("OveralDiceScore") == "1");
  }
  SECTION("shapes differ: that case's row says why, the others are scored, exit 1") {
    fs::copy_file(spider_data / golden.at("cases")[3].at("prediction").get<std::string>(),
                  folder / "prediction/case01_shifted_fp.mha",
                  fs::copy_options::overwrite_existing);  // case04's 54 x 80 x 12 grid
    const auto result = run_cli_spider(folder, "");
    CHECK(result.status == 1);
    const auto rows = parse_csv(result.out);
    REQUIRE(rows.size() == 8);
    CHECK(rows[0].at("status").rfind("error: ", 0) == 0);
    CHECK(rows[0].at("status").find("differ in shape") != std::string::npos);
    CHECK(rows[0].at("OveralDiceScore").empty());
    CHECK(rows[1].at("status") == "ok");
    CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
    CHECK(result.err.find((folder / "prediction/case01_shifted_fp.mha").string()) !=
          std::string::npos);
    // The mean is over the five cases scored.
    const auto corrected = golden.at("spacing_corrected").at("per_case");
    double sum = 0.0;
    for (std::size_t i = 1; i < 6; ++i)
      sum += corrected[i].at("score_case").at("OveralDiceScore").get<double>();
    CHECK(number(rows[6], "OveralDiceScore") == Approx(sum / 5.0).epsilon(1e-12));

    const auto pair =
        run("overlap --reference " + (folder / "reference/case01_shifted_fp.mha").string() +
            " --prediction " + (folder / "prediction/case01_shifted_fp.mha").string() +
            " --convention spider-challenge");
    CHECK(pair.status == 1);
    CHECK(pair.out.empty());
    CHECK(pair.err.find("differ in shape") != std::string::npos);
  }
  SECTION("a case without its prediction, a prediction without its reference") {
    fs::rename(folder / "prediction/case02_missed_vertebra_disc.mha",
               folder / "prediction/case07_orphan.mha");
    const auto result = run_cli_spider(folder, "");
    CHECK(result.status == 1);
    const auto rows = parse_csv(result.out);
    REQUIRE(rows.size() == 9);  // six references, the orphan, mean, std
    CHECK(rows[1].at("case") == "case02_missed_vertebra_disc");
    CHECK(rows[1].at("status") == "error: no prediction");
    CHECK(rows[6].at("case") == "case07_orphan");
    CHECK(rows[6].at("status") == "error: no reference");
    CHECK(rows[7].at("case") == "mean");
    CHECK(result.err.find("case02_missed_vertebra_disc.mha: no prediction of this case") !=
          std::string::npos);
    CHECK(result.err.find("case07_orphan.mha: no reference of this case") != std::string::npos);
  }
  SECTION("usage: the switch needs the convention, the convention refuses per-label options") {
    const std::string files = "overlap --reference " + (folder / "reference").string() +
                              " --prediction " + (folder / "prediction").string();
    for (const auto& [arguments, message] :
         {std::pair{std::string(" --convention spider-challenge --challenge-spacing sideways"),
                    std::string("--challenge-spacing 'sideways' must be corrected or as-released")},
          std::pair{std::string(" --challenge-spacing corrected"),
                    std::string("--challenge-spacing applies only with --convention "
                                "spider-challenge")},
          std::pair{std::string(" --convention monai --challenge-spacing as-released"),
                    std::string("--challenge-spacing applies only with --convention "
                                "spider-challenge")},
          std::pair{std::string(" --convention spider-challenge --labels 201"),
                    std::string("--labels does not apply with --convention spider-challenge")},
          std::pair{std::string(" --convention spider-challenge --match"),
                    std::string("--match does not apply with --convention spider-challenge")}}) {
      INFO(arguments);
      const auto result = run(files + arguments);
      CHECK(result.status == 2);
      CHECK(result.out.empty());
      CHECK(result.err.rfind("discgeom overlap: ", 0) == 0);
      CHECK(result.err.find(message) != std::string::npos);
    }
  }
}
