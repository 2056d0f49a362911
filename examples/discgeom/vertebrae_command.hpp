// SPDX-License-Identifier: MIT
#pragma once
// `discgeom vertebrae SEG... [--lowest-level L5/S1]`: the spine's curve from its vertebral
// bodies, one row per SPIDER vertebra (docs/cli.md, docs/geometry.md "Vertebrae").

#include <cstdint>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "command_line.hpp"
#include "discgeom/geometry/vertebra_measures.hpp"
#include "discgeom/io/image_io.hpp"
#include "discs_command.hpp"
#include "inputs.hpp"
#include "outputs.hpp"
#include "progress.hpp"
#include "table.hpp"

namespace discgeom::cli {

struct vertebrae_settings {
  std::vector<std::string> segmentations;
  std::string lowest_level = "L5/S1";
  geometry_overrides overrides;
  table_format format = table_format::csv;
  std::string out;
  bool quiet = false;
};

inline void add_vertebrae_options(CLI::App& app, vertebrae_settings& s) {
  add_inputs(app, "SEG", s.segmentations, "SPIDER label maps (vertebrae 1-25, 1 the lowest)");
  add_lowest_level(app, s.lowest_level,
                   "the level of the lowest disc: label 1 is the vertebra above it");
  add_geometry_overrides(app, s.overrides);
  add_table_output(app, s.format, s.out);
  add_quiet(app, s.quiet);
}

/// `discgeom vertebrae`: 0, or 1 when a case could not be read (its row says why).
inline int run_vertebrae(const vertebrae_settings& s) {
  refuse_output_over_input({{"--out", s.out}}, {s.segmentations.begin(), s.segmentations.end()});
  const std::vector<std::string> columns{"case",
                                         "vertebra",
                                         "label",
                                         "voxels",
                                         "volume_mm3",
                                         "centroid_x_mm",
                                         "centroid_y_mm",
                                         "centroid_z_mm",
                                         "height_mm",
                                         "upper_endplate_deg",
                                         "lower_endplate_deg",
                                         "status"};
  table result{columns, {}};
  bool any_failed = false;
  progress_bar progress("vertebrae", s.segmentations.size(), s.quiet);
  for (const auto& file : s.segmentations) {
    const std::string name = case_name(file);
    try {
      const auto labels = read_label_image<std::int64_t>(file, "vertebrae", s.overrides);
      const auto rows = measure_vertebrae(labels, labels.geometry, s.lowest_level);
      for (const auto& v : rows) {
        std::vector<cell> row{text(name), text(v.name), number(static_cast<double>(v.label)),
                              number(static_cast<double>(v.voxels)), number(v.volume_mm3)};
        for (std::size_t d = 0; d < 3; ++d)
          row.push_back(v.centroid_mm ? number((*v.centroid_mm)[d]) : cell{});
        row.push_back(number(v.height_mm));
        row.push_back(number(v.upper_endplate_deg));
        row.push_back(number(v.lower_endplate_deg));
        row.push_back(text(v.status));
        result.rows.push_back(std::move(row));
      }
      if (rows.empty()) {
        result.rows.push_back(failed_case_row(name, "no vertebrae", columns));
      }
    } catch (const std::exception& failure) {
      any_failed = true;
      const std::string reason = failure_reason(failure, "read and measure it");
      std::cerr << "discgeom vertebrae: " << file << ": " << reason << '\n';
      result.rows.push_back(failed_case_row(name, "error: " + reason, columns));
    }
    progress.step(name);
  }
  write_table_output(s.out, result, s.format);
  return any_failed ? 1 : 0;
}

}  // namespace discgeom::cli
