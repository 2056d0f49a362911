// SPDX-License-Identifier: MIT
#pragma once
// `discgeom indices SEG... [--image IMG...] [--labels spider|bianquenet] [--slice K]
//   [--orientation XY|XYZ] [--spacing SX,SY[,SZ]] [--reference-label N] [--sacrum-label N]
//   [--age Y --sex F|M | --demographics FILE] [--format csv|json] [--out FILE] [--quiet]`:
//   BianqueNet's disc indices (Zheng et al. 2022) on the mid-sagittal slice of a 3D series or on
//   a 2D sagittal image, one row per disc (docs/cli.md, docs/geometry.md).

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "case_rows.hpp"
#include "command_line.hpp"
#include "discgeom/enum_names.hpp"
#include "discgeom/geometry/bianquenet.hpp"
#include "discgeom/geometry/bianquenet_baselines.hpp"
#include "discgeom/geometry/disc_measures.hpp"
#include "discgeom/geometry/plausibility.hpp"
#include "discgeom/io/csv.hpp"
#include "discgeom/io/image_io.hpp"
#include "discgeom/io/nifti_affine.hpp"
#include "discgeom/io/png.hpp"
#include "discs_command.hpp"
#include "inputs.hpp"
#include "outputs.hpp"
#include "progress.hpp"
#include "rows/indices.hpp"
#include "table.hpp"

namespace discgeom::cli {

/// Which labels the segmentations carry (--labels).
enum class indices_labels {
  spider,      ///< SPIDER: vertebrae 1-25 (101-125 partly visible), canal 100, discs 201-225
  bianquenet,  ///< BianqueNet's codes: 1 CSF, 2 L1, 3 L1/L2, ..., 11 L5/S1, 12 S1, 13 fat
};

}  // namespace discgeom::cli

template <>
struct discgeom::enum_names<discgeom::cli::indices_labels> {
  static constexpr std::array<enum_name<cli::indices_labels>, 2> table{{
      {cli::indices_labels::spider, "spider"},
      {cli::indices_labels::bianquenet, "bianquenet"},
  }};
};

