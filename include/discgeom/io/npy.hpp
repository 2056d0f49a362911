// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// NumPy's .npy files (format 1.0 to 3.0) for 3D arrays: the disc crops the autoencoder trains
/// on, readable by `numpy.load`. The standard library alone (part of `discgeom::core`).
///
/// Array element [i][j][k] is voxel (i, j, k): the file's axes are the volume's axes, stored in C
/// order (the last index fastest). Writing goes through a temporary name and a rename, so a crash
/// never leaves a truncated file under the real name. Reading checks the header (numpy's
/// dictionary, its size bound, a shape whose byte count fits in size_t) and that the data are
/// exactly as long as the shape needs before it allocates; read_npy_bytes and
/// read_npy_header_bytes read from memory (for fuzzing, or bytes from elsewhere).

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "discgeom/as_volume.hpp"
#include "discgeom/detail/atomic_file.hpp"
#include "discgeom/error.hpp"
#include "discgeom/image.hpp"
#include "discgeom/io/detail/text_header.hpp"

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
  std::size_t data_offset = 0;  ///< bytes before the data: magic, version, length, dictionary
};

namespace detail {

/// The longest header dictionary read: numpy.load's default bound (its max_header_size), far
/// above the ~120 bytes of a 3D array's header.
inline constexpr std::size_t npy_max_header_bytes = 10000;
/// Magic (6), version (2) and the header length (2 in version 1, 4 in versions 2 and 3).
inline constexpr std::size_t npy_max_preamble_bytes = 12;

/// Parses NumPy's header dictionary, a Python literal such as
/// "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4, 5), }" followed by spaces and a
/// line feed: exactly the keys descr (a string), fortran_order (True or False) and shape (a tuple
/// of three whole numbers), as numpy.load requires. `name` is the file's for messages.
class npy_dictionary_parser {
 public:
  npy_dictionary_parser(std::string_view text, const std::string& name)
      : text_(text), name_(name) {}

  void parse_into(npy_header& header) {
    skip_spaces();
    expect('{', "the header dictionary does not start with '{'");
    bool descr = false, fortran = false, shape = false;
    for (;;) {
      skip_spaces();
      if (accept('}'))
        break;
      const std::string key = quoted("a key");
      skip_spaces();
      expect(':', "no ':' after key '" + text_excerpt(key, 40) + "'");
      skip_spaces();
      if (key == "descr" && !descr) {
        header.dtype = quoted("the descr value (a dtype string)");
        descr = true;
      } else if (key == "fortran_order" && !fortran) {
        header.fortran_order = boolean();
        fortran = true;
      } else if (key == "shape" && !shape) {
        header.shape = three_lengths();
        shape = true;
      } else {
        fail("key '" + text_excerpt(key, 40) + "' is " +
             (key == "descr" || key == "fortran_order" || key == "shape"
                  ? std::string("given twice")
                  : std::string("not one of descr, fortran_order, shape")));
      }
      skip_spaces();
      if (accept(','))
        continue;
      expect('}', "no ',' or '}' after the value of '" + key + "'");
      break;
    }
    for (; at_ < text_.size(); ++at_)
      if (text_[at_] != ' ' && text_[at_] != '\n' && text_[at_] != '\r' && text_[at_] != '\t')
        fail("text after the header dictionary");
    if (!descr || !fortran || !shape)
      fail(std::string("the header dictionary lacks '") +
           (!descr     ? "descr"
            : !fortran ? "fortran_order"
                       : "shape") +
           "'");
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw_error<io_error>("read_npy", name_, ": not a .npy header: ", what, " (at byte ", at_,
                          " of '", text_excerpt(text_, 40), "')");
  }
  void skip_spaces() {
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t'))
      ++at_;
  }
  bool accept(char c) {
    if (at_ < text_.size() && text_[at_] == c) {
      ++at_;
      return true;
    }
    return false;
  }
  void expect(char c, const std::string& what) {
    if (!accept(c))
      fail(what);
  }
  std::string quoted(const char* what) {
    if (at_ >= text_.size() || (text_[at_] != '\'' && text_[at_] != '"'))
      fail(std::string("no quoted string for ") + what);
    const char quote = text_[at_++];
    const auto end = text_.find(quote, at_);
    if (end == std::string_view::npos)
      fail(std::string("an unclosed string for ") + what);
    std::string value(text_.substr(at_, end - at_));
    at_ = end + 1;
    return value;
  }
  bool boolean() {
    for (const auto& [word, value] :
         {std::pair{std::string_view("True"), true}, std::pair{std::string_view("False"), false}}) {
      if (text_.substr(at_, word.size()) == word) {
        at_ += word.size();
        return value;
      }
    }
    fail("fortran_order is neither True nor False");
  }
  std::array<std::size_t, 3> three_lengths() {
    expect('(', "the shape is not a tuple");
    std::vector<std::size_t> lengths;
    for (;;) {
      skip_spaces();
      if (accept(')'))
        break;
      const std::size_t start = at_;
      while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9')
        ++at_;
      if (at_ == start)
        fail("the shape holds something other than whole numbers");
      std::size_t length = 0;
      const auto [end, code] = std::from_chars(text_.data() + start, text_.data() + at_, length);
      if (code != std::errc{} || end != text_.data() + at_)
        fail("axis " + std::to_string(lengths.size()) + " has length " +
             std::string(text_.substr(start, at_ - start)) + ", more than this machine can index");
      lengths.push_back(length);
      if (lengths.size() > 64)  // numpy's most axes
        break;
      skip_spaces();
      if (!accept(',')) {
        skip_spaces();
        expect(')', "the shape tuple is not closed");
        break;
      }
    }
    if (lengths.size() != 3) {
      throw_error<io_error>("read_npy", name_, ": shape (", text_excerpt(shape_text(lengths), 40),
                            ") is not three-dimensional");
    }
    return {lengths[0], lengths[1], lengths[2]};
  }
  static std::string shape_text(const std::vector<std::size_t>& lengths) {
    std::string text;
    for (std::size_t i = 0; i < lengths.size(); ++i)
      text += (i == 0 ? "" : ", ") + std::to_string(lengths[i]);
    return lengths.size() > 64 ? text + ", ..." : text;
  }

