// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Byte sources for checking image files before a library reads them: a file or memory read at
/// any offset, a sequential stream over either, and a stream that inflates gzip or zlib data and
/// checks it to its end (the deflate blocks, the CRC-32 or Adler-32 and the stored length).
/// The standard library and zlib only.

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "discgeom/error.hpp"

namespace discgeom::detail {

/// Bytes that can be read at any offset: a file, or memory.
class random_access_bytes {
 public:
  virtual ~random_access_bytes() = default;
  [[nodiscard]] virtual std::uint64_t size() const = 0;
  /// Reads up to `out.size()` bytes at `offset`; returns how many were read (fewer only at the
  /// end). \throws io_error with the system's reason when the read fails.
  virtual std::size_t read_at(std::uint64_t offset, std::span<std::byte> out) = 0;
  /// The name for messages: the file's path, or the name given to memory.
  [[nodiscard]] virtual const std::string& name() const = 0;
};

class memory_bytes final : public random_access_bytes {
 public:
  memory_bytes(std::span<const std::byte> bytes, std::string name)
      : bytes_(bytes), name_(std::move(name)) {}
  [[nodiscard]] std::uint64_t size() const override { return bytes_.size(); }
  std::size_t read_at(std::uint64_t offset, std::span<std::byte> out) override {
    if (offset >= bytes_.size())
      return 0;
    const auto count = std::min<std::uint64_t>(out.size(), bytes_.size() - offset);
    std::memcpy(out.data(), bytes_.data() + offset, count);
    return static_cast<std::size_t>(count);
  }
  [[nodiscard]] const std::string& name() const override { return name_; }

 private:
  std::span<const std::byte> bytes_;
  std::string name_;
};

class file_bytes final : public random_access_bytes {
 public:
  /// \throws io_error naming the file and the system's reason when it cannot be opened
  file_bytes(const std::filesystem::path& path, const char* function) : name_(path.string()) {
    errno = 0;
    file_.reset(std::fopen(path.c_str(), "rb"));
    if (!file_) {
      throw_error<io_error>(function, "cannot read '", name_,
                            "': ", errno != 0 ? std::strerror(errno) : "cannot be opened");
    }
    std::error_code failure;
    size_ = std::filesystem::file_size(path, failure);
    if (failure)
      throw_error<io_error>(function, "cannot read '", name_, "': ", failure.message());
  }
  [[nodiscard]] std::uint64_t size() const override { return size_; }
  std::size_t read_at(std::uint64_t offset, std::span<std::byte> out) override {
    if (offset >= size_)
      return 0;
    if (std::fseek(file_.get(), static_cast<long>(offset), SEEK_SET) != 0)
      throw_error<io_error>("read_image", "cannot read '", name_, "': ", std::strerror(errno));
    errno = 0;
    const std::size_t count = std::fread(out.data(), 1, out.size(), file_.get());
    if (count < out.size() && std::ferror(file_.get())) {
      throw_error<io_error>("read_image", "cannot read '", name_,
                            "': ", errno != 0 ? std::strerror(errno) : "read error");
    }
    return count;
  }
  [[nodiscard]] const std::string& name() const override { return name_; }

 private:
  struct closer {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, closer> file_;
  std::uint64_t size_ = 0;
  std::string name_;
};

/// Bytes read in order; `read` returns fewer than asked only at the end.
class byte_stream {
 public:
  virtual ~byte_stream() = default;
  virtual std::size_t read(std::span<std::byte> out) = 0;

  /// Skips up to `count` bytes; returns how many there were.
  virtual std::uint64_t skip(std::uint64_t count) {
    std::array<std::byte, 1 << 16> buffer;
    std::uint64_t skipped = 0;
    while (skipped < count) {
      const auto want =
          static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), count - skipped));
      const std::size_t got = read(std::span(buffer).first(want));
      skipped += got;
      if (got < want)
        break;
    }
    return skipped;
  }
  /// Reads to the end; returns how many bytes there were.
  std::uint64_t drain() { return skip(~std::uint64_t{0}); }
};

/// A stream over random-access bytes from `offset` up to `end` (by default, their end).
class range_stream final : public byte_stream {
 public:
  range_stream(random_access_bytes& bytes, std::uint64_t offset,
               std::uint64_t end = ~std::uint64_t{0})
      : bytes_(bytes), at_(offset), end_(end) {}
  std::size_t read(std::span<std::byte> out) override {
    if (at_ >= end_)
      return 0;
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), end_ - at_));
    const std::size_t got = bytes_.read_at(at_, out.first(want));
    at_ += got;
    return got;
  }
  /// By arithmetic: the bytes are not read.
  std::uint64_t skip(std::uint64_t count) override {
    const std::uint64_t end = std::min(end_, bytes_.size());
    const std::uint64_t skipped = at_ >= end ? 0 : std::min(count, end - at_);
    at_ += skipped;
    return skipped;
  }
  [[nodiscard]] std::uint64_t position() const { return at_; }

 private:
  random_access_bytes& bytes_;
  std::uint64_t at_, end_;
};

