// SPDX-License-Identifier: MIT
#include "discgeom/io/csv.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
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
