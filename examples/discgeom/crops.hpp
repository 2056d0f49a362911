// SPDX-License-Identifier: MIT
#pragma once
// The crops folder of the autoencoder commands: DIR/index.csv (case, level, label, file, fits,
// original_voxels, crop_voxels, voxels_outside, spacing_x_mm, spacing_y_mm, spacing_z_mm) and
// one DIR/<case>_<level>.npy (uint8, S x S x S, axes L, P, S) per disc.

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "discgeom/detail/atomic_file.hpp"
#include "discgeom/image.hpp"
#include "discgeom/io/csv.hpp"
#include "discgeom/io/npy.hpp"
#include "table.hpp"

namespace discgeom::cli {

/// The index's columns, in order.
inline const std::vector<std::string> crop_index_columns{
    "case",         "level",           "label",       "file",
    "fits",         "original_voxels", "crop_voxels", "voxels_outside",
    "spacing_x_mm", "spacing_y_mm",    "spacing_z_mm"};

/// Level names hold '/', which a file name cannot: "L5/S1" -> "L5-S1".
inline std::string file_safe(std::string text) {
  for (char& c : text) {
    if (c == '/' || c == '\\' || c == ' ')
      c = '-';
  }
  return text;
}

/// One disc crop of the folder.
struct disc_crop {
  std::string case_name;
  std::string level;
  image<std::uint8_t> mask;  ///< geometry: the crop spacing, LPS axes
};

/// The crops of a folder, every one of the same size and spacing.
struct crop_folder {
  std::vector<disc_crop> crops;
  std::size_t size = 0;
  vec3 spacing{};
};

/// Reads DIR/index.csv and every crop it lists.
/// \throws io_error naming the file: no index, a crop that cannot be read, crops of mixed
///         sizes or spacings, a crop that is not a cube, an empty crop (no disc voxel)
inline crop_folder read_crop_folder(const std::filesystem::path& folder) {
  const std::filesystem::path index_file = folder / "index.csv";
  if (!std::filesystem::is_regular_file(index_file)) {
    throw io_error(index_file.string() + ": no crop index here (write one with discgeom crop)");
  }
  const csv_table index = read_csv(index_file);
  const auto files = index.column("file");
  const auto cases = index.column("case");
  const auto levels = index.column("level");
  const std::array<std::vector<double>, 3> spacing{index.numeric_column("spacing_x_mm"),
                                                   index.numeric_column("spacing_y_mm"),
                                                   index.numeric_column("spacing_z_mm")};
  crop_folder result;
  for (std::size_t r = 0; r < index.rows.size(); ++r) {
    const std::filesystem::path file = folder / index.rows[r][files];
    auto mask = read_npy<std::uint8_t>(file);
    const auto shape = mask.shape();
    if (shape[0] != shape[1] || shape[1] != shape[2]) {
      throw io_error(file.string() + ": the crop is " + std::to_string(shape[0]) + " x " +
                     std::to_string(shape[1]) + " x " + std::to_string(shape[2]) + ", not a cube");
    }
    const vec3 s{spacing[0][r], spacing[1][r], spacing[2][r]};
    if (r == 0) {
      result.size = shape[0];
      result.spacing = s;
    } else if (shape[0] != result.size) {
      throw io_error(file.string() + ": the crop is " + std::to_string(shape[0]) + "^3, " +
                     (folder / index.rows[0][files]).string() + " is " +
                     std::to_string(result.size) + "^3: one folder holds one crop size");
    } else if (s != result.spacing) {
      throw io_error(file.string() +
                     ": its spacing differs from the first crop's: one folder "
                     "holds one crop spacing");
    }
    bool any = false;
    for (const auto v : mask.voxels) {
      any = any || v != 0;
    }
    if (!any) {
      throw io_error(file.string() + ": the crop holds no disc voxel");
    }
    mask.geometry = image_geometry{.spacing = s};
    result.crops.push_back({index.rows[r][cases], index.rows[r][levels], std::move(mask)});
  }
  if (result.crops.empty()) {
    throw io_error(index_file.string() + ": lists no crop");
  }
  return result;
}

/// Writes a table to `file` through `file.partial` and a rename: a crash never leaves a
/// truncated table under the real name.
inline void write_table_atomically(const std::filesystem::path& file, const table& t,
                                   table_format format = table_format::csv) {
  detail::write_atomically(file, "write_table", [&](const std::filesystem::path& temporary) {
    std::ofstream out(temporary);
    write_table(out, t, format);
    out.close();
    if (!out)
      throw std::runtime_error(detail::stream_failure_reason());
  });
}

}  // namespace discgeom::cli
