// SPDX-License-Identifier: MIT
#pragma once
// The reader of tests/data/agreement_golden.txt (written by tests/golden/make_agreement_golden.py;
// Python is not run by the tests), shared by the tests of bland_altman, concordance_correlation,
// error_measures and the intraclass correlations.
//
// The file is a list of blocks, each closed by "end":
//   pairs NAME confidence C coverage V multiplier M     M a number or "none"
//   x ...                                               one number per pair, "nan" when missing
//   y ...
//   expect STATISTIC quantity value quantity value ...  one line per statistic
// and
//   icc NAME confidence C
//   row ...                                             the ratings of one target
//   expect STATISTIC quantity value ...                 "table" and one line per form

#include <fstream>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

namespace agreement_golden {

inline constexpr double missing = std::numeric_limits<double>::quiet_NaN();

/// One block of the file.
struct golden_case {
  std::string name;
  double confidence = 0.95;
  double coverage = 0.95;
  std::optional<double> multiplier;
  std::vector<double> x, y;               ///< pairs blocks
  std::vector<std::vector<double>> rows;  ///< icc blocks: one row of ratings per target
  /// expect[statistic][quantity], e.g. expect["bland_altman"]["bias"]
  std::map<std::string, std::map<std::string, double>> expect;
};

/// The numbers of the rest of a line; "nan" reads as a missing value.
inline std::vector<double> read_numbers(std::istringstream& line) {
  std::vector<double> values;
  std::string token;
  while (line >> token)
    values.push_back(token == "nan" ? missing : std::stod(token));
  return values;
}

/// Sets the option `name` of a block from its text ("confidence", "coverage" or "multiplier").
inline void set_option(golden_case& block, std::string_view name, const std::string& value) {
  if (name == "confidence")
    block.confidence = std::stod(value);
  else if (name == "coverage")
    block.coverage = std::stod(value);
  else if (name == "multiplier" && value != "none")
    block.multiplier = std::stod(value);
}

/// The blocks of one kind, "pairs" or "icc" (the file holds four of each). `options` are the
/// options of the header line that the caller uses, in the order the file writes them: each is
/// required to stand under its name and is read into the block; the rest of the line is ignored.
inline std::vector<golden_case> read_cases(std::string_view kind,
                                           std::initializer_list<std::string_view> options) {
  std::ifstream file(DISCGEOM_TEST_DATA_DIR "/agreement_golden.txt");
  REQUIRE(file.good());
  std::vector<golden_case> cases;
  bool in_block = false;
  std::string text;
  while (std::getline(file, text)) {
    std::istringstream line(text);
    std::string key;
    line >> key;
    if (key == kind) {
      in_block = true;
      cases.emplace_back();
      line >> cases.back().name;
      for (const std::string_view option : options) {
        std::string name, value;
        line >> name >> value;
        REQUIRE(name == option);
        set_option(cases.back(), option, value);
      }
    } else if (key == "pairs" || key == "icc" || key == "end") {
      in_block = false;
    } else if (in_block && (key == "x" || key == "y")) {
      (key == "x" ? cases.back().x : cases.back().y) = read_numbers(line);
    } else if (in_block && key == "row") {
      cases.back().rows.push_back(read_numbers(line));
    } else if (in_block && key == "expect") {
      std::string what, name;
      line >> what;
      double value = 0;
      while (line >> name >> value)
        cases.back().expect[what][name] = value;
    }
  }
  REQUIRE(cases.size() == 4);
  return cases;
}

/// Checks every named value against the expected value of that name to relative `epsilon`.
inline void check_named_values(const std::map<std::string, double>& actual,
                               const std::map<std::string, double>& expected, double epsilon) {
  for (const auto& [name, value] : actual) {
    INFO(name);
    CHECK(value == Approx(expected.at(name)).epsilon(epsilon));
  }
}

}  // namespace agreement_golden
