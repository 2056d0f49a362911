// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Writing a file so that a crash never leaves a truncated one under the real name: write to
/// `file.partial`, then rename it over `file`.

#include <exception>
#include <filesystem>
#include <string>
#include <system_error>

#include "discgeom/error.hpp"

namespace discgeom::detail {

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
    throw_error<io_error>(function, file.string(),
                          ": cannot be written: ", std::string(e.what()).substr(0, 200));
  }
}

}  // namespace discgeom::detail
