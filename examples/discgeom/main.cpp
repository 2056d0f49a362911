// SPDX-License-Identifier: MIT
// The discgeom program: cohort-scale access to the toolkit (../shared/cli-contract.md).
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "arguments.hpp"
#include "discs_command.hpp"
#include "overlap_command.hpp"

namespace {

constexpr const char* usage =
    "usage: discgeom COMMAND [ARGS...]\n"
    "commands:\n"
    "  discs     per-disc geometry in mm of segmented spines (one row per disc)\n"
    "  overlap   overlap and surface-distance metrics of predictions against references\n"
    "run 'discgeom COMMAND --help' for its options\n";

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::fputs(usage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  const std::string command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  try {
    if (command == "discs") {
      if (!rest.empty() && (rest[0] == "--help" || rest[0] == "-h")) {
        std::fputs(discgeom::cli::discs_usage, stdout);
        return 0;
      }
      return discgeom::cli::run_discs(rest);
    }
    if (command == "overlap") {
      if (!rest.empty() && (rest[0] == "--help" || rest[0] == "-h")) {
        std::fputs(discgeom::cli::overlap_usage, stdout);
        return 0;
      }
      return discgeom::cli::run_overlap(rest);
    }
    std::fprintf(stderr, "discgeom: unknown command '%s'\n%s", command.c_str(), usage);
    return 2;
  } catch (const discgeom::cli::usage_error& e) {
    std::fprintf(stderr, "discgeom %s: %s\n", command.c_str(), e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "discgeom %s: %s\n", command.c_str(), e.what());
    return 1;
  }
}
