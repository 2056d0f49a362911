// SPDX-License-Identifier: MIT
// `discgeom correlate` run as a user runs it: exit status, tables, stderr lines; p-values
// against scipy.stats through the golden file of tests/golden/make_correlation_golden.py.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cli/cli_helpers.hpp"

namespace fs = std::filesystem;
using namespace cli_test;

namespace {

struct golden_pair {
  std::vector<std::string> x, y;                         // as written ("nan" = missing)
  std::map<std::string, std::vector<std::string>> rows;  // "method alternative" -> n r p lo hi
};

golden_pair read_golden_case(const std::string& name) {
  std::ifstream file(DISCGEOM_TEST_DATA_DIR "/correlation_golden.txt");
  REQUIRE(file.good());
  golden_pair golden;
  std::string line;
  bool inside = false;
  while (std::getline(file, line)) {
    std::istringstream words(line);
    std::string key;
    words >> key;
    if (key == "case") {
      std::string case_name;
      words >> case_name;
      inside = case_name == name;
    } else if (inside && (key == "x" || key == "y")) {
      std::string value;
      while (words >> value)
        (key == "x" ? golden.x : golden.y).push_back(value);
    } else if (inside && key != "end") {
      std::string alternative, value;
      words >> alternative;
      auto& row = golden.rows[key + " " + alternative];
      while (words >> value)
        row.push_back(value);
    }
  }
  REQUIRE(!golden.x.empty());
  return golden;
}

fs::path write_text(const std::string& name, const std::string& text) {
  const fs::path path = scratch() / name;
  std::ofstream(path) << text;
  return path;
}

/// The case as a CSV table with columns id,a,b (a missing value as an empty cell).
fs::path write_case_table(const golden_pair& golden, const std::string& name) {
  std::string text = "id,a,b\n";
  for (std::size_t i = 0; i < golden.x.size(); ++i) {
    const auto cell = [](const std::string& v) { return v == "nan" ? std::string() : v; };
    text += "disc" + std::to_string(i) + "," + cell(golden.x[i]) + "," + cell(golden.y[i]) + "\n";
  }
  return write_text(name, text);
}

void check_against_scipy(const std::map<std::string, std::string>& row,
                         const std::vector<std::string>& expected) {
  CHECK(row.at("n") == expected[0]);
  CHECK(number(row, "r") == Approx(std::stod(expected[1])).epsilon(1e-12));
  CHECK(number(row, "p") == Approx(std::stod(expected[2])).epsilon(1e-6));
  CHECK(number(row, "ci_low") == Approx(std::stod(expected[3])).epsilon(1e-12));
  CHECK(number(row, "ci_high") == Approx(std::stod(expected[4])).epsilon(1e-12));
}

}  // namespace

TEST_CASE("correlate: the contract's columns and scipy's values") {
  for (const std::string name : {"normal_50", "ties_40", "missing_20"}) {
    INFO(name);
    const golden_pair golden = read_golden_case(name);
    const fs::path table = write_case_table(golden, name + ".csv");
    const auto r =
        run("correlate " + table.string() + " --x a --y b --method pearson,spearman,kendall");
    REQUIRE(r.status == 0);
    CHECK(r.err.empty());
    CHECK(r.out.rfind("x,y,method,n,r,p,ci_low,ci_high,p_adjusted\n", 0) == 0);
    const auto rows = parse_csv(r.out);
    REQUIRE(rows.size() == 3);
    for (const auto& row : rows) {
      CHECK(row.at("x") == "a");
      CHECK(row.at("y") == "b");
      check_against_scipy(row, golden.rows.at(row.at("method") + " two-sided"));
      CHECK(row.at("p_adjusted") == row.at("p"));
    }
  }
}

TEST_CASE("correlate: one-sided alternatives") {
  const golden_pair golden = read_golden_case("ties_y_25");
  const fs::path table = write_case_table(golden, "ties_y_25.csv");
  for (const char* alternative : {"less", "greater"}) {
    const auto r = run("correlate " + table.string() + " --x a --y b --method kendall " +
                       "--alternative " + alternative);
    REQUIRE(r.status == 0);
    const auto rows = parse_csv(r.out);
    REQUIRE(rows.size() == 1);
    check_against_scipy(rows[0], golden.rows.at(std::string("kendall ") + alternative));
  }
}

