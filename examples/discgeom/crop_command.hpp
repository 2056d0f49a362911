// SPDX-License-Identifier: MIT
#pragma once
// `discgeom crop SEG... --out DIR [--size 64] [--spacing 1.4,1.2,1.5] [--labels spider|ordinal]
//   ...`: every disc resampled (nearest neighbour) to the spacing and centred in a cube, the
// autoencoder's input (Perrone et al. step 2; docs/cli.md).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "command_line.hpp"
#include "crops.hpp"
#include "discgeom/geometry/disc_measures.hpp"
#include "discgeom/io/npy.hpp"
#include "discgeom/mask/structures.hpp"
#include "discgeom/transform/crop.hpp"
#include "discgeom/transform/reorient.hpp"
#include "discgeom/transform/resample.hpp"
#include "discs_command.hpp"
#include "inputs.hpp"
#include "outputs.hpp"
#include "progress.hpp"

namespace discgeom::cli {

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
                << disc.voxels << " voxels, a fragment (see --min-voxels): left out\n";
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

/// The settings of `discgeom crop`.
struct crop_settings {
  std::vector<std::string> segmentations;
  std::string out;               ///< the folder of the crops and index.csv (made if missing)
  std::size_t size = 64;         ///< edge of the cube in voxels, >= 2
  vec3 spacing{1.4, 1.2, 1.5};   ///< of the crops, in mm along the patient's L, P and S axes
  disc_table_options discs;      ///< the label scheme and the fragments left out
  geometry_overrides overrides;  ///< --input-spacing and --orientation over every header
  bool quiet = false;
};

inline void add_crop_options(CLI::App& app, crop_settings& s) {
  add_inputs(app, "SEG", s.segmentations, "label images (NIfTI, MetaImage or NRRD)");
  add_text(app, "--out", s.out, "the folder of the crops and index.csv (made if missing)", "DIR")
      ->required();
  add_count(app, "--size", s.size, "edge of the cube in voxels", 2);
  add_parsed(
      app, "--spacing", s.spacing,
      [](const std::string& option, const std::string& text) {
        return parse_spacing(text, option);
      },
      "voxel size of the crops in mm along the patient's L, P and S axes", "SX,SY,SZ")
      ->default_str("1.4,1.2,1.5");
  add_disc_label_options(app, s.discs);
  add_count(app, "--min-voxels", s.discs.min_voxels,
            "labelled pieces with fewer voxels are fragments, not cropped",
            "a tenth of the median of the other discs");
  // The input's own --spacing is --input-spacing here: --spacing is the crops'.
  add_parsed(
      app, "--input-spacing", s.overrides.spacing,
      [](const std::string& option, const std::string& text) {
        return std::optional<vec3>(parse_spacing(text, option));
      },
      "voxel size of the inputs in mm, instead of the header's", "SX,SY,SZ");
  add_orientation_override(app, s.overrides);
  add_max_voxels(app, s.overrides);
  add_quiet(app, s.quiet);
  app.footer(
      "Each disc is resampled (nearest neighbour) to --spacing, given in mm along the patient's\n"
      "L, P and S axes (the crop's axes), and centred in a --size cube: DIR/<case>_<level>.npy\n"
      "(uint8) and DIR/index.csv. --input-spacing and --orientation override the headers.");
}

/// `discgeom crop`: 0, or 1 when a case could not be cropped (stderr says why).
/// \throws usage_error when DIR/index.csv is an input, or two inputs have the same case name
///         (their crops would have the same names)
inline int run_crop(const crop_settings& s) {
  const std::filesystem::path out = s.out;
  refuse_output_over_input({{"--out's index", out / "index.csv"}},
                           {s.segmentations.begin(), s.segmentations.end()});
  refuse_shared_outputs(s.segmentations, [&](const std::string& file) {
    return out / (case_name(file) + "_<level>.npy");
  });
  std::filesystem::create_directories(out);
  table index{crop_index_columns, {}};
  bool any_failed = false;
  progress_bar progress("crop", s.segmentations.size(), s.quiet);
  for (const auto& file : s.segmentations) {
    try {
      for (auto& row : crop_case(file, out, s.discs, s.overrides, s.size, s.spacing))
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
