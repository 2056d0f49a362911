// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The area of the marching-cubes surface inside one cell of eight voxel centres, for each of the
/// 256 foreground patterns of the cell, at a given spacing: the surfel area that DeepMind's
/// surface-distance assigns to the corner point at the cell's centre (Nikolov et al.,
/// arXiv:1809.04430, 2018; its table is in surface_distance/lookup_tables.py, and
/// tests/data/deepmind_surfel_golden.txt holds its values for all 256 patterns at six spacings).
///
/// The cell's vertices are the voxel centres v = x + 2y + 4z, (x, y, z) in {0, 1}^3. The surface
/// crosses every edge whose two voxels differ, at the edge's midpoint (a binary mask thresholded
/// at one half). On each face of the cell the crossings are joined in pairs: with two crossings
/// the pair is unique; with four (a face whose diagonal voxels agree) the segments cut off the
/// corners of the cell's minority state: the foreground corners when the cell holds at most four
/// foreground voxels, else the background corners (Lorensen and Cline's complement symmetry). The
/// joined crossings form closed polygons of three to six vertices. A polygon is cut into the
/// triangles of a fan; of the fans from each of its vertices, the one of largest area at unit
/// spacing (for a planar polygon all fans have its area; the non-planar pentagon of three voxels
/// in an L on a face, and the hexagon of a skew chain of four, get their largest fan, which is
/// DeepMind's triangulation). The area at a spacing is the sum of the triangles' areas after
/// scaling their vertices by the spacing.
///
/// Invariance by construction: a surface measure must not change when the image is mirrored or
/// turned by 90 degrees, nor when foreground and background swap. The 256 patterns fall into 14
/// classes under the 48 symmetries of the cube and complement. Only one pattern of each class,
/// its smallest code, is triangulated by the rule above; every other pattern takes the image of
/// that triangulation under the symmetry that maps the one onto the other. Every pattern of a
/// class therefore has the same area at the correspondingly permuted spacing.
///
/// The same generator with the foreground rule (an ambiguous face always cut off its foreground
/// corners, so that two cells sharing a face cut it alike) and outward orientation gives
/// closed_cell_triangles(), the closed mesh of the shape features (geometry/shape_features.hpp).

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

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

/// A point of the cell in cell units: each coordinate 0, 1/2 or 1.
using cell_point = std::array<double, 3>;

/// One triangle of a pattern's surface, vertices in cell units.
using cell_triangle = std::array<cell_point, 3>;

/// Area of the triangle (a, b, c) after scaling each coordinate axis by `spacing`.
[[nodiscard]] inline double scaled_triangle_area(const cell_triangle& t,
                                                 const std::array<double, 3>& spacing) noexcept {
  std::array<double, 3> u{}, w{};
  for (std::size_t d = 0; d < 3; ++d) {
    u[d] = (t[1][d] - t[0][d]) * spacing[d];
    w[d] = (t[2][d] - t[0][d]) * spacing[d];
  }
  const double cx = u[1] * w[2] - u[2] * w[1];
  const double cy = u[2] * w[0] - u[0] * w[2];
  const double cz = u[0] * w[1] - u[1] * w[0];
  return 0.5 * std::sqrt(cx * cx + cy * cy + cz * cz);
}

/// A symmetry of the cube: coordinate d of the image is coordinate axis[d] of the source,
/// mirrored (1 - x) where flip[d].
struct cube_symmetry {
  std::array<int, 3> axis;
  std::array<bool, 3> flip;

  [[nodiscard]] cell_point operator()(const cell_point& p) const noexcept {
    cell_point image{};
    for (std::size_t d = 0; d < 3; ++d) {
      const double x = p[static_cast<std::size_t>(axis[d])];
      image[d] = flip[d] ? 1.0 - x : x;
    }
    return image;
  }

  /// The vertex that vertex v becomes.
  [[nodiscard]] int vertex(int v) const noexcept {
    const auto p = cell_vertex(v);
    int image = 0;
    for (std::size_t d = 0; d < 3; ++d) {
      const int x = p[static_cast<std::size_t>(axis[d])];
      image |= (flip[d] ? 1 - x : x) << d;
    }
    return image;
  }

  /// The pattern that `code` becomes.
  [[nodiscard]] int pattern(int code) const noexcept {
    int image = 0;
    for (int v = 0; v < 8; ++v) {
      if ((code >> v) & 1)
        image |= 1 << vertex(v);
    }
    return image;
  }
};

