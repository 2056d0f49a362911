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
#include <string_view>
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
  spider,      ///< labels 201-225 are discs, 201 the lowest
  ordinal,     ///< every distinct foreground label is a disc, ordered cranio-caudally by centroid
  table,       ///< the labels of a user's label_table whose kind is disc, with its level names
  components,  ///< discs share labels: each 26-connected piece of a label is a disc, ordered
               ///< cranio-caudally by centroid (a binary mask of all discs, for instance)
};

/// A piece is a fragment, when no voxel count is given, below this fraction of the median voxel
/// count of the other discs of its case (the contract's "Level names and fragments").
inline constexpr double fragment_fraction_of_median = 0.1;

struct disc_table_options {
  disc_label_scheme scheme = disc_label_scheme::spider;
  std::string lowest_level = "L5/S1";  ///< level name of the lowest disc (spider, ordinal)
  /// Fewer voxels: status "fragment", not measured, no level. Not given: fewer than
  /// fragment_fraction_of_median x the median voxel count of the case's other discs.
  std::optional<std::size_t> min_voxels{};
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
  std::string status = "ok";  ///< ok, empty, fragment, or short reasons joined by "; "
};

/// True for a disc that was measured (status ok, or only some measures cut by the field of view):
/// the rows a cohort analysis keeps.
[[nodiscard]] inline bool is_measured_status(std::string_view status) noexcept {
  return status == "ok" || status.ends_with("cut by field of view");
}

/// Measures one disc (a voxel set) by the contract's definitions. An empty set gets status
/// "empty", a set with fewer than `min_voxels` voxels "fragment" (counted, not measured); a
/// middle slice without disc voxels leaves its measures empty with the status naming it.
///
/// Field of view: a measure is cut, left empty with the status "<measure> cut by field of view",
/// when the voxels it is taken from touch the array border on both faces across which it is
/// measured (measure_cut_by_field_of_view). A disc that fills the left-right field of view of a
/// sagittal series has no lateral width, only a lower bound, and says so.
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
  std::vector<std::string> reasons;
  if (!m.ap_width_mm || !m.lateral_width_mm) {
    reasons.emplace_back("middle slice empty");
  } else if (!m.sagittal_angle_deg || !m.coronal_angle_deg || !m.transverse_angle_deg) {
    reasons.emplace_back("angle undefined");
  }
  std::string cut;
  const auto leave_out_if_cut = [&](std::optional<double>& value, const char* name,
                                    std::optional<anatomical_axis> slice_normal,
                                    anatomical_axis measured) {
    if (value && measure_cut_by_field_of_view(set, slice_normal, measured)) {
      value.reset();
      cut += cut.empty() ? name : std::string(" and ") + name;
    }
  };
  leave_out_if_cut(m.height_mm, "height", std::nullopt, anatomical_axis::si);
  leave_out_if_cut(m.ap_width_mm, "ap width", anatomical_axis::lr, anatomical_axis::ap);
  leave_out_if_cut(m.lateral_width_mm, "lateral width", anatomical_axis::si, anatomical_axis::lr);
  if (!cut.empty())
    reasons.push_back(cut + " cut by field of view");
  if (!reasons.empty()) {
    m.status = reasons.front();
    for (std::size_t r = 1; r < reasons.size(); ++r) {
      m.status += "; ";
      m.status += reasons[r];
    }
  }
  return m;
}

namespace detail {

/// The voxel counts below which each of `counts` is a fragment: `min_voxels` when given, else
/// fragment_fraction_of_median x the median of the other counts (none for a lone disc).
[[nodiscard]] inline std::vector<double> fragment_thresholds(
    const std::vector<std::size_t>& counts, const std::optional<std::size_t>& min_voxels) {
  std::vector<double> thresholds(counts.size(), 0.0);
  for (std::size_t n = 0; n < counts.size(); ++n) {
    if (min_voxels) {
      thresholds[n] = static_cast<double>(*min_voxels);
      continue;
    }
    std::vector<std::size_t> others;
    for (std::size_t o = 0; o < counts.size(); ++o) {
      if (o != n)
        others.push_back(counts[o]);
    }
    if (others.empty())
      continue;
    std::sort(others.begin(), others.end());
    const std::size_t half = others.size() / 2;
    const double median = others.size() % 2 == 1
                              ? static_cast<double>(others[half])
                              : 0.5 * static_cast<double>(others[half - 1] + others[half]);
    thresholds[n] = fragment_fraction_of_median * median;
  }
  return thresholds;
}

}  // namespace detail

/// One disc found in a label map, before it is measured.
struct found_disc {
  std::int64_t label = 0;
  voxel_set set;          ///< every voxel of the label (of the piece, with the components scheme)
  std::string level;      ///< empty for a fragment
  bool fragment = false;  ///< too few voxels to be measured (see find_discs)
};

