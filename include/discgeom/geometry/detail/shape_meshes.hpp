// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Kernels of the shape features (geometry/shape_features.hpp): marching cubes with discgeom's
/// generated triangulation (volume, area), pyradiomics' marching squares (surface, perimeter) on a padded binary grid, and the
/// maximum diameters over the mesh vertices (the mid-points of the grid edges whose two ends
/// differ), found exactly through convex hulls in half-voxel integer coordinates.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <vector>

#include "discgeom/metrics/detail/corner_surfels.hpp"

namespace discgeom::detail {

/// A binary grid with a background border of at least one voxel: extents (nx, ny, nz) along
/// array axes 0, 1, 2, axis 0 fastest. A 2D grid has nz = 1.
struct padded_grid {
  std::array<std::size_t, 3> shape{};
  std::vector<std::uint8_t> voxels;  ///< 0 or 1

  [[nodiscard]] std::size_t offset(std::size_t x, std::size_t y, std::size_t z) const noexcept {
    return x + shape[0] * (y + shape[1] * z);
  }
  [[nodiscard]] std::uint8_t at(std::size_t x, std::size_t y, std::size_t z) const noexcept {
    return voxels[offset(x, y, z)];
  }
};

/// A mesh vertex in half-voxel units: 2 x index + 1 along the axis of its edge, 2 x index along
/// the other axes (exact integers, so that hulls and plane tests are exact).
struct half_point {
  std::array<std::int64_t, 3> c{};  ///< along array axes 0, 1, 2
};

/// The vertices of the marching mesh: mid-points of the grid edges whose two ends differ (each
/// edge once; pyradiomics collects the same set, cube by cube, and so does any marching cubes).
[[nodiscard]] inline std::vector<half_point> mesh_vertices(const padded_grid& grid) {
  std::vector<half_point> points;
  const auto [nx, ny, nz] = grid.shape;
  for (std::size_t z = 0; z < nz; ++z)
    for (std::size_t y = 0; y < ny; ++y)
      for (std::size_t x = 0; x < nx; ++x) {
        const std::uint8_t v = grid.at(x, y, z);
        const std::array<std::int64_t, 3> twice{2 * static_cast<std::int64_t>(x),
                                                2 * static_cast<std::int64_t>(y),
                                                2 * static_cast<std::int64_t>(z)};
        if (x + 1 < nx && grid.at(x + 1, y, z) != v)
          points.push_back({{twice[0] + 1, twice[1], twice[2]}});
        if (y + 1 < ny && grid.at(x, y + 1, z) != v)
          points.push_back({{twice[0], twice[1] + 1, twice[2]}});
        if (z + 1 < nz && grid.at(x, y, z + 1) != v)
          points.push_back({{twice[0], twice[1], twice[2] + 1}});
      }
  return points;
}

/// Squared distance in mm^2 between two half-voxel points.
[[nodiscard]] inline double squared_distance_mm2(const half_point& a, const half_point& b,
                                                 const std::array<double, 3>& spacing) noexcept {
  double sum = 0.0;
  for (std::size_t d = 0; d < 3; ++d) {
    const double delta = static_cast<double>(a.c[d] - b.c[d]) * 0.5 * spacing[d];
    sum += delta * delta;
  }
  return sum;
}

/// For the points `order[first, last)`, all in one plane and sorted by (u, v), marks in `on_hull`
/// the vertices of their convex hull in (u, v) (Andrew's monotone chain, exact in integers;
/// points inside an edge are not vertices) and returns the largest squared distance in mm^2
/// between two of them (0 for one point).
[[nodiscard]] inline double plane_hull(const std::vector<half_point>& points,
                                       const std::vector<std::size_t>& order, std::size_t first,
                                       std::size_t last, std::size_t u, std::size_t v,
                                       const std::array<double, 3>& spacing,
                                       std::vector<std::uint8_t>& on_hull) {
  const auto cross = [&](std::size_t o, std::size_t a, std::size_t b) {
    const auto& po = points[o].c;
    const auto& pa = points[a].c;
    const auto& pb = points[b].c;
    return (pa[u] - po[u]) * (pb[v] - po[v]) - (pa[v] - po[v]) * (pb[u] - po[u]);
  };
  std::vector<std::size_t> hull;
  const std::size_t n = last - first;
  if (n <= 2) {
    for (std::size_t i = first; i < last; ++i)
      hull.push_back(order[i]);
  } else {
    hull.resize(2 * n);
    std::size_t k = 0;
    for (std::size_t i = first; i < last; ++i) {  // lower hull
      while (k >= 2 && cross(hull[k - 2], hull[k - 1], order[i]) <= 0)
        --k;
      hull[k++] = order[i];
    }
    const std::size_t lower = k + 1;
    for (std::size_t i = last - 1; i-- > first;) {  // upper hull
      while (k >= lower && cross(hull[k - 2], hull[k - 1], order[i]) <= 0)
        --k;
      hull[k++] = order[i];
    }
    hull.resize(k - 1);  // the last point repeats the first
  }
  double best = 0.0;
  for (std::size_t i = 0; i < hull.size(); ++i) {
    on_hull[hull[i]] = 1;
    for (std::size_t j = 0; j < i; ++j)
      best = std::max(best, squared_distance_mm2(points[hull[i]], points[hull[j]], spacing));
  }
  return best;
}

/// Largest distances between mesh vertices, mm: over all pairs, and over the pairs in one plane
/// of constant coordinate along array axis 0, 1 and 2.
struct mesh_diameters {
  double all = 0.0;
  std::array<double, 3> in_plane{};  ///< [a]: pairs sharing their coordinate along axis a
};

/// The diameters of `points` (pyradiomics' pairwise maxima, computed on hull vertices only: the
/// farthest pair of a point set is a pair of vertices of its convex hull). For each axis a the
/// points are grouped by their coordinate along a and each group's 2D hull gives its plane's
/// diameter; a vertex of the 3D hull is a vertex of its plane's hull for all three axes, so the
/// 3D diameter is the largest distance among the points on all three plane hulls. Points of a 2D
/// grid (all with coordinate 0 along axis 2) are one plane: pass `planar`, and only axis 2 is
/// grouped (the other two in-plane diameters stay 0).
/// Complexity: O(n log n) for the sorts, then quadratic in the number of hull vertices.
[[nodiscard]] inline mesh_diameters diameters_of(const std::vector<half_point>& points,
                                                 const std::array<double, 3>& spacing,
                                                 bool planar = false) {
  mesh_diameters result;
  const std::size_t n = points.size();
  if (n == 0)
    return result;
  std::vector<std::uint8_t> candidate(n, 1);
  std::vector<std::size_t> order(n);
  for (std::size_t a = planar ? 2 : 0; a < 3; ++a) {
    const std::size_t u = (a + 1) % 3, v = (a + 2) % 3;
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) {
      const auto& p = points[i].c;
      const auto& q = points[j].c;
      if (p[a] != q[a])
        return p[a] < q[a];
      return p[u] != q[u] ? p[u] < q[u] : p[v] < q[v];
    });
    std::vector<std::uint8_t> on_hull(n, 0);
    double best = 0.0;
    for (std::size_t first = 0; first < n;) {
      std::size_t last = first + 1;
      while (last < n && points[order[last]].c[a] == points[order[first]].c[a])
        ++last;
      best = std::max(best, plane_hull(points, order, first, last, u, v, spacing, on_hull));
      first = last;
    }
    result.in_plane[a] = std::sqrt(best);
    for (std::size_t i = 0; i < n; ++i)
      candidate[i] = candidate[i] && on_hull[i];
  }
  std::vector<std::size_t> kept;
  for (std::size_t i = 0; i < n; ++i)
    if (candidate[i])
      kept.push_back(i);
  double best = 0.0;
  for (std::size_t i = 0; i < kept.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      best = std::max(best, squared_distance_mm2(points[kept[i]], points[kept[j]], spacing));
  result.all = std::sqrt(best);
  return result;
}

