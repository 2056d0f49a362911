// SPDX-License-Identifier: MIT
#pragma once
// Input files of the discgeom program.

#include <exception>
#include <filesystem>
#include <new>
#include <string>

#include "arguments.hpp"
#include "discgeom/io/image_io.hpp"

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

/// The case of an image file: case_name without `suffix` at its end (X_t1.nii.gz -> X).
inline std::string image_case(const std::filesystem::path& image,
                              const std::string& suffix = "_t1") {
  const std::string base = case_name(image);
  if (!suffix.empty() && base.size() > suffix.size() &&
      base.compare(base.size() - suffix.size(), suffix.size(), suffix) == 0)
    return base.substr(0, base.size() - suffix.size());
  return base;
}

/// Why the work on one input failed, for its row and its line on stderr: the exception's
/// message, or "not enough memory to WORK" for std::bad_alloc (an image larger than memory
/// holds), so that a batch reports it as that input's failure and goes on with the others.
inline std::string failure_reason(const std::exception& failure, const char* work = "read it") {
  if (dynamic_cast<const std::bad_alloc*>(&failure) != nullptr)
    return std::string("not enough memory to ") + work;
  return failure.what();
}

/// A 3D label image read as T (exact conversion, never rounded), with the overrides applied.
/// \throws io_error when the image is not 3D (naming `command`) or cannot be read as T
template <class T>
image<T> read_label_image(const std::filesystem::path& file, const char* command,
                          const geometry_overrides& overrides) {
  const auto header = read_image_header(file.string());
  if (header.dimensions != 3) {
    throw io_error("the image is " + std::to_string(header.dimensions) + "D; " + command +
                   " needs a 3D label volume");
  }
  auto labels = read_image<T>(file.string(), {.max_voxels = overrides.max_voxels});
  overrides.apply(labels.geometry);
  return labels;
}

}  // namespace discgeom::cli
