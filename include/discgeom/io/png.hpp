// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Grey-scale pictures for reports (traversal montages, slices): a small 8-bit image type, a
/// montage of tiles, and PNG output and input through ITK's PNG ImageIO. Part of `discgeom::io`.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <itkBMPImageIO.h>
#include <itkImage.h>
#include <itkImageFileWriter.h>
#include <itkImageIORegion.h>
#include <itkPNGImageIO.h>

#include "discgeom/detail/atomic_file.hpp"
#include "discgeom/error.hpp"

namespace discgeom {

/// An 8-bit grey picture, row-major, row 0 at the top.
struct gray_picture {
  std::size_t width = 0;
  std::size_t height = 0;
  std::vector<std::uint8_t> pixels;  ///< width * height values

  [[nodiscard]] static gray_picture filled(std::size_t width, std::size_t height,
                                           std::uint8_t value = 0) {
    return {width, height, std::vector<std::uint8_t>(width * height, value)};
  }
  [[nodiscard]] std::uint8_t& at(std::size_t x, std::size_t y) { return pixels[y * width + x]; }
  [[nodiscard]] std::uint8_t at(std::size_t x, std::size_t y) const {
    return pixels[y * width + x];
  }
};

/// Tiles of equal size in a grid of `columns` per row, `gap` pixels of `background` between and
/// around them, each tile enlarged `scale` times (nearest neighbour).
/// \throws precondition_error when tiles differ in size, columns or scale is 0
[[nodiscard]] inline gray_picture montage(const std::vector<gray_picture>& tiles,
                                          std::size_t columns, std::size_t scale = 1,
                                          std::size_t gap = 2, std::uint8_t background = 64) {
  DISCGEOM_PRECONDITION(columns >= 1 && scale >= 1, "montage",
                        "columns and scale must be >= 1, got ", columns, " and ", scale);
  if (tiles.empty()) {
    return {};
  }
  const std::size_t w = tiles.front().width;
  const std::size_t h = tiles.front().height;
  for (std::size_t t = 0; t < tiles.size(); ++t) {
    DISCGEOM_PRECONDITION(tiles[t].width == w && tiles[t].height == h, "montage", "tile ", t,
                          " is ", tiles[t].width, " x ", tiles[t].height, ", tile 0 is ", w, " x ",
                          h);
  }
  const std::size_t rows = (tiles.size() + columns - 1) / columns;
  auto picture = gray_picture::filled(gap + columns * (w * scale + gap),
                                      gap + rows * (h * scale + gap), background);
  for (std::size_t t = 0; t < tiles.size(); ++t) {
    const std::size_t x0 = gap + (t % columns) * (w * scale + gap);
    const std::size_t y0 = gap + (t / columns) * (h * scale + gap);
    for (std::size_t y = 0; y < h * scale; ++y)
      for (std::size_t x = 0; x < w * scale; ++x)
        picture.at(x0 + x, y0 + y) = tiles[t].at(x / scale, y / scale);
  }
  return picture;
}

/// Writes the picture as an 8-bit grey PNG, through `file.partial` and a rename.
/// \throws io_error naming the file when it cannot be written; precondition_error for an empty
///         picture or one whose pixel count is not width x height
inline void write_png(const std::filesystem::path& file, const gray_picture& picture) {
  DISCGEOM_PRECONDITION(picture.width > 0 && picture.height > 0 &&
                            picture.pixels.size() == picture.width * picture.height,
                        "write_png", "the picture is ", picture.width, " x ", picture.height,
                        " with ", picture.pixels.size(), " pixels");
  using picture_type = itk::Image<std::uint8_t, 2>;
  auto itk_picture = picture_type::New();
  picture_type::RegionType region;
  region.SetSize({{picture.width, picture.height}});
  itk_picture->SetRegions(region);
  itk_picture->Allocate();
  std::copy(picture.pixels.begin(), picture.pixels.end(), itk_picture->GetBufferPointer());
  detail::write_atomically(file, "write_png", [&](const std::filesystem::path& temporary) {
    auto writer = itk::ImageFileWriter<picture_type>::New();
    writer->SetImageIO(itk::PNGImageIO::New());
    writer->SetFileName(temporary.string());
    writer->SetInput(itk_picture);
    writer->Update();
  });
}

namespace detail {

/// Reads an 8-bit picture through `io` (an ITK image IO for one format, `format` its name) as a
/// grey picture: grey (with or without alpha) as it is; RGB or RGBA only when every pixel is
/// grey (R = G = B), alpha ignored. Pixel (x, y) = column x, row y from the top.
template <class ImageIO>
[[nodiscard]] gray_picture read_gray_picture(const std::filesystem::path& file, ImageIO io,
                                             const char* function, const char* format) {
  std::error_code ignored;
  if (!std::filesystem::is_regular_file(file, ignored))
    detail::throw_error<io_error>(function, "cannot read '", file.string(), "': no such file");
  if (!io->CanReadFile(file.c_str()))
    detail::throw_error<io_error>(function, "'", file.string(), "' is not a ", format, " file");
  io->SetFileName(file.string());
  try {
    io->ReadImageInformation();
  } catch (const itk::ExceptionObject& failure) {
    const std::string reason = failure.GetDescription();
    detail::throw_error<io_error>(function, "cannot read the header of '", file.string(),
                                  "': ", reason.substr(0, reason.find('\n')));
  }
  if (io->GetNumberOfDimensions() != 2 || io->GetComponentType() != itk::IOComponentEnum::UCHAR)
    detail::throw_error<io_error>(
        function, "'", file.string(), "' is not an 8-bit 2D PNG (",
        itk::ImageIOBase::GetComponentTypeAsString(io->GetComponentType()),
        " components); discgeom reads 8-bit ", format, "s");
  const std::size_t components = io->GetNumberOfComponents();
  const std::size_t width = io->GetDimensions(0), height = io->GetDimensions(1);
  if (components < 1 || components > 4 || width == 0 || height == 0 ||
      width > (std::size_t{1} << 16) || height > (std::size_t{1} << 16))
    detail::throw_error<io_error>(function, "'", file.string(), "' has ", components,
                                  " components per pixel and ", width, " x ", height,
                                  " pixels; discgeom reads 1 to 4 components, up to 65536 a side");
  itk::ImageIORegion region(2);
  region.SetIndex(0, 0);
  region.SetIndex(1, 0);
  region.SetSize(0, width);
  region.SetSize(1, height);
  io->SetIORegion(region);
  std::vector<std::uint8_t> bytes(width * height * components);
  try {
    io->Read(bytes.data());
  } catch (const itk::ExceptionObject& failure) {
    const std::string reason = failure.GetDescription();
    detail::throw_error<io_error>(function, "cannot read the pixels of '", file.string(),
                                  "': ", reason.substr(0, reason.find('\n')));
  }
  auto picture = gray_picture::filled(width, height);
  for (std::size_t n = 0; n < width * height; ++n) {
    const std::uint8_t* p = bytes.data() + n * components;
    if (components >= 3 && (p[1] != p[0] || p[2] != p[0]))
      detail::throw_error<io_error>(function, "'", file.string(), "' is in colour (pixel ",
                                    n % width, ", ", n / width, " is ", int(p[0]), ",", int(p[1]),
                                    ",", int(p[2]), "); discgeom reads grey ", format, "s");
    picture.pixels[n] = p[0];
  }
  return picture;
}

}  // namespace detail

/// Reads an 8-bit PNG as a grey picture: grey (with or without alpha) as it is; RGB or RGBA
/// only when every pixel is grey (R = G = B), alpha ignored. Pixel (x, y) = column x, row y from
/// the top.
/// \throws io_error naming the file when it is missing, not a PNG ITK reads, not 8-bit, or in colour
///   const auto slice = discgeom::read_png("mid_sagittal_labels.png");
[[nodiscard]] inline gray_picture read_png(const std::filesystem::path& file) {
  return detail::read_gray_picture(file, itk::PNGImageIO::New(), "read_png", "PNG");
}

/// Reads an 8-bit BMP (grey or grey-valued colour) as a grey picture, as read_png.
/// \throws io_error as read_png
[[nodiscard]] inline gray_picture read_bmp(const std::filesystem::path& file) {
  return detail::read_gray_picture(file, itk::BMPImageIO::New(), "read_bmp", "BMP");
}

}  // namespace discgeom
