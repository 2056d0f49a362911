// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Checks a NIfTI-1 header (either byte order) and its voxel data before ITK reads them:
/// dimensions, datatype, finite pixdim, quaternion, offsets and srow rows, the voxel offset,
/// and that the data are all there. Field offsets from the NIfTI-1 header (nifti1.h, NIfTI DFWG
/// 2004). A NIfTI-2 header is recognised and refused: ITK 5.2 has no NIfTI-2 reader.

#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "discgeom/io/detail/byte_stream.hpp"
#include "discgeom/io/detail/header_check.hpp"

namespace discgeom::detail {

inline constexpr std::size_t nifti1_header_bytes = 348;
/// The most bytes of extensions (between the header and the voxels) accepted: ITK's niftilib
/// reads them all into memory, and real ones (DICOM headers, notes) are far smaller.
inline constexpr std::uint64_t nifti_max_extension_bytes = std::uint64_t{64} << 20;

/// The bytes of one stored voxel for a NIfTI datatype code, or 0 when discgeom does not read it
/// (complex, RGB, binary, float128).
[[nodiscard]] constexpr std::uint64_t nifti_datatype_bytes(int datatype) {
  switch (datatype) {
    case 2:    // uint8
    case 256:  // int8
      return 1;
    case 4:    // int16
    case 512:  // uint16
      return 2;
    case 8:    // int32
    case 768:  // uint32
    case 16:   // float32
      return 4;
    case 1024:  // int64
    case 1280:  // uint64
    case 64:    // float64
      return 8;
    default:
      return 0;
  }
}

/// Reads fields of a NIfTI header in the file's byte order.
class nifti_fields {
 public:
  nifti_fields(std::span<const std::byte> header, bool swapped)
      : header_(header), swapped_(swapped) {}

  template <class T>
  [[nodiscard]] T at(std::size_t offset) const {
    std::array<std::byte, sizeof(T)> raw;
    std::memcpy(raw.data(), header_.data() + offset, sizeof(T));
    if (swapped_)
      std::reverse(raw.begin(), raw.end());
    return std::bit_cast<T>(raw);
  }