/// The discs of a label map, lowest first, with their level names, not measured: what
/// measure_discs measures, and what other conventions (geometry/perrone.hpp) start from.
///
/// A disc is every voxel of its label, whatever their connectivity (manual masks carry stray
/// voxels and published volumes count them). With the components scheme, each 26-connected piece
/// of a label is a disc. Order: SPIDER by label (201 the lowest); ordinal, table and components
/// by the cranio-caudal order of the centroids (LPS z), a stable sort.
///
/// Fragments (docs/geometry.md, "Level names and fragments"): a disc with fewer voxels than
/// `min_voxels`, or, when that is not given, than a tenth of the median voxel count of the other
/// discs, is a fragment and takes no level name. Level names, for the other discs only: SPIDER
/// from the label (201 = the lowest level); ordinal and components by the cranio-caudal order,
/// counting non-fragments only, so a stray piece does not shift the names of the real discs;
/// table from the user's table. `largest_component` is for measure_discs and ignored here.
///
/// \throws precondition_error for an invalid geometry, an unparsable lowest level, or the table
///         scheme without a table.
template <volume_like Labels>
[[nodiscard]] std::vector<found_disc> find_discs(Labels&& labels, const image_geometry& geometry,
                                                 const disc_table_options& options = {}) {
  DISCGEOM_PRECONDITION(options.scheme != disc_label_scheme::table || options.table != nullptr,
                        "find_discs", "options.scheme is table but options.table is null");
  const disc_level_names names(options.lowest_level);
  auto structures = collect_label_voxels(labels, geometry);

  struct candidate {
    std::int64_t label;
    voxel_set* set;
    double order;  // lower = more caudal
    std::string level;
  };
  std::vector<voxel_set> pieces;  // the components scheme's discs
  std::vector<std::int64_t> piece_labels;
  if (options.scheme == disc_label_scheme::components) {
    for (const auto& s : structures) {
      for (auto& part : split_components(s.set, connectivity3::corners)) {
        pieces.push_back(std::move(part));
        piece_labels.push_back(static_cast<std::int64_t>(s.label));
      }
    }
  }
  std::vector<candidate> discs;
  for (std::size_t p = 0; p < pieces.size(); ++p)  // pieces no longer grows: stable addresses
    discs.push_back({piece_labels[p], &pieces[p], centroid(pieces[p]).physical[2], {}});
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
      case disc_label_scheme::components:
        break;
    }
  }
  std::stable_sort(discs.begin(), discs.end(),
                   [](const auto& a, const auto& b) { return a.order < b.order; });
  std::vector<std::size_t> counts;
  for (const auto& d : discs)
    counts.push_back(d.set->voxels.size());
  const auto thresholds = detail::fragment_thresholds(counts, options.min_voxels);

  std::vector<found_disc> found;
  found.reserve(discs.size());
  std::size_t ordinal_level = 0;  // ordinal levels count measured discs only: a fragment takes none
  for (std::size_t n = 0; n < discs.size(); ++n) {
    found_disc d;
    d.label = discs[n].label;
    d.fragment = static_cast<double>(counts[n]) < thresholds[n];
    if (!d.fragment) {
      const bool by_position = options.scheme == disc_label_scheme::ordinal ||
                               options.scheme == disc_label_scheme::components;
      d.level = by_position ? names.name(ordinal_level++) : discs[n].level;
    }
    d.set = std::move(*discs[n].set);  // each structure or piece is one disc at most
    found.push_back(std::move(d));
  }
  return found;
}

/// The discs that find_discs found, each measured (see disc_measures): a fragment is counted
/// (voxels, volume) with status "fragment", not measured; `largest_component` measures only the
/// largest 26-connected component of each disc and reports `voxels_left_out`.
[[nodiscard]] inline std::vector<disc_measures> measure_found_discs(
    const std::vector<found_disc>& discs, const disc_table_options& options = {}) {
  std::vector<disc_measures> rows;
  rows.reserve(discs.size());
  for (const auto& d : discs) {
    const voxel_set* measured = &d.set;
    std::vector<voxel_set> components;
    if (options.largest_component && !d.fragment) {
      components = split_components(d.set, connectivity3::corners);
      measured = &components.front();
    }
    disc_measures m;
    if (d.fragment) {  // counted, not measured
      m.voxels = d.set.voxels.size();
      m.volume_mm3 = volume_mm3(d.set);
      m.status = "fragment";
    } else {
      m = measure_disc(*measured);
    }
    m.label = d.label;
    m.level = d.level;
    m.voxels_left_out = d.set.voxels.size() - measured->voxels.size();
    rows.push_back(std::move(m));
  }
  return rows;
}

/// The discs of a label map, lowest first, each measured (see disc_measures):
/// measure_found_discs(find_discs(labels, geometry, options), options).
///
/// A disc is every voxel of its label, whatever their connectivity (manual masks carry stray
/// voxels and published volumes count them), unless `largest_component` asks for the largest
/// 26-connected component only (then `voxels_left_out` says how many were dropped). With the
/// components scheme, each 26-connected piece of a label is a disc.
///
/// Fragments (docs/geometry.md, "Level names and fragments"): a disc with fewer voxels than
/// `min_voxels`, or, when that is not given, than a tenth of the median voxel count of the other
/// discs, keeps its row with status "fragment", is not measured and takes no level name.
/// Level names, for measured discs only: SPIDER from the label (201 = the lowest level); ordinal
/// and components by the cranio-caudal order of the centroids, counting measured discs only, so
/// a stray piece does not shift the names of the real discs; table from the user's table.
///
/// \throws precondition_error for an invalid geometry, an unparsable lowest level, or the table
///         scheme without a table.
template <volume_like Labels>
[[nodiscard]] std::vector<disc_measures> measure_discs(Labels&& labels,
                                                       const image_geometry& geometry,
                                                       const disc_table_options& options = {}) {
  DISCGEOM_PRECONDITION(options.scheme != disc_label_scheme::table || options.table != nullptr,
                        "measure_discs", "options.scheme is table but options.table is null");
  return measure_found_discs(find_discs(labels, geometry, options), options);
}

}  // namespace discgeom
