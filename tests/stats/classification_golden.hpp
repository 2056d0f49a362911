// SPDX-License-Identifier: MIT
#pragma once
// The reader of tests/data/classification_golden.txt (written by
// tests/golden/make_classification_golden.py from scikit-learn and an independent O(m n) DeLong;
// Python is not run by the tests), shared by the classification and ROC tests.
//
// The file is a list of blocks "case NAME", lines "key number number ...", "end".

#include <cstddef>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace classification_golden {

/// One "case" block of the golden file: every key with its lines of numbers.
struct golden_case {
  std::string name;
  /// The lines of each key in file order (only fold_test repeats).
  std::map<std::string, std::vector<std::vector<double>>> lines;

  /// The (first) line of `key`, which must be present.
  [[nodiscard]] const std::vector<double>& at(const std::string& key) const {
    const auto found = lines.find(key);
    INFO("golden key " << key << " in case " << name);
    REQUIRE(found != lines.end());
    return found->second.front();
  }
  [[nodiscard]] bool has(const std::string& key) const { return lines.count(key) != 0; }
};

inline std::vector<golden_case> read_cases() {
  std::ifstream file(DISCGEOM_TEST_DATA_DIR "/classification_golden.txt");
  REQUIRE(file.good());
  std::vector<golden_case> cases;
  std::string text;
  while (std::getline(file, text)) {
    std::istringstream line(text);
    std::string key;
    line >> key;
    if (key == "case") {
      cases.emplace_back();
      line >> cases.back().name;
    } else if (!key.empty() && key != "end") {
      std::vector<double> values;
      double value = 0;
      while (line >> value)
        values.push_back(value);
      REQUIRE(line.eof());
      cases.back().lines[key].push_back(values);
    }
  }
  REQUIRE(cases.size() == 4);
  return cases;
}

/// Relative 1e-12 (absolute 1e-15 near zero): the golden values are ratios of small integers
/// (scikit-learn's scores, AUCs) or closed forms of them (DeLong's se and intervals).
inline void check_close(double actual, double expected) {
  CHECK(actual == Approx(expected).epsilon(1e-12).margin(1e-15));
}

}  // namespace classification_golden
