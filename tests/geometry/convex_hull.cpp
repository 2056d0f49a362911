// SPDX-License-Identifier: MIT
#include "discgeom/geometry/convex_hull.hpp"

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

using discgeom::point2;

namespace {

constexpr double pi = 3.14159265358979323846;

// The bounding rectangle of the points aligned with direction u: the reference the calipers
// must match when u runs over every hull edge (O(h^2)).
double aligned_area(const std::vector<point2>& points, double ux, double uy, double& short_side) {
  double a_min = INFINITY, a_max = -INFINITY, b_min = INFINITY, b_max = -INFINITY;
  for (const auto& p : points) {
    const double a = p.x * ux + p.y * uy, b = -p.x * uy + p.y * ux;
    a_min = std::min(a_min, a);
    a_max = std::max(a_max, a);
    b_min = std::min(b_min, b);
    b_max = std::max(b_max, b);
  }
  short_side = std::min(a_max - a_min, b_max - b_min);
  return (a_max - a_min) * (b_max - b_min);
}

}  // namespace

TEST_CASE("convex_hull: counter-clockwise, no interior or collinear points") {
  const std::vector<point2> points{{0, 0}, {2, 0}, {1, 0}, {2, 2}, {0, 2}, {1, 1}, {0, 1}, {2, 2}};
  const auto hull = discgeom::convex_hull(points);
  CHECK(hull == std::vector<point2>{{0, 0}, {2, 0}, {2, 2}, {0, 2}});
  CHECK(discgeom::convex_hull(std::vector<point2>{{1, 1}, {1, 1}}) == std::vector<point2>{{1, 1}});
  CHECK(discgeom::convex_hull(std::vector<point2>{{0, 0}, {1, 1}, {2, 2}}) ==
        std::vector<point2>{{0, 0}, {2, 2}});
  const std::vector<point2> bad{{0, 0}, {std::numeric_limits<double>::quiet_NaN(), 1}};
  CHECK_THROWS_WITH(discgeom::convex_hull(bad),
                    "convex_hull(): points[1] = (nan, 1) is not finite");
}

TEST_CASE("min_area_rectangle and max_feret_diameter of a rotated 10 x 4 rectangle") {
  for (const double degrees : {0.0, 17.0, 30.0, 45.0, 90.0, 133.0}) {
    const double t = degrees * pi / 180.0, c = std::cos(t), s = std::sin(t);
    std::vector<point2> points;
    for (double x = -5; x <= 5; x += 0.5)
      for (double y = -2; y <= 2; y += 0.5)
        points.push_back({3 + c * x - s * y, -1 + s * x + c * y});
    const auto rect = discgeom::min_area_rectangle(points);
    INFO(degrees);
    CHECK(rect.long_side == Approx(10.0));
    CHECK(rect.short_side == Approx(4.0));
    CHECK(rect.centre.x == Approx(3.0));
    CHECK(rect.centre.y == Approx(-1.0));
    CHECK(std::abs(rect.long_axis.x * c + rect.long_axis.y * s) == Approx(1.0));
    CHECK(discgeom::max_feret_diameter(points) == Approx(std::sqrt(116.0)));
  }
}

TEST_CASE("rotating calipers equal brute force on random point sets") {
  std::mt19937_64 random(2026);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (int trial = 0; trial < 200; ++trial) {
    const double stretch = 0.2 + 3.0 * std::abs(normal(random));
    std::vector<point2> points(3 + trial % 40);
    for (auto& p : points)
      p = {normal(random) * stretch, normal(random)};
    const auto hull = discgeom::convex_hull(points);
    double best = INFINITY, best_short = 0.0;
    for (std::size_t i = 0; i < hull.size(); ++i) {
      const auto& a = hull[i];
      const auto& b = hull[(i + 1) % hull.size()];
      const double length = std::hypot(b.x - a.x, b.y - a.y);
      double short_side = 0.0;
      const double area =
          aligned_area(points, (b.x - a.x) / length, (b.y - a.y) / length, short_side);
      if (area < best) {
        best = area;
        best_short = short_side;
      }
    }
    const auto rect = discgeom::min_area_rectangle(points);
    INFO("trial " << trial);
    CHECK(rect.area() == Approx(best).epsilon(1e-9));
    CHECK(rect.short_side == Approx(best_short).epsilon(1e-9));
    double diameter = 0.0;
    for (const auto& p : points)
      for (const auto& q : points)
        diameter = std::max(diameter, std::hypot(p.x - q.x, p.y - q.y));
    CHECK(discgeom::max_feret_diameter(points) == Approx(diameter).epsilon(1e-12));
  }
}

TEST_CASE("degenerate point sets: one point, a segment, empty input is a precondition") {
  const auto dot = discgeom::min_area_rectangle(std::vector<point2>{{1, 2}});
  CHECK(dot.area() == 0.0);
  const auto segment = discgeom::min_area_rectangle(std::vector<point2>{{0, 0}, {3, 4}, {1.5, 2}});
  CHECK(segment.long_side == Approx(5.0));
  CHECK(segment.short_side == 0.0);
  CHECK(discgeom::max_feret_diameter(std::vector<point2>{{0, 0}, {3, 4}}) == Approx(5.0));
  CHECK(discgeom::max_feret_diameter(std::vector<point2>{{7, 7}}) == 0.0);
  CHECK_THROWS_WITH(discgeom::min_area_rectangle(std::vector<point2>{}),
                    "min_area_rectangle(): points is empty");
  CHECK_THROWS_AS(discgeom::max_feret_diameter(std::vector<point2>{}),
                  discgeom::precondition_error);
}
