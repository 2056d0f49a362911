// SPDX-License-Identifier: MIT
#pragma once
// The main() of each of the discgeom program's command programs (discgeom-core, -torch,
// -classify, -pipeline): `PROGRAM COMMAND [ARGS...]`, as the `discgeom` front program runs them
// (front.cpp). The same exit statuses and messages as ../../docs/cli.md gives for
// `discgeom COMMAND`.

#include <cstdio>
#include <exception>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "command_line.hpp"
#include "command_list.hpp"

namespace discgeom::cli {

/// A command hosted by a command program: its name and the function that parses its words and
/// runs it.
struct hosted_command {
  std::string_view name;
  int (*parse_and_run)(const command_info&, const std::vector<std::string>&);
};

/// Parses the words into Settings with AddOptions (exit 0 after --help) and runs Run on them.
template <class Settings, void (*AddOptions)(CLI::App&, Settings&), int (*Run)(const Settings&)>
int parse_and_run(const command_info& info, const std::vector<std::string>& words) {
  Settings settings;
  command_app app(info.name, info.summary);
  AddOptions(app, settings);
  if (!parse_command_line(app, words))
    return 0;
  return Run(settings);
}

/// True when `hosted` names exactly the commands that command_list.hpp gives to `program`.
constexpr bool hosts_its_commands(std::span<const hosted_command> hosted,
                                  std::string_view program) {
  std::size_t expected = 0;
  for (const auto& command : program_commands) {
    if (command.program != program)
      continue;
    ++expected;
    bool found = false;
    for (const auto& h : hosted)
      found = found || h.name == command.name;
    if (!found)
      return false;
  }
  return expected == hosted.size();
}

/// Runs argv[1] with argv[2...]: a usage_error exits 2 and any other exception exits 1, each
/// with one line "discgeom COMMAND: message" on stderr.
inline int run_hosted_command(int argc, char** argv, std::span<const hosted_command> commands) {
  if (argc < 2) {
    std::fprintf(stderr, "discgeom: no command given; run 'discgeom --help'\n");
    return 2;
  }
  const std::string command = argv[1];
  const std::vector<std::string> rest(argv + 2, argv + argc);
  const command_info* info = find_command(command);
  for (const auto& known : commands) {
    if (info == nullptr || known.name != command)
      continue;
    try {
      return known.parse_and_run(*info, rest);
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
