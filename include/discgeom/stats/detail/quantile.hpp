// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// numpy's default ("linear") quantile, shared by the surface metrics and the summaries.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "discgeom/error.hpp"

namespace discgeom::detail {

/// The q-quantile, q in [0, 1], of `values` (reordered; not empty): with the values sorted
/// v_0 <= ... <= v_{n-1} and h = (n - 1) q, v_floor(h) + (h - floor(h)) (v_floor(h)+1 -
/// v_floor(h)). O(n) by selection, no sort.
[[nodiscard]] inline double linear_quantile(std::vector<double>& values, double q) {
  DISCGEOM_ASSERT(!values.empty());
  const double h = static_cast<double>(values.size() - 1) * q;
  const auto below = static_cast<std::size_t>(std::floor(h));
  const double fraction = h - static_cast<double>(below);
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(below),
                   values.end());
  const double low = values[below];
  if (fraction == 0.0 || below + 1 >= values.size()) {
    return low;
  }
  const double high =
      *std::min_element(values.begin() + static_cast<std::ptrdiff_t>(below) + 1, values.end());
  return low + (high - low) * fraction;
}

}  // namespace discgeom::detail
