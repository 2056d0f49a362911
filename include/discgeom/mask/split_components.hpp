// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Connected components of one structure given as a voxel set: for keeping the largest
/// component of a label and for isolating discs from a binary disc mask.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "discgeom/error.hpp"
#include "discgeom/mask/structures.hpp"

namespace discgeom {

/// Voxel connectivity in 3D: 6 (faces), 18 (faces and edges) or 26 (faces, edges, corners).
enum class connectivity3 { faces = 6, edges = 18, corners = 26 };

namespace detail {
/// The neighbour offsets of a connectivity, half of them (the other half is their negation).
inline std::vector<std::array<int, 3>> neighbour_offsets(connectivity3 connectivity) {
  std::vector<std::array<int, 3>> offsets;
  for (int a = -1; a <= 1; ++a)
    for (int b = -1; b <= 1; ++b)
      for (int c = -1; c <= 1; ++c) {
        const int order = (a != 0) + (b != 0) + (c != 0);
        if (order == 0)
          continue;
        if (order == 3 && connectivity != connectivity3::corners)
          continue;
        if (order == 2 && connectivity == connectivity3::faces)
          continue;
        offsets.push_back({a, b, c});
      }
  return offsets;
}
}  // namespace detail

/// The connected components of a voxel set, largest first (ties: the component holding the
/// earliest voxel in the set's order first). Each component keeps the set's shape and geometry.
///
/// Works on a dense grid over the set's bounding box only, so its cost is proportional to the
/// structure, not to the volume. Complexity: O(box voxels + N * neighbours).
[[nodiscard]] inline std::vector<voxel_set> split_components(
    const voxel_set& set, connectivity3 connectivity = connectivity3::corners) {
  std::vector<voxel_set> components;
  if (set.voxels.empty())
    return components;
  std::array<std::uint32_t, 3> low = set.voxels[0], high = set.voxels[0];
  for (const auto& v : set.voxels) {
    for (std::size_t d = 0; d < 3; ++d) {
      low[d] = std::min(low[d], v[d]);
      high[d] = std::max(high[d], v[d]);
    }
  }
  const std::array<std::size_t, 3> extent{high[0] - low[0] + 1u, high[1] - low[1] + 1u,
                                          high[2] - low[2] + 1u};
  const auto cell = [&](const voxel_index& v) {
    return (static_cast<std::size_t>(v[2] - low[2]) * extent[1] + (v[1] - low[1])) * extent[0] +
           (v[0] - low[0]);
  };
  // grid: 0 = outside, 1 = unvisited member, 2 + c = member of component c
  std::vector<std::uint32_t> grid(extent[0] * extent[1] * extent[2], 0);
  for (const auto& v : set.voxels)
    grid[cell(v)] = 1;
  const auto offsets = detail::neighbour_offsets(connectivity);
  std::vector<voxel_index> stack;
  for (const auto& seed : set.voxels) {
    if (grid[cell(seed)] != 1)
      continue;
    const auto id = static_cast<std::uint32_t>(components.size() + 2);
    voxel_set component{{}, set.shape, set.geometry};
    grid[cell(seed)] = id;
    stack.push_back(seed);
    while (!stack.empty()) {
      const voxel_index v = stack.back();
      stack.pop_back();
      component.voxels.push_back(v);
      for (const auto& offset : offsets) {
        for (const int sign : {1, -1}) {
          voxel_index n = v;
          bool inside = true;
          for (std::size_t d = 0; d < 3; ++d) {
            const auto moved = static_cast<std::int64_t>(v[d]) + sign * offset[d];
            if (moved < low[d] || moved > high[d])
              inside = false;
            n[d] = static_cast<std::uint32_t>(moved);
          }
          if (inside && grid[cell(n)] == 1) {
            grid[cell(n)] = id;
            stack.push_back(n);
          }
        }
      }
    }
    components.push_back(std::move(component));
  }
  std::stable_sort(
      components.begin(), components.end(),
      [](const voxel_set& a, const voxel_set& b) { return a.voxels.size() > b.voxels.size(); });
  return components;
}

}  // namespace discgeom
