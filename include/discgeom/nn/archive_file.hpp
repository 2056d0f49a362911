// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Writing and reading LibTorch archives (models, checkpoints; TorchScript files alike, zip
/// archives in PyTorch's layout). Writing: neither a crash nor a full disk leaves a truncated
/// file under the real name or ends the program. Reading: the file is read once into memory and
/// checked before LibTorch sees it (LibTorch itself checks no CRC, so a flipped byte in a weight
/// would load as a different model): the zip structure (end record, zip64 records, central
/// directory, each local header and its data within the file, no name twice, stored or deflated
/// entries only) and every entry's CRC-32 against the central directory; then LibTorch loads
/// those same bytes. After loading, check_loaded_tensors compares a module's parameters and
/// buffers with the shapes and dtypes the architecture expects (LibTorch replaces a tensor by
/// whatever the archive holds, of any shape). Part of `discgeom::torch`.

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <c10/util/Exception.h>
#include <caffe2/serialize/in_memory_adapter.h>
#include <caffe2/serialize/inline_container.h>
#include <torch/serialize.h>
#include <torch/torch.h>

#include "discgeom/detail/atomic_file.hpp"
#include "discgeom/error.hpp"

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

/// The message of an exception LibTorch threw, as one line: c10::Error's what() appends a C++
/// backtrace, what_without_backtrace() does not; of that, the first line, at most 300 characters.
[[nodiscard]] inline std::string torch_error_message(const std::exception& e) {
  const auto* torch_error = dynamic_cast<const c10::Error*>(&e);
  const std::string message = torch_error ? torch_error->what_without_backtrace() : e.what();
  const std::string line = message.substr(0, message.find('\n'));
  return line.size() > 300 ? line.substr(0, 300) + "..." : line;
}

// ---------------------------------------------------------------------------------------------
// CRC-32 and the zip structure

/// CRC-32 tables (the ISO-HDLC CRC of zip, gzip and PNG: reflected polynomial 0xEDB88320), for
/// slicing by eight bytes.
inline constexpr auto crc32_tables = [] {
  std::array<std::array<std::uint32_t, 256>, 8> tables{};
  for (std::uint32_t n = 0; n < 256; ++n) {
    std::uint32_t c = n;
    for (int k = 0; k < 8; ++k)
      c = (c & 1U) != 0 ? 0xEDB88320U ^ (c >> 1) : c >> 1;
    tables[0][n] = c;
  }
  for (std::size_t t = 1; t < 8; ++t)
    for (std::size_t n = 0; n < 256; ++n)
      tables[t][n] = (tables[t - 1][n] >> 8) ^ tables[0][tables[t - 1][n] & 0xFFU];
  return tables;
}();

/// The CRC-32 of `bytes` continuing from `crc` (0 to start): the value of zlib's
/// crc32(crc, bytes, size), which zip archives record for each entry.
[[nodiscard]] inline std::uint32_t crc32(std::span<const std::byte> bytes,
                                         std::uint32_t crc = 0) noexcept {
  const auto& t = crc32_tables;
  crc = ~crc;
  std::size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    const auto b = [&](std::size_t k) { return std::to_integer<std::uint32_t>(bytes[i + k]); };
    const std::uint32_t low = crc ^ (b(0) | b(1) << 8 | b(2) << 16 | b(3) << 24);
    crc = t[7][low & 0xFFU] ^ t[6][(low >> 8) & 0xFFU] ^ t[5][(low >> 16) & 0xFFU] ^
          t[4][low >> 24] ^ t[3][b(4)] ^ t[2][b(5)] ^ t[1][b(6)] ^ t[0][b(7)];
  }
  for (; i < bytes.size(); ++i)
    crc = t[0][(crc ^ std::to_integer<std::uint32_t>(bytes[i])) & 0xFFU] ^ (crc >> 8);
  return ~crc;
}

