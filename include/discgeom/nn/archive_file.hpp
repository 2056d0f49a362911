// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Writing a LibTorch archive (models, checkpoints) so that neither a crash nor a full disk
/// leaves a truncated file under the real name or ends the program.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <torch/serialize.h>

#include "discgeom/detail/atomic_file.hpp"

namespace discgeom::detail {

/// Writes `archive` to `file` through a temporary name in the same folder, then renames it, so
/// that a crash never leaves a truncated file under the real name. The archive is serialised in
/// memory first and written with a checked stream: LibTorch's file writer throws from its
/// destructor when a write fails (a full disk), which would end the program.
inline void save_archive_atomically(torch::serialize::OutputArchive& archive,
                                    const std::filesystem::path& file, const char* function) {
  std::ostringstream bytes;
  archive.save_to(bytes);
  const std::string serialised = std::move(bytes).str();
  write_atomically(file, function, [&](const std::filesystem::path& temporary) {
    std::ofstream out(temporary, std::ios::binary);
    out.write(serialised.data(), static_cast<std::streamsize>(serialised.size()));
    out.close();
    if (!out)
      throw std::runtime_error(stream_failure_reason());
  });
}

}  // namespace discgeom::detail
