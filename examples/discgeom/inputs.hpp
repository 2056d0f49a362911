// SPDX-License-Identifier: MIT
#pragma once
// Input files of the discgeom program.

#include <filesystem>
#include <string>

namespace discgeom::cli {

/// The case name of an image file: its file name without the image extensions
/// (.nii.gz, .nii, .mha, .mhd, .nrrd, .nhdr).
inline std::string case_name(const std::filesystem::path& path) {
  const std::string name = path.filename().string();
  for (const std::string suffix : {".nii.gz", ".nii", ".mha", ".mhd", ".nrrd", ".nhdr"}) {
    if (name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return name.substr(0, name.size() - suffix.size());
    }
  }
  return name;
}

}  // namespace discgeom::cli
