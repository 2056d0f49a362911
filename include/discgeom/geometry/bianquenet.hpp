// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// BianqueNet-style disc indices (Zheng et al., Nature Communications 2022; docs/references.md)
/// on mid-sagittal slices, in mm, for SPIDER label maps with vertebral bodies (labels 1-25).
/// The paper gives the formulas in a supplement; the definitions here are made precise as
/// follows (docs/geometry.md):
///
/// - In-plane coordinates of a structure's middle sagittal slice: index x spacing along its two
///   array axes (physical lengths). The disc's long axis e is the major axis (PCA) of its pixel
///   centres; pixels project to t = x . e, and the disc spans [a, b] = [min t - w/2, max t + w/2]
///   with w = |e_1| s_1 + |e_2| s_2 the projected pixel width. Full AP width W = b - a.
/// - DH = area of the pixels whose centre lies in the central 80% [a + 0.1 W, b - 0.1 W] divided
///   by the length of that band, 0.8 W: the mean height of the central disc, which the paper calls
///   area / distance between the anterior and posterior mid-points of the central region.
/// - HV (vertebral body) = area of its middle sagittal section / the length of the side of its
///   minimum-area rectangle that runs antero-posteriorly (the mean of its upper and lower edges
///   for a rectangular body).
/// - DHI = 2 DH / (HV above + HV below); at the lowest disc, whose lower neighbour (the sacrum)
///   is not a labelled body, DHI = DH / HV above.
/// - HDR = DH / W.
/// SPIDER disc 200 + n lies below vertebra n and above vertebra n - 1.

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "discgeom/geometry/convex_hull.hpp"
#include "discgeom/geometry/structure_measures.hpp"
#include "discgeom/mask/label_scheme.hpp"
#include "discgeom/mask/structures.hpp"

namespace discgeom {

struct bianquenet_indices {
  std::int64_t label = 0;             ///< SPIDER disc label
  std::optional<double> dh_mm;        ///< disc height of the central 80%
  std::optional<double> ap_width_mm;  ///< W, along the disc's long axis
  std::optional<double> hv_above_mm, hv_below_mm;
  std::optional<double> dhi, hdr;
  std::string status = "ok";  ///< ok, or what is missing
};

namespace detail {

struct slice_pixels {
  std::vector<point2> centres;  ///< in-plane mm
  double s_u = 1.0, s_v = 1.0;  ///< pixel size along the two in-plane array axes
  std::size_t u_axis = 0, v_axis = 1;
};

inline slice_pixels sagittal_pixels(const voxel_set& set) {
  slice_pixels px;
  const std::size_t fixed = set.geometry.array_axis(anatomical_axis::lr);
  px.u_axis = fixed == 0 ? 1 : 0;
  px.v_axis = 3 - fixed - px.u_axis;
  px.s_u = set.geometry.spacing[px.u_axis];
  px.s_v = set.geometry.spacing[px.v_axis];
  for (const auto& v : middle_slice_voxels(set, anatomical_axis::lr)) {
    px.centres.push_back({v[px.u_axis] * px.s_u, v[px.v_axis] * px.s_v});
  }
  return px;
}

/// DH and W of a disc section (nullopt when fewer than 2 pixels or no major axis).
inline std::optional<std::array<double, 2>> central_disc_height(const slice_pixels& px) {
  const auto major = major_axis_2d(px.centres);
  if (!major)
    return std::nullopt;
  const double eu = major->x, ev = major->y;
  double low = INFINITY, high = -INFINITY;
  for (const auto& p : px.centres) {
    const double t = p.x * eu + p.y * ev;
    low = std::min(low, t);
    high = std::max(high, t);
  }
  const double w = std::abs(eu) * px.s_u + std::abs(ev) * px.s_v;
  const double start = low - w / 2.0, width = high - low + w;
  std::size_t central = 0;
  for (const auto& p : px.centres) {
    const double t = p.x * eu + p.y * ev;
    if (t >= start + 0.1 * width && t <= start + 0.9 * width)
      ++central;
  }
  const double area = static_cast<double>(central) * px.s_u * px.s_v;
  return std::array<double, 2>{area / (0.8 * width), width};
}

/// HV of a vertebral-body section (nullopt when empty).
inline std::optional<double> vertebral_height(const voxel_set& body) {
  const auto rect = slice_min_area_rectangle(body, anatomical_axis::lr);
  if (!rect)
    return std::nullopt;
  // The rectangle's x runs along the first in-plane array axis of the sagittal slice.
  const std::size_t fixed = body.geometry.array_axis(anatomical_axis::lr);
  const std::size_t u_axis = fixed == 0 ? 1 : 0, v_axis = 3 - fixed - u_axis;
  const bool u_is_ap = body.geometry.anatomical_axes()[u_axis] == anatomical_axis::ap;
  const double along_ap = std::abs(u_is_ap ? rect->long_axis.x : rect->long_axis.y);
  const double ap_side = along_ap >= std::sqrt(0.5) ? rect->long_side : rect->short_side;
  if (ap_side <= 0.0)
    return std::nullopt;
  const auto pixels = static_cast<double>(middle_slice_voxels(body, anatomical_axis::lr).size());
  return pixels * body.geometry.spacing[u_axis] * body.geometry.spacing[v_axis] / ap_side;
}

}  // namespace detail

/// The BianqueNet indices of every SPIDER disc (201-225) of a label map, lowest first.
/// Status names what is missing: "no vertebra above" (then DHI is empty), "middle slice empty".
/// \throws precondition_error for an invalid geometry.
template <volume_like Labels>
[[nodiscard]] std::vector<bianquenet_indices> measure_bianquenet(Labels&& labels,
                                                                 const image_geometry& geometry) {
  const auto structures = collect_label_voxels(labels, geometry);
  std::map<std::int64_t, const voxel_set*> by_label;
  for (const auto& s : structures)
    by_label[static_cast<std::int64_t>(s.label)] = &s.set;
  std::vector<bianquenet_indices> result;
  for (const auto& [label, set] : by_label) {
    if (spider_structure(label).kind != structure_kind::disc)
      continue;
    bianquenet_indices m;
    m.label = label;
    const auto dh = detail::central_disc_height(detail::sagittal_pixels(*set));
    if (!dh) {
      m.status = "middle slice empty";
      result.push_back(m);
      continue;
    }
    m.dh_mm = (*dh)[0];
    m.ap_width_mm = (*dh)[1];
    m.hdr = *m.dh_mm / *m.ap_width_mm;
    const std::int64_t above = label - 200, below = label - 201;
    if (const auto found = by_label.find(above); found != by_label.end())
      m.hv_above_mm = detail::vertebral_height(*found->second);
    if (below >= 1) {
      if (const auto found = by_label.find(below); found != by_label.end())
        m.hv_below_mm = detail::vertebral_height(*found->second);
    }
    if (!m.hv_above_mm) {
      m.status = "no vertebra above";
    } else if (below >= 1 && !m.hv_below_mm) {
      m.status = "no vertebra below";
    } else {
      m.dhi = below >= 1 ? 2.0 * *m.dh_mm / (*m.hv_above_mm + *m.hv_below_mm)
                         : *m.dh_mm / *m.hv_above_mm;
    }
    result.push_back(m);
  }
  return result;
}

}  // namespace discgeom
