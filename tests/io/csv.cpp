// SPDX-License-Identifier: MIT
#include "discgeom/io/csv.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include <catch2/catch.hpp>

TEST_CASE("csv: quoted fields, CRLF, blank lines and missing cells", "[io]") {
  const auto table = discgeom::parse_csv(
      "case,\"note, free text\",height_mm\r\n"
      "a,\"says \"\"hi\"\"\",8.5\r\n"
      "\n"
      "b,\"two\nlines\", NA \r\n"
      "c,,+1e1\n",
      "t.csv");
  REQUIRE(table.header.size() == 3);
  CHECK(table.header[1] == "note, free text");
  REQUIRE(table.rows.size() == 3);
  CHECK(table.rows[0][1] == "says \"hi\"");
  CHECK(table.rows[1][1] == "two\nlines");
  const auto heights = table.numeric_column("height_mm");
  CHECK(heights[0] == 8.5);
  CHECK(std::isnan(heights[1]));
  CHECK(heights[2] == 10.0);
  CHECK(table.column("case") == 0);
}

TEST_CASE("csv: every missing spelling reads as NaN", "[io]") {
  const auto table = discgeom::parse_csv("v\n\nNA\nNaN\nnan\n\"\"\n1\n", "t.csv");
  // The blank line is no row; the quoted empty cell is one.
  const auto v = table.numeric_column("v");
  REQUIRE(v.size() == 5);
  for (std::size_t i = 0; i < 4; ++i)
    CHECK(std::isnan(v[i]));
  CHECK(v[4] == 1.0);
}

TEST_CASE("csv: errors name the source, the row, the line and the column", "[io]") {
  const auto table = discgeom::parse_csv("a,b\n1,2\n3,x4\n5,inf\n", "cohort.csv");
  REQUIRE_THROWS_AS(table.numeric_column("b"), discgeom::io_error);
  REQUIRE_THROWS_WITH(table.numeric_column("b"),
                      Catch::Contains("cohort.csv: row 2 (line 3), column 'b': 'x4' is not a "
                                      "number"));
  const auto infinite = discgeom::parse_csv("a\ninf\n", "i.csv");
  REQUIRE_THROWS_WITH(infinite.numeric_column("a"), Catch::Contains("'inf' is not a number"));
  REQUIRE_THROWS_WITH(table.column("c"),
                      Catch::Contains("cohort.csv: no column 'c' (columns: a,b)"));
  REQUIRE_THROWS_WITH(discgeom::parse_csv("a,b\n1\n", "r.csv"),
                      Catch::Contains("r.csv: row 1 (line 2) has 1 cells, the header has 2"));
  REQUIRE_THROWS_WITH(discgeom::parse_csv("a\n\"open\n", "q.csv"),
                      Catch::Contains("quoted field opened on line 2 is not closed"));
  REQUIRE_THROWS_WITH(discgeom::parse_csv("", "e.csv"), Catch::Contains("e.csv: no header row"));
  REQUIRE_THROWS_WITH(discgeom::read_csv("/nonexistent/t.csv"),
                      Catch::Contains("/nonexistent/t.csv: cannot be opened"));
}

TEST_CASE("csv: read_csv reads a file", "[io]") {
  const auto path = std::filesystem::temp_directory_path() / "discgeom_csv_test.csv";
  std::ofstream(path) << "x,y\n1,2\n";
  const auto table = discgeom::read_csv(path);
  CHECK(table.source == path.string());
  CHECK(table.numeric_column("y")[0] == 2.0);
  std::filesystem::remove(path);
}

