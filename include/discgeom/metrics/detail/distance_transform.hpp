// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Exact squared Euclidean distance transform of a 3D grid with anisotropic spacing, by the
/// separable lower-envelope-of-parabolas algorithm of Felzenszwalb & Huttenlocher, Theory of
/// Computing 8:415 (2012). Every cell gets min over feature cells p of
/// sum_d (spacing_d * (q_d - p_d))^2, exact up to rounding; +infinity when there is no feature.

#include <algorithm>
#include <array>
#include <cstddef>
#include <limits>
#include <vector>

namespace discgeom::detail {

/// One line: out[q] = min_p (w * (q - p)^2 + f[p]) over p with finite f[p], for n values read
/// with `stride` from f and written with the same stride to out (which may alias f).
/// `sites` and `bounds` are scratch of at least n and n + 1 entries.
inline void squared_distance_line(double* values, std::size_t n, std::ptrdiff_t stride, double w,
                                  std::vector<double>& line, std::vector<std::size_t>& sites,
                                  std::vector<double>& bounds) {
  constexpr double infinity = std::numeric_limits<double>::infinity();
  line.resize(n);
  for (std::size_t q = 0; q < n; ++q) {
    line[q] = values[static_cast<std::ptrdiff_t>(q) * stride];
  }
  // Lower envelope of the parabolas rooted at the finite values.
  std::size_t k = 0;
  bool any = false;
  const auto intersection = [&](std::size_t q, std::size_t p) {
    const double dq = static_cast<double>(q);
    const double dp = static_cast<double>(p);
    return ((line[q] + w * dq * dq) - (line[p] + w * dp * dp)) / (2.0 * w * (dq - dp));
  };
  for (std::size_t q = 0; q < n; ++q) {
    if (line[q] == infinity) {
      continue;
    }
    if (!any) {
      any = true;
      k = 0;
      sites[0] = q;
      bounds[0] = -infinity;
      bounds[1] = infinity;
      continue;
    }
    double s = intersection(q, sites[k]);
    while (s <= bounds[k]) {
      --k;  // bounds[0] is -infinity, so k never goes below 0
      s = intersection(q, sites[k]);
    }
    ++k;
    sites[k] = q;
    bounds[k] = s;
    bounds[k + 1] = infinity;
  }
  if (!any) {
    return;  // no feature on this line: the values stay infinite
  }
  k = 0;
  for (std::size_t q = 0; q < n; ++q) {
    while (bounds[k + 1] < static_cast<double>(q)) {
      ++k;
    }
    const double d = static_cast<double>(q) - static_cast<double>(sites[k]);
    values[static_cast<std::ptrdiff_t>(q) * stride] = w * d * d + line[sites[k]];
  }
}

/// In place: `grid` (x fastest, shape[0] x shape[1] x shape[2]) holds 0 at feature cells and
/// +infinity elsewhere on entry, the squared distance in mm^2 to the nearest feature on exit.
inline void squared_distance_transform(std::vector<double>& grid,
                                       const std::array<std::size_t, 3>& shape,
                                       const std::array<double, 3>& spacing) {
  const std::array<std::ptrdiff_t, 3> strides{1, static_cast<std::ptrdiff_t>(shape[0]),
                                              static_cast<std::ptrdiff_t>(shape[0] * shape[1])};
  std::size_t longest = std::max(shape[0], std::max(shape[1], shape[2]));
  std::vector<double> line(longest);
  std::vector<std::size_t> sites(longest);
  std::vector<double> bounds(longest + 1);
  for (std::size_t axis = 0; axis < 3; ++axis) {
    const std::size_t a = (axis + 1) % 3;
    const std::size_t b = (axis + 2) % 3;
    const double w = spacing[axis] * spacing[axis];
    for (std::size_t j = 0; j < shape[b]; ++j) {
      for (std::size_t i = 0; i < shape[a]; ++i) {
        double* start = grid.data() + static_cast<std::ptrdiff_t>(i) * strides[a] +
                        static_cast<std::ptrdiff_t>(j) * strides[b];
        squared_distance_line(start, shape[axis], strides[axis], w, line, sites, bounds);
      }
    }
  }
}

}  // namespace discgeom::detail
