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

/// Calls write(temporary) with temporary = `file.partial`, then renames it to `file`. If the
/// writer throws or the rename fails, the temporary is removed and an io_error
/// "function(): file: cannot be written: reason" is thrown; `file` is never left half written.
template <class Write>
void write_atomically(const std::filesystem::path& file, const char* function, Write&& write) {
  const std::filesystem::path temporary = file.string() + ".partial";
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
