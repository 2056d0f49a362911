// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Shi-Tomasi corners of a binary mask as OpenCV computes them, bit for bit:
/// `cv2.goodFeaturesToTrack(mask as float32, max_corners, quality, min_distance, blockSize=b)`
/// with its defaults (Sobel aperture 3, reflect-101 borders, no Harris). Written from OpenCV's
/// documented algorithm (Shi & Tomasi, "Good features to track", CVPR 1994; OpenCV's
/// cornerMinEigenVal and goodFeaturesToTrack), not from its code. BianqueNet (Zheng et al. 2022)
/// finds vertebral-body corners with it; geometry/bianquenet.hpp uses it.
///
/// The float32 steps, in OpenCV's order (each `fl` one float32 rounding; f = fl(1/36), the Sobel
/// scale 1 / (2^(3-1) b) with b = 9, folded into the smoothing taps):
/// - dx = fl(jx f), jx the integer response of the 3x3 Sobel-x kernel (exact);
/// - dy: every row smoothed first, R = fl((I[c-1] + 2 I[c] + I[c+1]) f), then dy = fl(R[r+1] - R[r-1]);
/// - the products dx^2, dx dy, dy^2 in float32, each summed over a b x b window (reflect-101) and
///   rounded to float32: Sxx, Sxy, Syy (the sums of a 0/1 mask's products are exact in double);
/// - a = Sxx / 2, b = Sxy, c = Syy / 2; lambda = (a + c) - sqrt((a - c)^2 + b^2), float32;
/// - lambda <= fl(max lambda * quality) set to 0; candidates: nonzero 3x3 local maxima, the
///   image's border rows and columns excluded; sorted by lambda, ties later raster position
///   first; accepted greedily while at least min_distance (squared, integer) from every accepted.
/// Products are formed in double (exact for float operands) and rounded once to float, so no
/// compiler contraction into fused multiply-adds can change a bit.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace discgeom::detail {

/// A row-major 2D raster (row r, column c at values[r * cols + c]).
template <class T>
struct raster {
  std::size_t rows = 0, cols = 0;
  std::vector<T> values;

  [[nodiscard]] static raster filled(std::size_t rows, std::size_t cols, T value = T{}) {
    return {rows, cols, std::vector<T>(rows * cols, value)};
  }
  [[nodiscard]] T& operator()(std::size_t r, std::size_t c) { return values[r * cols + c]; }
  [[nodiscard]] const T& operator()(std::size_t r, std::size_t c) const {
    return values[r * cols + c];
  }
};

/// OpenCV's BORDER_REFLECT_101 index (…, 2, 1 | 0, 1, …, n-1 | n-2, …), repeated for small n.
[[nodiscard]] inline std::size_t reflect101(std::ptrdiff_t i, std::size_t n) noexcept {
  if (n == 1)
    return 0;
  const auto last = static_cast<std::ptrdiff_t>(n) - 1;
  while (i < 0 || i > last)
    i = i < 0 ? -i : 2 * last - i;
  return static_cast<std::size_t>(i);
}

/// float32 product, rounded once (the double product of two floats is exact).
[[nodiscard]] inline float float_product(float a, float b) noexcept {
  return static_cast<float>(static_cast<double>(a) * static_cast<double>(b));
}

/// A corner: pixel (row, column) and its minimum eigenvalue.
struct corner_point {
  std::ptrdiff_t row = 0, col = 0;
  float strength = 0.0f;
};

/// cv2.cornerMinEigenVal(mask, block, 3) on the window rows [r0, r1) x columns [c0, c1) of the
/// image (values outside it are not computed; reflection is at the image's own borders). The
/// result is the window's raster.
[[nodiscard]] inline raster<float> min_eigenvalues(const raster<std::uint8_t>& mask,
                                                   std::size_t block, std::size_t r0,
                                                   std::size_t r1, std::size_t c0, std::size_t c1) {
  const auto half = static_cast<std::ptrdiff_t>(block / 2);
  const float f = static_cast<float>(1.0 / (4.0 * static_cast<double>(block)));
  const auto at = [&](std::ptrdiff_t r, std::ptrdiff_t c) -> int {
    return mask(reflect101(r, mask.rows), reflect101(c, mask.cols)) != 0 ? 1 : 0;
  };
  // The products on the real pixels the window's box sums reach.
  const auto ilo = [&](std::size_t lo) {
    return static_cast<std::size_t>(
        std::max<std::ptrdiff_t>(0, static_cast<std::ptrdiff_t>(lo) - half));
  };
  const std::size_t pr0 = ilo(r0), pc0 = ilo(c0);
  const std::size_t pr1 = std::min(mask.rows, r1 + static_cast<std::size_t>(half));
  const std::size_t pc1 = std::min(mask.cols, c1 + static_cast<std::size_t>(half));
  const std::size_t prows = pr1 - pr0, pcols = pc1 - pc0;
  std::vector<float> xx(prows * pcols), xy(prows * pcols), yy(prows * pcols);
  const auto smooth = [&](std::ptrdiff_t r, std::ptrdiff_t c) {  // R = fl((I[c-1]+2I[c]+I[c+1]) f)
    const int sum = at(r, c - 1) + 2 * at(r, c) + at(r, c + 1);
    return float_product(static_cast<float>(sum), f);
  };
  for (std::size_t r = pr0; r < pr1; ++r) {
    for (std::size_t c = pc0; c < pc1; ++c) {
      const auto ri = static_cast<std::ptrdiff_t>(r), ci = static_cast<std::ptrdiff_t>(c);
      int jx = 0;
      for (std::ptrdiff_t d = -1; d <= 1; ++d)
        jx += (d == 0 ? 2 : 1) * (at(ri + d, ci + 1) - at(ri + d, ci - 1));
      const float dx = float_product(static_cast<float>(jx), f);
      const float dy = smooth(ri + 1, ci) - smooth(ri - 1, ci);
      const std::size_t n = (r - pr0) * pcols + (c - pc0);
      xx[n] = float_product(dx, dx);
      xy[n] = float_product(dx, dy);
      yy[n] = float_product(dy, dy);
    }
  }
  // Box sums (exact in double for these products), reflect-101 at the image borders.
  const std::size_t wrows = r1 - r0, wcols = c1 - c0;
  auto result = raster<float>::filled(wrows, wcols);
  const auto product_index = [&](std::ptrdiff_t r, std::ptrdiff_t c) {
    return (reflect101(r, mask.rows) - pr0) * pcols + (reflect101(c, mask.cols) - pc0);
  };
  for (std::size_t r = r0; r < r1; ++r) {
    for (std::size_t c = c0; c < c1; ++c) {
      double sxx = 0.0, sxy = 0.0, syy = 0.0;
      for (std::ptrdiff_t dr = -half; dr <= half; ++dr) {
        for (std::ptrdiff_t dc = -half; dc <= half; ++dc) {
          const std::size_t n = product_index(static_cast<std::ptrdiff_t>(r) + dr,
                                              static_cast<std::ptrdiff_t>(c) + dc);
          sxx += xx[n];
          sxy += xy[n];
          syy += yy[n];
        }
      }
      const float a = static_cast<float>(sxx) * 0.5f;
      const float b = static_cast<float>(sxy);
      const float cc = static_cast<float>(syy) * 0.5f;
      const float t = a - cc;
      const float root = std::sqrt(float_product(b, b) + float_product(t, t));
      result(r - r0, c - c0) = (a + cc) - root;
    }
  }
  return result;
}