/// Mesh volume (mm^3) and surface area (mm^2) of marching cubes.
struct mesh_volume_area {
  double volume_mm3 = 0.0;
  double area_mm2 = 0.0;
};

/// Marching cubes over every cell of eight neighbouring voxel centres of `grid`, with the
/// triangles of closed_cell_triangles() (metrics/detail/corner_surfels.hpp: generated by
/// discgeom's own rule, invariant under the cube's 48 symmetries, oriented from foreground to
/// background): cell vertex v = dx + 2 dy + 4 dz is the voxel at offsets (dx, dy, dz) along array
/// axes 0, 1, 2. Each triangle (a, b, c), vertices in mm (index x spacing), adds a . (b x c) / 6
/// to the volume and |(a - c) x (b - c)| / 2 to the area. A face with four crossings is always
/// cut off its foreground corners, so the two cells sharing it cut it alike: on a padded grid the
/// surface is closed and its volume does not depend on where the coordinates start.
[[nodiscard]] inline mesh_volume_area marching_cubes_volume_area(
    const padded_grid& grid, const std::array<double, 3>& spacing) {
  mesh_volume_area result;
  const auto [nx, ny, nz] = grid.shape;
  if (nx < 2 || ny < 2 || nz < 2)
    return result;
  const auto& table = closed_cell_triangles();
  std::array<std::size_t, 8> corner_offset{};
  for (std::size_t v = 0; v < 8; ++v)
    corner_offset[v] = grid.offset(v & 1u, (v >> 1) & 1u, (v >> 2) & 1u);
  double volume = 0.0, area = 0.0;
  for (std::size_t z = 0; z + 1 < nz; ++z)
    for (std::size_t y = 0; y + 1 < ny; ++y)
      for (std::size_t x = 0; x + 1 < nx; ++x) {
        const std::size_t base = grid.offset(x, y, z);
        unsigned code = 0;
        for (std::size_t v = 0; v < 8; ++v)
          code |= static_cast<unsigned>(grid.voxels[base + corner_offset[v]]) << v;
        if (code == 0 || code == 255)
          continue;
        const std::array<double, 3> origin{static_cast<double>(x), static_cast<double>(y),
                                           static_cast<double>(z)};
        for (const auto& t : table[code]) {
          std::array<std::array<double, 3>, 3> p{};  // a, b, c in mm
          for (std::size_t k = 0; k < 3; ++k)
            for (std::size_t d = 0; d < 3; ++d)
              p[k][d] = (origin[d] + t[k][d]) * spacing[d];
          const auto& [a, b, c] = p;
          const std::array<double, 3> bc{b[1] * c[2] - c[1] * b[2], b[2] * c[0] - c[2] * b[0],
                                         b[0] * c[1] - c[0] * b[1]};
          volume += a[0] * bc[0] + a[1] * bc[1] + a[2] * bc[2];
          const std::array<double, 3> u{a[0] - c[0], a[1] - c[1], a[2] - c[2]};
          const std::array<double, 3> w{b[0] - c[0], b[1] - c[1], b[2] - c[2]};
          const double cx = u[1] * w[2] - w[1] * u[2];
          const double cy = u[2] * w[0] - w[2] * u[0];
          const double cz = u[0] * w[1] - w[0] * u[1];
          area += 0.5 * std::sqrt(cx * cx + cy * cy + cz * cz);
        }
      }
  result.volume_mm3 = volume / 6.0;
  result.area_mm2 = area;
  return result;
}

