// SPDX-License-Identifier: MIT
#pragma once
// The main() of each of the discgeom program's command programs (discgeom-core, -torch,
// -classify, -pipeline): `PROGRAM COMMAND [ARGS...]`, as the `discgeom` front program runs them
// (front.cpp). One table of the commands a program hosts; the same exit statuses and messages
// as ../../docs/cli.md gives for `discgeom COMMAND`.

#include <cstdio>
#include <exception>
#include <span>
#include <string>
#include <vector>

#include "arguments.hpp"

namespace discgeom::cli {

/// A command hosted by a command program: its name, its --help text and its run function.
struct hosted_command {
  const char* name;
  const char* usage;
  int (*run)(const std::vector<std::string>&);
};

/// Runs argv[1] with argv[2...]: its usage on --help or -h (exit 0), a usage_error exits 2 and
/// any other exception exits 1, each with one line "discgeom COMMAND: message" on stderr.
inline int run_hosted_command(int argc, char** argv, std::span<const hosted_command> commands) {
  if (argc < 2) {
    std::fprintf(stderr, "discgeom: no command given; run 'discgeom --help'\n");
    return 2;
  }
  const std::string command = argv[1];
  const std::vector<std::string> rest(argv + 2, argv + argc);
  for (const auto& known : commands) {
    if (command != known.name)
      continue;
    try {
      if (!rest.empty() && (rest[0] == "--help" || rest[0] == "-h")) {
        std::fputs(known.usage, stdout);
        return 0;
      }
      return known.run(rest);
    } catch (const usage_error& e) {
      std::fprintf(stderr, "discgeom %s: %s\n", command.c_str(), e.what());
      return 2;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "discgeom %s: %s\n", command.c_str(), e.what());
      return 1;
    }
  }
  std::fprintf(stderr, "discgeom: unknown command '%s'; run 'discgeom --help'\n", command.c_str());
  return 2;
}

}  // namespace discgeom::cli
