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

#include "discgeom/io/csv.hpp"

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

// The program run under a resource limit set by `limit`, a bash command such as "ulimit -v
// 600000" (virtual memory, KiB) or "ulimit -f 1" (file size, KiB; SIGXFSZ ignored, so a write
// past it fails with EFBIG as on a full disk). The limit holds for stderr's file too.
inline run_result run_limited(const std::string& limit, const std::string& arguments) {
  const fs::path out = scratch() / "stdout.txt", err = scratch() / "stderr.txt";
  const std::string command = "bash -c \"trap '' XFSZ; " + limit + " && exec " + DISCGEOM_CLI +
                              " " + arguments + "\" >" + out.string() + " 2>" + err.string();
  const int raw = std::system(command.c_str());
  return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(out), slurp(err)};
}

// A CSV table as rows of column -> text, read by discgeom's own RFC 4180 reader (a ragged row
// throws); no text at all gives no rows.
inline std::vector<std::map<std::string, std::string>> parse_csv(const std::string& text) {
  std::vector<std::map<std::string, std::string>> rows;
  if (text.empty())
    return rows;
  const discgeom::csv_table table = discgeom::parse_csv(text, "program output");
  for (const auto& cells : table.rows) {
    std::map<std::string, std::string> row;
    for (std::size_t c = 0; c < table.header.size(); ++c)
      row[table.header[c]] = cells[c];
    rows.push_back(row);
  }
  return rows;
}

inline double number(const std::map<std::string, std::string>& row, const std::string& column) {
  return std::stod(row.at(column));
}

}  // namespace cli_test
