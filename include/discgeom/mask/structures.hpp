// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Structures as voxel lists: one pass over a label map collects the voxel indices of every
/// foreground label (or of a binary mask), which the per-structure measures of geometry/ then
/// use without touching the volume again.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <unordered_map>
#include <vector>

#include "discgeom/as_volume.hpp"
#include "discgeom/concepts.hpp"
#include "discgeom/image_geometry.hpp"

namespace discgeom {

/// A voxel index (i, j, k) of a 3D volume. 32-bit per axis: extents up to 2^32 - 1.
using voxel_index = std::array<std::uint32_t, 3>;

/// The voxels of one structure, with what is needed to measure it in millimetres: the shape of
/// the array they come from (for border tests and slices) and its geometry.
struct voxel_set {
  std::vector<voxel_index> voxels;     ///< in memory order of the source volume
  std::array<std::size_t, 3> shape{};  ///< extents of the source volume
  image_geometry geometry;             ///< spacing, origin, direction of the source volume
};

/// A labelled structure of a label map.
template <class Label>
struct labelled_voxel_set {
  Label label{};
  voxel_set set;
};

namespace detail {

template <class T>
void check_indexable(const volume_view<T, 3>& view, const char* function) {
  for (std::size_t axis = 0; axis < 3; ++axis) {
    DISCGEOM_PRECONDITION(view.shape(axis) <= std::numeric_limits<std::uint32_t>::max(), function,
                          "shape ", view.shape(), " has an extent beyond 2^32 - 1");
  }
}

inline voxel_index to_voxel_index(const std::array<std::size_t, 3>& index) noexcept {
  return {static_cast<std::uint32_t>(index[0]), static_cast<std::uint32_t>(index[1]),
          static_cast<std::uint32_t>(index[2])};
}

}  // namespace detail

/// The voxels of every foreground label of a 3D label map, one set per label, sorted by label.
///
/// \param labels    a volume_like 3D label map of `label_voxel`s
/// \param geometry  its geometry (validated; stored in each set)
/// \throws precondition_error for an invalid geometry or an extent beyond 2^32 - 1
/// Complexity: one pass over the voxels; memory 12 bytes per foreground voxel.
template <volume_like Labels>
[[nodiscard]] auto collect_label_voxels(Labels&& labels, const image_geometry& geometry) {
  const auto view = as_volume<3>(labels);
  using voxel_type = typename decltype(view)::value_type;
  static_assert(label_voxel<voxel_type>,
                "collect_label_voxels(): the voxel type is not a label_voxel; specialise "
                "discgeom::voxel_traits for it with is_foreground() and label()");
  using traits = voxel_traits<voxel_type>;
  using label_type = typename traits::label_type;
  geometry.validate("collect_label_voxels");
  detail::check_indexable(view, "collect_label_voxels");

  std::unordered_map<label_type, std::vector<voxel_index>> by_label;
  label_type last_label{};
  std::vector<voxel_index>* last = nullptr;  // labels come in runs
  for_each_voxel(view, [&](const std::array<std::size_t, 3>& index, const voxel_type& value) {
    if (!traits::is_foreground(value))
      return;
    const label_type label = traits::label(value);
    if (last == nullptr || label != last_label) {
      last_label = label;
      last = &by_label[label];
    }
    last->push_back(detail::to_voxel_index(index));
  });
  std::vector<labelled_voxel_set<label_type>> result;
  result.reserve(by_label.size());
  for (auto& [label, voxels] : by_label) {
    result.push_back({label, voxel_set{std::move(voxels), view.shape(), geometry}});
  }
  std::sort(result.begin(), result.end(),
            [](const auto& a, const auto& b) { return a.label < b.label; });
  return result;
}

/// The foreground voxels of a 3D mask (any `mask_voxel`: bool, integers, probabilities, ...).
/// \throws precondition_error for an invalid geometry or an extent beyond 2^32 - 1
template <volume_like Mask>
[[nodiscard]] voxel_set collect_foreground_voxels(Mask&& mask, const image_geometry& geometry) {
  const auto view = as_volume<3>(mask);
  using voxel_type = typename decltype(view)::value_type;
  static_assert(mask_voxel<voxel_type>,
                "collect_foreground_voxels(): the voxel type is not a mask_voxel; specialise "
                "discgeom::voxel_traits for it with is_foreground()");
  geometry.validate("collect_foreground_voxels");
  detail::check_indexable(view, "collect_foreground_voxels");
  voxel_set result{{}, view.shape(), geometry};
  for_each_voxel(view, [&](const std::array<std::size_t, 3>& index, const voxel_type& value) {
    if (voxel_traits<voxel_type>::is_foreground(value))
      result.voxels.push_back(detail::to_voxel_index(index));
  });
  return result;
}

}  // namespace discgeom