/// One entry of a zip archive's central directory, located in the file.
struct zip_entry {
  std::string name;
  std::uint16_t method = 0;  ///< 0 stored, 8 deflated
  std::uint32_t crc = 0;     ///< the CRC-32 of the uncompressed data, as recorded
  std::uint64_t compressed_size = 0;
  std::uint64_t size = 0;         ///< uncompressed
  std::uint64_t data_offset = 0;  ///< where the (compressed) data start in the file
};

/// Reads little-endian fields of a byte range, refusing to read past its end.
class zip_cursor {
 public:
  zip_cursor(std::span<const std::byte> bytes, const std::string& file, const char* function,
             std::string_view kind)
      : bytes_(bytes), file_(file), function_(function), kind_(kind) {}

  [[noreturn]] void not_an_archive(const std::string& why) const {
    throw_error<io_error>(function_, file_, ": not a ", kind_,
                          " (truncated or another format): ", why);
  }
  [[noreturn]] void damaged(const std::string& why) const {
    throw_error<io_error>(function_, file_, ": damaged archive: ", why);
  }
  [[nodiscard]] std::uint64_t read(std::uint64_t at, int width, const char* what) const {
    if (at > bytes_.size() || static_cast<std::uint64_t>(width) > bytes_.size() - at)
      damaged(std::string(what) + " lies past the end of the file");
    std::uint64_t value = 0;
    for (int b = 0; b < width; ++b)
      value |= std::to_integer<std::uint64_t>(
                   bytes_[static_cast<std::size_t>(at) + static_cast<std::size_t>(b)])
               << (8 * b);
    return value;
  }
  [[nodiscard]] std::string_view text(std::uint64_t at, std::uint64_t length,
                                      const char* what) const {
    if (at > bytes_.size() || length > bytes_.size() - at)
      damaged(std::string(what) + " lies past the end of the file");
    return {reinterpret_cast<const char*>(bytes_.data()) + at, static_cast<std::size_t>(length)};
  }
  [[nodiscard]] std::size_t size() const noexcept { return bytes_.size(); }

 private:
  std::span<const std::byte> bytes_;
  const std::string& file_;
  const char* function_;
  std::string_view kind_;
};

/// An entry name for a message: at most 120 characters, non-printable bytes as '?'.
[[nodiscard]] inline std::string zip_name_excerpt(std::string_view name) {
  std::string result;
  for (const char c : name.substr(0, 120))
    result += c >= ' ' && c <= '~' ? c : '?';
  return "'" + result + (name.size() > 120 ? "...'" : "'");
}