/// The segments of one square pattern of marching squares: pairs of edges (from, to).
struct square_segments {
  std::uint8_t count = 0;
  std::array<std::array<std::uint8_t, 2>, 2> segments{};
};

/// Marching squares on the square of corners q0 (0,0), q1 (0,1), q2 (1,1), q3 (1,0) at (y, x)
/// offsets, edge j joining q_j and q_(j+1 mod 4): each maximal run of foreground corners
/// q_c, ..., q_e around the square gives one segment from edge c - 1 to edge e. A saddle square
/// (two diagonal foreground corners) thus cuts off each foreground corner on its own. This is
/// pyradiomics' lineTable2D, segment for segment and direction for direction (its orientation
/// makes the signed surface of a foreground region positive).
[[nodiscard]] constexpr std::array<square_segments, 16> make_square_segments() noexcept {
  std::array<square_segments, 16> table{};
  for (unsigned pattern = 1; pattern < 15; ++pattern) {
    const auto set = [pattern](unsigned corner) { return ((pattern >> (corner % 4)) & 1u) != 0; };
    for (unsigned c = 0; c < 4; ++c) {
      if (!set(c) || set(c + 3))
        continue;  // not the first corner of a run
      unsigned e = c;
      while (set(e + 1))
        ++e;
      auto& row = table[pattern];
      row.segments[row.count++] = {static_cast<std::uint8_t>((c + 3) % 4),
                                   static_cast<std::uint8_t>(e % 4)};
    }
  }
  return table;
}