/// The 48 symmetries of the cube: 6 axis permutations x 8 mirrorings.
[[nodiscard]] inline std::vector<cube_symmetry> cube_symmetries() {
  constexpr std::array<std::array<int, 3>, 6> permutations{
      {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}}};
  std::vector<cube_symmetry> result;
  for (const auto& axis : permutations) {
    for (int flips = 0; flips < 8; ++flips) {
      result.push_back({axis, {(flips & 1) != 0, (flips & 2) != 0, (flips & 4) != 0}});
    }
  }
  return result;
}

/// How a face with four crossings is cut: off the corners of the cell's minority state (the rule
/// of this file, DeepMind's), or always off its foreground corners (the rule of a closed mesh:
/// it depends on the face alone, so the two cells sharing a face cut it alike).
enum class face_cut { minority, foreground };

/// The triangles of one pattern by the rule of this file (faces cut by `rule`, each polygon cut by
/// its fan of largest unit-spacing area).
[[nodiscard]] inline std::vector<cell_triangle> triangulate_cell_pattern(
    int code, face_cut rule = face_cut::minority) {
  std::vector<cell_triangle> triangles;
  if (code == 0 || code == 255)
    return triangles;
  const auto inside = [code](int v) { return ((code >> v) & 1) != 0; };
  int foreground = 0;
  for (int v = 0; v < 8; ++v)
    foreground += inside(v) ? 1 : 0;
  // The corners of the minority state (or always the foreground's) are cut off.
  const bool cut_foreground = rule == face_cut::foreground || foreground <= 4;

  // partner[key] = the two crossings joined to the crossing on edge `key` (-1: none yet).
  std::array<std::array<int, 2>, 64> partner;
  for (auto& p : partner)
    p = {-1, -1};
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
        if (first_crossing < 0)
          first_crossing = i;
      }
    }
    if (count == 2) {
      int second = first_crossing + 1;
      while (crossing[second] < 0)
        ++second;
      join(crossing[first_crossing], crossing[second]);
    } else if (count == 4) {
      // Edge i runs from face[i] to face[i + 1]; the two edges meeting at corner face[c] are
      // i = c - 1 and i = c. Cut off the two corners of the minority state.
      const int corner = inside(face[0]) == cut_foreground ? 0 : 1;
      join(crossing[(corner + 3) % 4], crossing[corner]);
      join(crossing[(corner + 1) % 4], crossing[(corner + 2) % 4]);
    }
  }
  const auto midpoint = [](int key) {
    const auto a = cell_vertex(key / 8);
    const auto b = cell_vertex(key % 8);
    return cell_point{0.5 * (a[0] + b[0]), 0.5 * (a[1] + b[1]), 0.5 * (a[2] + b[2])};
  };
  constexpr std::array<double, 3> unit{1.0, 1.0, 1.0};
  std::array<bool, 64> visited{};
  for (int start = 0; start < 64; ++start) {
    if (partner[start][0] < 0 || visited[start])
      continue;
    std::vector<cell_point> polygon;
    int previous = -1, current = start;
    do {
      visited[current] = true;
      polygon.push_back(midpoint(current));
      const int next = partner[current][0] == previous ? partner[current][1] : partner[current][0];
      previous = current;
      current = next;
    } while (current != start);
    const std::size_t n = polygon.size();
    const auto fan = [&](std::size_t from) {
      std::vector<cell_triangle> cut;
      for (std::size_t k = 1; k + 1 < n; ++k)
        cut.push_back({polygon[from], polygon[(from + k) % n], polygon[(from + k + 1) % n]});
      return cut;
    };
    const auto area = [&](const std::vector<cell_triangle>& cut) {
      double sum = 0.0;
      for (const auto& t : cut)
        sum += scaled_triangle_area(t, unit);
      return sum;
    };
    auto best = fan(0);
    double best_area = area(best);
    for (std::size_t from = 1; from < n; ++from) {
      auto candidate = fan(from);
      const double candidate_area = area(candidate);
      if (candidate_area > best_area + 1e-12) {
        best = std::move(candidate);
        best_area = candidate_area;
      }
    }
    triangles.insert(triangles.end(), best.begin(), best.end());
  }
  return triangles;
}

