// SPDX-License-Identifier: MIT
#include "discgeom/spatial/point_cloud.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

using discgeom::vec3;

namespace {
double distance(const vec3& a, const vec3& b) {
  return std::hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}
}  // namespace

TEST_CASE("point_cloud_index: nearest and k_nearest equal brute force") {
  std::mt19937_64 random(12345);
  std::uniform_real_distribution<double> coordinate(-50.0, 50.0);
  std::vector<vec3> points(2000);
  for (auto& p : points)
    p = {coordinate(random), coordinate(random), coordinate(random) * 0.1};
  const discgeom::point_cloud_index index(points);
  CHECK(index.size() == 2000);
  for (int q = 0; q < 200; ++q) {
    const vec3 query{coordinate(random), coordinate(random), coordinate(random)};
    std::vector<double> all;
    for (const auto& p : points)
      all.push_back(distance(query, p));
    std::sort(all.begin(), all.end());
    const auto best = index.nearest(query);
    CHECK(best.distance == Approx(all[0]).epsilon(1e-12));
    CHECK(distance(query, points[best.index]) == Approx(all[0]).epsilon(1e-12));
    const auto five = index.k_nearest(query, 5);
    REQUIRE(five.size() == 5);
    for (std::size_t i = 0; i < 5; ++i)
      CHECK(five[i].distance == Approx(all[i]).epsilon(1e-12));
  }
}

TEST_CASE("point_cloud_index: a point in the cloud is at distance 0 from itself") {
  const std::vector<vec3> points{{0, 0, 0}, {1, 0, 0}, {0, 4.4, 0}};
  const discgeom::point_cloud_index index(points);
  CHECK(index.nearest({0, 4.4, 0}).index == 2);
  CHECK(index.nearest({0, 4.4, 0}).distance == 0.0);
  CHECK(index.nearest({0, 3.0, 0}).distance == Approx(1.4));
}

TEST_CASE("point_cloud_index: bad input throws precondition_error") {
  const std::vector<vec3> none;
  const discgeom::point_cloud_index empty(none);
  CHECK(empty.empty());
  CHECK_THROWS_WITH(empty.nearest({0, 0, 0}),
                    "point_cloud_index::nearest(): the point cloud is empty");
  const std::vector<vec3> two{{0, 0, 0}, {1, 1, 1}};
  const discgeom::point_cloud_index index(two);
  CHECK_THROWS_WITH(
      index.k_nearest({0, 0, 0}, 3),
      "point_cloud_index::k_nearest(): k = 3 must be in [1, 2], the number of points");
  CHECK_THROWS_AS(index.k_nearest({0, 0, 0}, 0), discgeom::precondition_error);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(index.nearest({nan, 0, 0}), Catch::Contains("query [nan,0,0] is not finite"));
  const std::vector<vec3> broken{{0, 0, 0}, {1, nan, 1}};
  CHECK_THROWS_WITH(discgeom::point_cloud_index(broken),
                    "point_cloud_index(): points[1] = [1,nan,1] is not finite");
}
