// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Isolating structures from a binary mask (a segmenter's "disc" class) by connected components,
/// ordered cranio-caudally, lowest first.

#include <algorithm>
#include <cstddef>
#include <vector>

#include "discgeom/geometry/structure_measures.hpp"
#include "discgeom/mask/split_components.hpp"
#include "discgeom/mask/structures.hpp"

namespace discgeom {

/// The connected components of a binary mask with at least `min_voxels` voxels, ordered by the
/// LPS z (superior) of their centroids, lowest first: the discs of a one-class disc mask, L5/S1
/// first. Smaller components (stray voxels) are returned separately, so nothing is dropped
/// silently.
struct isolated_structures {
  std::vector<voxel_set> structures;  ///< lowest first
  std::vector<voxel_set> too_small;   ///< components below min_voxels, in size order
};

template <volume_like Mask>
[[nodiscard]] isolated_structures isolate_structures(
    Mask&& mask, const image_geometry& geometry, std::size_t min_voxels = 1,
    connectivity3 connectivity = connectivity3::corners) {
  isolated_structures result;
  for (auto& part : split_components(collect_foreground_voxels(mask, geometry), connectivity)) {
    (part.voxels.size() >= min_voxels ? result.structures : result.too_small)
        .push_back(std::move(part));
  }
  std::vector<std::pair<double, std::size_t>> heights;
  for (std::size_t n = 0; n < result.structures.size(); ++n) {
    heights.push_back({centroid(result.structures[n]).physical[2], n});
  }
  std::sort(heights.begin(), heights.end());
  std::vector<voxel_set> ordered;
  for (const auto& [height, n] : heights)
    ordered.push_back(std::move(result.structures[n]));
  result.structures = std::move(ordered);
  return result;
}

}  // namespace discgeom