/// cv2.goodFeaturesToTrack(mask, max_corners, quality, min_distance, blockSize=block): corners,
/// strongest first. Empty for an empty mask.
[[nodiscard]] inline std::vector<corner_point> good_features_to_track(
    const raster<std::uint8_t>& mask, std::size_t max_corners = 4, double quality = 0.01,
    std::ptrdiff_t min_distance = 21, std::size_t block = 9) {
  // Only pixels within block/2 + 1 of the mask can have a nonzero eigenvalue: the window is the
  // mask's bounding box with a margin (the result is that of the whole image).
  std::size_t rmin = mask.rows, rmax = 0, cmin = mask.cols, cmax = 0;
  for (std::size_t r = 0; r < mask.rows; ++r)
    for (std::size_t c = 0; c < mask.cols; ++c)
      if (mask(r, c) != 0) {
        rmin = std::min(rmin, r);
        rmax = std::max(rmax, r);
        cmin = std::min(cmin, c);
        cmax = std::max(cmax, c);
      }
  if (rmin > rmax || mask.rows < 3 || mask.cols < 3)
    return {};
  const std::size_t margin = block / 2 + 4;
  const std::size_t r0 = rmin > margin ? rmin - margin : 0, c0 = cmin > margin ? cmin - margin : 0;
  const std::size_t r1 = std::min(mask.rows, rmax + margin + 1);
  const std::size_t c1 = std::min(mask.cols, cmax + margin + 1);
  auto eig = min_eigenvalues(mask, block, r0, r1, c0, c1);
  float largest = 0.0f;
  for (const float v : eig.values)
    largest = std::max(largest, v);
  const auto threshold = static_cast<float>(static_cast<double>(largest) * quality);
  for (float& v : eig.values)
    if (!(v > threshold))
      v = 0.0f;
  struct candidate {
    float value;
    std::size_t raster_index;
  };
  std::vector<candidate> candidates;
  for (std::size_t r = std::max<std::size_t>(r0, 1); r < std::min(r1, mask.rows - 1); ++r) {
    for (std::size_t c = std::max<std::size_t>(c0, 1); c < std::min(c1, mask.cols - 1); ++c) {
      const float v = eig(r - r0, c - c0);
      if (v == 0.0f)
        continue;
      bool is_max = true;
      for (std::size_t rr = r - 1; rr <= r + 1 && is_max; ++rr)
        for (std::size_t ccol = c - 1; ccol <= c + 1; ++ccol)
          if (rr >= r0 && rr < r1 && ccol >= c0 && ccol < c1 && eig(rr - r0, ccol - c0) > v) {
            is_max = false;
            break;
          }
      if (is_max)
        candidates.push_back({v, r * mask.cols + c});
    }
  }
  std::sort(candidates.begin(), candidates.end(), [](const candidate& a, const candidate& b) {
    return a.value != b.value ? a.value > b.value : a.raster_index > b.raster_index;
  });
  std::vector<corner_point> chosen;
  for (const auto& cand : candidates) {
    const auto r = static_cast<std::ptrdiff_t>(cand.raster_index / mask.cols);
    const auto c = static_cast<std::ptrdiff_t>(cand.raster_index % mask.cols);
    const bool far = std::all_of(chosen.begin(), chosen.end(), [&](const corner_point& p) {
      const std::ptrdiff_t dr = r - p.row, dc = c - p.col;
      return dr * dr + dc * dc >= min_distance * min_distance;
    });
    if (far) {
      chosen.push_back({r, c, cand.value});
      if (chosen.size() == max_corners)
        break;
    }
  }
  return chosen;
}

}  // namespace discgeom::detail
