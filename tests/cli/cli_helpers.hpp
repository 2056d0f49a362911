// SPDX-License-Identifier: MIT
#pragma once
// Running the discgeom program as a user runs it, and reading its tables, for the CLI tests.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace fs = std::filesystem;

namespace cli_test {

struct run_result {
  int status = -1;
  std::string out, err;
};

inline std::string slurp(const fs::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// One folder per process: ctest runs the test cases of this program in parallel.
inline fs::path scratch() {
  const fs::path dir =
      fs::temp_directory_path() / ("discgeom_cli_tests_" + std::to_string(getpid()));
  fs::create_directories(dir);
  return dir;
}

inline run_result run(const std::string& arguments) {
  const fs::path out = scratch() / "stdout.txt", err = scratch() / "stderr.txt";
  const std::string command =
      std::string(DISCGEOM_CLI) + " " + arguments + " >" + out.string() + " 2>" + err.string();
  const int raw = std::system(command.c_str());
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(out), slurp(err)};
}

// A CSV table as rows of column -> text (quoted fields understood).
inline std::vector<std::map<std::string, std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> lines;
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c == '\n') {
      lines.push_back(fields);
      fields.assign(1, "");
    } else {
      fields.back() += c;
    }
  }
  std::vector<std::map<std::string, std::string>> rows;
  for (std::size_t r = 1; r < lines.size(); ++r) {
    REQUIRE(lines[r].size() == lines[0].size());
    std::map<std::string, std::string> row;
    for (std::size_t c = 0; c < lines[0].size(); ++c)
      row[lines[0][c]] = lines[r][c];
    rows.push_back(row);
  }
  return rows;
}

inline double number(const std::map<std::string, std::string>& row, const std::string& column) {
  return std::stod(row.at(column));
}

}  // namespace cli_test