/// The entries of the zip archive `bytes` (the whole file), each checked to lie within the file
/// with a local header that agrees with the central directory.
/// \throws io_error "<function>(): <file>: not a <kind> (truncated or another format): ..." when
///         there is no end-of-central-directory record, "...: damaged archive: ..." for any
///         inconsistency, naming the entry
[[nodiscard]] inline std::vector<zip_entry> zip_entries(std::span<const std::byte> bytes,
                                                        const std::string& file,
                                                        const char* function,
                                                        std::string_view kind) {
  const zip_cursor in(bytes, file, function, kind);
  constexpr std::uint64_t end_record_size = 22;
  if (bytes.size() < end_record_size)
    in.not_an_archive("shorter than a zip end record");
  // The end record: the last signature 0x06054b50 whose comment ends the file.
  std::uint64_t end = bytes.size() - end_record_size;
  for (;; --end) {
    if (in.read(end, 4, "the end record") == 0x06054b50U &&
        end + end_record_size + in.read(end + 20, 2, "the end record") == bytes.size())
      break;
    if (end == 0 || bytes.size() - end > end_record_size + 0xFFFFU)
      in.not_an_archive("no zip end-of-central-directory record");
  }
  std::uint64_t count = in.read(end + 10, 2, "the end record");
  std::uint64_t directory_size = in.read(end + 12, 4, "the end record");
  std::uint64_t directory = in.read(end + 16, 4, "the end record");
  std::uint64_t directory_end = end;
  if (in.read(end + 4, 2, "the end record") != 0 || in.read(end + 6, 2, "the end record") != 0)
    in.damaged("a multi-volume zip archive");
  // zip64 (PyTorch writes it always): a locator just before the end record.
  if (end >= 20 && in.read(end - 20, 4, "the zip64 locator") == 0x07064b50U) {
    const std::uint64_t record = in.read(end - 12, 8, "the zip64 locator");
    if (record > end - 20 || in.read(record, 4, "the zip64 end record") != 0x06064b50U)
      in.damaged("the zip64 locator points at no zip64 end record");
    count = in.read(record + 32, 8, "the zip64 end record");
    directory_size = in.read(record + 40, 8, "the zip64 end record");
    directory = in.read(record + 48, 8, "the zip64 end record");
    directory_end = record;
  }
  if (directory > directory_end || directory_size != directory_end - directory) {
    in.damaged("the central directory (" + std::to_string(directory_size) + " bytes at " +
               std::to_string(directory) + ") does not end where the end record begins (" +
               std::to_string(directory_end) + ")");
  }
  constexpr std::uint64_t header_size = 46;
  if (count > directory_size / header_size) {
    in.damaged(std::to_string(count) + " entries cannot fit in a central directory of " +
               std::to_string(directory_size) + " bytes");
  }
  std::vector<zip_entry> entries;
  entries.reserve(static_cast<std::size_t>(count));
  std::set<std::string_view> names;
  std::uint64_t at = directory;
  for (std::uint64_t e = 0; e < count; ++e) {
    if (in.read(at, 4, "a central directory header") != 0x02014b50U)
      in.damaged("central directory header " + std::to_string(e + 1) + " has no signature");
    zip_entry entry;
    const auto flags = in.read(at + 8, 2, "a central directory header");
    entry.method = static_cast<std::uint16_t>(in.read(at + 10, 2, "a central directory header"));
    entry.crc = static_cast<std::uint32_t>(in.read(at + 16, 4, "a central directory header"));
    entry.compressed_size = in.read(at + 20, 4, "a central directory header");
    entry.size = in.read(at + 24, 4, "a central directory header");
    const auto name_length = in.read(at + 28, 2, "a central directory header");
    const auto extra_length = in.read(at + 30, 2, "a central directory header");
    const auto comment_length = in.read(at + 32, 2, "a central directory header");
    std::uint64_t local = in.read(at + 42, 4, "a central directory header");
    const std::string_view name = in.text(at + header_size, name_length, "an entry name");
    entry.name = std::string(name);
    const std::string label = "entry " + zip_name_excerpt(name);
    // The zip64 extended information: 8-byte values for the fields that hold 0xFFFFFFFF.
    std::uint64_t extra = at + header_size + name_length;
    const std::uint64_t extra_end = extra + extra_length;
    for (; extra + 4 <= extra_end;) {
      const auto id = in.read(extra, 2, "an extra field");
      const auto length = in.read(extra + 2, 2, "an extra field");
      if (extra + 4 + length > extra_end)
        in.damaged(label + ": an extra field runs past its header");
      if (id == 0x0001U) {
        std::uint64_t field = extra + 4;
        for (std::uint64_t* value : {&entry.size, &entry.compressed_size, &local}) {
          if (*value != 0xFFFFFFFFU)
            continue;
          if (field + 8 > extra + 4 + length)
            in.damaged(label + ": its zip64 extra field is too short");
          *value = in.read(field, 8, "a zip64 extra field");
          field += 8;
        }
      }
      extra += 4 + length;
    }
    at = extra_end + comment_length;
    if (at > directory_end)
      in.damaged(label + ": its central directory header runs past the directory");
    if ((flags & 1U) != 0)
      in.damaged(label + " is encrypted");
    if (entry.method != 0 && entry.method != 8) {
      in.damaged(label + " uses compression method " + std::to_string(entry.method) +
                 " (LibTorch archives store or deflate)");
    }
    if (entry.method == 0 && entry.compressed_size != entry.size) {
      in.damaged(label + " is stored with " + std::to_string(entry.compressed_size) +
                 " bytes for " + std::to_string(entry.size));
    }
    if (!names.insert(name).second)
      in.damaged(label + " appears twice");
    // The local header: same name, data before the central directory.
    if (local > directory || in.read(local, 4, "a local header") != 0x04034b50U)
      in.damaged(label + ": no local header at byte " + std::to_string(local));
    const auto local_name_length = in.read(local + 26, 2, "a local header");
    const auto local_extra_length = in.read(local + 28, 2, "a local header");
    if (in.text(local + 30, local_name_length, "a local name") != name)
      in.damaged(label + ": its local header names another entry");
    entry.data_offset = local + 30 + local_name_length + local_extra_length;
    if (entry.data_offset > directory || entry.compressed_size > directory - entry.data_offset) {
      in.damaged(label + ": its " + std::to_string(entry.compressed_size) +
                 " bytes of data run past the central directory");
    }
    entries.push_back(std::move(entry));
  }
  if (at != directory_end)
    in.damaged("the central directory holds bytes after its last entry");
  return entries;
}

