// SPDX-License-Identifier: MIT
#pragma once
// `discgeom discs SEG... [--labels spider|ordinal|components] [--lowest-level L5/S1] [--min-voxels N]
//   [--largest-component] [--convention discgeom|perrone] [--spacing SX,SY,SZ]
//   [--orientation CODE] [--format csv|json] [--out FILE] [--quiet]`: one row per disc per input
//   (docs/cli.md).

#include <cstdint>
#include <cstdio>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "command_line.hpp"
#include "discgeom/enum_names.hpp"
#include "discgeom/geometry/disc_measures.hpp"
#include "discgeom/geometry/perrone.hpp"
#include "discgeom/geometry/plausibility.hpp"
#include "discgeom/io/image_io.hpp"
#include "inputs.hpp"
#include "outputs.hpp"
#include "progress.hpp"
#include "table.hpp"

namespace discgeom::cli {

/// Whose definitions the discs table follows (--convention).
enum class disc_convention {
  discgeom,  ///< the contract's columns, in mm (docs/geometry.md)
  perrone,   ///< Perrone et al.'s released code, its columns and units (geometry/perrone.hpp)
};

}  // namespace discgeom::cli

template <>
struct discgeom::enum_names<discgeom::cli::disc_convention> {
  static constexpr std::array<enum_name<cli::disc_convention>, 2> table{{
      {cli::disc_convention::discgeom, "discgeom"},
      {cli::disc_convention::perrone, "perrone"},
  }};
};

