// SPDX-License-Identifier: MIT
// The in-process time of a discgeom command: the command's run function (the same code the
// program runs, read + compute + write) called repeatedly in one process, so that the program's
// whole-process time (run_startup.sh) can be split into start-up and work.
//
//   bench_cli_inprocess REPETITIONS COMMAND ARGS...    prints the median in ms
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "discs_command.hpp"
#include "overlap_command.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_cli_inprocess REPETITIONS discs|overlap ARGS...\n");
    return 2;
  }
  const int repetitions = std::atoi(argv[1]);
  const std::string command = argv[2];
  const std::vector<std::string> arguments(argv + 3, argv + argc);
  auto run = command == "discs" ? discgeom::cli::run_discs : discgeom::cli::run_overlap;
  std::vector<double> ms;
  for (int r = 0; r < std::max(1, repetitions) + 1; ++r) {  // the first run warms the caches
    const auto start = std::chrono::steady_clock::now();
    if (run(arguments) != 0)
      return 1;
    const auto stop = std::chrono::steady_clock::now();
    if (r > 0)
      ms.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
  }
  std::sort(ms.begin(), ms.end());
  std::printf("%.3f\n", ms[ms.size() / 2]);
  return 0;
}