 private:
  std::span<const std::byte> header_;
  bool swapped_;
};

/// Checks the header and the voxel data of a NIfTI-1 file whose bytes (after inflating a .nii.gz)
/// come from `stream`. `detached_data`, for a .hdr, is the stream of its .img file (else null).
/// \throws io_error naming the file and the field
inline declared_image check_nifti(const header_context& file, byte_stream& stream,
                                  byte_stream* detached_data = nullptr) {
  const std::vector<std::byte> header = read_up_to(stream, nifti1_header_bytes);
  if (header.size() < 4)
    file.refuse("sizeof_hdr", "the file is ", header.size(), " bytes long, too short for a header");
  const auto size_le =
      nifti_fields(header, std::endian::native != std::endian::little).at<std::int32_t>(0);
  const auto size_be =
      nifti_fields(header, std::endian::native != std::endian::big).at<std::int32_t>(0);
  if (size_le == 540 || size_be == 540)
    file.refuse("sizeof_hdr",
                "540: a NIfTI-2 file, which ITK 5.2 does not read; write it as "
                "NIfTI-1");
  const bool little = size_le == 348;
  if (!little && size_be != 348)
    file.refuse("sizeof_hdr", "not 348 (NIfTI-1) in either byte order");
  if (header.size() < nifti1_header_bytes)
    file.refuse("header", "the file ends after ", header.size(), " of the header's ",
                nifti1_header_bytes, " bytes");
  const nifti_fields fields(header, little != (std::endian::native == std::endian::little));
  const auto real = [&](std::size_t offset) -> double { return fields.at<float>(offset); };

  // Magic: "n+1" (data in this file), "ni1" (a .hdr with its .img).
  char magic[4];
  std::memcpy(magic, header.data() + 344, 4);
  const bool single_file = magic[0] == 'n' && magic[1] == '+' && magic[2] == '1';
  const bool pair = magic[0] == 'n' && magic[1] == 'i' && magic[2] == '1';
  if (!(single_file || pair) || magic[3] != '\0')
    file.refuse("magic", "not the NIfTI-1 magic string (\"n+1\" or \"ni1\")");
  if (pair != (detached_data != nullptr))
    file.refuse("magic", pair ? "a header whose data are in a separate .img file"
                              : "a single-file header in a .hdr file");

  // Datatype and bitpix.
  const int datatype = fields.at<std::int16_t>(70);
  const std::uint64_t bytes_per_voxel = nifti_datatype_bytes(datatype);
  if (bytes_per_voxel == 0)
    file.refuse("datatype", "code ", datatype,
                " is not a scalar integer or float type that discgeom reads");
  const int bitpix = fields.at<std::int16_t>(72);
  if (static_cast<std::uint64_t>(bitpix) != bytes_per_voxel * 8)
    file.refuse("bitpix", bitpix, " bits, but datatype ", datatype, " has ", bytes_per_voxel * 8);

  // Dimensions: dim[0] axes, each extent >= 1.
  const std::int64_t rank = fields.at<std::int16_t>(40);
  if (rank < 1 || rank > 7)
    file.refuse("dim[0]", "the number of axes is ", rank, ", not 1 to 7");
  std::uint64_t voxels = 1;
  for (std::int64_t d = 1; d <= rank; ++d) {
    const std::int64_t extent = fields.at<std::int16_t>(40 + 2 * static_cast<std::size_t>(d));
    if (extent < 1)
      file.refuse("dim", "axis ", d, " has extent ", extent, "; every extent must be at least 1");
    voxels = checked_product(file, "dim", voxels, static_cast<std::uint64_t>(extent));
  }
  const std::uint64_t data_bytes = checked_product(file, "dim", voxels, bytes_per_voxel);

  // Voxel sizes of the spatial axes, and qfac (pixdim[0], -1, 0 or 1).
  const double qfac = real(76);
  if (!std::isfinite(qfac))
    file.refuse("pixdim[0]", "qfac ", qfac, " is not finite");
  static constexpr const char* pixdim_names[] = {"pixdim[1]", "pixdim[2]", "pixdim[3]"};
  for (std::int64_t d = 1; d <= std::min<std::int64_t>(rank, 3); ++d)
    check_spacing(file, pixdim_names[d - 1], real(76 + 4 * static_cast<std::size_t>(d)));

  // Intensity scaling: ITK applies it when the slope is not 0.
  const double slope = real(112), intercept = real(116);
  if (std::isnan(slope) || std::isinf(slope))
    file.refuse("scl_slope", "the value ", slope, " is not finite");
  if (slope != 0.0 && !std::isfinite(intercept))
    file.refuse("scl_inter", "the value ", intercept, " is not finite");

  // The orientation ITK builds: the quaternion (qform_code > 0) and the srow rows
  // (sform_code > 0).
  const std::int64_t qform_code = fields.at<std::int16_t>(252);
  const std::int64_t sform_code = fields.at<std::int16_t>(254);
  if (qform_code < 0 || qform_code > 4)
    file.refuse("qform_code", "the code ", qform_code, " is not 0 to 4");
  if (sform_code < 0 || sform_code > 4)
    file.refuse("sform_code", "the code ", sform_code, " is not 0 to 4");
  if (qform_code > 0) {
    static constexpr const char* quaternion_names[] = {"quatern_b", "quatern_c", "quatern_d",
                                                       "qoffset_x", "qoffset_y", "qoffset_z"};
    double norm = 0.0;
    for (std::size_t q = 0; q < 6; ++q) {
      const double value = real(256 + 4 * q);
      check_coordinate(file, quaternion_names[q], value);
      if (q < 3)
        norm += value * value;
    }
    if (norm > 1.0 + 1e-4)
      file.refuse("quatern_b/c/d", "b^2 + c^2 + d^2 = ", norm, " exceeds 1");
  }
  if (sform_code > 0) {
    static constexpr const char* srow_names[] = {"srow_x", "srow_y", "srow_z"};
    std::array<std::array<double, 3>, 3> linear{};
    for (std::size_t row = 0; row < 3; ++row) {
      for (std::size_t column = 0; column < 4; ++column) {
        const double value = real(280 + 4 * (row * 4 + column));
        check_coordinate(file, srow_names[row], value);
        if (column < 3)
          linear[row][column] = value;
      }
    }
    const double determinant =
        linear[0][0] * (linear[1][1] * linear[2][2] - linear[1][2] * linear[2][1]) -
        linear[0][1] * (linear[1][0] * linear[2][2] - linear[1][2] * linear[2][0]) +
        linear[0][2] * (linear[1][0] * linear[2][1] - linear[1][1] * linear[2][0]);
    if (determinant == 0.0 && qform_code == 0)
      file.refuse("srow_x/y/z", "the affine's 3x3 part is singular and there is no qform");
  }

  // Voxel offset: a whole byte count, after the header in a single file (extensions between,
  // bounded), and within niftilib's int.
  const double offset = real(108);
  const double least = single_file ? static_cast<double>(nifti1_header_bytes) : 0.0;
  if (!(std::isfinite(offset) && offset >= least && offset == std::floor(offset) &&
        offset <= std::numeric_limits<std::int32_t>::max()))
    file.refuse("vox_offset", "the value ", offset, " is not a whole number of bytes from ", least,
                " to 2^31 - 1");
  if (single_file && offset - least > static_cast<double>(nifti_max_extension_bytes))
    file.refuse("vox_offset", "the value ", offset, " leaves ", offset - least,
                " bytes of extensions, more than the ", nifti_max_extension_bytes,
                " discgeom reads");

  if (file.header_only)
    return {voxels, bytes_per_voxel};
  // The data: all present. The rest of a compressed stream is read too, so that its check value
  // and length are verified, up to max_bytes_after_data beyond the voxels.
  byte_stream& data = detached_data != nullptr ? *detached_data : stream;
  const auto offset_bytes = static_cast<std::uint64_t>(offset);
  const std::uint64_t before = single_file ? offset_bytes - header.size() : offset_bytes;
  if (data.skip(before) < before)
    file.refuse("vox_offset", "the file ends before the voxel data start at byte ", offset_bytes);
  const std::uint64_t present = data.skip(data_bytes + max_bytes_after_data + 1);
  if (present < data_bytes)
    file.refuse("dim", "the header declares ", voxels, " voxels of ", bytes_per_voxel, " bytes (",
                data_bytes, " bytes), but the file holds ", present,
                " bytes of voxel data (truncated)");
  if (present > data_bytes + max_bytes_after_data)
    file.refuse("dim", "the file holds more than ", max_bytes_after_data,
                " bytes after the declared ", data_bytes, " bytes of voxel data");
  if (detached_data != nullptr)
    (void)stream.skip(max_bytes_after_data);
  return {voxels, bytes_per_voxel};
}

}  // namespace discgeom::detail
