// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The area of the marching-cubes surface inside one cell of eight voxel centres, for each of the
/// 256 foreground patterns of the cell, at a given spacing: the surfel area that DeepMind's
/// surface-distance assigns to the corner point at the cell's centre (Nikolov et al.,
/// arXiv:1809.04430, 2018).
///
/// The cell's vertices are the voxel centres v = x + 2y + 4z, (x, y, z) in {0, 1}^3. The surface
/// crosses every edge whose two voxels differ, at the edge's midpoint (a binary mask thresholded
/// at one half). On each face of the cell the crossings are joined in pairs: with two crossings
/// the pair is unique; with four (a face whose diagonal voxels agree) the segments cut off each
/// foreground corner, so the foreground is face-connected and neighbouring cells agree on the
/// face they share. The joined crossings form closed polygons; a polygon's area is the sum of the
/// areas of the triangles of a fan from its first vertex, in millimetres. Planar polygons (every
/// pattern of a flat or 45-degree surface) get their exact area; for the few non-planar ones the
/// fan is one triangulation among several, as any marching-cubes table is.

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace discgeom::detail {

/// Position of cell vertex v in {0, 1}^3.
[[nodiscard]] constexpr std::array<int, 3> cell_vertex(int v) noexcept {
  return {v & 1, (v >> 1) & 1, (v >> 2) & 1};
}

/// The four vertices of each face of the cell, in cyclic order.
inline constexpr std::array<std::array<int, 4>, 6> cell_faces{{
    {0, 2, 6, 4},  // x = 0
    {1, 3, 7, 5},  // x = 1
    {0, 1, 5, 4},  // y = 0
    {2, 3, 7, 6},  // y = 1
    {0, 1, 3, 2},  // z = 0
    {4, 5, 7, 6},  // z = 1
}};

/// The edge between vertices a and b (differing in one coordinate), as the pair's key a * 8 + b
/// with a < b.
[[nodiscard]] constexpr int cell_edge_key(int a, int b) noexcept {
  return a < b ? a * 8 + b : b * 8 + a;
}

/// Surfel area (mm^2) of each of the 256 patterns for voxels of size spacing[0] x spacing[1] x
/// spacing[2] mm along the cell's axes.
[[nodiscard]] inline std::array<double, 256> corner_surfel_areas(
    const std::array<double, 3>& spacing) {
  std::array<double, 256> areas{};
  for (int code = 1; code < 255; ++code) {
    const auto inside = [code](int v) { return ((code >> v) & 1) != 0; };
    // partner[key] = the two crossings joined to the crossing on edge `key` (-1: none yet).
    std::array<std::array<int, 2>, 64> partner;
    for (auto& p : partner) {
      p = {-1, -1};
    }
    const auto join = [&partner](int a, int b) {
      (partner[a][0] < 0 ? partner[a][0] : partner[a][1]) = b;
      (partner[b][0] < 0 ? partner[b][0] : partner[b][1]) = a;
    };
    for (const auto& face : cell_faces) {
      std::array<int, 4> crossing{};
      int count = 0;
      int first_crossing = -1;
      for (int i = 0; i < 4; ++i) {
        const int a = face[i];
        const int b = face[(i + 1) % 4];
        crossing[i] = inside(a) != inside(b) ? cell_edge_key(a, b) : -1;
        if (crossing[i] >= 0) {
          ++count;
          if (first_crossing < 0) {
            first_crossing = i;
          }
        }
      }
      if (count == 2) {
        int second = first_crossing + 1;
        while (crossing[second] < 0) {
          ++second;
        }
        join(crossing[first_crossing], crossing[second]);
      } else if (count == 4) {
        // Edge i runs from face[i] to face[i + 1]; the two edges meeting at a foreground corner
        // face[c] are i = c - 1 and i = c.
        const int corner = inside(face[0]) ? 0 : 1;
        join(crossing[(corner + 3) % 4], crossing[corner]);
        join(crossing[(corner + 1) % 4], crossing[(corner + 2) % 4]);
      }
    }
    const auto midpoint = [&spacing](int key) {
      const auto a = cell_vertex(key / 8);
      const auto b = cell_vertex(key % 8);
      return std::array<double, 3>{0.5 * (a[0] + b[0]) * spacing[0],
                                   0.5 * (a[1] + b[1]) * spacing[1],
                                   0.5 * (a[2] + b[2]) * spacing[2]};
    };
    std::array<bool, 64> visited{};
    double area = 0.0;
    for (int start = 0; start < 64; ++start) {
      if (partner[start][0] < 0 || visited[start]) {
        continue;
      }
      // Walk the polygon from `start`, fanning triangles from its first vertex.
      const auto origin = midpoint(start);
      visited[start] = true;
      int previous = start;
      int current = partner[start][0];
      auto last = midpoint(current);
      while (current != start) {
        visited[current] = true;
        const int next =
            partner[current][0] == previous ? partner[current][1] : partner[current][0];
        const auto point = midpoint(next);
        if (next != start) {
          const std::array<double, 3> u{last[0] - origin[0], last[1] - origin[1],
                                        last[2] - origin[2]};
          const std::array<double, 3> w{point[0] - origin[0], point[1] - origin[1],
                                        point[2] - origin[2]};
          const double cx = u[1] * w[2] - u[2] * w[1];
          const double cy = u[2] * w[0] - u[0] * w[2];
          const double cz = u[0] * w[1] - u[1] * w[0];
          area += 0.5 * std::sqrt(cx * cx + cy * cy + cz * cz);
        }
        previous = current;
        current = next;
        last = point;
      }
    }
    areas[static_cast<std::size_t>(code)] = area;
  }
  return areas;
}

}  // namespace discgeom::detail
