// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The per-disc geometry of the `discgeom discs` table (docs/cli.md), for a whole
/// label map in one call, with a status per disc. Definitions: geometry/structure_measures.hpp
/// and docs/geometry.md.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "discgeom/as_volume.hpp"
#include "discgeom/error.hpp"
#include "discgeom/geometry/structure_measures.hpp"
#include "discgeom/image_geometry.hpp"
#include "discgeom/mask/label_scheme.hpp"
#include "discgeom/mask/split_components.hpp"
#include "discgeom/mask/structures.hpp"

namespace discgeom {

/// Which labels are discs, and how their levels are named.
enum class disc_label_scheme {
  spider,   ///< labels 201-225 are discs, 201 the lowest
  ordinal,  ///< every distinct foreground label is a disc, ordered cranio-caudally by centroid
  table,    ///< the labels of a user's label_table whose kind is disc, with its level names
};

struct disc_table_options {
  disc_label_scheme scheme = disc_label_scheme::spider;
  std::string lowest_level = "L5/S1";  ///< level name of the lowest disc (spider, ordinal)
  std::size_t min_voxels = 0;          ///< fewer voxels: status "fragment", not measured
  bool largest_component = false;      ///< measure only each label's largest 26-connected component
  const label_table* table = nullptr;  ///< required with disc_label_scheme::table
};

/// One disc: its level, label and measures. Optional values are empty when undefined (see status).
struct disc_measures {
  std::string level;
  std::int64_t label = 0;
  std::size_t voxels = 0;  ///< voxels measured
  std::size_t voxels_left_out =
      0;                    ///< voxels outside the largest component (largest_component only)
  double volume_mm3 = 0.0;  ///< voxels x voxel volume
  std::optional<vec3> centroid_mm;  ///< LPS mm
  std::optional<double> height_mm, ap_width_mm, lateral_width_mm;
  std::optional<double> sagittal_angle_deg, coronal_angle_deg, transverse_angle_deg;
  std::optional<double> minrect_height_mm;
  bool touches_border = false;
  std::string status = "ok";  ///< ok, empty, fragment, or a short reason
};

/// Measures one disc (a voxel set) by the contract's definitions. An empty set gets status
/// "empty", a set with fewer than `min_voxels` voxels "fragment" (counted, not measured); a
/// middle slice without disc voxels leaves its measures empty with the status naming it.
[[nodiscard]] inline disc_measures measure_disc(const voxel_set& set, std::size_t min_voxels = 0) {
  disc_measures m;
  m.voxels = set.voxels.size();
  m.volume_mm3 = volume_mm3(set);
  if (set.voxels.empty()) {
    m.status = "empty";
    return m;
  }
  if (set.voxels.size() < min_voxels) {
    m.status = "fragment";
    return m;
  }
  m.centroid_mm = centroid(set).physical;
  m.touches_border = touches_border(set);
  m.height_mm = disc_height(set);
  m.ap_width_mm = slice_width(set, anatomical_axis::lr, anatomical_axis::ap);
  m.lateral_width_mm = slice_width(set, anatomical_axis::si, anatomical_axis::lr);
  m.sagittal_angle_deg = inclination_deg(set, anatomical_plane::sagittal);
  m.coronal_angle_deg = inclination_deg(set, anatomical_plane::coronal);
  m.transverse_angle_deg = inclination_deg(set, anatomical_plane::transverse);
  if (const auto rect = slice_min_area_rectangle(set, anatomical_axis::lr)) {
    m.minrect_height_mm = rect->short_side;
  }
  if (!m.ap_width_mm || !m.lateral_width_mm) {
    m.status = "middle slice empty";
  } else if (!m.sagittal_angle_deg || !m.coronal_angle_deg || !m.transverse_angle_deg) {
    m.status = "angle undefined";
  }
  return m;
}

/// The discs of a label map, lowest first, each measured (see disc_measures).
///
/// A disc is every voxel of its label, whatever their connectivity (manual masks carry stray
/// voxels and published volumes count them), unless `largest_component` asks for the largest
/// 26-connected component only (then `voxels_left_out` says how many were dropped).
/// Level names: SPIDER from the label (201 = the lowest level), ordinal by cranio-caudal order of
/// the centroids (a fragment gets level "unknown" and does not shift the others), table from the
/// user's table.
///
/// \throws precondition_error for an invalid geometry, an unparsable lowest level, or the table
///         scheme without a table.
template <volume_like Labels>
[[nodiscard]] std::vector<disc_measures> measure_discs(Labels&& labels,
                                                       const image_geometry& geometry,
                                                       const disc_table_options& options = {}) {
  DISCGEOM_PRECONDITION(options.scheme != disc_label_scheme::table || options.table != nullptr,
                        "measure_discs", "options.scheme is table but options.table is null");
  const disc_level_names names(options.lowest_level);
  auto structures = collect_label_voxels(labels, geometry);

  struct candidate {
    std::int64_t label;
    voxel_set* set;
    double order;  // lower = more caudal
    std::string level;
  };
  std::vector<candidate> discs;
  for (auto& s : structures) {
    const auto label = static_cast<std::int64_t>(s.label);
    switch (options.scheme) {
      case disc_label_scheme::spider: {
        const auto info = spider_structure(label);
        if (info.kind == structure_kind::disc) {
          discs.push_back({label, &s.set, static_cast<double>(*info.from_bottom),
                           names.name(*info.from_bottom)});
        }
        break;
      }
      case disc_label_scheme::ordinal:
        discs.push_back({label, &s.set, centroid(s.set).physical[2], {}});
        break;
      case disc_label_scheme::table: {
        const auto found = options.table->find(label);
        if (found != options.table->end() && found->second.kind == structure_kind::disc) {
          discs.push_back({label, &s.set, centroid(s.set).physical[2], found->second.level});
        }
        break;
      }
    }
  }
  std::stable_sort(discs.begin(), discs.end(),
                   [](const auto& a, const auto& b) { return a.order < b.order; });
  std::vector<disc_measures> rows;
  rows.reserve(discs.size());
  std::size_t ordinal_level = 0;  // ordinal levels count measured discs only: a fragment takes none
  for (std::size_t n = 0; n < discs.size(); ++n) {
    const voxel_set* measured = discs[n].set;
    std::vector<voxel_set> components;
    if (options.largest_component) {
      components = split_components(*discs[n].set, connectivity3::corners);
      measured = &components.front();
    }
    disc_measures m = measure_disc(*measured, options.min_voxels);
    m.label = discs[n].label;
    if (options.scheme != disc_label_scheme::ordinal) {
      m.level = discs[n].level;
    } else {
      m.level = m.status == "fragment" ? "unknown" : names.name(ordinal_level++);
    }
    m.voxels_left_out = discs[n].set->voxels.size() - measured->voxels.size();
    rows.push_back(std::move(m));
  }
  return rows;
}

}  // namespace discgeom
