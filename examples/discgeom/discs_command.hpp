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

#include "case_rows.hpp"
#include "command_line.hpp"
#include "discgeom/enum_names.hpp"
#include "discgeom/geometry/disc_measures.hpp"
#include "discgeom/geometry/perrone.hpp"
#include "discgeom/geometry/plausibility.hpp"
#include "discgeom/io/image_io.hpp"
#include "inputs.hpp"
#include "outputs.hpp"
#include "progress.hpp"
#include "rows/discs.hpp"
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

/// The columns of `discgeom discs`: the case, then rows::discs_columns (rows/discs.hpp).
inline std::vector<std::string> discs_columns(bool largest_component) {
  return case_columns(rows::discs_columns(largest_component));
}

/// The columns of `--convention perrone`: the case, then rows::perrone_discs_columns (docs/cli.md).
inline std::vector<std::string> perrone_discs_columns() {
  return case_columns(rows::perrone_discs_columns());
}

/// A row for a case that could not be measured at all: only the case and the status.
inline std::vector<cell> failed_case_row(const std::string& name, const std::string& status,
                                         const std::vector<std::string>& columns) {
  std::vector<cell> row = rows::status_row(columns, status);
  row[0] = text(name);
  return row;
}

/// The row of one measured disc behind the case's name (rows::disc_row).
inline std::vector<cell> disc_row(const std::string& name, const disc_measures& d,
                                  bool largest_component) {
  return case_row(name, rows::disc_row(d, largest_component));
}

/// The `--convention perrone` rows of one case behind its name (rows::perrone_disc_rows).
template <class Labels>
std::vector<std::vector<cell>> perrone_disc_rows(const std::string& name, const Labels& labels,
                                                 const std::vector<found_disc>& discs,
                                                 disc_label_scheme scheme) {
  std::vector<std::vector<cell>> out;
  for (auto& row : rows::perrone_disc_rows(labels.shape(), labels.geometry, discs, scheme))
    out.push_back(case_row(name, std::move(row)));
  return out;
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
        landmarks.canal_centroid_mm = rows::label_centroid_mm(labels.view(), labels.geometry, 100);
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
