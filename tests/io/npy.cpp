// SPDX-License-Identifier: MIT
#include "discgeom/io/npy.hpp"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

namespace {

std::filesystem::path scratch(const std::string& name) {
  return std::filesystem::temp_directory_path() /
         ("discgeom_npy_" + std::to_string(::getpid()) + "_" + name);
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
