// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Clean-up of label maps in place: keep each label's largest component, remove components
/// smaller than a size in voxels or mm^3, fill holes (in 3D, or slice by slice in a plane).
/// Removed voxels become `background` (default `V{}`, label 0 for the built-in types).

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <type_traits>
#include <vector>

#include "discgeom/adapters/xtensor.hpp"
#include "discgeom/as_volume.hpp"
#include "discgeom/concepts.hpp"
#include "discgeom/error.hpp"
#include "discgeom/image_geometry.hpp"
#include "discgeom/mask/connected_components.hpp"

namespace discgeom {

/// What a clean-up changed.
struct cleanup_report {
  std::size_t components_removed = 0;  ///< (or holes filled)
  std::size_t voxels_changed = 0;
};

/// A minimum component size, in voxels or in mm^3 (whichever is set; both may be).
struct component_size {
  std::size_t voxels = 0;
  double volume_mm3 = 0.0;
};

namespace detail {

template <class Labels>
auto writable_view_3d(Labels& labels) {
  const auto view = as_volume<3>(labels);
  using element = typename decltype(view)::element_type;
  static_assert(!std::is_const_v<element>,
                "clean-up functions write into the label map: pass a non-const one");
  static_assert(label_voxel<std::remove_cv_t<element>>,
                "clean-up functions need label voxels: specialise discgeom::voxel_traits with "
                "is_foreground() and label()");
  return view;
}

/// Sets to `background` every voxel whose component `remove[id]` is true.
template <class T>
std::size_t erase_components(const volume_view<T, 3>& view,
                             const connected_components_result& components,
                             const std::vector<bool>& remove, const T& background) {
  std::size_t changed = 0;
  for (std::size_t k = 0; k < view.shape(2); ++k)
    for (std::size_t j = 0; j < view.shape(1); ++j)
      for (std::size_t i = 0; i < view.shape(0); ++i) {
        const auto id = components.ids(i, j, k);
        if (id != 0 && remove[id]) {
          view(i, j, k) = background;
          ++changed;
        }
      }
  return changed;
}

}  // namespace detail

/// Keeps, for every label, only its largest connected component (ties: the first in scan order);
/// the other components become `background`. Hess et al.'s post-processing step.
template <volume_like Labels, class Background = typename volume_view_of<Labels&>::value_type>
cleanup_report keep_largest_component(Labels&& labels, const image_geometry& geometry,
                                      connectivity3 connectivity = connectivity3::corners,
                                      const Background& background = Background{}) {
  const auto view = detail::writable_view_3d(labels);
  const auto components = connected_components(view, geometry, connectivity);
  std::map<std::int64_t, std::uint32_t> largest;  // label -> id of its largest component
  for (const auto& c : components.components) {
    const auto found = largest.find(c.label);
    if (found == largest.end() || components.components[found->second - 1].voxels < c.voxels)
      largest[c.label] = c.id;
  }
  std::vector<bool> remove(components.components.size() + 1, false);
  cleanup_report report;
  for (const auto& c : components.components) {
    if (largest[c.label] != c.id) {
      remove[c.id] = true;
      ++report.components_removed;
    }
  }
  report.voxels_changed = detail::erase_components(view, components, remove, background);
  return report;
}

/// Removes every connected component smaller than `minimum` (fewer voxels than
/// `minimum.voxels`, or a volume below `minimum.volume_mm3`).
/// \throws precondition_error when minimum.volume_mm3 is negative or not finite.
template <volume_like Labels, class Background = typename volume_view_of<Labels&>::value_type>
cleanup_report remove_small_components(Labels&& labels, const image_geometry& geometry,
                                       const component_size& minimum,
                                       connectivity3 connectivity = connectivity3::corners,
                                       const Background& background = Background{}) {
  DISCGEOM_PRECONDITION(std::isfinite(minimum.volume_mm3) && minimum.volume_mm3 >= 0.0,
                        "remove_small_components",
                        "minimum.volume_mm3 must be finite and >= 0, got ", minimum.volume_mm3);
  const auto view = detail::writable_view_3d(labels);
  const auto components = connected_components(view, geometry, connectivity);
  std::vector<bool> remove(components.components.size() + 1, false);
  cleanup_report report;
  for (const auto& c : components.components) {
    if (c.voxels < minimum.voxels || c.volume_mm3 < minimum.volume_mm3) {
      remove[c.id] = true;
      ++report.components_removed;
    }
  }
  report.voxels_changed = detail::erase_components(view, components, remove, background);
  return report;
}

namespace detail {

/// Fills the background regions of a 3D (or one-slice) view that do not reach the array border,
/// under face connectivity of the background, with `fill`.
template <class T>
cleanup_report fill_enclosed_background(const volume_view<T, 3>& view, const T& fill) {
  using traits = voxel_traits<std::remove_cv_t<T>>;
  // Background as a label map (1 = background), so its components can be found.
  xt::xtensor<std::uint8_t, 3, xt::layout_type::column_major> background =
      xt::xtensor<std::uint8_t, 3, xt::layout_type::column_major>::from_shape(view.shape());
  for (std::size_t k = 0; k < view.shape(2); ++k)
    for (std::size_t j = 0; j < view.shape(1); ++j)
      for (std::size_t i = 0; i < view.shape(0); ++i)
        background(i, j, k) = traits::is_foreground(view(i, j, k)) ? 0 : 1;
  const auto regions = connected_components(background, image_geometry{}, connectivity3::faces);
  std::vector<bool> hole(regions.components.size() + 1, true);
  for (const auto& r : regions.components) {
    for (std::size_t d = 0; d < 3; ++d) {
      // A region reaching the border of an axis with more than one voxel is outside.
      if (view.shape(d) > 1 && (r.lower[d] == 0 || r.upper[d] + 1 == view.shape(d)))
        hole[r.id] = false;
    }
  }
  cleanup_report report;
  for (const auto& r : regions.components)
    report.components_removed += hole[r.id] ? 1 : 0;
  report.voxels_changed = erase_components(view, regions, hole, fill);
  return report;
}

}  // namespace detail

/// Fills the holes of a mask in 3D: background regions (face-connected) that do not reach the
/// array border become `fill`. For a label map, pass the label to fill with.
template <volume_like Mask, class Fill>
cleanup_report fill_holes(Mask&& mask, const Fill& fill) {
  const auto view = as_volume<3>(mask);
  using element = typename decltype(view)::element_type;
  static_assert(!std::is_const_v<element>, "fill_holes(): pass a writable mask");
  static_assert(
      mask_voxel<std::remove_cv_t<element>>,
      "fill_holes(): specialise discgeom::voxel_traits for the voxel type with is_foreground()");
  return detail::fill_enclosed_background(view, static_cast<std::remove_cv_t<element>>(fill));
}

/// Fills holes slice by slice: in every slice normal to array axis `normal_axis`, background
/// regions (4-connected in the slice) that do not reach the slice's border become `fill`.
/// \throws precondition_error when normal_axis > 2.
template <volume_like Mask, class Fill>
cleanup_report fill_holes_slicewise(Mask&& mask, std::size_t normal_axis, const Fill& fill) {
  const auto view = as_volume<3>(mask);
  using element = typename decltype(view)::element_type;
  static_assert(!std::is_const_v<element>, "fill_holes_slicewise(): pass a writable mask");
  DISCGEOM_PRECONDITION(normal_axis < 3, "fill_holes_slicewise", "normal_axis ", normal_axis,
                        " is not 0, 1 or 2");
  cleanup_report total;
  for (std::size_t position = 0; position < view.shape(normal_axis); ++position) {
    const auto plane = slice(view, normal_axis, position);
    const auto report = detail::fill_enclosed_background(
        detail::as_one_slice_volume(plane), static_cast<std::remove_cv_t<element>>(fill));
    total.components_removed += report.components_removed;
    total.voxels_changed += report.voxels_changed;
  }
  return total;
}

/// Fills holes slice by slice in an anatomical plane (sagittal, coronal or transverse), whose
/// normal array axis comes from the direction cosines of `geometry`.
/// \throws precondition_error for an invalid geometry.
template <volume_like Mask, class Fill>
cleanup_report fill_holes_slicewise(Mask&& mask, const image_geometry& geometry,
                                    anatomical_plane plane, const Fill& fill) {
  geometry.validate("fill_holes_slicewise");
  return fill_holes_slicewise(mask, geometry.array_axis(normal_of(plane)), fill);
}

}  // namespace discgeom