  std::string_view text_;
  const std::string& name_;
  std::size_t at_ = 0;
};

/// The bytes of data a shape of `element_size`-byte elements needs, or nothing when that
/// exceeds what size_t holds (a product that would wrap, such as (2^32, 2^32, 16), describes no
/// array this machine can hold).
[[nodiscard]] inline std::optional<std::size_t> npy_data_bytes(
    const std::array<std::size_t, 3>& shape, std::size_t element_size) {
  std::size_t bytes = element_size;
  for (const std::size_t n : shape) {
    if (n != 0 && bytes > std::numeric_limits<std::size_t>::max() / n)
      return std::nullopt;
    bytes *= n;
  }
  return bytes;
}

/// Checks that T is the file's dtype and that the data after the header are exactly as long as
/// the shape needs (`available` bytes follow the header).
template <class T>
void check_npy_data(const npy_header& header, std::size_t available, const std::string& name) {
  if (header.dtype != npy_dtype<T>()) {
    throw_error<io_error>("read_npy", name, ": holds dtype '", text_excerpt(header.dtype, 40),
                          "', expected '", npy_dtype<T>(), "'");
  }
  const auto& s = header.shape;
  const auto bytes = npy_data_bytes(s, sizeof(T));
  if (!bytes) {
    throw_error<io_error>("read_npy", name, ": shape (", s[0], ", ", s[1], ", ", s[2],
                          ") of dtype '", header.dtype,
                          "' holds more bytes than this machine can address");
  }
  const std::size_t needed = *bytes;
  if (available < needed) {
    throw_error<io_error>("read_npy", name, ": truncated: shape (", s[0], ", ", s[1], ", ", s[2],
                          ") needs ", needed, " bytes of data, the file holds ", available);
  }
  if (available > needed) {
    throw_error<io_error>("read_npy", name, ": ", available - needed,
                          " bytes follow the data that shape (", s[0], ", ", s[1], ", ", s[2],
                          ") needs (", needed, " bytes): not one array");
  }
}

}  // namespace detail

/// Reads the header of a 3D .npy file held in memory (the first bytes of the file suffice: the
/// data need not follow). `name` names the bytes in messages (the file they came from). For
/// reading untrusted bytes: every malformed input throws io_error, none reads out of bounds.
/// \throws io_error naming `name` when the bytes are not a .npy header (magic, version 1-3,
///         a header length over 10000 bytes or past the end, a dictionary other than numpy's),
///         or the shape is not three whole numbers
[[nodiscard]] inline npy_header read_npy_header_bytes(std::span<const std::byte> bytes,
                                                      const std::string& name) {
  const auto byte = [&](std::size_t i) { return std::to_integer<unsigned>(bytes[i]); };
  constexpr unsigned char magic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  bool is_npy = bytes.size() >= 10;
  for (std::size_t i = 0; is_npy && i < 6; ++i)
    is_npy = byte(i) == magic[i];
  if (!is_npy)
    detail::throw_error<io_error>("read_npy", name, ": not a .npy file");
  const unsigned version = byte(6);
  if (version < 1 || version > 3) {
    detail::throw_error<io_error>("read_npy", name, ": .npy format version ", version, ".", byte(7),
                                  " is not 1.0, 2.0 or 3.0");
  }
  const std::size_t length_bytes = version == 1 ? 2 : 4;
  if (bytes.size() < 8 + length_bytes)
    detail::throw_error<io_error>("read_npy", name, ": truncated header");
  std::size_t length = 0;
  for (std::size_t b = 0; b < length_bytes; ++b)
    length |= static_cast<std::size_t>(byte(8 + b)) << (8 * b);
  if (length > detail::npy_max_header_bytes) {
    detail::throw_error<io_error>("read_npy", name, ": header of ", length,
                                  " bytes, more than the ", detail::npy_max_header_bytes,
                                  " that numpy.load accepts");
  }
  npy_header header;
  header.data_offset = 8 + length_bytes + length;
  if (bytes.size() < header.data_offset) {
    detail::throw_error<io_error>("read_npy", name, ": truncated header: ", length,
                                  " bytes announced, ", bytes.size() - 8 - length_bytes,
                                  " present");
  }
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()) + 8 + length_bytes,
                              length);
  detail::npy_dictionary_parser(text, name).parse_into(header);
  return header;
}

