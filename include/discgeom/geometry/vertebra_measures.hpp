// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The spine's curve in patient space from its vertebral bodies (Hess et al. place a model's
/// joints from vertebral and disc centroids): per vertebra its centroid in LPS mm, its height and
/// the inclinations of its upper and lower endplates in the sagittal plane. Definitions:
/// docs/geometry.md ("Vertebrae").
///
///   height_mm          = N * s_SI / (number of SI columns holding the body), as disc_height;
///   endplate angle     = atan of the least-squares slope of the endplate points in the middle
///                        sagittal slice, (anterior, superior) mm: for each AP row of the slice
///                        within the central 80 % of the body's AP extent, the top voxel centre
///                        (upper endplate) or the bottom one (lower); positive when the anterior
///                        end is higher, as the discs' sagittal_angle_deg.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <numbers>
#include <optional>
#include <string>
#include <vector>

#include "discgeom/as_volume.hpp"
#include "discgeom/geometry/disc_measures.hpp"
#include "discgeom/geometry/structure_measures.hpp"
#include "discgeom/mask/label_scheme.hpp"
#include "discgeom/mask/structures.hpp"

namespace discgeom {

/// One vertebral body.
struct vertebra_measures {
  std::string name;  ///< e.g. "L5" (empty for a fragment)
  std::int64_t label = 0;
  std::size_t voxels = 0;
  double volume_mm3 = 0.0;
  std::optional<vec3> centroid_mm;
  std::optional<double> height_mm;
  std::optional<double> upper_endplate_deg, lower_endplate_deg;
  std::string status = "ok";  ///< ok, fragment, or what could not be measured
};

/// The inclination (degrees) of one endplate of a body: see the file's definition. Empty with
/// fewer than two AP rows in the middle sagittal slice.
[[nodiscard]] inline std::optional<double> endplate_inclination_deg(const voxel_set& set,
                                                                    bool upper) {
  const auto on_slice = middle_slice_voxels(set, anatomical_axis::lr);
  const std::size_t ap = set.geometry.array_axis(anatomical_axis::ap);
  const std::size_t si = set.geometry.array_axis(anatomical_axis::si);
  const auto& d = set.geometry.direction;
  const double si_sign = d[2][si] >= 0 ? 1.0 : -1.0;  // does the SI index grow superiorly?
  std::map<std::uint32_t, std::uint32_t> extreme;     // AP index -> SI index of the endplate voxel
  for (const auto& v : on_slice) {
    const auto [at, inserted] = extreme.emplace(v[ap], v[si]);
    if (!inserted) {
      const bool higher = si_sign > 0 ? v[si] > at->second : v[si] < at->second;
      if (higher == upper)
        at->second = v[si];
    }
  }
  if (extreme.size() < 2)
    return std::nullopt;
  const std::uint32_t first = extreme.begin()->first, last = extreme.rbegin()->first;
  const double span = static_cast<double>(last - first);
  double sa = 0, ss = 0, saa = 0, sas = 0, n = 0;
  for (const auto& [a, s] : extreme) {
    const double t = span > 0 ? (static_cast<double>(a - first)) / span : 0.5;
    if (t < 0.1 || t > 0.9)
      continue;
    voxel_index index = on_slice.front();
    index[ap] = a;
    index[si] = s;
    const vec3 p = set.geometry.index_to_physical(index);
    const double anterior = -p[1], superior = p[2];
    sa += anterior;
    ss += superior;
    saa += anterior * anterior;
    sas += anterior * superior;
    n += 1;
  }
  const double denominator = n * saa - sa * sa;
  if (n < 2 || std::abs(denominator) <= 1e-12 * std::max(1.0, n * saa))
    return std::nullopt;
  const double slope = (n * sas - sa * ss) / denominator;
  return std::atan(slope) * 180.0 / std::numbers::pi;
}

/// The vertebral bodies of a SPIDER label map (labels 1-25, 1 the lowest), lowest first, named
/// from `lowest_level` (the lowest disc's level: its upper vertebra is label 1's name). A body
/// with fewer voxels than a tenth of the median of the others is a fragment, not measured.
/// \throws precondition_error for an invalid geometry or lowest level
template <volume_like Labels>
[[nodiscard]] std::vector<vertebra_measures> measure_vertebrae(
    Labels&& labels, const image_geometry& geometry, const std::string& lowest_level = "L5/S1") {
  const disc_level_names names(lowest_level);
  auto structures = collect_label_voxels(labels, geometry);
  std::vector<std::pair<std::size_t, const voxel_set*>> bodies;
  for (const auto& s : structures) {
    const auto info = spider_structure(static_cast<std::int64_t>(s.label));
    if (info.kind == structure_kind::vertebra)
      bodies.emplace_back(*info.from_bottom, &s.set);
  }
  std::sort(bodies.begin(), bodies.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::size_t> counts;
  for (const auto& b : bodies)
    counts.push_back(b.second->voxels.size());
  // The discs' rule: a tenth of the median of the other bodies.
  const auto thresholds = detail::fragment_thresholds(counts, std::nullopt);
  std::vector<vertebra_measures> rows;
  for (std::size_t n = 0; n < bodies.size(); ++n) {
    const voxel_set& set = *bodies[n].second;
    vertebra_measures v;
    v.label = static_cast<std::int64_t>(bodies[n].first + 1);
    v.voxels = set.voxels.size();
    v.volume_mm3 = volume_mm3(set);
    if (static_cast<double>(v.voxels) < thresholds[n]) {
      v.status = "fragment";
      rows.push_back(std::move(v));
      continue;
    }
    const std::string level = names.name(bodies[n].first);
    v.name = level.substr(0, level.find('/'));
    v.centroid_mm = centroid(set).physical;
    v.height_mm = disc_height(set);
    v.upper_endplate_deg = endplate_inclination_deg(set, true);
    v.lower_endplate_deg = endplate_inclination_deg(set, false);
    if (measure_cut_by_field_of_view(set, std::nullopt, anatomical_axis::si)) {
      v.height_mm.reset();
      v.status = "height cut by field of view";
    } else if (!v.upper_endplate_deg || !v.lower_endplate_deg) {
      v.status = "endplate undefined";
    }
    rows.push_back(std::move(v));
  }
  return rows;
}

}  // namespace discgeom
