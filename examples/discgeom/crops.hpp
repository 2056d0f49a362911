// SPDX-License-Identifier: MIT
#pragma once
// The crops folder of the autoencoder commands: DIR/index.csv (case, level, label, file, fits,
// original_voxels, crop_voxels, voxels_outside, spacing_x_mm, spacing_y_mm, spacing_z_mm) and
// one DIR/<case>_<level>.npy (uint8, S x S x S, axes L, P, S) per disc.

#include <array>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
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

/// One row of a crops folder's index, checked.
struct crop_index_entry {
  std::string case_name;
  std::string level;
  std::string file;  ///< the crop's file, relative to the folder
  vec3 spacing{};    ///< mm, finite and positive
};

/// The rows of a crops folder's index (DIR/index.csv, parsed), checked: the columns case,
/// level, file and spacing_{x,y,z}_mm exist, every spacing is a finite positive number, every
/// file cell names a file, no disc (case and level) is listed twice, and there is a row. No file
/// is read: safe for any table (a fuzzing entry point, with parse_csv).
/// \throws io_error naming index.source, and the row and line and column where there is one
inline std::vector<crop_index_entry> read_crop_index(const csv_table& index) {
  const auto files = index.column("file");
  const auto cases = index.column("case");
  const auto levels = index.column("level");
  const std::array<const char*, 3> spacing_columns{"spacing_x_mm", "spacing_y_mm", "spacing_z_mm"};
  std::array<std::vector<double>, 3> spacing;
  for (std::size_t d = 0; d < 3; ++d)
    spacing[d] = index.numeric_column(spacing_columns[d]);
  const auto row_name = [&](std::size_t r) {
    return index.source + ": row " + std::to_string(r + 1) + " (line " +
           std::to_string(index.line_of(r)) + ")";
  };
  std::map<std::pair<std::string, std::string>, std::size_t> seen;
  std::vector<crop_index_entry> entries;
  for (std::size_t r = 0; r < index.rows.size(); ++r) {
    for (std::size_t d = 0; d < 3; ++d) {
      if (!(std::isfinite(spacing[d][r]) && spacing[d][r] > 0.0)) {
        throw io_error(row_name(r) + ", column '" + spacing_columns[d] + "': spacing '" +
                       detail::text_excerpt(index.rows[r][index.column(spacing_columns[d])]) +
                       "' mm is not a positive number");
      }
    }
    if (index.rows[r][files].empty())
      throw io_error(row_name(r) + ", column 'file': empty, no crop named");
    const auto [previous, fresh] =
        seen.emplace(std::pair{index.rows[r][cases], index.rows[r][levels]}, r);
    if (!fresh) {
      throw io_error(row_name(r) + ": case '" + detail::text_excerpt(index.rows[r][cases]) +
                     "' level '" + detail::text_excerpt(index.rows[r][levels]) +
                     "' is listed again (first in row " + std::to_string(previous->second + 1) +
                     "): one crop per disc");
    }
    entries.push_back({index.rows[r][cases], index.rows[r][levels], index.rows[r][files],
                       vec3{spacing[0][r], spacing[1][r], spacing[2][r]}});
  }
  if (entries.empty()) {
    throw io_error(index.source + ": lists no crop");
  }
  return entries;
}

/// Reads DIR/index.csv (read_crop_index) and every crop it lists.
/// \throws io_error naming the file: no index, as read_crop_index, a crop that cannot be read,
///         crops of mixed sizes or spacings, a crop that is not a cube, an empty crop (no disc
///         voxel)
inline crop_folder read_crop_folder(const std::filesystem::path& folder) {
  const std::filesystem::path index_file = folder / "index.csv";
  if (!std::filesystem::is_regular_file(index_file)) {
    throw io_error(index_file.string() + ": no crop index here (write one with discgeom crop)");
  }
  const auto entries = read_crop_index(read_csv(index_file));
  crop_folder result;
  for (std::size_t r = 0; r < entries.size(); ++r) {
    const std::filesystem::path file = folder / entries[r].file;
    auto mask = read_npy<std::uint8_t>(file);
    const auto shape = mask.shape();
    if (shape[0] != shape[1] || shape[1] != shape[2]) {
      throw io_error(file.string() + ": the crop is " + std::to_string(shape[0]) + " x " +
                     std::to_string(shape[1]) + " x " + std::to_string(shape[2]) + ", not a cube");
    }
    const vec3& s = entries[r].spacing;
    if (r == 0) {
      result.size = shape[0];
      result.spacing = s;
    } else if (shape[0] != result.size) {
      throw io_error(file.string() + ": the crop is " + std::to_string(shape[0]) + "^3, " +
                     (folder / entries[0].file).string() + " is " + std::to_string(result.size) +
                     "^3: one folder holds one crop size");
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
    result.crops.push_back({entries[r].case_name, entries[r].level, std::move(mask)});
  }
  return result;
}

}  // namespace discgeom::cli
