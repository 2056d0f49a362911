// SPDX-License-Identifier: MIT
#include "discgeom/io/png.hpp"

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include <itkImageFileReader.h>
#include <catch2/catch.hpp>

TEST_CASE("png: a montage by hand, written and read back") {
  auto a = discgeom::gray_picture::filled(2, 1, 10);
  auto b = discgeom::gray_picture::filled(2, 1, 20);
  b.at(1, 0) = 30;
  auto c = discgeom::gray_picture::filled(2, 1, 40);
  // Two columns, scale 2, gap 1: width 1 + 2 * (4 + 1) = 11, height 1 + 2 * (2 + 1) = 7.
  const auto picture = discgeom::montage({a, b, c}, 2, 2, 1, 0);
  REQUIRE(picture.width == 11);
  REQUIRE(picture.height == 7);
  CHECK(picture.at(0, 0) == 0);   // gap
  CHECK(picture.at(1, 1) == 10);  // tile a
  CHECK(picture.at(4, 2) == 10);
  CHECK(picture.at(6, 1) == 20);  // tile b, first pixel enlarged
  CHECK(picture.at(9, 2) == 30);  // tile b, second pixel
  CHECK(picture.at(1, 4) == 40);  // tile c, second row
  CHECK(picture.at(6, 4) == 0);   // the empty fourth place

  const auto file = std::filesystem::temp_directory_path() /
                    ("discgeom_png_" + std::to_string(::getpid()) + ".png");
  discgeom::write_png(file, picture);
  CHECK_FALSE(std::filesystem::exists(file.string() + ".partial"));
  auto reader = itk::ImageFileReader<itk::Image<std::uint8_t, 2>>::New();
  reader->SetImageIO(itk::PNGImageIO::New());
  reader->SetFileName(file.string());
  reader->Update();
  const auto* read = reader->GetOutput();
  REQUIRE(read->GetLargestPossibleRegion().GetSize()[0] == 11);
  REQUIRE(read->GetLargestPossibleRegion().GetSize()[1] == 7);
  for (std::size_t y = 0; y < 7; ++y)
    for (std::size_t x = 0; x < 11; ++x)
      CHECK(read->GetPixel({{static_cast<long>(x), static_cast<long>(y)}}) == picture.at(x, y));
  std::filesystem::remove(file);
}

TEST_CASE("png: bad pictures and unwritable files") {
  REQUIRE_THROWS_WITH(discgeom::write_png("x.png", discgeom::gray_picture{}),
                      Catch::Contains("write_png()") && Catch::Contains("0 x 0"));
  REQUIRE_THROWS_WITH(
      discgeom::write_png("/nonexistent/dir/x.png", discgeom::gray_picture::filled(2, 2)),
      Catch::Contains("/nonexistent/dir/x.png: cannot be written"));
  REQUIRE_THROWS_WITH(
      discgeom::montage(
          {discgeom::gray_picture::filled(2, 2), discgeom::gray_picture::filled(3, 2)}, 2),
      Catch::Contains("tile 1 is 3 x 2, tile 0 is 2 x 2"));
}

TEST_CASE("png: read back as grey, a missing file and a non-PNG refused") {
  auto picture = discgeom::gray_picture::filled(5, 3, 7);
  picture.at(4, 2) = 255;
  picture.at(0, 1) = 0;
  const auto file = std::filesystem::temp_directory_path() /
                    ("discgeom_png_read_" + std::to_string(::getpid()) + ".png");
  discgeom::write_png(file, picture);
  const auto read = discgeom::read_png(file);
  CHECK(read.width == 5);
  CHECK(read.height == 3);
  CHECK(read.pixels == picture.pixels);
  std::filesystem::remove(file);
  CHECK_THROWS_WITH(discgeom::read_png(file), Catch::Contains("no such file"));
  const auto text = std::filesystem::temp_directory_path() /
                    ("discgeom_png_text_" + std::to_string(::getpid()) + ".png");
  std::ofstream(text) << "not a picture";
  CHECK_THROWS_WITH(discgeom::read_png(text), Catch::Contains("is not a PNG file"));
  std::filesystem::remove(text);
}

TEST_CASE("bmp: a 24-bit grey BMP written by hand reads top row first") {
  // 3 x 2 pixels, BMP rows bottom-up, each row padded to 12 bytes (3 x 3 = 9, + 3). Top row
  // 10, 20, 30; bottom row 40, 50, 60.
  std::string bytes = "BM";
  const auto u32 = [&](std::uint32_t v) {
    for (int b = 0; b < 4; ++b)
      bytes.push_back(static_cast<char>((v >> (8 * b)) & 0xff));
  };
  const auto u16 = [&](std::uint16_t v) {
    bytes.push_back(static_cast<char>(v & 0xff));
    bytes.push_back(static_cast<char>(v >> 8));
  };
  u32(54 + 24);  // file size
  u32(0);
  u32(54);  // pixel data offset
  u32(40);  // BITMAPINFOHEADER
  u32(3);   // width
  u32(2);   // height (positive: bottom-up)
  u16(1);
  u16(24);
  u32(0);
  u32(24);
  u32(2835);
  u32(2835);
  u32(0);
  u32(0);
  for (const int row : {1, 0}) {  // bottom row first
    for (int x = 0; x < 3; ++x)
      bytes.append(3, static_cast<char>(10 * (3 * row + x + 1)));
    bytes.append(3, '\0');
  }
  const auto path = std::filesystem::temp_directory_path() /
                    ("discgeom_io_grey_" + std::to_string(::getpid()) + ".bmp");
  {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
  }
  const auto picture = discgeom::read_bmp(path);
  REQUIRE(picture.width == 3);
  REQUIRE(picture.height == 2);
  CHECK(int(picture.at(0, 0)) == 10);
  CHECK(int(picture.at(2, 0)) == 30);
  CHECK(int(picture.at(0, 1)) == 40);
  CHECK(int(picture.at(2, 1)) == 60);
  CHECK_THROWS_WITH(discgeom::read_bmp(std::filesystem::temp_directory_path() / "none.bmp"),
                    Catch::Contains("no such file"));
}
