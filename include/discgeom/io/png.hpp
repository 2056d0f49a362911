// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Grey-scale pictures for reports (traversal montages, slices): a small 8-bit image type, a
/// montage of tiles, and PNG output through ITK's PNG writer. Part of `discgeom::io`.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <itkImage.h>
#include <itkImageFileWriter.h>
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

}  // namespace discgeom