namespace discgeom::cli {

inline std::vector<std::string> discs_columns(bool largest_component) {
  std::vector<std::string> columns{"case",
                                   "level",
                                   "label",
                                   "voxels",
                                   "volume_mm3",
                                   "centroid_x_mm",
                                   "centroid_y_mm",
                                   "centroid_z_mm",
                                   "height_mm",
                                   "ap_width_mm",
                                   "lateral_width_mm",
                                   "sagittal_angle_deg",
                                   "coronal_angle_deg",
                                   "transverse_angle_deg",
                                   "minrect_height_mm",
                                   "touches_border",
                                   "status"};
  if (largest_component)
    columns.push_back("voxels_left_out");
  return columns;
}

/// The columns of `--convention perrone`: ours around the released code's six (its names and
/// units: resampled voxels and degrees), docs/cli.md.
inline std::vector<std::string> perrone_discs_columns() {
  std::vector<std::string> columns{"case", "level", "label", "voxels", "pieces", "blob_voxels"};
  columns.insert(columns.end(), perrone_column_names.begin(), perrone_column_names.end());
  columns.insert(columns.end(), {"fov_check", "status"});
  return columns;
}

/// A row for a case that could not be measured at all: only the case and the status.
inline std::vector<cell> failed_case_row(const std::string& name, const std::string& status,
                                         const std::vector<std::string>& columns) {
  std::vector<cell> row(columns.size());
  row[0] = text(name);
  for (std::size_t c = 0; c < columns.size(); ++c)
    if (columns[c] == "status")
      row[c] = text(status);
  return row;
}

inline std::vector<cell> disc_row(const std::string& name, const disc_measures& d,
                                  bool largest_component) {
  std::vector<cell> row{text(name), text(d.level), number(static_cast<double>(d.label)),
                        number(static_cast<double>(d.voxels)), number(d.volume_mm3)};
  for (std::size_t axis = 0; axis < 3; ++axis) {
    row.push_back(d.centroid_mm ? number((*d.centroid_mm)[axis]) : cell{});
  }
  for (const auto& value : {d.height_mm, d.ap_width_mm, d.lateral_width_mm, d.sagittal_angle_deg,
                            d.coronal_angle_deg, d.transverse_angle_deg, d.minrect_height_mm}) {
    row.push_back(number(value));
  }
  row.push_back(d.status == "empty" ? cell{} : number(d.touches_border ? 1.0 : 0.0));
  row.push_back(text(d.status));
  if (largest_component)
    row.push_back(number(static_cast<double>(d.voxels_left_out)));
  return row;
}

/// The `--convention perrone` rows of one case, lowest disc first: each disc (fragments excepted)
/// is relabelled to its SPIDER value (SPIDER labels as they are; other schemes 201, 202, ... from
/// the lowest disc), the relabelled map goes through perrone_geometry, and each disc's row takes
/// the values of its largest blob. A fragment keeps its row, not measured.
template <class Labels>
std::vector<std::vector<cell>> perrone_disc_rows(const std::string& name, const Labels& labels,
                                                 const std::vector<found_disc>& discs,
                                                 disc_label_scheme scheme) {
  auto spider = image<std::int16_t>::filled(labels.shape(), labels.geometry, 0);
  std::vector<std::int64_t> spider_label(discs.size(), 0);
  std::int64_t next = perrone_first_disc_label;
  for (std::size_t d = 0; d < discs.size(); ++d) {
    if (discs[d].fragment)
      continue;
    spider_label[d] = scheme == disc_label_scheme::spider ? discs[d].label : next++;
    for (const auto& v : discs[d].set.voxels)
      spider.voxels(v[0], v[1], v[2]) = static_cast<std::int16_t>(spider_label[d]);
  }
  const auto result = perrone_geometry(spider, spider.geometry);
  std::vector<std::vector<cell>> rows;
  for (std::size_t d = 0; d < discs.size(); ++d) {
    std::vector<cell> row{text(name), text(discs[d].level),
                          number(static_cast<double>(discs[d].label)),
                          number(static_cast<double>(discs[d].set.voxels.size()))};
    const perrone_disc* found = nullptr;
    for (const auto& p : result.discs)
      if (p.label == spider_label[d])
        found = &p;
    if (discs[d].fragment || found == nullptr) {
      row.resize(perrone_discs_columns().size());
      row.back() = text(discs[d].fragment ? "fragment" : std::string(to_string(result.status)));
      rows.push_back(std::move(row));
      continue;
    }
    row.push_back(number(static_cast<double>(found->pieces)));
    const perrone_blob* blob = found->largest ? &result.blobs[*found->largest] : nullptr;
    row.push_back(blob ? number(static_cast<double>(blob->voxels)) : cell{});
    std::optional<perrone_values> values = blob ? blob->values : std::nullopt;
    for (const auto value :
         {&perrone_values::disc_height, &perrone_values::ap_width, &perrone_values::lat_width,
          &perrone_values::sag_angle, &perrone_values::axial_angle, &perrone_values::front_angle}) {
      row.push_back(values ? number((*values).*value) : cell{});
    }
    row.push_back(text(result.field_of_view_check ? "pass" : "fail"));
    row.push_back(text(std::string(
        to_string(result.status != perrone_status::ok ? result.status : found->status))));
    rows.push_back(std::move(row));
  }
  return rows;
}

/// --lowest-level LEVEL (e.g. L5/S1, L6/S1, T12/L1), checked when parsed.
inline CLI::Option* add_lowest_level(CLI::App& app, std::string& target, const std::string& help) {
  return add_parsed(
             app, "--lowest-level", target,
             [](const std::string& option, const std::string& text) {
               try {
                 (void)disc_level_names(text);
               } catch (const precondition_error& e) {
                 throw usage_error(option + ": " + e.what());
               }
               return text;
             },
             help, "LEVEL")
      ->default_str(target);
}

/// --labels spider|ordinal (|components where `components` is true) and --lowest-level, shared
/// by the commands that find discs.
inline void add_disc_label_options(CLI::App& app, disc_table_options& options,
                                   bool components = false) {
  add_parsed(
      app, "--labels", options.scheme,
      [components](const std::string& option, const std::string& text) {
        if (text == "spider")
          return disc_label_scheme::spider;
        if (text == "ordinal")
          return disc_label_scheme::ordinal;
        if (components && text == "components")
          return disc_label_scheme::components;
        throw usage_error(option + " '" + text + "' must be spider, ordinal" +
                          (components ? ", or components" : " or, for discs, components"));
      },
      components ? "disc labels: SPIDER's 201-225, 1, 2, ... from the lowest disc up, or "
                   "components (each 26-connected piece of a label is a disc)"
                 : "disc labels: SPIDER's 201-225, or 1, 2, ... from the lowest disc up",
      components ? "spider|ordinal|components" : "spider|ordinal")
      ->default_str("spider");
  add_lowest_level(app, options.lowest_level,
                   "the level of the lowest disc (names the levels above it)");
}

/// The centroid (LPS mm) of one label's voxels, or nothing when the label is absent.
template <class Labels>
std::optional<vec3> label_centroid_mm(const Labels& labels, std::int64_t label) {
  const auto shape = labels.shape();
  vec3 sum{0.0, 0.0, 0.0};
  double count = 0.0;
  for (std::size_t k = 0; k < shape[2]; ++k)
    for (std::size_t j = 0; j < shape[1]; ++j)
      for (std::size_t i = 0; i < shape[0]; ++i)
        if (labels.voxels(i, j, k) == label) {
          sum[0] += static_cast<double>(i);
          sum[1] += static_cast<double>(j);
          sum[2] += static_cast<double>(k);
          count += 1.0;
        }
  if (count == 0.0)
    return std::nullopt;
  return labels.geometry.index_to_physical(vec3{sum[0] / count, sum[1] / count, sum[2] / count});
}

/// The settings of `discgeom discs`.
struct discs_settings {
  std::vector<std::string> segmentations;
  disc_table_options discs;
  geometry_overrides overrides;
  disc_convention convention = disc_convention::discgeom;
  table_format format = table_format::csv;
  std::string out;  ///< empty: stdout
  bool quiet = false;
};

inline void add_discs_options(CLI::App& app, discs_settings& s) {
  add_inputs(app, "SEG", s.segmentations, "label images (NIfTI, MetaImage or NRRD)");
  add_disc_label_options(app, s.discs, true);
  add_count(app, "--min-voxels", s.discs.min_voxels,
            "labelled pieces with fewer voxels are fragments, not measured",
            "a tenth of the median of the other discs");
  add_switch(app, "--largest-component", s.discs.largest_component,
             "measure each label's largest 26-connected piece only");
  add_choice(app, "--convention", s.convention,
             "whose definitions: ours in mm, or Perrone et al.'s released code (its columns, "
             "in resampled voxels and degrees; docs/geometry.md)");
  add_geometry_overrides(app, s.overrides);
  add_table_output(app, s.format, s.out);
  add_quiet(app, s.quiet);
}

/// `discgeom discs`: 0, or 1 when a case could not be read (its row says why).
/// \throws usage_error when --out is one of the inputs; io_error when the table cannot be written
inline int run_discs(const discs_settings& s) {
  refuse_output_over_input({{"--out", s.out}}, {s.segmentations.begin(), s.segmentations.end()});
  const disc_table_options& options = s.discs;
  const bool perrone = s.convention == disc_convention::perrone;
  if (perrone && options.largest_component) {
    throw usage_error(
        "--largest-component does not apply to --convention perrone (its row is already the "
        "disc's largest 26-connected blob in the resampled grid)");
  }
  table result{perrone ? perrone_discs_columns() : discs_columns(options.largest_component), {}};
  bool any_failed = false;
  progress_bar progress("discs", s.segmentations.size(), s.quiet);
  for (const auto& file : s.segmentations) {
    const std::string name = case_name(file);
    try {
      const auto labels = read_label_image<std::int64_t>(file, "discs", s.overrides);
      const auto found = find_discs(labels, labels.geometry, options);
      const auto discs = measure_found_discs(found, options);
      if (discs.empty()) {
        result.rows.push_back(failed_case_row(name, "no discs", result.columns));
      } else if (perrone) {
        for (auto& row : perrone_disc_rows(name, labels, found, options.scheme))
          result.rows.push_back(std::move(row));
      } else {
        for (const auto& d : discs)
          result.rows.push_back(disc_row(name, d, options.largest_component));
      }
      spine_landmarks landmarks;
      if (options.scheme == disc_label_scheme::spider)
        landmarks.canal_centroid_mm = label_centroid_mm(labels, 100);
      const auto advice = check_disc_spacing(discs, labels.shape(), labels.geometry, {}, landmarks);
      if (!advice.plausible) {
        std::cerr << "discgeom discs: warning: " << file << ": implausible spacing "
                  << labels.geometry.spacing[0] << "," << labels.geometry.spacing[1] << ","
                  << labels.geometry.spacing[2] << ": " << advice.reason;
        if (advice.spacing) {
          const auto short_number = [](double v) {
            char b[32];
            std::snprintf(b, sizeof b, "%.7g", v);
            return std::string(b);
          };
          std::cerr << "; try --spacing " << short_number((*advice.spacing)[0]) << ","
                    << short_number((*advice.spacing)[1]) << ","
                    << short_number((*advice.spacing)[2]);
        }
        if (advice.orientation)
          std::cerr << " --orientation " << *advice.orientation << " (" << advice.orientation_basis
                    << ")";
        std::cerr << '\n';
      }
    } catch (const std::exception& failure) {  // this file's failure: the batch goes on
      any_failed = true;
      const std::string reason = failure_reason(failure, "read and measure it");
      std::cerr << "discgeom discs: " << file << ": " << reason << '\n';
      result.rows.push_back(failed_case_row(name, "error: " + reason, result.columns));
    }
    progress.step(name);
  }

  write_table_output(s.out, result, s.format);
  return any_failed ? 1 : 0;
}

}  // namespace discgeom::cli
