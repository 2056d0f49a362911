// SPDX-License-Identifier: MIT
// The axial muscle phantoms through the program: `discgeom phantom --muscles` writes them with
// their truth, `discgeom discs` then `discgeom muscles --labels phantom` on the written files gives
// the truth back, and `discgeom pipeline --phantom 2 --muscles` measures manual against automatic,
// writes muscles.csv and muscle_agreement.csv (equal to `discgeom agree`) and shows both tables
// in its report; with --data, a map that is not axial is that case's failure.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cli/cli_helpers.hpp"

namespace fs = std::filesystem;
using namespace cli_test;

namespace {

const std::vector<std::string> muscles_columns{
    "case",          "muscle",        "side",          "label", "slice",  "pixels",  "csa_mm2",
    "centroid_x_mm", "centroid_y_mm", "centroid_z_mm", "level", "status", "csa_cm2", "level_slice"};

std::vector<std::string> header_of(const std::string& csv) {
  std::vector<std::string> columns;
  std::string line = csv.substr(0, csv.find('\n')), cell;
  for (char c : line + ",") {
    if (c == ',') {
      columns.push_back(cell);
      cell.clear();
    } else {
      cell += c;
    }
  }
  return columns;
}

std::string bytes_of(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Writes rows (all with the same columns) as CSV.
void write_rows(const fs::path& file, const std::vector<std::string>& columns,
                const std::vector<std::map<std::string, std::string>>& rows) {
  std::ofstream out(file);
  for (std::size_t c = 0; c < columns.size(); ++c)
    out << (c ? "," : "") << columns[c];
  out << '\n';
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < columns.size(); ++c)
      out << (c ? "," : "") << row.at(columns[c]);
    out << '\n';
  }
}

}  // namespace

TEST_CASE("phantom --muscles: muscles on the written files equals the truth to 1e-9",
          "[cli][phantom][muscles]") {
  const fs::path out = scratch() / "muscle_phantoms";
  fs::remove_all(out);
  const auto made = run("phantom --out " + out.string() + " --cases 2 --seed 3 --muscles --quiet");
  INFO(made.err);
  REQUIRE(made.status == 0);
  for (const char* file :
       {"phantom_001.nii.gz", "phantom_002.nii.gz", "truth.csv", "muscles/phantom_001.nii.gz",
        "muscles/phantom_002.nii.gz", "muscles/truth.csv", "muscles/labels.csv"})
    CHECK(fs::is_regular_file(out / file));
  CHECK_FALSE(fs::exists(out / "muscles" / "phantom_001_t1.nii.gz"));  // only with --image

  const std::string truth_text = slurp(out / "muscles" / "truth.csv");
  const auto header = header_of(truth_text);
  REQUIRE(header.size() >= muscles_columns.size());
  CHECK(std::vector<std::string>(header.begin(), header.begin() + 14) == muscles_columns);
  for (const char* column : {"analytic_csa_mm2", "centre_x_mm", "csa_bound_mm2"})
    CHECK(std::find(header.begin(), header.end(), column) != header.end());
  const auto truth = parse_csv(truth_text);
  REQUIRE(truth.size() > 100);

  std::size_t compared = 0;
  for (const std::string name : {"phantom_001", "phantom_002"}) {
    const fs::path map = out / "muscles" / (name + ".nii.gz");
    const fs::path discs = scratch() / (name + "_axial_discs.csv");
    REQUIRE(run("discs " + map.string() + " --out " + discs.string()).status == 0);
    CHECK(parse_csv(slurp(discs)).size() == 5);  // L5/S1 ... L1/L2
    // The built-in scheme and the written labels.csv read the same labels.
    for (const std::string& labels :
         {std::string("phantom"), (out / "muscles" / "labels.csv").string()}) {
      const auto measured =
          run("muscles " + map.string() + " --labels " + labels + " --discs " + discs.string());
      INFO(measured.err);
      REQUIRE(measured.status == 0);
      CHECK(header_of(measured.out) == muscles_columns);
      const auto rows = parse_csv(measured.out);
      std::vector<std::map<std::string, std::string>> expected;
      for (const auto& row : truth)
        if (row.at("case") == name)
          expected.push_back(row);
      REQUIRE(rows.size() == expected.size());
      for (std::size_t r = 0; r < rows.size(); ++r) {
        for (const char* column : {"case", "muscle", "side", "label", "slice", "pixels", "level",
                                   "status", "level_slice"})
          CHECK(rows[r].at(column) == expected[r].at(column));
        for (const char* column :
             {"csa_mm2", "centroid_x_mm", "centroid_y_mm", "centroid_z_mm", "csa_cm2"})
          CHECK(std::abs(number(rows[r], column) - number(expected[r], column)) <= 1e-9);
        ++compared;
      }
    }
  }
  CHECK(compared == 2 * truth.size());

  // The same seed gives the same bytes.
  const fs::path again = scratch() / "muscle_phantoms_again";
  fs::remove_all(again);
  REQUIRE(run("phantom --out " + again.string() + " --cases 2 --seed 3 --muscles --quiet").status ==
          0);
  CHECK(bytes_of(again / "muscles" / "truth.csv") == bytes_of(out / "muscles" / "truth.csv"));
  CHECK(bytes_of(again / "muscles" / "phantom_002.nii.gz") ==
        bytes_of(out / "muscles" / "phantom_002.nii.gz"));
}

