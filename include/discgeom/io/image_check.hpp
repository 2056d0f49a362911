// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Checks an image file (NIfTI, MetaImage, NRRD) against itself before any library reads it:
/// the header's fields (finite spacing and orientation, sizes that fit, known voxel types), the
/// declared size against the bytes present, and compressed data to their end with their check
/// values. A file that passes can be read by ITK without a crash, a hang, or voxels made up for
/// missing data. Part of `discgeom::io`; needs zlib only (not ITK), so it can also check bytes in
/// memory (check_image_bytes, for fuzzing).
///
/// What is refused, with the file and the header field named (docs/io.md lists every check):
/// - sizes: an extent below 1, a voxel count whose byte size overflows, data shorter than declared;
/// - compressed data (.nii.gz, MetaImage CompressedData, NRRD gzip): a corrupt deflate stream, a
///   wrong CRC-32/Adler-32 or length, bytes after the stream;
/// - geometry: a spacing that is not finite and > 0, a quaternion, offset, srow or direction entry
///   that is not finite or beyond 1e6 mm;
/// - types: anything but scalar integers and floats; text-encoded data that are not numbers.

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "discgeom/error.hpp"
#include "discgeom/io/detail/byte_stream.hpp"
#include "discgeom/io/detail/header_check.hpp"
#include "discgeom/io/detail/metaimage_check.hpp"
#include "discgeom/io/detail/nifti_check.hpp"
#include "discgeom/io/detail/nrrd_check.hpp"

