// SPDX-License-Identifier: MIT
#pragma once
// The checks every command makes on its output paths before any work starts (docs/cli.md,
// "Outputs"): an output is never one of the inputs, and two inputs never write the same output.
// Both are bad usage (exit status 2), named in one line.

#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <string>
#include <system_error>
#include <vector>

#include "arguments.hpp"

namespace discgeom::cli {

/// What makes two paths the same file: the device and inode of a file that exists (however it
/// is reached: another spelling, a symbolic link, a hard link; what std::filesystem::equivalent
/// compares), else the path made absolute and normal (weakly_canonical: "./x.csv" is "x.csv").
inline std::string file_identity(const std::filesystem::path& path) {
  struct stat status {};
  if (::stat(path.c_str(), &status) == 0)
    return std::to_string(status.st_dev) + ":" + std::to_string(status.st_ino);
  std::error_code failed;
  auto normal = std::filesystem::weakly_canonical(path, failed);
  if (failed)
    normal = std::filesystem::absolute(path, failed).lexically_normal();
  return "path " + normal.string();
}

/// An output and what it is, for messages: {"--out", "x.csv"}.
struct output_path {
  std::string option;  ///< the option that names it, or how it is derived ("--out's summary")
  std::filesystem::path path;
};

/// Refuses an output that is one of the inputs: writing it would replace the input.
/// \throws usage_error "OPTION 'OUT' is the input 'IN': it would be overwritten; write to
///         another file"
inline void refuse_output_over_input(const std::vector<output_path>& outputs,
                                     const std::vector<std::filesystem::path>& inputs) {
  std::map<std::string, const std::filesystem::path*> input_of;  // identity -> the first input
  for (const auto& input : inputs)
    if (!input.empty())
      input_of.emplace(file_identity(input), &input);
  for (const auto& output : outputs) {
    if (output.path.empty())
      continue;
    const auto found = input_of.find(file_identity(output.path));
    if (found != input_of.end())
      throw usage_error(output.option + " '" + output.path.string() + "' is the input '" +
                        found->second->string() + "': it would be overwritten; " +
                        "write to another file");
  }
}

/// Refuses two inputs whose outputs would have the same path (`output_of(input)`): the second
/// would silently replace the first's (an input given twice is refused the same way).
/// \throws usage_error "'A' and 'B' would both write 'OUT'; rename one of them"
template <class OutputOf>
void refuse_shared_outputs(const std::vector<std::string>& inputs, OutputOf output_of) {
  std::map<std::string, const std::string*> writer;  // output (normal form) -> input
  for (const auto& input : inputs) {
    const std::filesystem::path output = output_of(input);
    const auto [first, fresh] = writer.emplace(output.lexically_normal().string(), &input);
    if (!fresh)
      throw usage_error("'" + *first->second + "' and '" + input + "' would both write '" +
                        output.string() + "'; rename one of them");
  }
}

}  // namespace discgeom::cli