/// The triangles of all 256 patterns by `rule`, invariant under the cube's symmetries by
/// construction: each class's smallest code is triangulated, the others are its images. With the
/// minority rule the classes include complements (a pattern and its complement share their
/// triangles); the foreground rule is not symmetric under complement, and its classes are the 22
/// of the 48 symmetries alone.
[[nodiscard]] inline std::array<std::vector<cell_triangle>, 256> symmetric_cell_triangles(
    face_cut rule) {
  std::array<std::vector<cell_triangle>, 256> triangles;
  std::array<bool, 256> done{};
  const auto symmetries = cube_symmetries();
  for (int code = 0; code < 256; ++code) {
    if (done[static_cast<std::size_t>(code)])
      continue;
    // Codes are visited in increasing order and classes are filled whole: `code` is the
    // smallest of its class.
    const auto representative = triangulate_cell_pattern(code, rule);
    for (const auto& symmetry : symmetries) {
      const int image = symmetry.pattern(code);
      for (const int member : {image, 255 - image}) {
        if (done[static_cast<std::size_t>(member)] ||
            (member != image && rule == face_cut::foreground))
          continue;
        done[static_cast<std::size_t>(member)] = true;
        auto& mapped = triangles[static_cast<std::size_t>(member)];
        for (const auto& t : representative)
          mapped.push_back({symmetry(t[0]), symmetry(t[1]), symmetry(t[2])});
      }
    }
  }
  return triangles;
}

/// The triangles of all 256 patterns by the minority rule, invariant under the cube's symmetries
/// and complement: DeepMind's surfels.
[[nodiscard]] inline const std::array<std::vector<cell_triangle>, 256>& corner_surfel_triangles() {
  static const auto table = symmetric_cell_triangles(face_cut::minority);
  return table;
}

/// Reverses the triangles of `table` whose normal (t1 - t0) x (t2 - t0) points into the
/// foreground, so that every normal points from the foreground to the background (as the
/// divergence-theorem volume of a mesh needs). Every vertex of a triangle is the mid-point m of a
/// cell edge with one foreground end f; the triangle points into the foreground when the sum
/// over its vertices of (f - m) . normal is positive. The triangles stay the same (so do their
/// areas) and stay images of each other under the cube's symmetries (orientation is defined by
/// the pattern alone).
[[nodiscard]] inline std::array<std::vector<cell_triangle>, 256> oriented_outward(
    std::array<std::vector<cell_triangle>, 256> table) {
  for (std::size_t code = 0; code < 256; ++code) {
    for (auto& t : table[code]) {
      std::array<double, 3> u{}, w{};
      for (std::size_t d = 0; d < 3; ++d) {
        u[d] = t[1][d] - t[0][d];
        w[d] = t[2][d] - t[0][d];
      }
      const std::array<double, 3> normal{u[1] * w[2] - u[2] * w[1], u[2] * w[0] - u[0] * w[2],
                                         u[0] * w[1] - u[1] * w[0]};
      double toward_foreground = 0.0;
      for (const auto& m : t) {
        // The edge runs along the axis where m is 1/2; its ends have 0 and 1 there.
        int low = 0;
        std::size_t along = 0;
        for (std::size_t d = 0; d < 3; ++d) {
          if (m[d] == 0.5)
            along = d;
          else if (m[d] == 1.0)
            low |= 1 << d;
        }
        const bool high_inside = ((code >> (low | (1 << along))) & 1u) != 0;
        toward_foreground += (high_inside ? 0.5 : -0.5) * normal[along];
      }
      if (toward_foreground > 0.0)
        std::swap(t[1], t[2]);
    }
  }
  return table;
}

/// The triangles of a closed marching-cubes mesh: the foreground rule (faces always cut off their
/// foreground corners, so neighbouring cells join), each polygon cut by its largest fan, invariant
/// under the cube's 48 symmetries, oriented from the foreground to the background. A pattern
/// without a face of four crossings has DeepMind's triangles (corner_surfel_triangles()).
[[nodiscard]] inline const std::array<std::vector<cell_triangle>, 256>& closed_cell_triangles() {
  static const auto table = oriented_outward(symmetric_cell_triangles(face_cut::foreground));
  return table;
}

/// Surfel area (mm^2) of each of the 256 patterns for voxels of size spacing[0] x spacing[1] x
/// spacing[2] mm along the cell's axes.
[[nodiscard]] inline std::array<double, 256> corner_surfel_areas(
    const std::array<double, 3>& spacing) {
  std::array<double, 256> areas{};
  const auto& triangles = corner_surfel_triangles();
  for (std::size_t code = 0; code < 256; ++code) {
    double area = 0.0;
    for (const auto& t : triangles[code])
      area += scaled_triangle_area(t, spacing);
    areas[code] = area;
  }
  return areas;
}

}  // namespace discgeom::detail