namespace discgeom {

/// The image file formats discgeom reads, as told by the file name's extension.
enum class image_file_format {
  nifti,             ///< .nii
  nifti_compressed,  ///< .nii.gz
  nifti_pair,        ///< .hdr with its .img (or .img.gz)
  metaimage,         ///< .mha (data after the header) or .mhd (data in a named file)
  nrrd               ///< .nrrd (data after the header) or .nhdr (data in a named file)
};

/// Options of check_image_file and check_image_bytes.
struct image_check_options {
  /// Refuse a spacing that is not > 0. When false, a spacing need only be finite (values that
  /// are not finite, or beyond 1e6 mm, are always refused: ITK cannot handle them).
  bool validate_geometry = true;
  /// Check the header's fields only, not the voxel data: what reading the header alone needs
  /// (ITK's header reading crashes or hangs on the fields checked, never on the data).
  bool header_only = false;
};

/// What a checked file declares.
struct checked_image_file {
  image_file_format format{};
  std::uint64_t voxels = 0;           ///< the product of the extents of every axis
  std::uint64_t bytes_per_voxel = 0;  ///< of the stored component type
};

/// The format of `path` from its extension.
/// \throws io_error naming the file when the extension is none of those in image_file_format
[[nodiscard]] inline image_file_format image_format_of(const std::filesystem::path& path,
                                                       const char* function = "read_image") {
  const std::string name = path.filename().string();
  const auto ends_with = [&](std::string_view suffix) {
    if (name.size() < suffix.size())
      return false;
    for (std::size_t i = 0; i < suffix.size(); ++i) {
      const auto c = static_cast<unsigned char>(name[name.size() - suffix.size() + i]);
      if (std::tolower(c) != suffix[i])
        return false;
    }
    return true;
  };
  if (ends_with(".nii.gz"))
    return image_file_format::nifti_compressed;
  if (ends_with(".nii"))
    return image_file_format::nifti;
  if (ends_with(".hdr"))
    return image_file_format::nifti_pair;
  if (ends_with(".mha") || ends_with(".mhd"))
    return image_file_format::metaimage;
  if (ends_with(".nrrd") || ends_with(".nhdr"))
    return image_file_format::nrrd;
  detail::throw_error<io_error>(function, "cannot read '", path.string(),
                                "': the extension is not one of .nii, .nii.gz, .hdr, .mha, "
                                ".mhd, .nrrd, .nhdr");
}

namespace detail {

inline checked_image_file check_image(image_file_format format, random_access_bytes& bytes,
                                      const open_data_file& open_detached, const char* function,
                                      const image_check_options& options) {
  const header_context file{function, bytes.name(), options.validate_geometry, options.header_only};
  declared_image declared;
  switch (format) {
    case image_file_format::nifti: {
      range_stream stream(bytes, 0);
      declared = check_nifti(file, stream);
      break;
    }
    case image_file_format::nifti_compressed: {
      range_stream compressed(bytes, 0);
      inflate_stream stream(compressed, compressed_format::gzip, bytes.name(), function);
      declared = check_nifti(file, stream);
      break;
    }
    case image_file_format::nifti_pair: {
      range_stream stream(bytes, 0);
      auto image_file = open_detached("");
      range_stream image_stream(*image_file, 0);
      if (image_file->name().ends_with(".gz")) {
        inflate_stream inflated(image_stream, compressed_format::gzip, image_file->name(),
                                function);
        declared = check_nifti(file, stream, &inflated);
      } else {
        declared = check_nifti(file, stream, &image_stream);
      }
      break;
    }
    case image_file_format::metaimage:
      declared = check_metaimage(file, bytes, open_detached);
      break;
    case image_file_format::nrrd:
      declared = check_nrrd(file, bytes, open_detached);
      break;
  }
  return {format, declared.voxels, declared.bytes_per_voxel};
}

}  // namespace detail

/// Checks an image file and the data files its header names (see the file comment).
///
/// \param path      a .nii, .nii.gz, .hdr (with .img or .img.gz), .mha, .mhd, .nrrd or .nhdr
/// \param function  the name that opens messages
/// \returns the format, the declared voxel count and the stored bytes per voxel
/// \throws io_error "function(): 'file': field: why" naming the file and the header field
///
/// Reads the whole file once (inflating compressed data without keeping them): about as long
/// as reading the image itself.
///   const auto declared = discgeom::check_image_file("case_01.nii.gz");
inline checked_image_file check_image_file(const std::filesystem::path& path,
                                           const char* function = "read_image",
                                           const image_check_options& options = {}) {
  const image_file_format format = image_format_of(path, function);
  detail::file_bytes bytes(path, function);
  const auto open_detached =
      [&](const std::string& name) -> std::unique_ptr<detail::random_access_bytes> {
    std::filesystem::path data;
    if (format == image_file_format::nifti_pair) {
      data = path;
      data.replace_extension(".img");
      std::error_code ignored;
      if (!std::filesystem::exists(data, ignored))
        data += ".gz";
    } else {
      data = std::filesystem::path(name).is_absolute() ? std::filesystem::path(name)
                                                       : path.parent_path() / name;
    }
    std::error_code ignored;
    if (!std::filesystem::is_regular_file(data, ignored)) {
      detail::throw_error<io_error>(function, "'", path.string(), "': its data file '",
                                    data.string(), "' does not exist");
    }
    return std::make_unique<detail::file_bytes>(data, function);
  };
  return detail::check_image(format, bytes, open_detached, function, options);
}

/// Checks an image held in memory, as check_image_file checks a file named `name` (whose
/// extension gives the format). A header naming a separate data file is refused: the data
/// are not in memory.
inline checked_image_file check_image_bytes(std::span<const std::byte> bytes,
                                            const std::string& name,
                                            const char* function = "read_image",
                                            const image_check_options& options = {}) {
  const image_file_format format = image_format_of(name, function);
  detail::memory_bytes memory(bytes, name);
  const auto no_detached =
      [&](const std::string& data) -> std::unique_ptr<detail::random_access_bytes> {
    detail::throw_error<io_error>(function, "'", name, "': its data file '", data,
                                  "' is not in memory");
  };
  return detail::check_image(format, memory, no_detached, function, options);
}

}  // namespace discgeom
