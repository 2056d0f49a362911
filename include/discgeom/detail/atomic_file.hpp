// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Writing a file so that a crash never leaves a truncated one under the real name: write to
/// `file.partial`, then rename it over `file`.

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <string>
#include <system_error>

#include "discgeom/error.hpp"

namespace discgeom::detail {

/// Why a stream write just failed: the system's reason (errno: "No space left on device",
/// "File too large", ...) when there is one, else "the stream failed". Call it right after the
/// failing operation.
[[nodiscard]] inline std::string stream_failure_reason() {
  return errno != 0 ? std::string(std::strerror(errno)) : std::string("the stream failed");
}

/// `folder/name.partial.ext` for `folder/name.ext`, with a double extension such as `.nii.gz`
/// kept whole: a temporary name that libraries choosing the format by extension still read.
[[nodiscard]] inline std::filesystem::path partial_name_keeping_extension(
    const std::filesystem::path& file) {
  const std::string name = file.filename().string();
  std::size_t dot = name.rfind('.');
  if (dot != std::string::npos && dot > 0 && name.compare(dot, std::string::npos, ".gz") == 0) {
    const std::size_t inner = name.rfind('.', dot - 1);
    if (inner != std::string::npos && inner > 0)
      dot = inner;
  }
  if (dot == std::string::npos || dot == 0)
    return file.parent_path() / (name + ".partial");
  return file.parent_path() / (name.substr(0, dot) + ".partial" + name.substr(dot));
}

/// Calls write(temporary), with temporary = `file.partial` unless another is given, then renames
/// it to `file`. If the writer throws or the rename fails, the temporary is removed and an
/// io_error "function(): file: cannot be written: reason" is thrown; `file` is never left half
/// written.
template <class Write>
void write_atomically(const std::filesystem::path& file, const char* function, Write&& write,
                      std::filesystem::path temporary = {}) {
  if (temporary.empty())
    temporary = file.string() + ".partial";
  try {
    write(temporary);
    std::filesystem::rename(temporary, file);
  } catch (const std::exception& e) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    // The reason's first line only: some libraries append a backtrace to their messages.
    const std::string reason = e.what();
    throw_error<io_error>(function, file.string(), ": cannot be written: ",
                          reason.substr(0, std::min<std::size_t>(reason.find('\n'), 200)));
  }
}

}  // namespace discgeom::detail