TEST_CASE("correlate: patterns, every pair, adjusted p-values and JSON") {
  const fs::path table = write_text("features.csv",
                                    "case,z0,z1,height_mm,ap_width_mm\n"
                                    "a,0.1,2.0,8.0,30.0\n"
                                    "b,0.4,1.0,9.5,31.0\n"
                                    "c,0.3,3.0,9.0,33.5\n"
                                    "d,0.9,0.5,11.0,32.0\n"
                                    "e,0.7,2.5,10.0,35.0\n"
                                    "f,0.2,1.5,8.5,29.0\n");
  const auto r = run("correlate " + table.string() +
                     " --x 'z*' --y height_mm,ap_width_mm --adjust bonferroni");
  REQUIRE(r.status == 0);
  const auto rows = parse_csv(r.out);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].at("x") == "z0");
  CHECK(rows[0].at("y") == "height_mm");
  CHECK(rows[1].at("y") == "ap_width_mm");
  CHECK(rows[2].at("x") == "z1");
  for (const auto& row : rows) {
    CHECK(row.at("method") == "pearson");
    CHECK(row.at("n") == "6");
    CHECK(number(row, "p_adjusted") == Approx(std::min(1.0, 4.0 * number(row, "p"))));
  }
  const auto json = run("correlate " + table.string() + " --x z0 --y height_mm --format json");
  REQUIRE(json.status == 0);
  CHECK(json.out.find("\"method\": \"pearson\"") != std::string::npos);
  CHECK(json.out.find("\"n\": 6") != std::string::npos);
}

TEST_CASE("correlate: a constant column or too few rows leave r and p empty, with a status") {
  const fs::path table = write_text("constant.csv", "a,b,c\n1,5,2\n2,5,,\n3,5,1\n4,5,\n");
  const auto bad_row = run("correlate " + table.string() + " --x a --y b");
  CHECK(bad_row.status == 1);  // the second data row has four cells
  CHECK(bad_row.err.find("row 2 (line 3) has 4 cells, the header has 3") != std::string::npos);

  const fs::path good = write_text("constant2.csv", "a,b,c\n1,5,2\n2,5,\n3,5,1\n4,5,\n");
  const auto r = run("correlate " + good.string() + " --x a --y b,c --method spearman");
  REQUIRE(r.status == 0);
  const auto rows = parse_csv(r.out);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].at("n") == "4");
  CHECK(rows[0].at("r").empty());
  CHECK(rows[0].at("p").empty());
  CHECK(rows[1].at("n") == "2");  // c has two values
  CHECK(rows[1].at("r").empty());
  CHECK(r.err.find("a vs b (spearman): constant_y") != std::string::npos);
  CHECK(r.err.find("a vs c (spearman): too_few") != std::string::npos);
}

TEST_CASE("correlate: ties everywhere still give a number") {
  const fs::path table =
      write_text("ties.csv", "grade,narrowed\n0,0\n0,0\n0,1\n1,0\n1,1\n1,1\n1,1\n0,0\n");
  const auto r = run("correlate " + table.string() +
                     " --x grade --y narrowed --method pearson,spearman,kendall");
  REQUIRE(r.status == 0);
  for (const auto& row : parse_csv(r.out)) {
    CHECK(number(row, "r") == Approx(0.5));  // a 2 x 2 table (3, 1; 1, 3): phi = 0.5
    CHECK(number(row, "p") > 0.0);
  }
}

TEST_CASE("correlate: inputs that cannot be read exit 1 naming the file and the cell") {
  const fs::path table = write_text("words.csv", "a,b\n1,2\n2,three\n3,4\n");
  const auto r = run("correlate " + table.string() + " --x a --y b");
  CHECK(r.status == 1);
  CHECK(r.out.empty());
  CHECK(r.err.find(table.string()) != std::string::npos);
  CHECK(r.err.find("row 2 (line 3), column 'b': 'three' is not a number") != std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);

  const auto missing_column = run("correlate " + table.string() + " --x a --y height");
  CHECK(missing_column.status == 1);
  CHECK(missing_column.err.find("no column 'height' (columns: a,b)") != std::string::npos);

  const auto no_file = run("correlate " + (scratch() / "absent.csv").string() + " --x a --y b");
  CHECK(no_file.status == 1);
  CHECK(no_file.err.find("absent.csv: cannot be opened") != std::string::npos);
}

TEST_CASE("correlate: bad usage exits 2") {
  const fs::path table = write_text("usage.csv", "a,b\n1,2\n2,3\n3,5\n");
  for (const std::string& arguments :
       {std::string(" --x a"), std::string(" --y b"), std::string(" --x a --y b --method tau"),
        std::string(" --x a --y b --adjust fdr"), std::string(" --x a --y b --alternative up"),
        std::string(" --x a --y b --confidence 1.5"), std::string(" --x a --y b --ci exact"),
        std::string(" --x a --y b --resamples 0"), std::string(" --x a, --y b")}) {
    INFO(arguments);
    const auto r = run("correlate " + table.string() + arguments);
    CHECK(r.status == 2);
    CHECK(!r.err.empty());
  }
  CHECK(run("correlate --x a --y b").status == 2);
  const auto help = run("correlate --help");
  CHECK(help.status == 0);
  CHECK(help.out.find("usage: discgeom correlate") != std::string::npos);
}