TEST_CASE("pipeline --phantom 2 --muscles: muscles.csv, the agreement and both report tables",
          "[cli][pipeline][muscles]") {
  const fs::path out = scratch() / "pipeline_muscles";
  fs::remove_all(out);
  const auto result =
      run("pipeline --out " + out.string() + " --phantom 2 --muscles --stop-after muscles --quiet");
  INFO(result.err);
  REQUIRE(result.status == 0);
  CHECK(result.err.find("muscles: done") != std::string::npos);
  for (const char* file :
       {"phantom_muscles/truth.csv", "phantom_muscles/phantom_001.nii.gz",
        "muscles_automatic/phantom_001.nii.gz", "muscles_automatic/phantom_002.nii.gz",
        "muscles.csv", "muscle_agreement.csv", "report.html"})
    CHECK(fs::is_regular_file(out / file));

  // muscles.csv: the truth as the manual rater, row for row; the automatic rater beside it.
  const std::string muscles_text = slurp(out / "muscles.csv");
  CHECK(header_of(muscles_text) ==
        std::vector<std::string>{"case", "rater", "muscle", "side", "label", "slice", "pixels",
                                 "csa_mm2", "centroid_x_mm", "centroid_y_mm", "centroid_z_mm",
                                 "level", "status", "csa_cm2", "level_slice"});
  const auto muscles = parse_csv(muscles_text);
  const auto truth = parse_csv(slurp(out / "phantom_muscles" / "truth.csv"));
  std::vector<std::map<std::string, std::string>> manual, automatic;
  for (const auto& row : muscles)
    (row.at("rater") == "manual" ? manual : automatic).push_back(row);
  REQUIRE(manual.size() == truth.size());
  for (std::size_t r = 0; r < manual.size(); ++r) {
    for (const char* column : {"case", "muscle", "side", "slice", "pixels", "level", "level_slice"})
      CHECK(manual[r].at(column) == truth[r].at(column));
    CHECK(std::abs(number(manual[r], "csa_mm2") - number(truth[r], "csa_mm2")) <= 1e-9);
    CHECK(std::abs(number(manual[r], "centroid_x_mm") - number(truth[r], "centroid_x_mm")) <= 1e-9);
  }
  REQUIRE(automatic.size() == manual.size());
  std::size_t changed = 0;
  for (std::size_t r = 0; r < automatic.size(); ++r)
    changed += automatic[r].at("pixels") != manual[r].at("pixels");
  CHECK(changed > automatic.size() / 4);  // the second rater differs on many slices

  // muscle_agreement.csv: 3 measures x 4 muscles x 2 sides x (5 levels + all levels).
  const std::string agreement_text = slurp(out / "muscle_agreement.csv");
  CHECK(header_of(agreement_text) ==
        std::vector<std::string>{"measure", "muscle", "side", "level", "n", "pearson_r",
                                 "pearson_p", "mae", "mae_sd", "bias", "loa_low", "loa_high",
                                 "icc_a1", "ccc", "n_unpaired"});
  const auto agreement = parse_csv(agreement_text);
  CHECK(agreement.size() == 3 * 4 * 2 * 6);
  std::set<std::string> measures;
  for (const auto& row : agreement) {
    measures.insert(row.at("measure"));
    CHECK(row.at("n") == (row.at("level").empty() ? "10" : "2"));  // 2 cases x 5 levels
    CHECK(row.at("n_unpaired") == "0");
  }
  CHECK(measures == std::set<std::string>{"csa_mm2", "centroid_x_mm", "centroid_y_mm"});

  // The same numbers as `discgeom agree` on the level slices of one muscle and side.
  std::vector<std::map<std::string, std::string>> reference, test;
  for (const auto& row : muscles) {
    if (row.at("level_slice") != "1" || row.at("muscle") != "psoas" || row.at("side") != "L")
      continue;
    (row.at("rater") == "manual" ? reference : test).push_back(row);
  }
  const std::vector<std::string> columns{"case", "level", "csa_mm2"};
  const fs::path reference_file = scratch() / "psoas_manual.csv",
                 test_file = scratch() / "psoas_automatic.csv";
  write_rows(reference_file, columns, reference);
  write_rows(test_file, columns, test);
  const auto agreed = run("agree " + reference_file.string() + " " + test_file.string() +
                          " --key case,level --measures csa_mm2 --by level");
  INFO(agreed.err);
  REQUIRE(agreed.status == 0);
  std::size_t matched = 0;
  for (const auto& theirs : parse_csv(agreed.out)) {
    for (const auto& ours : agreement) {
      if (ours.at("measure") != "csa_mm2" || ours.at("muscle") != "psoas" ||
          ours.at("side") != "L" || ours.at("level") != theirs.at("group"))
        continue;
      ++matched;
      for (const char* column : {"n", "pearson_r", "pearson_p", "mae", "mae_sd", "bias", "loa_low",
                                 "loa_high", "icc_a1", "ccc"}) {
        INFO(column << " at level '" << theirs.at("group") << "'");
        if (theirs.at(column).empty()) {
          CHECK(ours.at(column).empty());
        } else {
          CHECK(number(ours, column) ==
                Approx(number(theirs, column)).epsilon(1e-12).margin(1e-12));
        }
      }
    }
  }
  CHECK(matched == 6);

  // The report: the CSA table by level and the agreement table.
  const std::string page = slurp(out / "report.html");
  CHECK(page.find("id=\"muscles\"") != std::string::npos);
  CHECK(page.find("id=\"muscle-csa-table\"") != std::string::npos);
  CHECK(page.find("id=\"muscle-agreement-table\"") != std::string::npos);
  for (const char* level : {"L1/L2", "L5/S1"})
    CHECK(page.find(std::string("<th>") + level + "</th>") != std::string::npos);
  CHECK(page.find("quadratus_lumborum") != std::string::npos);

  // --resume: the stage is skipped, the tables unchanged.
  const std::string before = bytes_of(out / "muscle_agreement.csv");
  const auto again = run("pipeline --out " + out.string() +
                         " --phantom 2 --muscles --resume --stop-after muscles --quiet");
  INFO(again.err);
  REQUIRE(again.status == 0);
  CHECK(again.err.find("muscles: skipped, inputs unchanged") != std::string::npos);
  CHECK(bytes_of(out / "muscle_agreement.csv") == before);
  // Without --muscles the spines' stages see the same inputs: --muscles never reruns them.
  const auto without =
      run("pipeline --out " + out.string() + " --phantom 2 --resume --stop-after phantom --quiet");
  INFO(without.err);
  REQUIRE(without.status == 0);
  CHECK(without.err.find("phantom: skipped, inputs unchanged") != std::string::npos);
}