namespace discgeom::cli {

/// The settings of `discgeom indices`.
struct indices_settings {
  std::vector<std::string> segmentations;
  std::vector<std::string> images;  ///< empty, or one per segmentation, in the same order
  indices_labels labels = indices_labels::spider;
  std::string lowest_level = "L5/S1";
  std::optional<std::size_t> min_voxels;
  std::optional<std::size_t> slice;
  std::string orientation;                      ///< empty: the header's; 2 letters (2D) or 3
  std::vector<double> spacing;                  ///< empty: the header's; 2 values (2D) or 3
  std::optional<std::int64_t> reference_label;  ///< unset: 100 (spider) or 1 (bianquenet)
  std::optional<std::int64_t> sacrum_label;     ///< spider: the sacrum's label, if any
  bool no_clean = false;                        ///< measure the masks as they are
  std::optional<double> age;
  std::optional<patient_sex> sex;
  std::string demographics;  ///< a CSV file case,age,sex
  std::uint64_t max_voxels = 0;
  table_format format = table_format::csv;
  std::string out;
  bool quiet = false;
};

/// A two- or three-letter orientation code (--orientation): checked, and for two letters (a 2D
/// image's axes 0 and 1) completed with the remaining patient axis (L, P or S) on axis 2.
/// \throws usage_error naming the option and the code
inline std::string full_orientation_code(const std::string& option, const std::string& text) {
  if (text.size() != 2 && text.size() != 3)
    throw usage_error(option + " '" + text +
                      "' must be two letters (a 2D image's axes) or three, from L R P A S I");
  std::string code;
  for (const char c : text)
    code += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (code.size() == 2) {
    const auto axis_of = [](char c) {
      return c == 'L' || c == 'R' ? 0 : c == 'P' || c == 'A' ? 1 : c == 'S' || c == 'I' ? 2 : -1;
    };
    const int a = axis_of(code[0]), b = axis_of(code[1]);
    if (a < 0 || b < 0 || a == b)
      throw usage_error(option + " '" + text +
                        "' must name two different patient axes with L R P A S I");
    code += "LPS"[3 - a - b];
  }
  try {
    (void)direction_from_orientation(code);
  } catch (const precondition_error& e) {
    throw usage_error(option + ": " + e.what());
  }
  return code;
}

inline void add_indices_options(CLI::App& app, indices_settings& s) {
  add_inputs(app, "SEG", s.segmentations,
             "label maps: 3D sagittal series or 2D sagittal slices (NIfTI, MetaImage, NRRD, "
             "PNG)");
  auto* images = app.add_option("--image", s.images,
                                "the grey images of the segmentations, in the same order: adds "
                                "Delta SI");
  images->type_name("IMG")->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  add_choice(app, "--labels", s.labels,
             "the label scheme: SPIDER's (discs 201-225, vertebrae 1-25, canal 100) or "
             "BianqueNet's own codes (1 CSF, 2 L1, 3 L1/L2, ..., 11 L5/S1, 12 S1)");
  add_lowest_level(app, s.lowest_level, "spider: the level of the lowest disc");
  add_count(app, "--min-voxels", s.min_voxels,
            "spider: labelled pieces with fewer voxels are fragments, not measured",
            "a tenth of the median of the other discs");
  add_count(app, "--slice", s.slice,
            "the sagittal slice (index along the left-right axis) of every disc",
            "each disc's middle slice");
  add_parsed(
      app, "--orientation", s.orientation,
      [](const std::string& option, const std::string& text) {
        const std::string full = full_orientation_code(option, text);
        return full.substr(0, text.size());  // as given, upper case
      },
      "the axes' anatomical directions instead of the header's: two letters for a 2D "
      "image (PI: columns posterior, rows inferior, i.e. anterior on the left and superior "
      "at the top), three for a 3D one",
      "XY|XYZ");
  add_parsed(
      app, "--spacing", s.spacing,
      [](const std::string& option, const std::string& text) {
        const auto parts = split_commas(text);
        if (parts.size() != 2 && parts.size() != 3)
          throw usage_error(option + " '" + text + "' must be SX,SY (a 2D image) or SX,SY,SZ");
        std::vector<double> values;
        for (const auto& part : parts)
          values.push_back(parse_number(option, part, 0.0, 1e6));
        for (const double v : values)
          if (!(v > 0.0))
            throw usage_error(option + " '" + text + "': every value must be more than 0");
        return values;
      },
      "pixel or voxel size in mm along the image axes, instead of the header's (a PNG has none)",
      "SX,SY[,SZ]");
  add_parsed(
      app, "--reference-label", s.reference_label,
      [](const std::string& option, const std::string& text) {
        return std::optional<std::int64_t>(static_cast<std::int64_t>(parse_count(option, text, 1)));
      },
      "the label of Delta SI's reference region (the CSF)", "N")
      ->default_str("100 (spider), 1 (bianquenet)");
  add_parsed(
      app, "--sacrum-label", s.sacrum_label,
      [](const std::string& option, const std::string& text) {
        return std::optional<std::int64_t>(static_cast<std::int64_t>(parse_count(option, text, 1)));
      },
      "spider: the sacrum's label (SPIDER has none: L5/S1 then has no lower body), e.g. 26 for "
      "SPINEPS",
      "N");
  add_switch(app, "--no-clean", s.no_clean,
             "measure the masks as they are, without BianqueNet's clean-up (seg_opt)");
  add_parsed(
      app, "--age", s.age,
      [](const std::string& option, const std::string& text) {
        return std::optional<double>(parse_number(option, text, 0.0, 150.0));
      },
      "the patients' age, years (with --sex)", "Y");
  add_parsed(
      app, "--sex", s.sex,
      [](const std::string& option, const std::string& text) {
        return std::optional<patient_sex>(parse_choice<patient_sex>(option, text));
      },
      "the patients' sex (with --age): percentiles and z-scores against BianqueNet's baselines",
      "F|M");
  add_text(app, "--demographics", s.demographics,
           "a CSV file with columns case,age,sex (F or M), instead of --age and --sex", "FILE");
  add_parsed(
      app, "--max-voxels", s.max_voxels,
      [](const std::string& option, const std::string& text) {
        return static_cast<std::uint64_t>(parse_count(option, text, 1));
      },
      "refuse an image declaring more voxels (default: as many as the free memory holds)", "N");
  add_table_output(app, s.format, s.out);
  add_quiet(app, s.quiet);
  app.footer(
      "One row per disc: case,level,label,slice,dh_mm,hv_above_mm,hv_below_mm,dhi,hdr,\n"
      "ap_width_mm,delta_si,status, then BianqueNet's numbers in pixels of the slice (dh_px, "
      "...),\n"
      "and with --age/--sex or --demographics the percentiles and z-scores against its baselines\n"
      "(DH's are empty: its baselines are in pixels of unknown size). docs/cli.md, "
      "docs/geometry.md.");
}

/// Whether `file` is a picture without geometry, PNG or BMP (by its extension).
inline bool is_png(const std::filesystem::path& file) {
  std::string ext = file.extension().string();
  for (char& c : ext)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".png" || ext == ".bmp";
}

/// A label map or image for `indices`: a 3D file as read_image reads it; a 2D file as a volume
/// of one slice along axis 2, with its NIfTI header's full direction (ITK keeps only the
/// in-plane rows); a PNG as one slice with the --spacing and --orientation it needs. Then the
/// overrides, then the geometry checked.
/// \throws io_error naming the file and what to give
template <class T>
image<T> read_indices_input(const std::filesystem::path& file, const indices_settings& s) {
  image<T> img;
  bool planar = false;
  if (is_png(file)) {
    std::string ext = file.extension().string();
    for (char& c : ext)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto picture = ext == ".bmp" ? read_bmp(file) : read_png(file);
    if (s.spacing.empty())
      throw io_error("a PNG or BMP has no pixel size: give --spacing SX,SY (mm)");
    if (s.orientation.empty())
      throw io_error(
          "a PNG or BMP has no anatomical axes: give --orientation, e.g. PI when anterior is "
          "on the left and superior at the top");
    img = image<T>::filled({picture.width, picture.height, 1}, {});
    for (std::size_t y = 0; y < picture.height; ++y)
      for (std::size_t x = 0; x < picture.width; ++x)
        img.voxels(x, y, 0) = static_cast<T>(picture.at(x, y));
    planar = true;
  } else {
    const auto header = read_image_header(file);
    img = read_image<T>(file, {.validate_geometry = false, .max_voxels = s.max_voxels});
    if (header.dimensions == 2) {
      planar = true;
      if (const auto direction = read_nifti_direction(file))
        img.geometry.direction = *direction;
    }
  }
  planar = planar || img.shape()[2] == 1;
  if (!s.spacing.empty()) {
    if (s.spacing.size() == 2 && !planar)
      throw io_error("--spacing has two values but the image is 3D; give SX,SY,SZ");
    for (std::size_t a = 0; a < s.spacing.size(); ++a)
      img.geometry.spacing[a] = s.spacing[a];
  }
  if (!s.orientation.empty()) {
    if (s.orientation.size() == 2 && !planar)
      throw io_error("--orientation has two letters but the image is 3D; give three");
    img.geometry.direction =
        direction_from_orientation(full_orientation_code("--orientation", s.orientation));
  }
  try {
    img.geometry.validate("indices");
  } catch (const precondition_error& invalid) {
    throw io_error(std::string("its geometry is invalid (") + invalid.what() +
                   "): give --orientation" + (planar ? " XY" : " XYZ") + " and --spacing");
  }
  return img;
}

/// The discs to measure and their neighbours, in the scheme's words.
template <class Labels>
std::vector<bianquenet_level> indices_levels(const Labels& labels, const indices_settings& s) {
  if (s.labels == indices_labels::bianquenet)
    return bianquenet_code_levels();
  disc_table_options options;
  options.scheme = disc_label_scheme::spider;
  options.lowest_level = s.lowest_level;
  options.min_voxels = s.min_voxels;
  return spider_bianquenet_levels(find_discs(labels, labels.geometry, options), s.sacrum_label);
}

/// The orientation code anatomy suggests (suggest_disc_orientation), for an error message: two
/// letters for an image of one slice along axis 2.
template <class Labels>
std::string suggested_orientation(const Labels& labels, const std::vector<bianquenet_level>& levels,
                                  const indices_settings& s, std::int64_t reference) {
  const auto shape = labels.shape();
  const bool planar = shape[2] == 1;
  std::size_t slice_axis = 2;
  if (!planar) {
    for (std::size_t a = 0; a < 3; ++a)
      if (shape[a] < shape[slice_axis] ||
          (shape[a] == shape[slice_axis] &&
           labels.geometry.spacing[a] > labels.geometry.spacing[slice_axis]))
        slice_axis = a;
  }
  std::map<std::int64_t, const bianquenet_level*> wanted;
  for (const auto& l : levels)
    if (!l.fragment)
      wanted[l.disc] = &l;
  std::vector<disc_measures> discs;
  std::optional<vec3> canal;
  vec3 canal_sum{0.0, 0.0, 0.0};
  double canal_count = 0.0;
  for (const auto& structure : collect_label_voxels(labels, labels.geometry)) {
    const auto label = static_cast<std::int64_t>(structure.label);
    if (label == reference) {
      for (const auto& v : structure.set.voxels)
        for (std::size_t a = 0; a < 3; ++a)
          canal_sum[a] += v[a];
      canal_count += static_cast<double>(structure.set.voxels.size());
    }
    const auto found = wanted.find(label);
    if (found == wanted.end())
      continue;
    disc_measures d;
    // BianqueNet's codes grow downwards: negated, they count up from the lowest disc as SPIDER's.
    d.label = s.labels == indices_labels::bianquenet ? -label : label;
    d.level = found->second->level;
    d.voxels = structure.set.voxels.size();
    d.centroid_mm = centroid(structure.set).physical;
    discs.push_back(d);
  }
  spine_landmarks landmarks;
  if (canal_count > 0.0)
    landmarks.canal_centroid_mm = labels.geometry.index_to_physical(
        vec3{canal_sum[0] / canal_count, canal_sum[1] / canal_count, canal_sum[2] / canal_count});
  const auto guess = suggest_disc_orientation(discs, labels.geometry, labels.geometry.spacing,
                                              slice_axis, landmarks);
  std::string basis = guess.basis;
  const auto replace = [&](const std::string& from, const std::string& to) {
    if (const auto at = basis.find(from); at != std::string::npos)
      basis.replace(at, from.size(), to);
  };
  if (planar)  // the slice axis takes no letter
    replace("L assumed (left and right cannot be told from discs); ", "");
  if (s.labels == indices_labels::bianquenet) {
    replace("the disc labels decrease along the axis (they count up from the lowest disc)",
            "BianqueNet's disc codes increase along the axis (3 is L1/L2, 11 L5/S1)");
    replace("the disc labels increase along the axis (they count up from the lowest disc)",
            "BianqueNet's disc codes decrease along the axis (3 is L1/L2, 11 L5/S1)");
  }
  return (planar ? guess.code.substr(0, 2) : guess.code) + " (" + basis + ")";
}

/// Refuses an image whose sagittal slices cannot be BianqueNet's AP x SI plane, proposing the
/// --orientation that anatomy suggests.
/// \throws io_error
template <class Labels>
void check_sagittal_axes(const Labels& labels, const std::vector<bianquenet_level>& levels,
                         const indices_settings& s, std::int64_t reference) {
  const auto shape = labels.shape();
  const auto& g = labels.geometry;
  std::optional<std::string> problem;
  const std::size_t lr = g.array_axis(anatomical_axis::lr);
  if (shape[2] == 1 && lr != 2) {
    const auto axes = g.anatomical_axes();
    problem = "its slice spans " + std::string(to_string(axes[0])) + " and " +
              std::string(to_string(axes[1])) + " by its header (orientation " +
              g.orientation_code().substr(0, 2) + "), not AP and SI: it is not a sagittal slice";
  } else {
    problem = bianquenet_axes_problem(labels, g, levels);
  }
  if (problem) {
    throw io_error(*problem + "; if the header is wrong, give --orientation " +
                   suggested_orientation(labels, levels, s, reference));
  }
}

/// The demographics of each case (--age/--sex for all, or --demographics FILE).
using case_demographics = rows::demographics;

inline std::map<std::string, case_demographics> read_demographics(const std::string& file) {
  const csv_table table = read_csv(file);
  const std::size_t name = table.column("case"), age = table.column("age"),
                    sex = table.column("sex");
  std::map<std::string, case_demographics> out;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    std::string text = table.rows[r][sex];
    for (char& c : text)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    case_demographics d;
    d.age = table.number(r, age);
    if (text == "F" || text == "FEMALE")
      d.sex = patient_sex::female;
    else if (text == "M" || text == "MALE")
      d.sex = patient_sex::male;
    else
      throw io_error(file + ": row " + std::to_string(r + 1) + " (line " +
                     std::to_string(table.line_of(r)) + "): sex '" + table.rows[r][sex] +
                     "' must be F or M");
    out[table.rows[r][name]] = d;
  }
  return out;
}

