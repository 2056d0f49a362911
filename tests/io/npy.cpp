// SPDX-License-Identifier: MIT
#include "discgeom/io/npy.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <span>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace {

std::filesystem::path scratch(const std::string& name) {
  return std::filesystem::temp_directory_path() /
         ("discgeom_npy_" + std::to_string(::getpid()) + "_" + name);
}

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void spit(const std::filesystem::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary) << bytes;
}

std::span<const std::byte> as_bytes(const std::string& text) {
  return std::as_bytes(std::span<const char>(text));
}

/// The bytes of a good file with `from` replaced by `to` in its header dictionary, the padding
/// before the header's final '\n' shortened or lengthened so that the header keeps its length.
std::string edit_header(std::string bytes, const std::string& from, const std::string& to) {
  const auto at = bytes.find(from);
  REQUIRE(at != std::string::npos);
  bytes.replace(at, from.size(), to);
  const auto end = bytes.find('\n', at);
  if (to.size() > from.size()) {
    const auto excess = to.size() - from.size();
    REQUIRE(bytes.substr(end - excess, excess) == std::string(excess, ' '));
    bytes.erase(end - excess, excess);
  } else {
    bytes.insert(end, from.size() - to.size(), ' ');
  }
  return bytes;
}

template <class T>
void check_values(const discgeom::image<T>& img) {
  REQUIRE(img.shape() == std::array<std::size_t, 3>{3, 4, 5});
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 4; ++j)
      for (std::size_t k = 0; k < 5; ++k)
        CHECK(img.voxels(i, j, k) == static_cast<T>((100 * i + 10 * j + k) % 256));
}

}  // namespace

TEST_CASE("npy: files written by numpy, C and Fortran order", "[io]") {
  check_values(discgeom::read_npy<std::uint8_t>(DISCGEOM_TEST_DATA_DIR "/npy_c_uint8.npy"));
  const auto f = discgeom::read_npy<float>(DISCGEOM_TEST_DATA_DIR "/npy_c_float32.npy");
  CHECK(f.voxels(2, 3, 4) == 234.0f);
  const auto d = discgeom::read_npy<double>(DISCGEOM_TEST_DATA_DIR "/npy_fortran_float64.npy");
  CHECK(d.voxels(2, 3, 4) == 234.0);
  CHECK(d.voxels(1, 0, 2) == 102.0);
  const auto header = discgeom::read_npy_header(DISCGEOM_TEST_DATA_DIR "/npy_fortran_float64.npy");
  CHECK(header.fortran_order);
  CHECK(header.dtype == "<f8");
}

TEST_CASE("npy: a round trip keeps every voxel and leaves no temporary", "[io]") {
  auto img = discgeom::image<std::uint8_t>::filled({3, 4, 5}, {}, 0);
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 4; ++j)
      for (std::size_t k = 0; k < 5; ++k)
        img.voxels(i, j, k) = static_cast<std::uint8_t>((100 * i + 10 * j + k) % 256);
  const auto file = scratch("round.npy");
  discgeom::write_npy(file, img);
  CHECK_FALSE(std::filesystem::exists(file.string() + ".partial"));
  check_values(discgeom::read_npy<std::uint8_t>(file));
  // The header is padded to a multiple of 64 bytes, as the format asks.
  CHECK(discgeom::read_npy_header(file).data_offset % 64 == 0);
  std::filesystem::remove(file);
}

TEST_CASE("npy: bad files are refused, naming the file", "[io]") {
  REQUIRE_THROWS_WITH(discgeom::read_npy<float>(DISCGEOM_TEST_DATA_DIR "/npy_c_uint8.npy"),
                      Catch::Contains("npy_c_uint8.npy: holds dtype '|u1', expected '<f4'"));
  const auto text = scratch("text.npy");
  std::ofstream(text) << "hello";
  REQUIRE_THROWS_WITH(discgeom::read_npy<std::uint8_t>(text), Catch::Contains("not a .npy file"));
  auto img = discgeom::image<std::uint8_t>::filled({8, 8, 8}, {}, 1);
  const auto cut = scratch("cut.npy");
  discgeom::write_npy(cut, img);
  std::filesystem::resize_file(cut, std::filesystem::file_size(cut) - 10);
  REQUIRE_THROWS_WITH(discgeom::read_npy<std::uint8_t>(cut),
                      Catch::Contains(cut.string()) && Catch::Contains("truncated"));
  REQUIRE_THROWS_WITH(discgeom::read_npy<std::uint8_t>(scratch("absent.npy")),
                      Catch::Contains("cannot be opened"));
  std::filesystem::remove(text);
  std::filesystem::remove(cut);
}