TEST_CASE("pipeline --data --muscles: a map that is not axial is that case's failure",
          "[cli][pipeline][muscles]") {
  // A cohort of two sagittal spines, with DATA/muscles/ holding one axial muscle phantom and one
  // sagittal spine (a label map the muscle stage cannot measure).
  const fs::path data = scratch() / "muscle_data", out = scratch() / "muscle_data_run";
  fs::remove_all(data);
  fs::remove_all(out);
  REQUIRE(run("phantom --out " + data.string() + " --cases 2 --seed 4 --muscles --quiet").status ==
          0);
  fs::remove(data / "muscles" / "phantom_002.nii.gz");
  fs::remove(data / "muscles" / "truth.csv");
  fs::copy_file(data / "phantom_002.nii.gz", data / "muscles" / "sagittal.nii.gz");
  const auto result = run("pipeline --out " + out.string() + " --data " + data.string() +
                          " --muscles --stop-after muscles --quiet");
  INFO(result.err);
  REQUIRE(result.status == 0);
  CHECK(result.err.find("muscles: sagittal: not an axial series") != std::string::npos);
  const auto muscles = parse_csv(slurp(out / "muscles.csv"));
  std::set<std::string> cases;
  std::size_t failed = 0;
  for (const auto& row : muscles) {
    cases.insert(row.at("case"));
    failed += row.at("status").rfind("error: not an axial series", 0) == 0;
  }
  CHECK(cases == std::set<std::string>{"phantom_001", "sagittal"});
  CHECK(failed == 1);
  const std::string failures = slurp(out / "failures.csv");
  CHECK(failures.find("sagittal,muscles,\"not an axial series") != std::string::npos);

  // Without a muscles/ folder, --muscles is skipped with the reason on stderr and in failures.csv.
  fs::remove_all(data / "muscles");
  fs::remove_all(out);
  const auto skipped = run("pipeline --out " + out.string() + " --data " + data.string() +
                           " --muscles --stop-after cases --quiet");
  INFO(skipped.err);
  REQUIRE(skipped.status == 0);
  CHECK(skipped.err.find("muscles: skipped: " + (data / "muscles").string() + " does not exist") !=
        std::string::npos);
  CHECK(slurp(out / "failures.csv").find(",muscles,") != std::string::npos);
  CHECK_FALSE(fs::exists(out / "muscles.csv"));
  CHECK(fs::is_regular_file(out / "discs.csv"));  // the rest of the run goes on
}
