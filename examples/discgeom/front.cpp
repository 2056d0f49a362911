// SPDX-License-Identifier: MIT
// The discgeom program (docs/cli.md): `discgeom COMMAND [ARGS...]`.
//
// This front program links nothing but the C++ runtime. It prints the command list itself and
// replaces itself (execv, same process, same pid, same environment: signals, mpirun and exit
// statuses behave as if the command ran here) with the command program that hosts COMMAND, as
// the one command table (command_list.hpp) gives it: discgeom-core (ITK image I/O only),
// discgeom-torch (LibTorch), discgeom-classify (XGBoost), discgeom-pipeline (all and MPI),
// so that a core command never loads LibTorch, XGBoost or MPI and starts in milliseconds
// (benchmarks/RESULTS.md, "Start-up"). The command programs are looked for beside this
// program, then in ../libexec/discgeom.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "command_list.hpp"

namespace {

using discgeom::cli::command_info;
using discgeom::cli::program_commands;

void print_usage(std::FILE* stream) {
  std::fputs("usage: discgeom COMMAND [ARGS...]\ncommands:\n", stream);
  for (const auto& command : program_commands)
    std::fprintf(stream, "  %-9.*s %.*s\n", static_cast<int>(command.name.size()),
                 command.name.data(), static_cast<int>(command.summary.size()),
                 command.summary.data());
  std::fputs("run 'discgeom COMMAND --help' for its options\n", stream);
}

/// The folder of the running program (from /proc/self/exe), with a trailing '/'.
std::string own_folder() {
  std::vector<char> path(4096);
  const ssize_t length = readlink("/proc/self/exe", path.data(), path.size() - 1);
  if (length <= 0)
    return "";
  const std::string self(path.data(), static_cast<std::size_t>(length));
  return self.substr(0, self.rfind('/') + 1);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    print_usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const command_info* found = discgeom::cli::find_command(argv[1]);
  if (found == nullptr) {
    std::fprintf(stderr, "discgeom: unknown command '%s'\n", argv[1]);
    print_usage(stderr);
    return 2;
  }

  const std::string folder = own_folder();
  const std::string program(found->program);
  const std::string candidates[] = {folder + program, folder + "../libexec/discgeom/" + program};
  std::vector<char*> command_argv(argv, argv + argc + 1);  // argv[argc] is the null pointer
  int first_error = 0;
  for (const auto& candidate : candidates) {
    command_argv[0] = const_cast<char*>(candidate.c_str());
    execv(candidate.c_str(), command_argv.data());  // returns only on failure
    if (first_error == 0)
      first_error = errno;
  }
  std::fprintf(stderr, "discgeom %s: cannot run its program '%s': %s\n", argv[1],
               candidates[0].c_str(), std::strerror(first_error));
  return 1;
}
