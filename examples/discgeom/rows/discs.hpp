// SPDX-License-Identifier: MIT
#pragma once
// The per-disc tables of `discgeom discs` (docs/cli.md) and discgeom.discs (docs/python.md):
// their columns and the row of each measured disc, for both conventions. The program puts a
// "case" column in front (cli::case_columns, cli::case_row); the module returns them as they are.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cells.hpp"
#include "discgeom/enum_names.hpp"
#include "discgeom/geometry/disc_measures.hpp"
#include "discgeom/geometry/perrone.hpp"
#include "discgeom/image.hpp"
#include "discgeom/image_geometry.hpp"
#include "discgeom/traits.hpp"

namespace discgeom::rows {

/// The columns of the discgeom convention (lengths in mm, angles in degrees,
/// docs/geometry.md); voxels_left_out last with --largest-component.
inline std::vector<std::string> discs_columns(bool largest_component) {
  std::vector<std::string> columns{"level",
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

/// The columns of the perrone convention: ours around the released code's six (its names and
/// units: resampled voxels and degrees, geometry/perrone.hpp).
inline std::vector<std::string> perrone_discs_columns() {
  std::vector<std::string> columns{"level", "label", "voxels", "pieces", "blob_voxels"};
  columns.insert(columns.end(), perrone_column_names.begin(), perrone_column_names.end());
  columns.insert(columns.end(), {"fov_check", "status"});
  return columns;
}

/// The row of one measured disc, in discs_columns(largest_component)'s order; touches_border is
/// 1 or 0, missing for an empty disc.
inline row disc_row(const disc_measures& d, bool largest_component) {
  row out{text(d.level), number(static_cast<double>(d.label)), count(d.voxels),
          number(d.volume_mm3)};
  for (std::size_t axis = 0; axis < 3; ++axis)
    out.push_back(d.centroid_mm ? number((*d.centroid_mm)[axis]) : cell{});
  for (const auto& value : {d.height_mm, d.ap_width_mm, d.lateral_width_mm, d.sagittal_angle_deg,
                            d.coronal_angle_deg, d.transverse_angle_deg, d.minrect_height_mm})
    out.push_back(number(value));
  out.push_back(d.status == "empty" ? cell{} : number(d.touches_border ? 1.0 : 0.0));
  out.push_back(text(d.status));
  if (largest_component)
    out.push_back(count(d.voxels_left_out));
  return out;
}

/// The perrone-convention rows of one label map (its `shape` and `geometry`), lowest disc first:
/// each disc (fragments excepted) is relabelled to its SPIDER value (SPIDER labels as they are;
/// other schemes perrone_first_disc_label, +1, ... from the lowest disc), the relabelled map goes
/// through perrone_geometry, and each disc's row takes the values of its largest blob. A fragment
/// keeps its row, not measured (status "fragment").
inline std::vector<row> perrone_disc_rows(const std::array<std::size_t, 3>& shape,
                                          const image_geometry& geometry,
                                          const std::vector<found_disc>& discs,
                                          disc_label_scheme scheme) {
  auto spider = image<std::int16_t>::filled(shape, geometry, 0);
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
  const std::size_t width = perrone_discs_columns().size();
  std::vector<row> rows;
  for (std::size_t d = 0; d < discs.size(); ++d) {
    row out{text(discs[d].level), number(static_cast<double>(discs[d].label)),
            count(discs[d].set.voxels.size())};
    const perrone_disc* found = nullptr;
    for (const auto& p : result.discs)
      if (p.label == spider_label[d])
        found = &p;
    if (discs[d].fragment || found == nullptr) {
      out.resize(width);
      out.back() = text(discs[d].fragment ? "fragment" : std::string(to_string(result.status)));
      rows.push_back(std::move(out));
      continue;
    }
    out.push_back(count(found->pieces));
    const perrone_blob* blob = found->largest ? &result.blobs[*found->largest] : nullptr;
    out.push_back(blob ? count(blob->voxels) : cell{});
    const std::optional<perrone_values> values = blob ? blob->values : std::nullopt;
    for (const auto value :
         {&perrone_values::disc_height, &perrone_values::ap_width, &perrone_values::lat_width,
          &perrone_values::sag_angle, &perrone_values::axial_angle, &perrone_values::front_angle})
      out.push_back(values ? number((*values).*value) : cell{});
    out.push_back(text(result.field_of_view_check ? "pass" : "fail"));
    out.push_back(text(std::string(
        to_string(result.status != perrone_status::ok ? result.status : found->status))));
    rows.push_back(std::move(out));
  }
  return rows;
}

/// The centroid (LPS mm) of one label's voxels in a label map (a volume_view, its voxels read
/// through voxel_traits), or nothing when the label is absent: the spinal canal's (SPIDER label
/// 100) tells posterior from anterior in the discs' spacing check (check_disc_spacing).
/// centroid = geometry.index_to_physical(mean voxel index of the label).
template <class View>
std::optional<vec3> label_centroid_mm(const View& labels, const image_geometry& geometry,
                                      std::int64_t label) {
  using traits = voxel_traits<typename View::value_type>;
  const auto shape = labels.shape();
  vec3 sum{0.0, 0.0, 0.0};
  double voxels = 0.0;
  for (std::size_t k = 0; k < shape[2]; ++k)
    for (std::size_t j = 0; j < shape[1]; ++j)
      for (std::size_t i = 0; i < shape[0]; ++i) {
        const auto& v = labels(i, j, k);
        if (traits::is_foreground(v) && static_cast<std::int64_t>(traits::label(v)) == label) {
          sum[0] += static_cast<double>(i);
          sum[1] += static_cast<double>(j);
          sum[2] += static_cast<double>(k);
          voxels += 1.0;
        }
      }
  if (voxels == 0.0)
    return std::nullopt;
  return geometry.index_to_physical(vec3{sum[0] / voxels, sum[1] / voxels, sum[2] / voxels});
}

}  // namespace discgeom::rows