/// The columns of `discgeom indices`: the case, then rows::indices_columns (rows/indices.hpp).
inline std::vector<std::string> indices_columns(bool demographics) {
  return case_columns(rows::indices_columns(demographics));
}

/// The row of one disc behind the case's name (rows::indices_row).
inline std::vector<cell> indices_row(const std::string& name, const bianquenet_indices& r,
                                     const std::optional<case_demographics>& who,
                                     bool demographics) {
  return case_row(name, rows::indices_row(r, demographics, who));
}

/// `discgeom indices`: 0, or 1 when a case could not be processed (its row says why).
/// \throws usage_error for options that do not go together; io_error when the table or the
///         demographics cannot be read or written
inline int run_indices(const indices_settings& s) {
  std::vector<std::filesystem::path> inputs(s.segmentations.begin(), s.segmentations.end());
  inputs.insert(inputs.end(), s.images.begin(), s.images.end());
  refuse_output_over_input({{"--out", s.out}}, inputs);
  if (!s.images.empty() && s.images.size() != s.segmentations.size())
    throw usage_error("--image gives " + std::to_string(s.images.size()) + " images for " +
                      std::to_string(s.segmentations.size()) +
                      " segmentations; give one per segmentation, in the same order");
  if (s.age.has_value() != s.sex.has_value())
    throw usage_error("--age and --sex go together");
  if (s.age && !s.demographics.empty())
    throw usage_error("give --age and --sex, or --demographics, not both");
  const bool demographics = s.age.has_value() || !s.demographics.empty();
  std::map<std::string, case_demographics> by_case;
  if (!s.demographics.empty())
    by_case = read_demographics(s.demographics);
  const std::int64_t reference =
      s.reference_label.value_or(s.labels == indices_labels::spider ? 100 : bianquenet_csf);

  table result{indices_columns(demographics), {}};
  bool any_failed = false;
  progress_bar progress("indices", s.segmentations.size(), s.quiet);
  for (std::size_t n = 0; n < s.segmentations.size(); ++n) {
    const std::string& file = s.segmentations[n];
    std::string name = case_name(file);
    if (is_png(file))
      name = std::filesystem::path(file).stem().string();
    try {
      const auto labels = read_indices_input<std::int64_t>(file, s);
      const auto levels = indices_levels(labels, s);
      check_sagittal_axes(labels, levels, s, reference);
      const bianquenet_options options{
          .clean_masks = !s.no_clean, .slice = s.slice, .reference_label = reference};
      std::vector<bianquenet_indices> rows;
      if (!s.images.empty()) {
        const auto grey = [&] {
          try {
            return read_indices_input<double>(s.images[n], s);
          } catch (const std::exception& failure) {
            throw io_error(s.images[n] + ": " + failure_reason(failure));
          }
        }();
        if (const auto difference = grid_difference("segmentation", labels.shape(), labels.geometry,
                                                    "image", grey.shape(), grey.geometry))
          throw io_error(*difference);
        rows = measure_bianquenet(labels, grey, labels.geometry, levels, options);
      } else {
        rows = measure_bianquenet(labels, labels.geometry, levels, options);
      }
      if (rows.empty())
        result.rows.push_back(failed_case_row(name, "no discs", result.columns));
      std::optional<case_demographics> who;
      if (s.age)
        who = case_demographics{*s.age, *s.sex};
      else if (const auto found = by_case.find(name); found != by_case.end())
        who = found->second;
      for (const auto& r : rows)
        result.rows.push_back(indices_row(name, r, who, demographics));
    } catch (const std::exception& failure) {  // this file's failure: the batch goes on
      any_failed = true;
      const std::string reason = failure_reason(failure, "read and measure it");
      std::cerr << "discgeom indices: " << file << ": " << reason << '\n';
      result.rows.push_back(failed_case_row(name, "error: " + reason, result.columns));
    }
    progress.step(name);
  }
  write_table_output(s.out, result, s.format);
  return any_failed ? 1 : 0;
}

}  // namespace discgeom::cli