TEST_CASE("csv: bytes that are no table are io_errors naming the source and the line", "[io]") {
  // A good table written to a file, then damaged byte by byte.
  const auto path = std::filesystem::temp_directory_path() /
                    ("discgeom_csv_bad_" + std::to_string(::getpid()) + ".csv");
  const std::string good = "case,level,z0\na,L1,0.5\nb,L2,1.5\n";
  const auto read = [&](const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
    return discgeom::read_csv(path);
  };
  CHECK(read(good).rows.size() == 2);
  std::string nul = good;
  nul[good.find("1.5")] = '\0';
  REQUIRE_THROWS_AS(read(nul), discgeom::io_error);
  REQUIRE_THROWS_WITH(read(nul), Catch::Contains("parse_csv(): " + path.string() + ": line 3") &&
                                     Catch::Contains("NUL byte"));
  REQUIRE_THROWS_WITH(read("case,level,z0\na,\"L1,0.5\n"),
                      Catch::Contains(path.string()) &&
                          Catch::Contains("quoted field opened on line 2 is not closed"));
  REQUIRE_THROWS_WITH(read("case,level,z0\na,L\"1,0.5\n"),
                      Catch::Contains(path.string() + ": line 2: a quote inside an unquoted field"));
  REQUIRE_THROWS_WITH(read("case,level,z0\na,\"L1\"x,0.5\n"),
                      Catch::Contains("line 2: text after the closing quote"));
  REQUIRE_THROWS_WITH(read("case,level,z0\na,L1,0.5\nb,L2\n"),
                      Catch::Contains(path.string() + ": row 2 (line 3) has 2 cells"));
  REQUIRE_THROWS_WITH(read("case,level,case\na,L1,0.5\n"),
                      Catch::Contains("line 1: the header names column 'case' twice (columns 1 "
                                      "and 3)"));
  // A line past the bound on record length, a row past the bound on columns.
  REQUIRE_THROWS_WITH(read(good + "c,L3," + std::string(std::size_t{1} << 24, '7') + "\n"),
                      Catch::Contains(path.string() + ": line 4: a record longer than 16777216"));
  REQUIRE_THROWS_WITH(read(std::string(70000, ',') + "\n"),
                      Catch::Contains("line 1: more than 65536 cells"));
  REQUIRE_THROWS_WITH(
      discgeom::parse_csv(good, "small.csv", {.max_record_bytes = 10}),
      Catch::Contains("small.csv: line 1: a record longer than 10 bytes"));
  REQUIRE_THROWS_WITH(discgeom::parse_csv(good, "narrow.csv", {.max_columns = 2}),
                      Catch::Contains("narrow.csv: line 1: more than 2 cells"));
  // A spreadsheet's byte-order mark is skipped; a multi-line cell moves the lines named after it.
  CHECK(read("\xEF\xBB\xBF" + good).header[0] == "case");
  const auto multi = discgeom::parse_csv("a,b\n\"x\ny\",1\n\nz,w\n", "m.csv");
  REQUIRE(multi.lines == std::vector<std::size_t>{2, 5});
  REQUIRE_THROWS_WITH(multi.numeric_column("b"),
                      Catch::Contains("m.csv: row 2 (line 5), column 'b': 'w' is not a number"));
  REQUIRE_THROWS_WITH(multi.number(1, 1), Catch::Contains("row 2 (line 5)"));
  REQUIRE_THROWS_AS(multi.number(2, 0), discgeom::precondition_error);
  std::filesystem::remove(path);
}

TEST_CASE("csv: random bytes either parse into a rectangular table or are an io_error", "[io]") {
  const std::string alphabet = std::string("a1,\"\n\r ;", 9) + std::string(1, '\0') + "\xff";
  std::mt19937 generator(17);
  std::size_t parsed = 0, refused = 0;
  for (int trial = 0; trial < 20000; ++trial) {
    std::string text(std::uniform_int_distribution<std::size_t>(0, 40)(generator), ' ');
    for (auto& c : text)
      c = alphabet[std::uniform_int_distribution<std::size_t>(0, alphabet.size() - 1)(generator)];
    try {
      const auto table = discgeom::parse_csv(text, "random");
      for (const auto& row : table.rows)
        REQUIRE(row.size() == table.header.size());
      REQUIRE(table.lines.size() == table.rows.size());
      ++parsed;
    } catch (const discgeom::io_error&) {
      ++refused;
    }
  }
  CHECK(parsed > 100);
  CHECK(refused > 100);
}
