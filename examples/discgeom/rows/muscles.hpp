// SPDX-License-Identifier: MIT
#pragma once
// The table of muscle cross-sections per axial slice, `discgeom muscles` (docs/cli.md) and
// discgeom.muscles (docs/python.md): its columns and the rows of one label map's sections. The
// program puts a "case" column in front (cli::case_columns, cli::case_row); the module returns
// them as they are.

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "cells.hpp"
#include "discgeom/geometry/muscle_sections.hpp"
#include "discgeom/image_geometry.hpp"

namespace discgeom::rows {

/// The columns: the muscle and side of the scheme, the section (Hess et al.), the nearest disc's
/// level and whether the slice is the one through it (level_slice, with a discs table only).
inline const std::vector<std::string>& muscles_columns() {
  static const std::vector<std::string> columns{
      "muscle",        "side",          "label", "slice",  "pixels",  "csa_mm2",    "centroid_x_mm",
      "centroid_y_mm", "centroid_z_mm", "level", "status", "csa_cm2", "level_slice"};
  return columns;
}

/// The rows of one label map's `sections` (muscle_sections, same order): each section's muscle
/// and side from `scheme`, status "left and right swapped" added for a muscle in `swapped`
/// (swapped_sides), level the nearest of `discs` (nearest_disc_level) and level_slice 1 or 0
/// (is_level_slice over the label map's `shape`), both missing without discs. One row per
/// section; each section's label is in `scheme`.
inline std::vector<row> muscle_rows(const std::vector<muscle_section>& sections,
                                    const std::vector<muscle_label>& scheme,
                                    const std::vector<std::string>& swapped,
                                    const image_geometry& geometry,
                                    const std::array<std::size_t, 3>& shape,
                                    const std::vector<disc_position>& discs) {
  const std::size_t slices = shape[geometry.array_axis(anatomical_axis::si)];
  std::vector<row> rows;
  for (const auto& section : sections) {
    const auto& m = *std::find_if(scheme.begin(), scheme.end(),
                                  [&](const auto& l) { return l.label == section.label; });
    std::string status = section.status;
    if (std::find(swapped.begin(), swapped.end(), m.muscle) != swapped.end())
      status = status == "ok" ? "left and right swapped" : status + "; left and right swapped";
    const auto level = nearest_disc_level(geometry, section.slice, discs);
    row out{text(m.muscle),
            text(m.side ? std::string(1, m.side) : std::string()),
            number(static_cast<double>(m.label)),
            count(section.slice),
            count(section.pixels),
            number(section.csa_mm2)};
    for (std::size_t d = 0; d < 3; ++d)
      out.push_back(section.centroid_mm ? number((*section.centroid_mm)[d]) : cell{});
    out.push_back(text(level.value_or("")));
    out.push_back(text(status));
    out.push_back(number(section.csa_mm2 / 100.0));
    out.push_back(discs.empty()
                      ? cell{}
                      : number(is_level_slice(geometry, slices, section.slice, discs) ? 1.0 : 0.0));
    rows.push_back(std::move(out));
  }
  return rows;
}

}  // namespace discgeom::rows
