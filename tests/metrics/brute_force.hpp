// SPDX-License-Identifier: MIT
#pragma once
// Slow, obviously correct versions of the metric definitions, straight from docs/metrics.md, to
// check the fast engines against.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "discgeom/image.hpp"
#include "discgeom/image_geometry.hpp"

namespace brute_force {

using shape3 = std::array<std::size_t, 3>;

/// Voxel centres (LPS mm) of the surface of label `label`: voxels of the label with a neighbour
/// (6 or 26) that is outside the image or holds another label.
template <class T>
std::vector<discgeom::vec3> surface_voxels(const discgeom::image<T>& img, T label,
                                           bool full_connectivity = false) {
  const auto shape = img.shape();
  std::vector<discgeom::vec3> points;
  for (std::size_t k = 0; k < shape[2]; ++k)
    for (std::size_t j = 0; j < shape[1]; ++j)
      for (std::size_t i = 0; i < shape[0]; ++i) {
        if (img.voxels(i, j, k) != label)
          continue;
        bool surface = false;
        for (int dk = -1; dk <= 1 && !surface; ++dk)
          for (int dj = -1; dj <= 1 && !surface; ++dj)
            for (int di = -1; di <= 1 && !surface; ++di) {
              const int nonzero = (di != 0) + (dj != 0) + (dk != 0);
              if (nonzero == 0 || (!full_connectivity && nonzero != 1))
                continue;
              const long x = static_cast<long>(i) + di, y = static_cast<long>(j) + dj,
                         z = static_cast<long>(k) + dk;
              if (x < 0 || y < 0 || z < 0 || x >= static_cast<long>(shape[0]) ||
                  y >= static_cast<long>(shape[1]) || z >= static_cast<long>(shape[2]) ||
                  img.voxels(x, y, z) != label)
                surface = true;
            }
        if (surface)
          points.push_back(img.geometry.index_to_physical(std::array<std::size_t, 3>{i, j, k}));
      }
  return points;
}

/// Corner points (LPS mm) whose eight voxels are mixed, outside the image counting as outside.
template <class T>
std::vector<discgeom::vec3> surface_corners(const discgeom::image<T>& img, T label) {
  const auto shape = img.shape();
  const auto inside = [&](long x, long y, long z) {
    return x >= 0 && y >= 0 && z >= 0 && x < static_cast<long>(shape[0]) &&
           y < static_cast<long>(shape[1]) && z < static_cast<long>(shape[2]) &&
           img.voxels(x, y, z) == label;
  };
  std::vector<discgeom::vec3> points;
  for (long k = 0; k <= static_cast<long>(shape[2]); ++k)
    for (long j = 0; j <= static_cast<long>(shape[1]); ++j)
      for (long i = 0; i <= static_cast<long>(shape[0]); ++i) {
        int count = 0;
        for (int c = 0; c < 8; ++c)
          count += inside(i - 1 + (c & 1), j - 1 + ((c >> 1) & 1), k - 1 + ((c >> 2) & 1));
        if (count != 0 && count != 8)
          points.push_back(img.geometry.index_to_physical(
              discgeom::vec3{static_cast<double>(i) - 0.5, static_cast<double>(j) - 0.5,
                             static_cast<double>(k) - 0.5}));
      }
  return points;
}

inline double distance(const discgeom::vec3& a, const discgeom::vec3& b) {
  return std::sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) +
                   (a[2] - b[2]) * (a[2] - b[2]));
}

/// For each point of `from`, the distance to the nearest point of `to`.
inline std::vector<double> directed(const std::vector<discgeom::vec3>& from,
                                    const std::vector<discgeom::vec3>& to) {
  std::vector<double> result;
  for (const auto& a : from) {
    double best = std::numeric_limits<double>::infinity();
    for (const auto& b : to)
      best = std::min(best, distance(a, b));
    result.push_back(best);
  }
  return result;
}

inline std::vector<double> sorted(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values;
}

}  // namespace brute_force