/// Checks the CRC-32 of every entry of the zip archive `bytes` against the central directory.
/// Stored entries (tensor data) are checked in place; deflated ones (TorchScript code) are
/// inflated by LibTorch's own archive reader.
/// \throws io_error naming the file and the entry (see zip_entries)
inline void check_archive_bytes(std::span<const std::byte> bytes, const std::string& file,
                                const char* function, std::string_view kind) {
  const auto entries = zip_entries(bytes, file, function, kind);
  const zip_cursor in(bytes, file, function, kind);
  if (entries.empty())
    in.not_an_archive("an empty zip archive");
  const std::string folder = entries.front().name.substr(0, entries.front().name.find('/') + 1);
  std::unique_ptr<caffe2::serialize::PyTorchStreamReader> reader;
  for (const auto& entry : entries) {
    const std::string label = "entry " + zip_name_excerpt(entry.name);
    std::uint32_t crc = 0;
    if (entry.method == 0) {
      crc = crc32(bytes.subspan(static_cast<std::size_t>(entry.data_offset),
                                static_cast<std::size_t>(entry.size)));
    } else {
      if (folder.empty() || entry.name.compare(0, folder.size(), folder) != 0)
        in.damaged(label + " lies outside the archive's folder '" + folder + "'");
      try {
        if (!reader) {
          reader = std::make_unique<caffe2::serialize::PyTorchStreamReader>(
              std::make_shared<caffe2::serialize::MemoryReadAdapter>(
                  bytes.data(), static_cast<off_t>(bytes.size())));
        }
        const auto [data, size] = reader->getRecord(entry.name.substr(folder.size()));
        if (size != entry.size) {
          in.damaged(label + " inflates to " + std::to_string(size) + " bytes, not " +
                     std::to_string(entry.size));
        }
        crc = crc32({static_cast<const std::byte*>(data.get()), size});
      } catch (const io_error&) {
        throw;
      } catch (const std::exception& e) {
        in.damaged(label + " cannot be inflated: " + torch_error_message(e));
      }
    }
    if (crc != entry.crc) {
      char text[64];
      std::snprintf(text, sizeof text, "CRC-32 %08x, the central directory records %08x",
                    static_cast<unsigned>(crc), static_cast<unsigned>(entry.crc));
      in.damaged(label + " has " + text);
    }
  }
}

/// The bytes of the LibTorch archive `file`, read whole and checked by check_archive_bytes, for
/// LibTorch to load from memory (the bytes checked are the bytes loaded). `kind` says what the
/// file should be ("discgeom autoencoder") in the message for a file that is no zip archive.
/// \throws io_error naming the file: missing or unreadable, no zip archive, or damaged (the
///         entry named)
[[nodiscard]] inline std::string read_checked_archive(const std::filesystem::path& file,
                                                      const char* function, std::string_view kind) {
  std::ifstream in(file, std::ios::binary);
  std::error_code failure;
  const auto size = std::filesystem::file_size(file, failure);
  if (!in || failure)
    throw_error<io_error>(function, file.string(), ": cannot be opened");
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!in || static_cast<std::size_t>(in.gcount()) != bytes.size())
    throw_error<io_error>(function, file.string(), ": read failed");
  check_archive_bytes(std::as_bytes(std::span<const char>(bytes)), file.string(), function, kind);
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// After loading: the tensors the architecture expects

