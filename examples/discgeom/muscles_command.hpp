// SPDX-License-Identifier: MIT
#pragma once
// `discgeom muscles SEG... [--labels totalsegmentator-mr|FILE.csv] [--discs DISCS.csv]`: Hess et
// al.'s muscle cross-sections on axial label maps, one row per muscle label per axial slice
// (docs/cli.md, docs/muscles.md).

#include <cstdint>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "case_rows.hpp"
#include "command_line.hpp"
#include "discgeom/geometry/muscle_sections.hpp"
#include "discgeom/io/csv.hpp"
#include "discgeom/io/image_io.hpp"
#include "discs_command.hpp"
#include "inputs.hpp"
#include "outputs.hpp"
#include "progress.hpp"
#include "rows/muscles.hpp"
#include "table.hpp"

namespace discgeom::cli {

/// The settings of `discgeom muscles`.
struct muscles_settings {
  std::vector<std::string> segmentations;
  std::string labels = "totalsegmentator-mr";  ///< totalsegmentator-mr, phantom, or a CSV file
  std::string discs;                           ///< optional discs table of the same patient
  geometry_overrides overrides;
  table_format format = table_format::csv;
  std::string out;
  bool quiet = false;
};

inline void add_muscles_options(CLI::App& app, muscles_settings& s) {
  add_inputs(app, "SEG", s.segmentations, "axial label maps (NIfTI, MetaImage or NRRD)");
  add_text(app, "--labels", s.labels,
           "the muscle labels: totalsegmentator-mr, phantom (discgeom phantom --muscles), or a "
           "CSV file with columns label,muscle,side",
           "SCHEME|FILE.csv");
  add_text(app, "--discs", s.discs,
           "a discs table of the same patient: names each slice's nearest disc level", "DISCS.csv");
  add_geometry_overrides(app, s.overrides);
  add_table_output(app, s.format, s.out);
  add_quiet(app, s.quiet);
  app.footer(
      "One row per muscle label per axial slice: case,muscle,side,label,slice,pixels,csa_mm2,\n"
      "centroid_x_mm,centroid_y_mm,centroid_z_mm,level,status,csa_cm2,level_slice (LPS mm;\n"
      "level_slice 1 on the slice nearest its level's disc).");
}

/// The label scheme named by --labels. \throws io_error naming the file and the bad row
inline std::vector<muscle_label> read_muscle_scheme(const std::string& labels) {
  if (labels == "totalsegmentator-mr")
    return totalsegmentator_mr_muscles();
  if (labels == "phantom")
    return phantom_muscles();
  const csv_table table = read_csv(labels);
  const std::size_t label = table.column("label"), muscle = table.column("muscle"),
                    side = table.column("side");
  std::vector<muscle_label> scheme;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const double value = table.number(r, label);
    const std::string& s = table.rows[r][side];
    if (!std::isfinite(value) || value != std::floor(value) || value == 0.0)
      discgeom::detail::throw_error<io_error>("muscles", labels, ": line ", table.line_of(r),
                                              ": label '", table.rows[r][label],
                                              "' must be a non-zero whole number");
    if (!(s.empty() || s == "L" || s == "R"))
      discgeom::detail::throw_error<io_error>("muscles", labels, ": line ", table.line_of(r),
                                              ": side '", s, "' must be L, R or empty");
    if (table.rows[r][muscle].empty())
      discgeom::detail::throw_error<io_error>("muscles", labels, ": line ", table.line_of(r),
                                              ": the muscle name is empty");
    scheme.push_back(
        {static_cast<std::int64_t>(value), table.rows[r][muscle], s.empty() ? '\0' : s.front()});
  }
  return scheme;
}

/// The discs of a discs table with a level and a centroid (fragments and failed rows skipped).
inline std::vector<disc_position> read_disc_positions(const std::string& file) {
  const csv_table table = read_csv(file);
  const std::size_t level = table.column("level"), x = table.column("centroid_x_mm"),
                    y = table.column("centroid_y_mm"), z = table.column("centroid_z_mm");
  std::vector<disc_position> discs;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const vec3 c{table.number(r, x), table.number(r, y), table.number(r, z)};
    if (table.rows[r][level].empty() || std::isnan(c[0]) || std::isnan(c[1]) || std::isnan(c[2]))
      continue;
    discs.push_back({table.rows[r][level], c});
  }
  return discs;
}

/// `discgeom muscles`: 0, or 1 when a case could not be read or is not axial (its row says why).
inline int run_muscles(const muscles_settings& s) {
  std::vector<std::filesystem::path> inputs(s.segmentations.begin(), s.segmentations.end());
  if (!s.discs.empty())
    inputs.push_back(s.discs);
  refuse_output_over_input({{"--out", s.out}}, inputs);
  const std::vector<std::string> columns = case_columns(rows::muscles_columns());
  table result{columns, {}};
  std::vector<muscle_label> scheme;
  std::vector<disc_position> discs;
  try {
    scheme = read_muscle_scheme(s.labels);
    if (!s.discs.empty()) {
      discs = read_disc_positions(s.discs);
      if (discs.empty())
        std::cerr << "discgeom muscles: warning: " << s.discs
                  << ": no disc with a level and a centroid: levels stay empty\n";
    }
  } catch (const error& failure) {
    std::cerr << "discgeom muscles: " << failure.what() << '\n';
    return 1;
  }
  std::vector<std::int64_t> wanted;
  for (const auto& m : scheme)
    wanted.push_back(m.label);

  bool any_failed = false;
  progress_bar progress("muscles", s.segmentations.size(), s.quiet);
  for (const auto& file : s.segmentations) {
    const std::string name = case_name(file);
    try {
      const auto labels = read_label_image<std::int64_t>(file, "muscles", s.overrides);
      if (const auto reason = not_axial_reason(labels.geometry, labels.shape()))
        throw io_error(*reason + "; give --orientation if the header is wrong");
      std::size_t outside = 0;
      for (const auto& d : discs)
        outside += inside_image(labels.geometry, labels.shape(), d.centroid_mm) ? 0 : 1;
      if (outside > 0)
        std::cerr << "discgeom muscles: warning: " << file << ": " << outside << " of "
                  << discs.size() << " disc centroids of " << s.discs
                  << " lie outside the image: is the discs table from another patient space?\n";
      const auto sections = muscle_sections(labels, labels.geometry, wanted);
      const auto swapped = swapped_sides(sections, scheme);
      for (const auto& muscle : swapped)
        std::cerr << "discgeom muscles: warning: " << file << ": " << muscle
                  << ": the left label lies to the patient's right of the right label: left and "
                     "right swapped in the labels or the header\n";
      for (auto& row :
           rows::muscle_rows(sections, scheme, swapped, labels.geometry, labels.shape(), discs))
        result.rows.push_back(case_row(name, std::move(row)));
      if (sections.empty()) {
        result.rows.push_back(failed_case_row(name, "no muscles", columns));
      }
    } catch (const std::exception& failure) {  // this file's failure: the batch goes on
      any_failed = true;
      const std::string reason = failure_reason(failure, "read and measure it");
      std::cerr << "discgeom muscles: " << file << ": " << reason << '\n';
      result.rows.push_back(failed_case_row(name, "error: " + reason, columns));
    }
    progress.step(name);
  }
  write_table_output(s.out, result, s.format);
  return any_failed ? 1 : 0;
}

}  // namespace discgeom::cli
