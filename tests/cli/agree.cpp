// SPDX-License-Identifier: MIT
// `discgeom agree` run as a user runs it, against numpy and scipy through the tables of
// tests/golden/make_agree_golden.py (tests/data/agree; Python is not run here).
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cli/cli_helpers.hpp"

namespace fs = std::filesystem;
using namespace cli_test;

namespace {
const std::string data = DISCGEOM_TEST_DATA_DIR "/agree/";

fs::path write_text(const std::string& name, const std::string& text) {
  const fs::path path = scratch() / name;
  std::ofstream(path) << text;
  return path;
}
}  // namespace

TEST_CASE("agree: per level and overall, equal to numpy and scipy, unpaired rows counted") {
  const auto result = run("agree " + data + "reference.csv " + data + "test.csv --key case,level " +
                          "--measures height_mm,csa_mm2 --by level");
  CHECK(result.status == 0);
  CHECK(result.err ==
        "discgeom agree: 3 rows without a partner (counted in n_unpaired, not "
        "compared)\n");
  const auto rows = parse_csv(result.out);
  std::ifstream file(data + "expected.csv");
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const auto expected = parse_csv(text);
  REQUIRE(rows.size() == expected.size());
  REQUIRE(rows.size() == 12);  // two measures x (five levels + overall)
  for (std::size_t r = 0; r < rows.size(); ++r) {
    INFO("row " << r);
    CHECK(rows[r].at("measure") == expected[r].at("measure"));
    CHECK(rows[r].at("group") == expected[r].at("group"));
    for (const char* column : {"n", "n_unpaired", "n_missing"})
      CHECK(rows[r].at(column) == expected[r].at(column));
    for (const char* column :
         {"pearson_r", "mae", "mae_sd", "bias", "loa_low", "loa_high", "icc_a1", "ccc"}) {
      INFO(column);
      CHECK(number(rows[r], column) == Approx(number(expected[r], column)).epsilon(1e-10));
    }
    CHECK(number(rows[r], "pearson_p") == Approx(number(expected[r], "pearson_p")).epsilon(1e-6));
  }
  // The overall rows count every unpaired row (one each way, one extra automatic case) and the
  // missing csa value.
  CHECK(rows[5].at("group").empty());
  CHECK(rows[5].at("n_unpaired") == "3");
  CHECK(rows[11].at("n_missing") == "1");

  // Without --by: the overall rows only.
  const auto overall = run("agree " + data + "reference.csv " + data +
                           "test.csv --key case,level " + "--measures 'h*' --quiet --format json");
  CHECK(overall.status == 0);
  CHECK(overall.err.empty());
  CHECK(overall.out.find("\"measure\": \"height_mm\"") != std::string::npos);
  CHECK(overall.out.find("csa_mm2") == std::string::npos);
}

TEST_CASE("agree: a repeated key, a missing column, too few pairs, bad usage") {
  const auto reference = write_text("agree_reference.csv", "case,height\na,1\nb,2\nb,3\n");
  const auto test = write_text("agree_test.csv", "case,height\na,1.5\nb,2.5\n");
  const auto repeated =
      run("agree " + reference.string() + " " + test.string() + " --key case --measures height");
  CHECK(repeated.status == 1);
  CHECK(repeated.err.find("the key (b) is on lines 3 and 4: --key must name each row once") !=
        std::string::npos);

  const auto good = write_text("agree_good.csv", "case,height\na,1\nb,2\n");
  const auto no_column =
      run("agree " + good.string() + " " + test.string() + " --key case --measures width");
  CHECK(no_column.status == 1);
  CHECK(no_column.err.find("no column 'width'") != std::string::npos);

  // Two pairs: every number its method can give, NaN (empty) for the others, exit 0.
  const auto two =
      run("agree " + good.string() + " " + test.string() + " --key case --measures height");
  CHECK(two.status == 0);
  const auto rows = parse_csv(two.out);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].at("n") == "2");
  CHECK(number(rows[0], "bias") == Approx(0.5));
  CHECK(number(rows[0], "mae") == Approx(0.5));
  CHECK(number(rows[0], "mae_sd") == Approx(0.0));
  CHECK(rows[0].at("pearson_p").empty());  // r = 1 on two points: no p-value

  const auto missing_key = run("agree " + good.string() + " " + test.string());
  CHECK(missing_key.status == 2);
  const auto over_input = run("agree " + good.string() + " " + test.string() +
                              " --key case --measures height --out " + good.string());
  CHECK(over_input.status == 2);
}