/// Reads the header of a 3D .npy file (see read_npy_header_bytes).
/// \throws io_error naming the file when it is missing, not a .npy file, or not 3D
[[nodiscard]] inline npy_header read_npy_header(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    detail::throw_error<io_error>("read_npy", file.string(), ": cannot be opened");
  std::vector<std::byte> bytes(detail::npy_max_preamble_bytes + detail::npy_max_header_bytes);
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return read_npy_header_bytes(bytes, file.string());
}

/// Reads a 3D .npy array of T held in memory (a whole .npy file's bytes) as a
/// discgeom::image<T>, as read_npy does; `name` names the bytes in messages. For reading
/// untrusted bytes: every malformed input throws io_error, none reads out of bounds, and
/// nothing is allocated before the length of the data is checked against the shape.
/// \throws io_error naming `name`: as read_npy_header_bytes, a dtype other than T's, a shape
///         whose size overflows, data shorter or longer than the shape needs
template <class T>
[[nodiscard]] image<T> read_npy_bytes(std::span<const std::byte> bytes, const std::string& name) {
  const npy_header header = read_npy_header_bytes(bytes, name);
  detail::check_npy_data<T>(header, bytes.size() - header.data_offset, name);
  const auto& s = header.shape;
  auto result = image<T>::filled(s, image_geometry{});
  const std::byte* data = bytes.data() + header.data_offset;
  const auto element = [&](std::size_t n) {
    T value;
    std::memcpy(&value, data + n * sizeof(T), sizeof(T));  // the data need not be aligned
    return value;
  };
  std::size_t n = 0;
  if (header.fortran_order) {
    for (std::size_t k = 0; k < s[2]; ++k)
      for (std::size_t j = 0; j < s[1]; ++j)
        for (std::size_t i = 0; i < s[0]; ++i)
          result.voxels(i, j, k) = element(n++);
  } else {
    for (std::size_t i = 0; i < s[0]; ++i)
      for (std::size_t j = 0; j < s[1]; ++j)
        for (std::size_t k = 0; k < s[2]; ++k)
          result.voxels(i, j, k) = element(n++);
  }
  return result;
}

/// Reads a 3D .npy array of T as a discgeom::image<T> (voxel (i, j, k) = element [i][j][k];
/// geometry: unit spacing, the caller sets the real one). The header is checked against the
/// file's size before the data are read.
/// \throws io_error naming the file when it is missing, not a .npy file, not 3D, of another
///         dtype than T, shorter or longer than its shape says, or of a shape whose size
///         overflows
template <class T>
[[nodiscard]] image<T> read_npy(const std::filesystem::path& file) {
  const std::string name = file.string();
  std::ifstream in(file, std::ios::binary);
  std::error_code failure;
  const auto size = std::filesystem::file_size(file, failure);
  if (!in || failure)
    detail::throw_error<io_error>("read_npy", name, ": cannot be opened");
  std::vector<std::byte> bytes(static_cast<std::size_t>(std::min<std::uintmax_t>(
      size, detail::npy_max_preamble_bytes + detail::npy_max_header_bytes)));
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!in)
    detail::throw_error<io_error>("read_npy", name, ": read failed");
  const npy_header header = read_npy_header_bytes(bytes, name);
  detail::check_npy_data<T>(header, static_cast<std::size_t>(size) - header.data_offset, name);
  const std::size_t head = bytes.size();
  bytes.resize(static_cast<std::size_t>(size));
  in.read(reinterpret_cast<char*>(bytes.data() + head),
          static_cast<std::streamsize>(bytes.size() - head));
  if (!in || static_cast<std::size_t>(in.gcount()) != bytes.size() - head)
    detail::throw_error<io_error>("read_npy", name, ": read failed (the file shrank?)");
  return read_npy_bytes<T>(bytes, name);
}

}  // namespace discgeom
