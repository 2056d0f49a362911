// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The post-processing of a segmentation as one step, in Hess et al.'s order ("postprocessing
/// was applied to all segmentations to smooth edges, fill holes, and isolate the largest
/// connected components", Hess et al. 2023, docs/references.md): per label, (1) edge smoothing
/// by a morphological opening then a closing with a ball of a radius in mm, (2) hole filling in
/// 3D or slice by slice in an anatomical plane, (3) keeping the largest connected component.
/// Core, no LibTorch: `segment` (nn/segmenter.hpp) calls it on the labels a network decided.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <type_traits>
#include <vector>

#include "discgeom/as_volume.hpp"
#include "discgeom/concepts.hpp"
#include "discgeom/enum_names.hpp"
#include "discgeom/error.hpp"
#include "discgeom/image.hpp"
#include "discgeom/image_geometry.hpp"
#include "discgeom/mask/cleanup.hpp"
#include "discgeom/mask/connected_components.hpp"
#include "discgeom/mask/morphology.hpp"

namespace discgeom {

/// Where postprocess_labels fills holes.
enum class hole_filling {
  off,     ///< no hole filling
  volume,  ///< in 3D: background regions (face-connected) that do not reach the array border
  slices,  ///< slice by slice in `postprocess_settings::hole_plane` (4-connected in the slice)
};

template <>
struct enum_names<hole_filling> {
  static constexpr std::array<enum_name<hole_filling>, 3> table{{
      {hole_filling::off, "off"},
      {hole_filling::volume, "volume"},
      {hole_filling::slices, "slices"},
  }};
};

/// The settings of postprocess_labels. The defaults are what `segment` has always done: no
/// smoothing, 3D hole filling, the largest component of each label.
struct postprocess_settings {
  /// Radius r of the ball (mm) of the opening and closing; 0: no smoothing.
  double smoothing_radius_mm = 0.0;
  hole_filling holes = hole_filling::volume;
  /// hole_filling::slices: the plane of the slices (its normal array axis comes from the
  /// geometry's direction cosines).
  anatomical_plane hole_plane = anatomical_plane::sagittal;
  bool keep_largest_component = true;
  /// Of the components in step 3 (the holes' background is always face-connected).
  connectivity3 connectivity = connectivity3::corners;
};

/// What each step of postprocess_labels changed, in voxels (and components).
struct postprocess_report {
  std::size_t labels = 0;                    ///< distinct non-zero labels in the input
  std::size_t smoothing_removed = 0;         ///< voxels the opening/closing set to background
  std::size_t smoothing_added = 0;           ///< background voxels the closing gave a label
  std::size_t holes_filled = 0;              ///< background voxels filled as holes
  std::size_t components_removed = 0;        ///< components dropped by keep_largest_component
  std::size_t component_voxels_removed = 0;  ///< their voxels
};

namespace detail {

/// Opening then closing of one label's binary mask `in` (the label's bounding box padded by the
/// element's reach, so that the closing sees no array border) by `element`.
inline image<std::uint8_t> open_close(const image<std::uint8_t>& in,
                                      const structuring_element& element) {
  const auto opened = detail::apply(detail::apply(in, element, false), element, true);
  return detail::apply(detail::apply(opened, element, true), element, false);
}

/// Step (1) of postprocess_labels on a view of labels: every label computed from the input.
template <class T>
void smooth_labels(const volume_view<T, 3>& view, const image_geometry& geometry, double radius_mm,
                   postprocess_report& report) {
  const auto element = ellipsoid_element(geometry, {radius_mm, radius_mm, radius_mm});
  std::array<std::size_t, 3> reach{};
  for (const auto& o : element.offsets)
    for (std::size_t d = 0; d < 3; ++d)
      reach[d] = std::max(reach[d], static_cast<std::size_t>(o[d] < 0 ? -o[d] : o[d]));
  const auto shape = view.shape();
  struct box {
    std::array<std::size_t, 3> lower, upper;  // inclusive
  };
  std::map<T, box> boxes;
  for (std::size_t k = 0; k < shape[2]; ++k)
    for (std::size_t j = 0; j < shape[1]; ++j)
      for (std::size_t i = 0; i < shape[0]; ++i) {
        const T v = view(i, j, k);
        if (v == T{})
          continue;
        const std::array<std::size_t, 3> p{i, j, k};
        auto [it, inserted] = boxes.try_emplace(v, box{p, p});
        if (!inserted)
          for (std::size_t d = 0; d < 3; ++d) {
            it->second.lower[d] = std::min(it->second.lower[d], p[d]);
            it->second.upper[d] = std::max(it->second.upper[d], p[d]);
          }
      }
  // The smoothed masks S_l, each on its padded box, all from the input labels.
  struct smoothed {
    T label;
    std::array<std::ptrdiff_t, 3> origin;  // array index of the padded box's voxel 0
    image<std::uint8_t> mask;
  };
  std::vector<smoothed> masks;
  for (const auto& [label, b] : boxes) {
    std::array<std::size_t, 3> padded{};
    std::array<std::ptrdiff_t, 3> origin{};
    for (std::size_t d = 0; d < 3; ++d) {
      padded[d] = b.upper[d] - b.lower[d] + 1 + 2 * reach[d];
      origin[d] = static_cast<std::ptrdiff_t>(b.lower[d]) - static_cast<std::ptrdiff_t>(reach[d]);
    }
    auto in = image<std::uint8_t>::filled(padded, geometry, 0);
    for (std::size_t k = b.lower[2]; k <= b.upper[2]; ++k)
      for (std::size_t j = b.lower[1]; j <= b.upper[1]; ++j)
        for (std::size_t i = b.lower[0]; i <= b.upper[0]; ++i)
          if (view(i, j, k) == label)
            in.voxels(i - b.lower[0] + reach[0], j - b.lower[1] + reach[1],
                      k - b.lower[2] + reach[2]) = 1;
    masks.push_back({label, origin, open_close(in, element)});
  }
  const auto in_mask = [&](const smoothed& s, std::size_t i, std::size_t j, std::size_t k) {
    const std::array<std::ptrdiff_t, 3> q{static_cast<std::ptrdiff_t>(i) - s.origin[0],
                                          static_cast<std::ptrdiff_t>(j) - s.origin[1],
                                          static_cast<std::ptrdiff_t>(k) - s.origin[2]};
    const auto m = s.mask.shape();
    for (std::size_t d = 0; d < 3; ++d)
      if (q[d] < 0 || q[d] >= static_cast<std::ptrdiff_t>(m[d]))
        return false;
    return s.mask.voxels(static_cast<std::size_t>(q[0]), static_cast<std::size_t>(q[1]),
                         static_cast<std::size_t>(q[2])) != 0;
  };
  // Write back: a labelled voxel keeps its label iff it lies in its S_l, else background; a
  // voxel that was background takes the smallest label whose S_l holds it. Removals are decided
  // on the input before additions are written, so the order of the labels does not matter.
  std::vector<std::array<std::size_t, 3>> removed;
  std::vector<std::pair<std::array<std::size_t, 3>, T>> added;
  std::map<T, std::size_t> index_of;
  for (std::size_t n = 0; n < masks.size(); ++n)
    index_of[masks[n].label] = n;
  for (std::size_t k = 0; k < shape[2]; ++k)
    for (std::size_t j = 0; j < shape[1]; ++j)
      for (std::size_t i = 0; i < shape[0]; ++i) {
        const T v = view(i, j, k);
        if (v != T{}) {
          if (!in_mask(masks[index_of[v]], i, j, k))
            removed.push_back({i, j, k});
          continue;
        }
        for (const auto& s : masks)  // in increasing label order (std::map)
          if (in_mask(s, i, j, k)) {
            added.push_back({{i, j, k}, s.label});
            break;
          }
      }
  for (const auto& p : removed)
    view(p[0], p[1], p[2]) = T{};
  for (const auto& [p, label] : added)
    view(p[0], p[1], p[2]) = label;
  report.smoothing_removed += removed.size();
  report.smoothing_added += added.size();
}

/// Step (2): each label's holes filled, only into voxels that are background in the map.
template <class T>
void fill_label_holes(const volume_view<T, 3>& view, const image_geometry& geometry,
                      const postprocess_settings& settings, const std::vector<T>& labels,
                      postprocess_report& report) {
  const auto shape = view.shape();
  const std::size_t normal = settings.holes == hole_filling::slices
                                 ? geometry.array_axis(normal_of(settings.hole_plane))
                                 : 0;
  for (const T label : labels) {
    auto one = image<std::uint8_t>::filled(shape, geometry, 0);
    for (std::size_t k = 0; k < shape[2]; ++k)
      for (std::size_t j = 0; j < shape[1]; ++j)
        for (std::size_t i = 0; i < shape[0]; ++i)
          one.voxels(i, j, k) = view(i, j, k) == label ? 1 : 0;
    const auto filled = settings.holes == hole_filling::slices
                            ? fill_holes_slicewise(one, normal, std::uint8_t{1})
                            : fill_holes(one, std::uint8_t{1});
    if (filled.voxels_changed == 0)
      continue;
    for (std::size_t k = 0; k < shape[2]; ++k)
      for (std::size_t j = 0; j < shape[1]; ++j)
        for (std::size_t i = 0; i < shape[0]; ++i)
          if (one.voxels(i, j, k) != 0 && view(i, j, k) == T{}) {
            view(i, j, k) = label;
            ++report.holes_filled;
          }
  }
}

}  // namespace detail

/// Post-processes a label map in place, in a fixed order, each label on its own (label 0 is
/// background):
///
/// 1. **Edge smoothing** (when `smoothing_radius_mm` r > 0): S_l = close(open(M_l)) of each
///    label's mask M_l with the ball B_r = { o : sum_d (o_d s_d / r)^2 <= 1 } on the voxel grid of
///    spacing s (ellipsoid_element, so the same r is the same physical size along a 0.4 mm and a
///    4 mm axis, and an axis whose spacing exceeds r is not smoothed along at all).
///    open(M) = dilate(erode(M)) removes spurs, bridges and islands thinner than the ball;
///    close(M) = erode(dilate(M)) then fills notches and gaps narrower than it. Opening comes
///    first so that noise outside the structure is removed before the closing could bridge it
///    onto the structure (the usual open-close alternating filter). The opening counts outside
///    the array as background (scipy's default); the closing is computed on the label's box padded
///    by the ball's reach, so that it never erodes from the array border (close is extensive:
///    S_l contains the opening). A labelled voxel keeps its label iff it lies in its S_l, else it
///    becomes background; a background voxel takes the smallest label whose S_l holds it. All S_l
///    are computed from the input, so the labels' order does not matter.
/// 2. **Hole filling** (`holes`): per label, the background regions enclosed by it (in 3D, or
///    slice by slice in `hole_plane`: fill_holes, fill_holes_slicewise) take the label, where
///    they are background in the map (a voxel of another label inside a hole keeps its label).
/// 3. **Largest component** (`keep_largest_component`): per label, every connected component
///    but the largest (keep_largest_component, ties: the first in scan order) becomes background.
///
/// The order is Hess et al.'s (smooth edges, fill holes, isolate the largest components). Filling
/// before selecting judges each component with its holes, and leaves one component per label
/// without holes: a filled hole touches the component that encloses it.
///
/// \tparam Labels  anything as_volume<3> accepts with writable integral voxels
/// \param labels    the label map, changed in place
/// \param geometry  its spacing (mm) and direction cosines (the hole plane's array axis)
/// \param settings  the steps; the defaults fill holes in 3D and keep the largest components
/// \returns the voxels (and components) each step changed
/// \throws precondition_error when smoothing_radius_mm is negative or not finite
///         ("postprocess_labels(): settings.smoothing_radius_mm must be finite and >= 0, got
///         -1"), or the geometry is invalid
/// Complexity: smoothing O(sum over labels of box voxels x |B_r|); holes O(labels x n);
/// components O(n).
///
///   auto report = discgeom::postprocess_labels(seg.voxels, seg.geometry,
///                                              {.smoothing_radius_mm = 1.5});
template <volume_like Labels>
postprocess_report postprocess_labels(Labels&& labels, const image_geometry& geometry,
                                      const postprocess_settings& settings = {}) {
  constexpr const char* function = "postprocess_labels";
  DISCGEOM_PRECONDITION(
      std::isfinite(settings.smoothing_radius_mm) && settings.smoothing_radius_mm >= 0.0, function,
      "settings.smoothing_radius_mm must be finite and >= 0, got ", settings.smoothing_radius_mm);
  geometry.validate(function);
  const auto view = as_volume<3>(labels);
  using element = typename decltype(view)::element_type;
  using T = std::remove_cv_t<element>;
  static_assert(!std::is_const_v<element>, "postprocess_labels(): pass a writable label map");
  static_assert(std::is_integral_v<T>, "postprocess_labels(): the labels must be integers");
  postprocess_report report;
  std::vector<T> present;
  for (std::size_t k = 0; k < view.shape(2); ++k)
    for (std::size_t j = 0; j < view.shape(1); ++j)
      for (std::size_t i = 0; i < view.shape(0); ++i) {
        const T v = view(i, j, k);
        if (v != T{} && std::find(present.begin(), present.end(), v) == present.end())
          present.push_back(v);
      }
  std::sort(present.begin(), present.end());
  report.labels = present.size();
  if (present.empty())
    return report;
  if (settings.smoothing_radius_mm > 0.0)
    detail::smooth_labels(view, geometry, settings.smoothing_radius_mm, report);
  if (settings.holes != hole_filling::off)
    detail::fill_label_holes(view, geometry, settings, present, report);
  if (settings.keep_largest_component) {
    const auto kept = keep_largest_component(view, geometry, settings.connectivity);
    report.components_removed = kept.components_removed;
    report.component_voxels_removed = kept.voxels_changed;
  }
  return report;
}

}  // namespace discgeom