/// Which wrapper the compressed data carry.
enum class compressed_format {
  gzip,  ///< RFC 1952, one or more members (CRC-32 and length of each checked), then at most
         ///< zero padding: what zlib's gzread (NIfTI, NRRD) reads whole
  single_zlib_or_gzip  ///< one RFC 1950 (Adler-32 checked) or RFC 1952 stream and nothing after
                       ///< it: all that MetaIO inflates
};

/// Inflates a compressed stream and checks it: every deflate block, each member's check value
/// and stored length, and that nothing but further gzip members follows. Any failure throws
/// io_error "function(): 'name': the compressed data are corrupt (zlib's reason)".
class inflate_stream final : public byte_stream {
 public:
  inflate_stream(byte_stream& compressed, compressed_format format, std::string name,
                 const char* function)
      : compressed_(compressed), format_(format), name_(std::move(name)), function_(function) {
    const int window_bits = format == compressed_format::gzip ? 16 + MAX_WBITS : 32 + MAX_WBITS;
    // window bits 16 + 15: gzip only; 32 + 15: zlib or gzip, told by the header
    if (inflateInit2(&z_, window_bits) != Z_OK)
      throw_error<io_error>(function_, "'", name_, "': zlib could not start inflating");
  }
  ~inflate_stream() override { inflateEnd(&z_); }
  inflate_stream(const inflate_stream&) = delete;
  inflate_stream& operator=(const inflate_stream&) = delete;

  std::size_t read(std::span<std::byte> out) override {
    std::size_t produced = 0;
    while (produced < out.size() && !finished_) {
      if (z_.avail_in == 0)
        refill();
      if (z_.avail_in == 0 && input_ended_) {
        corrupt(ended_in_member_ ? "it ends before its end marker and check value (truncated)"
                                 : "it is empty");
      }
      z_.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
      const std::size_t room = std::min<std::size_t>(out.size() - produced, 1u << 30);
      z_.avail_out = static_cast<uInt>(room);
      const int status = inflate(&z_, Z_NO_FLUSH);
      produced += room - z_.avail_out;
      ended_in_member_ = true;
      if (status == Z_STREAM_END) {
        ended_in_member_ = false;
        next_member_or_end();
      } else if (status == Z_BUF_ERROR && z_.avail_in == 0 && !input_ended_) {
        continue;  // needs more input
      } else if (status != Z_OK && status != Z_BUF_ERROR) {
        corrupt(z_.msg != nullptr ? z_.msg : "inflate failed");
      }
    }
    return produced;
  }

 private:
  void refill() {
    if (input_ended_)
      return;
    const std::size_t got = compressed_.read(input_);
    if (got < input_.size())
      input_ended_ = true;
    z_.next_in = reinterpret_cast<Bytef*>(input_.data());
    z_.avail_in = static_cast<uInt>(got);
  }

  /// After a stream's end: another gzip member, zero padding, or the end of the input.
  void next_member_or_end() {
    if (z_.avail_in == 0)
      refill();
    if (z_.avail_in == 0) {
      finished_ = true;
      return;
    }
    if (format_ == compressed_format::gzip && z_.next_in[0] == 0x1f) {
      inflateReset(&z_);
      return;
    }
    if (format_ == compressed_format::gzip && z_.next_in[0] == 0) {
      for (;;) {  // padding: zeros to the end
        for (uInt i = 0; i < z_.avail_in; ++i)
          if (z_.next_in[i] != 0)
            corrupt("bytes follow the end of the compressed stream");
        z_.avail_in = 0;
        refill();
        if (z_.avail_in == 0) {
          finished_ = true;
          return;
        }
      }
    }
    corrupt("bytes follow the end of the compressed stream");
  }

  [[noreturn]] void corrupt(const char* reason) const {
    throw_error<io_error>(function_, "'", name_, "': the compressed data are corrupt (", reason,
                          ")");
  }

  byte_stream& compressed_;
  compressed_format format_;
  std::string name_;
  const char* function_;
  z_stream z_{};
  std::array<std::byte, 1 << 16> input_{};
  bool input_ended_ = false;
  bool finished_ = false;
  bool ended_in_member_ = false;
};

/// Reads exactly `count` bytes, or fewer at the end of the stream.
inline std::vector<std::byte> read_up_to(byte_stream& stream, std::size_t count) {
  std::vector<std::byte> bytes(count);
  bytes.resize(stream.read(bytes));
  return bytes;
}

}  // namespace discgeom::detail
