// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The full 3x3 direction of a NIfTI-1 header, read from the header itself. ITK keeps only the
/// in-plane rows of a 2D image's direction, so a 2D sagittal slice (axes along AP and SI) loses
/// its anatomy there; its qform or sform still holds all of it. Part of `discgeom::io`.

#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <optional>
#include <vector>

#include "discgeom/error.hpp"
#include "discgeom/image_geometry.hpp"
#include "discgeom/io/detail/byte_stream.hpp"
#include "discgeom/io/image_check.hpp"

namespace discgeom {

namespace detail {

/// The LPS direction of a NIfTI-1 header's bytes (348 of them): the qform when qform_code > 0
/// (NIfTI's quaternion, qfac = -1 when pixdim[0] < 0), else the sform's columns normalised when
/// sform_code > 0, else nothing. RAS to LPS: the first two rows negated.
inline std::optional<mat3> nifti_header_direction(const std::vector<std::byte>& header) {
  if (header.size() < 348)
    return std::nullopt;
  const auto read_int32 = [&](std::size_t offset, bool swap) {
    std::array<std::byte, 4> raw;
    std::memcpy(raw.data(), header.data() + offset, 4);
    if (swap)
      std::reverse(raw.begin(), raw.end());
    return std::bit_cast<std::int32_t>(raw);
  };
  bool swap = false;
  if (read_int32(0, false) != 348) {
    if (read_int32(0, true) != 348)
      return std::nullopt;
    swap = true;
  }
  const auto field = [&](std::size_t offset, auto kind) {
    using T = decltype(kind);
    std::array<std::byte, sizeof(T)> raw;
    std::memcpy(raw.data(), header.data() + offset, sizeof(T));
    if (swap)
      std::reverse(raw.begin(), raw.end());
    return std::bit_cast<T>(raw);
  };
  const int qform_code = field(252, std::int16_t{});
  const int sform_code = field(254, std::int16_t{});
  mat3 ras{};
  if (qform_code > 0) {
    double b = field(256, float{}), c = field(260, float{}), d = field(264, float{});
    double a = 1.0 - (b * b + c * c + d * d);
    if (a < 1e-7) {  // niftilib: a 180-degree rotation, (b, c, d) renormalised
      const double norm = std::sqrt(b * b + c * c + d * d);
      b /= norm;
      c /= norm;
      d /= norm;
      a = 0.0;
    } else {
      a = std::sqrt(a);
    }
    const double qfac = field(76, float{}) < 0.0f ? -1.0 : 1.0;
    ras = {{{a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c) * qfac},
            {2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b) * qfac},
            {2 * (b * d - a * c), 2 * (c * d + a * b), (a * a + d * d - c * c - b * b) * qfac}}};
  } else if (sform_code > 0) {
    for (std::size_t row = 0; row < 3; ++row)
      for (std::size_t col = 0; col < 3; ++col)
        ras[row][col] = field(280 + 16 * row + 4 * col, float{});
    for (std::size_t col = 0; col < 3; ++col) {
      const double norm = std::sqrt(ras[0][col] * ras[0][col] + ras[1][col] * ras[1][col] +
                                    ras[2][col] * ras[2][col]);
      if (!(norm > 0.0) || !std::isfinite(norm))
        return std::nullopt;
      for (std::size_t row = 0; row < 3; ++row)
        ras[row][col] /= norm;
    }
  } else {
    return std::nullopt;
  }
  mat3 lps = ras;
  for (std::size_t col = 0; col < 3; ++col) {
    lps[0][col] = -ras[0][col];
    lps[1][col] = -ras[1][col];
  }
  return lps;
}

}  // namespace detail

/// The direction cosines (LPS, column c = array axis c) that a NIfTI-1 file's header gives for
/// all three axes: its qform when qform_code > 0, else its sform (columns normalised) when
/// sform_code > 0; nothing for a file without either, or that is not NIfTI (.nii, .nii.gz, .hdr).
/// For 3D files ITK's own reading (read_image) already gives this; use it for 2D files.
/// \throws io_error when the file cannot be read
///   if (auto d = discgeom::read_nifti_direction("slice.nii.gz")) img.geometry.direction = *d;
[[nodiscard]] inline std::optional<mat3> read_nifti_direction(const std::filesystem::path& path) {
  const image_file_format format = image_format_of(path, "read_nifti_direction");
  if (format != image_file_format::nifti && format != image_file_format::nifti_compressed &&
      format != image_file_format::nifti_pair)
    return std::nullopt;
  detail::file_bytes bytes(path, "read_nifti_direction");
  detail::range_stream stream(bytes, 0);
  if (format == image_file_format::nifti_compressed) {
    detail::inflate_stream inflated(stream, detail::compressed_format::gzip, path.string(),
                                    "read_nifti_direction");
    return detail::nifti_header_direction(detail::read_up_to(inflated, 348));
  }
  return detail::nifti_header_direction(detail::read_up_to(stream, 348));
}

}  // namespace discgeom
