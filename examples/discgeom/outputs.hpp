// SPDX-License-Identifier: MIT
#pragma once
// The checks every command makes on its output paths before any work starts (docs/cli.md,
// "Outputs"): an output is never one of the inputs, and two inputs never write the same output.
// Both are bad usage (exit status 2), named in one line.

#include <filesystem>
#include <map>
#include <string>
#include <system_error>
#include <vector>

#include "arguments.hpp"

namespace discgeom::cli {

/// True when `a` and `b` are the same file: the same file on disk when both exist (however
/// reached: another spelling, a symbolic link, a hard link), else the same path once made
/// absolute and normal (weakly_canonical: "./x.csv" and "x.csv" are the same).
inline bool same_file(const std::filesystem::path& a, const std::filesystem::path& b) {
  std::error_code ignored;
  if (std::filesystem::exists(a, ignored) && std::filesystem::exists(b, ignored))
    return std::filesystem::equivalent(a, b, ignored);
  const auto normal = [](const std::filesystem::path& p) {
    std::error_code failed;
    const auto canonical = std::filesystem::weakly_canonical(p, failed);
    return failed ? std::filesystem::absolute(p, failed).lexically_normal() : canonical;
  };
  return normal(a) == normal(b);
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
  for (const auto& output : outputs) {
    for (const auto& input : inputs) {
      if (!output.path.empty() && !input.empty() && same_file(output.path, input))
        throw usage_error(output.option + " '" + output.path.string() + "' is the input '" +
                          input.string() + "': it would be overwritten; write to another file");
    }
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
