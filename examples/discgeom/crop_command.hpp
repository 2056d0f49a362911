// SPDX-License-Identifier: MIT
#pragma once
// `discgeom crop SEG... --out DIR [--size 64] [--spacing 1.4,1.2,1.5] [--labels spider|ordinal]
//   ...`: every disc resampled (nearest neighbour) to the spacing and centred in a cube, the
// autoencoder's input (Perrone et al. step 2; docs/cli.md).

#include <cstdint>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "arguments.hpp"
#include "crops.hpp"
#include "discgeom/geometry/disc_measures.hpp"
#include "discgeom/io/npy.hpp"
#include "discgeom/mask/structures.hpp"
#include "discgeom/transform/crop.hpp"
#include "discgeom/transform/reorient.hpp"
#include "discgeom/transform/resample.hpp"
#include "discs_command.hpp"
#include "inputs.hpp"
#include "progress.hpp"

namespace discgeom::cli {

inline constexpr const char* crop_usage =
    "usage: discgeom crop SEG... --out DIR [--size 64] [--spacing 1.4,1.2,1.5]\n"
    "                     [--labels spider|ordinal] [--lowest-level L5/S1] [--min-voxels N]\n"
    "                     [--input-spacing SX,SY,SZ] [--orientation CODE] [--quiet]\n"
    "Each disc is resampled (nearest neighbour) to --spacing, given in mm along the patient's\n"
    "L, P and S axes (the crop's axes), and centred in a --size cube: DIR/<case>_<level>.npy\n"
    "(uint8) and DIR/index.csv. --input-spacing and --orientation override the headers.\n";

/// The crops of the measured `discs` of one label image (`file` names it in messages and
/// `name` is its case): index rows, written files.
template <class T>
std::vector<std::vector<cell>> crop_discs(const image<T>& labels,
                                          const std::vector<disc_measures>& discs,
                                          const std::string& name,
                                          const std::filesystem::path& file,
                                          const std::filesystem::path& out, std::size_t size,
                                          const vec3& spacing) {
  if (discs.empty()) {
    throw io_error("no disc in this segmentation");
  }
  // The crop's axes are the patient's L, P, S, whatever the scan's orientation.
  const auto canonical = reorient(labels, labels.geometry, "LPS");
  const auto resampled = resample_nearest(canonical, canonical.geometry, spacing);
  std::map<std::int64_t, voxel_set> by_label;
  for (auto& s : collect_label_voxels(resampled, resampled.geometry)) {
    by_label[static_cast<std::int64_t>(s.label)] = std::move(s.set);
  }
  std::vector<std::vector<cell>> rows;
  for (const auto& disc : discs) {
    if (disc.status == "fragment") {
      std::cerr << "discgeom crop: " << file.string() << ": label " << disc.label << " has "
                << disc.voxels << " voxels, fewer than --min-voxels: left out\n";
      continue;
    }
    const auto found = by_label.find(disc.label);
    if (found == by_label.end() || found->second.voxels.empty()) {
      std::cerr << "discgeom crop: " << file.string() << ": disc " << disc.level << " (label "
                << disc.label << ") has no voxel at the crop spacing; left out\n";
      continue;
    }
    const auto crop = crop_structure(found->second, {.size = {size, size, size}});
    const std::string crop_file = name + "_" + file_safe(disc.level) + ".npy";
    write_npy(out / crop_file, crop.box);
    std::size_t inside = 0;
    for (const auto v : crop.box.voxels) {
      inside += v != 0;
    }
    if (!crop.fits) {
      std::cerr << "discgeom crop: " << file.string() << ": disc " << disc.level << " does not fit "
                << size << "^3 at this spacing: " << crop.voxels_outside
                << " voxels cut off (fits = 0 in the index)\n";
    }
    rows.push_back({text(name), text(disc.level), number(static_cast<double>(disc.label)),
                    text(crop_file), number(crop.fits ? 1.0 : 0.0),
                    number(static_cast<double>(disc.voxels)), number(static_cast<double>(inside)),
                    number(static_cast<double>(crop.voxels_outside)), number(spacing[0]),
                    number(spacing[1]), number(spacing[2])});
  }
  return rows;
}

/// The crops of one segmentation file: index rows, written files.
inline std::vector<std::vector<cell>> crop_case(const std::filesystem::path& file,
                                                const std::filesystem::path& out,
                                                const disc_table_options& scheme,
                                                const geometry_overrides& overrides,
                                                std::size_t size, const vec3& spacing) {
  const auto labels = read_label_image<std::uint32_t>(file, "crop", overrides);
  return crop_discs(labels, measure_discs(labels, labels.geometry, scheme), case_name(file), file,
                    out, size, spacing);
}

inline int run_crop(const std::vector<std::string>& argv) {
  const auto args = parse_arguments(argv,
                                    {"--out", "--size", "--spacing", "--labels", "--lowest-level",
                                     "--min-voxels", "--input-spacing", "--orientation"},
                                    {"--quiet"});
  if (args.positional.empty())
    throw usage_error("crop needs at least one segmentation file");
  if (!args.has("--out"))
    throw usage_error("crop needs --out DIR");
  const std::size_t size =
      args.has("--size") ? parse_count("--size", args.value_or("--size", "")) : 64;
  if (size < 2)
    throw usage_error("--size must be at least 2");
  const vec3 spacing = parse_spacing(args.value_or("--spacing", "1.4,1.2,1.5"));
  disc_table_options scheme = parse_disc_labels(args);
  if (args.has("--min-voxels"))
    scheme.min_voxels = parse_count("--min-voxels", args.value_or("--min-voxels", ""));
  geometry_overrides overrides;
  if (args.has("--input-spacing"))
    overrides.spacing = parse_spacing(args.value_or("--input-spacing", ""), "--input-spacing");
  if (args.has("--orientation"))
    overrides.direction = parse_geometry_overrides(args).direction;

  const std::filesystem::path out = args.value_or("--out", "");
  std::filesystem::create_directories(out);
  table index{crop_index_columns, {}};
  bool any_failed = false;
  progress_bar progress("crop", args.positional.size(), args.has("--quiet"));
  for (const auto& file : args.positional) {
    try {
      for (auto& row : crop_case(file, out, scheme, overrides, size, spacing))
        index.rows.push_back(std::move(row));
    } catch (const error& failure) {
      std::cerr << "discgeom crop: " << file << ": " << failure.what() << '\n';
      any_failed = true;
    }
    progress.step(case_name(file));
  }
  write_table_atomically(out / "index.csv", index);
  return any_failed ? 1 : 0;
}

}  // namespace discgeom::cli
