// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// 2D convex hull, minimum-area enclosing rectangle and maximal Feret diameter, by rotating
/// calipers over the hull. Points are in millimetres (any consistent unit).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

#include "discgeom/error.hpp"

namespace discgeom {

/// A point or vector in a plane, mm.
struct point2 {
  double x = 0.0;
  double y = 0.0;
  friend bool operator==(const point2&, const point2&) = default;
};

namespace detail {
[[nodiscard]] constexpr double cross(const point2& o, const point2& a, const point2& b) noexcept {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}
}  // namespace detail

/// The convex hull of a set of points, counter-clockwise, without collinear points, starting at
/// the lowest-x (then lowest-y) point. Andrew's monotone chain (A. M. Andrew, Inf. Process. Lett.
/// 9(5), 1979). One distinct point gives a hull of one point, collinear points a hull of two.
/// \throws precondition_error when a coordinate is not finite.
/// Complexity: O(n log n).
[[nodiscard]] inline std::vector<point2> convex_hull(std::span<const point2> points) {
  for (std::size_t i = 0; i < points.size(); ++i) {
    DISCGEOM_PRECONDITION(std::isfinite(points[i].x) && std::isfinite(points[i].y), "convex_hull",
                          "points[", i, "] = (", points[i].x, ", ", points[i].y, ") is not finite");
  }
  std::vector<point2> sorted(points.begin(), points.end());
  std::sort(sorted.begin(), sorted.end(), [](const point2& a, const point2& b) {
    return a.x < b.x || (a.x == b.x && a.y < b.y);
  });
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  if (sorted.size() <= 2) {
    return sorted;
  }
  std::vector<point2> hull(2 * sorted.size());
  std::size_t k = 0;
  for (const auto& p : sorted) {  // lower hull
    while (k >= 2 && detail::cross(hull[k - 2], hull[k - 1], p) <= 0.0)
      --k;
    hull[k++] = p;
  }
  const std::size_t lower_size = k + 1;
  for (std::size_t i = sorted.size() - 1; i-- > 0;) {  // upper hull
    while (k >= lower_size && detail::cross(hull[k - 2], hull[k - 1], sorted[i]) <= 0.0)
      --k;
    hull[k++] = sorted[i];
  }
  hull.resize(k - 1);  // the last point repeats the first
  return hull;
}

/// A rectangle in the plane: centre, unit direction of its long side, side lengths (mm), area.
struct rectangle {
  point2 centre;
  point2 long_axis{1.0, 0.0};  ///< unit vector along the longer side
  double long_side = 0.0;      ///< mm
  double short_side = 0.0;     ///< mm
  [[nodiscard]] double area() const noexcept { return long_side * short_side; }
};

/// The minimum-area rectangle enclosing the points, by rotating calipers: one side of an optimal
/// rectangle is collinear with a hull edge (H. Freeman and R. Shapira, Commun. ACM 18(7), 1975;
/// G. Toussaint, Proc. IEEE MELECON 1983), so each hull edge is tried with the three other
/// calipers advanced monotonically.
/// Degenerate inputs: one distinct point gives a 0 x 0 rectangle, collinear points a
/// length x 0 rectangle.
/// \throws precondition_error when points is empty or holds a non-finite coordinate.
/// Complexity: O(n log n) for the hull, O(h) for the calipers.
[[nodiscard]] inline rectangle min_area_rectangle(std::span<const point2> points) {
  DISCGEOM_PRECONDITION(!points.empty(), "min_area_rectangle", "points is empty");
  const std::vector<point2> hull = convex_hull(points);
  const std::size_t h = hull.size();
  if (h == 1) {
    return {hull[0], {1.0, 0.0}, 0.0, 0.0};
  }
  if (h == 2) {
    const double dx = hull[1].x - hull[0].x, dy = hull[1].y - hull[0].y;
    const double length = std::hypot(dx, dy);
    return {{(hull[0].x + hull[1].x) / 2, (hull[0].y + hull[1].y) / 2},
            {dx / length, dy / length},
            length,
            0.0};
  }
  const auto dot = [](const point2& a, const point2& b) { return a.x * b.x + a.y * b.y; };
  rectangle best;
  double best_area = INFINITY;
  std::size_t right = 1, top = 1, left = 1;  // caliper indices, advanced monotonically
  for (std::size_t i = 0; i < h; ++i) {
    const point2& a = hull[i];
    const point2& b = hull[(i + 1) % h];
    const double length = std::hypot(b.x - a.x, b.y - a.y);
    const point2 u{(b.x - a.x) / length, (b.y - a.y) / length};  // along the edge
    const point2 n{-u.y, u.x};                                   // inward normal (CCW hull)
    const auto along = [&](std::size_t j) { return dot({hull[j].x - a.x, hull[j].y - a.y}, u); };
    const auto away = [&](std::size_t j) { return dot({hull[j].x - a.x, hull[j].y - a.y}, n); };
    if (i == 0) {
      right = top = left = 0;
    }
    while (along((right + 1) % h) >= along(right) - 1e-12 && (right + 1) % h != i)
      right = (right + 1) % h;
    if (i == 0)
      top = right;
    while (away((top + 1) % h) >= away(top) - 1e-12 && (top + 1) % h != i)
      top = (top + 1) % h;
    if (i == 0)
      left = top;
    while (along((left + 1) % h) <= along(left) + 1e-12 && (left + 1) % h != i)
      left = (left + 1) % h;
    const double max_along = along(right), min_along = std::min(0.0, along(left));
    const double width = max_along - min_along, height = away(top);
    if (width * height < best_area) {
      best_area = width * height;
      const double mid_along = (max_along + min_along) / 2, mid_away = height / 2;
      const point2 centre{a.x + u.x * mid_along + n.x * mid_away,
                          a.y + u.y * mid_along + n.y * mid_away};
      best = width >= height ? rectangle{centre, u, width, height}
                             : rectangle{centre, n, height, width};
    }
  }
  return best;
}

/// The maximal Feret diameter (largest distance between two points), mm, found among the
/// antipodal pairs of the convex hull by rotating calipers (M. I. Shamos, 1978). 0 for a single
/// point. \throws precondition_error when points is empty or not finite.
/// Complexity: O(n log n) for the hull, O(h) for the calipers.
[[nodiscard]] inline double max_feret_diameter(std::span<const point2> points) {
  DISCGEOM_PRECONDITION(!points.empty(), "max_feret_diameter", "points is empty");
  const std::vector<point2> hull = convex_hull(points);
  const std::size_t h = hull.size();
  const auto distance = [&](std::size_t a, std::size_t b) {
    return std::hypot(hull[a].x - hull[b].x, hull[a].y - hull[b].y);
  };
  if (h <= 2) {
    return h == 2 ? distance(0, 1) : 0.0;
  }
  double best = 0.0;
  std::size_t j = 1;
  for (std::size_t i = 0; i < h; ++i) {
    const std::size_t next = (i + 1) % h;
    // Advance j while the triangle (i, next, j+1) grows: j+1 is farther from edge (i, next).
    while (std::abs(detail::cross(hull[i], hull[next], hull[(j + 1) % h])) >
           std::abs(detail::cross(hull[i], hull[next], hull[j]))) {
      j = (j + 1) % h;
    }
    best = std::max({best, distance(i, j), distance(next, j)});
  }
  return best;
}

}  // namespace discgeom