/// A parameter's or buffer's name, shape and dtype.
struct tensor_signature {
  std::string name;
  std::vector<std::int64_t> sizes;
  c10::ScalarType dtype;
};

/// The parameters and buffers of `module` (recursively), as an untrained module of the expected
/// architecture has them.
[[nodiscard]] inline std::vector<tensor_signature> tensor_signatures(
    const torch::nn::Module& module) {
  std::vector<tensor_signature> result;
  for (const auto& p : module.named_parameters(/*recurse=*/true))
    result.push_back({p.key(), p.value().sizes().vec(), p.value().scalar_type()});
  for (const auto& b : module.named_buffers(/*recurse=*/true))
    result.push_back({b.key(), b.value().sizes().vec(), b.value().scalar_type()});
  return result;
}

/// Checks that the module's parameters and buffers, after loading, still have the names, shapes
/// and dtypes of `expected` (tensor_signatures before loading), and that floating-point ones
/// hold only finite values. `prefix` is the key the weights were read from, for messages.
/// \throws io_error naming the file and the tensor with both shapes (or dtypes)
inline void check_loaded_tensors(const std::vector<tensor_signature>& expected,
                                 const torch::nn::Module& module, const std::string& file,
                                 const char* function, const std::string& prefix) {
  const auto found = tensor_signatures(module);
  if (found.size() != expected.size()) {
    throw_error<io_error>(function, file, ": ", prefix, " holds ", found.size(),
                          " parameters and buffers, the architecture has ", expected.size());
  }
  std::vector<torch::Tensor> tensors;
  for (const auto& p : module.named_parameters(/*recurse=*/true))
    tensors.push_back(p.value());
  for (const auto& b : module.named_buffers(/*recurse=*/true))
    tensors.push_back(b.value());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& want = expected[i];
    const auto& got = found[i];
    if (got.name != want.name || got.sizes != want.sizes || got.dtype != want.dtype) {
      throw_error<io_error>(function, file, ": ", prefix, "/", want.name, " is ", got.sizes, " ",
                            c10::toString(got.dtype), ", the architecture has ", want.sizes, " ",
                            c10::toString(want.dtype));
    }
    if (c10::isFloatingType(got.dtype) && !torch::isfinite(tensors[i]).all().item<bool>())
      throw_error<io_error>(function, file, ": ", prefix, "/", want.name,
                            " holds non-finite values (NaN or infinity)");
  }
}

/// A metadata tensor read back from an archive, checked to be a scalar or 1D with `count`
/// finite values (count 0: at least one), returned as doubles.
/// \throws io_error naming the file and the key with what it holds
[[nodiscard]] inline std::vector<double> metadata_values(const torch::Tensor& tensor,
                                                         std::int64_t count,
                                                         const std::string& file,
                                                         const char* function, const char* key) {
  if (!tensor.defined() || tensor.dim() > 1 || (count > 0 && tensor.numel() != count) ||
      tensor.numel() == 0 ||
      !(c10::isFloatingType(tensor.scalar_type()) ||
        c10::isIntegralType(tensor.scalar_type(), /*includeBool=*/false))) {
    throw_error<io_error>(function, file, ": '", key, "' is ",
                          tensor.defined() ? tensor.sizes().vec() : std::vector<std::int64_t>{},
                          tensor.defined() ? std::string(" ") + c10::toString(tensor.scalar_type())
                                           : std::string(" undefined"),
                          ", not ", count > 0 ? std::to_string(count) : std::string("some"),
                          " numbers");
  }
  const auto values = tensor.reshape({-1}).to(torch::kCPU, torch::kDouble).contiguous();
  std::vector<double> result(values.data_ptr<double>(), values.data_ptr<double>() + values.numel());
  for (const double v : result)
    if (!std::isfinite(v))
      throw_error<io_error>(function, file, ": '", key, "' holds ", result, ", not all finite");
  return result;
}

}  // namespace discgeom::detail