TEST_CASE("npy: a shape whose size wraps to zero, huge axes and other ranks are refused", "[io]") {
  // A good 16^3 crop as `discgeom crop` writes it, its header edited byte for byte.
  const auto good = scratch("good.npy");
  discgeom::write_npy(good, discgeom::image<std::uint8_t>::filled({16, 16, 16}, {}, 1));
  const std::string bytes = slurp(good);
  const auto bad = scratch("bad.npy");
  // 2^32 * 2^32 * 16 = 2^68, which wraps to 0 in 64 bits: once read as an empty array, then
  // indexed out of bounds.
  spit(bad, edit_header(bytes, "(16, 16, 16)", "(4294967296, 4294967296, 16)"));
  REQUIRE_THROWS_AS(discgeom::read_npy<std::uint8_t>(bad), discgeom::io_error);
  REQUIRE_THROWS_WITH(discgeom::read_npy<std::uint8_t>(bad),
                      Catch::Contains("read_npy(): " + bad.string()) &&
                          Catch::Contains("shape (4294967296, 4294967296, 16)") &&
                          Catch::Contains("more bytes than this machine can address"));
  // An axis longer than size_t: named, never a bare "stoull".
  spit(bad, edit_header(bytes, "(16, 16, 16)", "(99999999999999999999999, 1, 1)"));
  REQUIRE_THROWS_WITH(discgeom::read_npy<std::uint8_t>(bad),
                      Catch::Contains(bad.string()) &&
                          Catch::Contains("axis 0 has length 99999999999999999999999"));
  spit(bad, edit_header(bytes, "(16, 16, 16)", "(16, 256)"));
  REQUIRE_THROWS_WITH(discgeom::read_npy<std::uint8_t>(bad),
                      Catch::Contains("shape (16, 256) is not three-dimensional"));
  spit(bad, edit_header(bytes, "(16, 16, 16)", "(16, 16, 16, 1)"));
  REQUIRE_THROWS_WITH(discgeom::read_npy<std::uint8_t>(bad),
                      Catch::Contains("shape (16, 16, 16, 1) is not three-dimensional"));
  spit(bad, edit_header(bytes, "(16, 16, 16)", "(-16, 16, 16)"));
  REQUIRE_THROWS_WITH(discgeom::read_npy<std::uint8_t>(bad),
                      Catch::Contains("the shape holds something other than whole numbers"));
  // A header that is no numpy dictionary: a NUL in it, an unknown key, a missing key.
  std::string nul = bytes;
  nul[20] = '\0';
  spit(bad, nul);
  REQUIRE_THROWS_WITH(discgeom::read_npy<std::uint8_t>(bad),
                      Catch::Contains(bad.string()) && Catch::Contains("not a .npy header"));
  spit(bad, edit_header(bytes, "'fortran_order'", "'fortran_ordre'"));
  REQUIRE_THROWS_WITH(discgeom::read_npy<std::uint8_t>(bad),
                      Catch::Contains("key 'fortran_ordre' is not one of descr"));
  spit(bad, edit_header(bytes, "'shape': (16, 16, 16), ", ""));
  REQUIRE_THROWS_WITH(discgeom::read_npy<std::uint8_t>(bad),
                      Catch::Contains("lacks 'shape'"));
  // A header length past the end of the file, and over numpy's bound.
  std::string longer = bytes;
  longer[8] = '\xff';
  longer[9] = '\x00';
  spit(bad, longer.substr(0, 100));
  REQUIRE_THROWS_WITH(discgeom::read_npy<std::uint8_t>(bad), Catch::Contains("truncated header"));
  longer[6] = 2;  // version 2: a four-byte length
  longer.replace(8, 4, std::string("\x00\x00\x01\x00", 4));
  spit(bad, longer);
  REQUIRE_THROWS_WITH(discgeom::read_npy<std::uint8_t>(bad),
                      Catch::Contains("header of 65536 bytes, more than the 10000"));
  // One byte more than the shape needs.
  spit(bad, bytes + "x");
  REQUIRE_THROWS_WITH(discgeom::read_npy<std::uint8_t>(bad),
                      Catch::Contains(bad.string()) &&
                          Catch::Contains("1 bytes follow the data that shape (16, 16, 16) needs"));
  std::filesystem::remove(good);
  std::filesystem::remove(bad);
}

TEST_CASE("npy: read_npy_bytes reads memory as read_npy reads files, and damage is an io_error",
          "[io]") {
  auto img = discgeom::image<std::uint8_t>::filled({3, 4, 5}, {}, 0);
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 4; ++j)
      for (std::size_t k = 0; k < 5; ++k)
        img.voxels(i, j, k) = static_cast<std::uint8_t>((100 * i + 10 * j + k) % 256);
  const auto file = scratch("memory.npy");
  discgeom::write_npy(file, img);
  const std::string bytes = slurp(file);
  check_values(discgeom::read_npy_bytes<std::uint8_t>(as_bytes(bytes), "memory"));
  CHECK(discgeom::read_npy_header_bytes(as_bytes(bytes), "memory").shape ==
        std::array<std::size_t, 3>{3, 4, 5});
  REQUIRE_THROWS_WITH(discgeom::read_npy_bytes<float>(as_bytes(bytes), "memory"),
                      Catch::Contains("read_npy(): memory: holds dtype '|u1', expected '<f4'"));
  // Random damage to a good file: bytes flipped in the header or the data, or cut short. Each
  // either reads (a flip in the data) or throws io_error; nothing else, and no crash.
  std::mt19937 generator(2024);
  std::size_t refused = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::string damaged = bytes;
    const int flips = 1 + trial % 3;
    for (int f = 0; f < flips; ++f) {
      const auto at = std::uniform_int_distribution<std::size_t>(0, damaged.size() - 1)(generator);
      damaged[at] = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(generator));
    }
    if (trial % 4 == 0)
      damaged.resize(std::uniform_int_distribution<std::size_t>(0, damaged.size())(generator));
    try {
      (void)discgeom::read_npy_bytes<std::uint8_t>(as_bytes(damaged), "damaged");
    } catch (const discgeom::io_error&) {
      ++refused;
    }
  }
  CHECK(refused > 100);
  std::filesystem::remove(file);
}