inline constexpr std::array<square_segments, 16> square_segment_table = make_square_segments();

/// Mid-point of square edge j in half-pixel units, (y, x) offsets (pyradiomics' vertList2D).
inline constexpr std::array<std::array<std::uint8_t, 2>, 4> square_edge_midpoints{
    {{0, 1}, {1, 2}, {2, 1}, {1, 0}}};

/// Mesh surface (mm^2) and perimeter (mm) of marching squares.
struct mesh_surface_perimeter {
  double surface_mm2 = 0.0;
  double perimeter_mm = 0.0;
};

/// pyradiomics' marching squares (cshape.c, calculate_coefficients2D) over every square of four
/// neighbouring pixel centres of the 2D `grid` (nz = 1; y = array axis 1, x = axis 0): each
/// segment (a, b), vertices in mm, adds (a_y b_x - b_y a_x) / 2 to the surface and |a - b| to
/// the perimeter.
[[nodiscard]] inline mesh_surface_perimeter marching_squares_surface_perimeter(
    const padded_grid& grid, const std::array<double, 2>& spacing) {
  mesh_surface_perimeter result;
  const std::size_t nx = grid.shape[0], ny = grid.shape[1];
  if (nx < 2 || ny < 2)
    return result;
  double surface = 0.0, perimeter = 0.0;
  for (std::size_t y = 0; y + 1 < ny; ++y)
    for (std::size_t x = 0; x + 1 < nx; ++x) {
      const unsigned index = static_cast<unsigned>(grid.at(x, y, 0)) |
                             static_cast<unsigned>(grid.at(x + 1, y, 0)) << 1 |
                             static_cast<unsigned>(grid.at(x + 1, y + 1, 0)) << 2 |
                             static_cast<unsigned>(grid.at(x, y + 1, 0)) << 3;
      const auto& row = square_segment_table[index];
      for (std::size_t s = 0; s < row.count; ++s) {
        const auto& ma = square_edge_midpoints[row.segments[s][0]];
        const auto& mb = square_edge_midpoints[row.segments[s][1]];
        const double ay = (static_cast<double>(y) + 0.5 * ma[0]) * spacing[1];
        const double ax = (static_cast<double>(x) + 0.5 * ma[1]) * spacing[0];
        const double by = (static_cast<double>(y) + 0.5 * mb[0]) * spacing[1];
        const double bx = (static_cast<double>(x) + 0.5 * mb[1]) * spacing[0];
        surface += ay * bx - by * ax;
        perimeter += std::sqrt((ay - by) * (ay - by) + (ax - bx) * (ax - bx));
      }
    }
  result.surface_mm2 = surface / 2.0;
  result.perimeter_mm = perimeter;
  return result;
}

}  // namespace discgeom::detail
