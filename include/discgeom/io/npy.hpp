// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// NumPy's .npy files (format 1.0/2.0) for 3D arrays: the disc crops the autoencoder trains on,
/// readable by `numpy.load`. The standard library alone (part of `discgeom::core`).
///
/// Array element [i][j][k] is voxel (i, j, k): the file's axes are the volume's axes, stored in C
/// order (the last index fastest). Writing goes through a temporary name and a rename, so a crash
/// never leaves a truncated file under the real name.

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "discgeom/as_volume.hpp"
#include "discgeom/detail/atomic_file.hpp"
#include "discgeom/error.hpp"
#include "discgeom/image.hpp"

namespace discgeom {

namespace detail {

/// NumPy's dtype string of T ("|u1", "<f4", ...); little-endian machines only.
template <class T>
[[nodiscard]] constexpr const char* npy_dtype() {
  static_assert(std::endian::native == std::endian::little,
                "discgeom's .npy support assumes a little-endian machine");
  if constexpr (std::is_same_v<T, std::uint8_t>)
    return "|u1";
  else if constexpr (std::is_same_v<T, std::int8_t>)
    return "|i1";
  else if constexpr (std::is_same_v<T, std::uint16_t>)
    return "<u2";
  else if constexpr (std::is_same_v<T, std::int16_t>)
    return "<i2";
  else if constexpr (std::is_same_v<T, std::uint32_t>)
    return "<u4";
  else if constexpr (std::is_same_v<T, std::int32_t>)
    return "<i4";
  else if constexpr (std::is_same_v<T, std::int64_t>)
    return "<i8";
  else if constexpr (std::is_same_v<T, float>)
    return "<f4";
  else if constexpr (std::is_same_v<T, double>)
    return "<f8";
  else
    static_assert(sizeof(T) == 0, "no .npy dtype for this voxel type");
}

/// The value of `key` in NumPy's header dictionary text ("'descr': '<f4', ..."), or "".
[[nodiscard]] inline std::string npy_header_value(const std::string& header,
                                                  const std::string& key) {
  const auto at = header.find("'" + key + "'");
  if (at == std::string::npos)
    return {};
  auto start = header.find(':', at);
  if (start == std::string::npos)
    return {};
  ++start;
  while (start < header.size() && header[start] == ' ')
    ++start;
  if (start >= header.size())
    return {};
  const char open = header[start];
  const char close = open == '\'' ? '\'' : open == '(' ? ')' : ',';
  const auto end = header.find(close, start + 1);
  if (end == std::string::npos)
    return {};
  return open == '\'' || open == '(' ? header.substr(start + 1, end - start - 1)
                                     : header.substr(start, end - start);
}

}  // namespace detail

/// Writes a 3D volume (any layout) as a C-order .npy array of shape (n0, n1, n2).
/// \throws io_error naming the file when it cannot be written
template <volume_like Volume>
void write_npy(const std::filesystem::path& file, Volume&& volume) {
  const auto view = as_volume<3>(volume);
  using T = std::remove_cv_t<typename decltype(view)::element_type>;
  std::string header = std::string("{'descr': '") + detail::npy_dtype<T>() +
                       "', 'fortran_order': False, 'shape': (" + std::to_string(view.shape(0)) +
                       ", " + std::to_string(view.shape(1)) + ", " + std::to_string(view.shape(2)) +
                       "), }";
  // Magic (6) + version (2) + length (2) + header + '\n', padded to a multiple of 64.
  const std::size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  std::vector<T> data;
  data.reserve(view.size());
  for (std::size_t i = 0; i < view.shape(0); ++i)
    for (std::size_t j = 0; j < view.shape(1); ++j)
      for (std::size_t k = 0; k < view.shape(2); ++k)
        data.push_back(view(i, j, k));
  detail::write_atomically(file, "write_npy", [&](const std::filesystem::path& temporary) {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    const char magic[8] = {'\x93', 'N', 'U', 'M', 'P', 'Y', 1, 0};
    const auto length = static_cast<std::uint16_t>(header.size());
    out.write(magic, 8);
    out.put(static_cast<char>(length & 0xFF));
    out.put(static_cast<char>(length >> 8));
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    out.write(reinterpret_cast<const char*>(data.data()),
              static_cast<std::streamsize>(data.size() * sizeof(T)));
    out.close();
    if (!out) {
      throw std::runtime_error(detail::stream_failure_reason());
    }
  });
}

/// The shape and dtype of a .npy file, read from its header.
struct npy_header {
  std::array<std::size_t, 3> shape{};
  std::string dtype;  ///< "|u1", "<f4", ...
  bool fortran_order = false;
  std::size_t data_offset = 0;
};

/// Reads the header of a 3D .npy file.
/// \throws io_error naming the file when it is missing, not a .npy file, or not 3D
[[nodiscard]] inline npy_header read_npy_header(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    detail::throw_error<io_error>("read_npy", file.string(), ": cannot be opened");
  char magic[8] = {};
  in.read(magic, 8);
  if (!in || std::memcmp(magic, "\x93NUMPY", 6) != 0 || (magic[6] != 1 && magic[6] != 2)) {
    detail::throw_error<io_error>("read_npy", file.string(), ": not a .npy file");
  }
  std::size_t length = 0;
  const int length_bytes = magic[6] == 1 ? 2 : 4;
  for (int b = 0; b < length_bytes; ++b) {
    const int byte = in.get();
    length |= static_cast<std::size_t>(byte & 0xFF) << (8 * b);
  }
  std::string text(length, '\0');
  in.read(text.data(), static_cast<std::streamsize>(length));
  if (!in)
    detail::throw_error<io_error>("read_npy", file.string(), ": truncated header");
  npy_header header;
  header.dtype = detail::npy_header_value(text, "descr");
  header.fortran_order = detail::npy_header_value(text, "fortran_order") == "True";
  header.data_offset = 8 + static_cast<std::size_t>(length_bytes) + length;
  const std::string shape = detail::npy_header_value(text, "shape");
  std::size_t axis = 0;
  std::size_t start = 0;
  while (start < shape.size()) {
    auto comma = shape.find(',', start);
    if (comma == std::string::npos)
      comma = shape.size();
    const std::string part = shape.substr(start, comma - start);
    if (part.find_first_not_of(' ') != std::string::npos) {
      if (axis >= 3)
        break;
      header.shape[axis++] = std::stoull(part);
    }
    start = comma + 1;
  }
  if (axis != 3 || shape.find_first_not_of("0123456789, ") != std::string::npos ||
      std::count(shape.begin(), shape.end(), ',') > 3) {
    detail::throw_error<io_error>("read_npy", file.string(), ": shape (", shape,
                                  ") is not three-dimensional");
  }
  return header;
}

/// Reads a 3D .npy array of T as a discgeom::image<T> (voxel (i, j, k) = element [i][j][k];
/// geometry: unit spacing, the caller sets the real one).
/// \throws io_error naming the file when it is missing, not a .npy file, not 3D, of another
///         dtype than T, or shorter than its shape says
template <class T>
[[nodiscard]] image<T> read_npy(const std::filesystem::path& file) {
  const npy_header header = read_npy_header(file);
  if (header.dtype != detail::npy_dtype<T>()) {
    detail::throw_error<io_error>("read_npy", file.string(), ": holds dtype '", header.dtype,
                                  "', expected '", detail::npy_dtype<T>(), "'");
  }
  const auto& s = header.shape;
  const std::size_t count = s[0] * s[1] * s[2];
  std::vector<T> data(count);
  std::ifstream in(file, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(header.data_offset));
  in.read(reinterpret_cast<char*>(data.data()), static_cast<std::streamsize>(count * sizeof(T)));
  if (!in || static_cast<std::size_t>(in.gcount()) != count * sizeof(T)) {
    detail::throw_error<io_error>("read_npy", file.string(), ": truncated: shape (", s[0], ", ",
                                  s[1], ", ", s[2], ") needs ", count * sizeof(T),
                                  " bytes of data");
  }
  auto result = image<T>::filled(s, image_geometry{});
  std::size_t n = 0;
  if (header.fortran_order) {
    for (std::size_t k = 0; k < s[2]; ++k)
      for (std::size_t j = 0; j < s[1]; ++j)
        for (std::size_t i = 0; i < s[0]; ++i)
          result.voxels(i, j, k) = data[n++];
  } else {
    for (std::size_t i = 0; i < s[0]; ++i)
      for (std::size_t j = 0; j < s[1]; ++j)
        for (std::size_t k = 0; k < s[2]; ++k)
          result.voxels(i, j, k) = data[n++];
  }
  return result;
}

}  // namespace discgeom
