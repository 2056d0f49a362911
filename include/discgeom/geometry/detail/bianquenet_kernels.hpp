// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The steps of BianqueNet's disc indices (Zheng et al., Nat. Commun. 13, 841, 2022; its
/// released code, commit 36e487c8) on one mid-sagittal slice in BianqueNet's frame: row r grows
/// inferior, column c grows posterior, pixel indices. Written from the specification in
/// docs/geometry.md (checked against the released code's outputs, tests/data/bianquenet_golden.txt),
/// not from that code, which has no licence. Used by geometry/bianquenet.hpp.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "discgeom/geometry/detail/shi_tomasi.hpp"

namespace discgeom::detail {

using mask_raster = raster<std::uint8_t>;

/// A double product rounded on its own (never fused with an addition by the compiler), as the
/// released Python code computes it.
[[nodiscard]] inline double rounded_product(double a, double b) noexcept {
  volatile double product = a * b;
  return product;
}

struct rc_pixel {
  std::int64_t row = 0, col = 0;
  friend bool operator==(const rc_pixel&, const rc_pixel&) = default;
};

// ---------------------------------------------------------------------------------------------
// seg_opt: BianqueNet's clean-up of each structure's mask.

/// 3x3 opening as OpenCV's erode then dilate with their default borders (outside the image
/// counts as foreground for the erosion, as background for the dilation).
[[nodiscard]] inline mask_raster open3x3(const mask_raster& m) {
  const auto pass = [](const mask_raster& in, bool erode) {
    auto out = mask_raster::filled(in.rows, in.cols);
    for (std::size_t r = 0; r < in.rows; ++r)
      for (std::size_t c = 0; c < in.cols; ++c) {
        bool any = false, all = true;
        for (std::ptrdiff_t dr = -1; dr <= 1; ++dr)
          for (std::ptrdiff_t dc = -1; dc <= 1; ++dc) {
            const auto rr = static_cast<std::ptrdiff_t>(r) + dr;
            const auto cc = static_cast<std::ptrdiff_t>(c) + dc;
            const bool inside = rr >= 0 && cc >= 0 && rr < static_cast<std::ptrdiff_t>(in.rows) &&
                                cc < static_cast<std::ptrdiff_t>(in.cols);
            const bool v = inside
                               ? in(static_cast<std::size_t>(rr), static_cast<std::size_t>(cc)) != 0
                               : erode;
            any = any || v;
            all = all && v;
          }
        out(r, c) = (erode ? all : any) ? 1 : 0;
      }
    return out;
  };
  return pass(pass(m, true), false);
}

/// 8-connected components of a mask: ids (0 background, 1..n) and their pixel counts.
struct components_result {
  std::vector<std::uint32_t> ids;
  std::vector<std::size_t> sizes;  ///< sizes[id - 1]
};

[[nodiscard]] inline components_result components8(const mask_raster& m) {
  components_result out{std::vector<std::uint32_t>(m.values.size(), 0), {}};
  std::vector<std::size_t> stack;
  for (std::size_t start = 0; start < m.values.size(); ++start) {
    if (m.values[start] == 0 || out.ids[start] != 0)
      continue;
    const auto id = static_cast<std::uint32_t>(out.sizes.size() + 1);
    std::size_t count = 0;
    stack.push_back(start);
    out.ids[start] = id;
    while (!stack.empty()) {
      const std::size_t n = stack.back();
      stack.pop_back();
      ++count;
      const std::size_t r = n / m.cols, c = n % m.cols;
      for (std::ptrdiff_t dr = -1; dr <= 1; ++dr)
        for (std::ptrdiff_t dc = -1; dc <= 1; ++dc) {
          const auto rr = static_cast<std::ptrdiff_t>(r) + dr,
                     cc = static_cast<std::ptrdiff_t>(c) + dc;
          if (rr < 0 || cc < 0 || rr >= static_cast<std::ptrdiff_t>(m.rows) ||
              cc >= static_cast<std::ptrdiff_t>(m.cols))
            continue;
          const std::size_t k =
              static_cast<std::size_t>(rr) * m.cols + static_cast<std::size_t>(cc);
          if (m.values[k] != 0 && out.ids[k] == 0) {
            out.ids[k] = id;
            stack.push_back(k);
          }
        }
    }
    out.sizes.push_back(count);
  }
  return out;
}

/// BianqueNet's max_area_extract: with more than one 8-connected piece, the largest one with its
/// holes filled (their largest external contour, drawn filled); one piece or none: unchanged.
/// The largest is the piece with most pixels once filled (theirs: the largest contour area).
[[nodiscard]] inline mask_raster largest_piece_filled(const mask_raster& m) {
  const auto pieces = components8(m);
  if (pieces.sizes.size() <= 1)
    return m;
  // Each piece filled: the pixels it encloses (background not 4-connected to the border once the
  // piece alone is drawn). Largest by filled size, ties the first in raster order.
  std::optional<mask_raster> best;
  std::size_t best_size = 0;
  for (std::uint32_t id = 1; id <= pieces.sizes.size(); ++id) {
    auto filled = mask_raster::filled(m.rows, m.cols);
    for (std::size_t n = 0; n < m.values.size(); ++n)
      filled.values[n] = pieces.ids[n] == id ? 1 : 0;
    // Outside: background 4-connected to the image border.
    std::vector<std::uint8_t> outside(m.values.size(), 0);
    std::vector<std::size_t> stack;
    const auto seed = [&](std::size_t r, std::size_t c) {
      const std::size_t k = r * m.cols + c;
      if (filled.values[k] == 0 && outside[k] == 0) {
        outside[k] = 1;
        stack.push_back(k);
      }
    };
    for (std::size_t r = 0; r < m.rows; ++r) {
      seed(r, 0);
      seed(r, m.cols - 1);
    }
    for (std::size_t c = 0; c < m.cols; ++c) {
      seed(0, c);
      seed(m.rows - 1, c);
    }
    while (!stack.empty()) {
      const std::size_t k = stack.back();
      stack.pop_back();
      const std::size_t r = k / m.cols, c = k % m.cols;
      if (r > 0)
        seed(r - 1, c);
      if (r + 1 < m.rows)
        seed(r + 1, c);
      if (c > 0)
        seed(r, c - 1);
      if (c + 1 < m.cols)
        seed(r, c + 1);
    }
    std::size_t size = 0;
    for (std::size_t n = 0; n < m.values.size(); ++n) {
      filled.values[n] = outside[n] == 0 ? 1 : 0;
      size += filled.values[n];
    }
    if (size > best_size) {
      best_size = size;
      best = std::move(filled);
    }
  }
  return *best;
}

[[nodiscard]] inline std::size_t count_pixels(const mask_raster& m) {
  std::size_t n = 0;
  for (const auto v : m.values)
    n += v != 0 ? 1 : 0;
  return n;
}

/// seg_opt for a vertebral body (or the sacrum): the 3x3 opening, then its largest piece filled.
[[nodiscard]] inline mask_raster clean_body(const mask_raster& m) {
  return largest_piece_filled(open3x3(m));
}

/// seg_opt for a disc: its largest piece filled, unless that keeps fewer than 95 % of its pixels;
/// then the 3x3 opening instead.
[[nodiscard]] inline mask_raster clean_disc(const mask_raster& m) {
  auto largest = largest_piece_filled(m);
  const std::size_t before = count_pixels(m);
  if (before > 0 && static_cast<double>(count_pixels(largest)) / static_cast<double>(before) < 0.95)
    return open3x3(m);
  return largest;
}

// ---------------------------------------------------------------------------------------------
// Vertebral bodies.

struct body_kernel_result {
  std::string status;  ///< empty when the corners were found
  std::size_t pixels = 0;
  std::array<rc_pixel, 4>
      corners{};  ///< upper-anterior, upper-posterior, lower-anterior, lower-posterior
  std::array<float, 4> strengths{};
};

/// The four corners of a body in BianqueNet's order (calcu_HV; calcu_HV_S1 when `sacrum`).
[[nodiscard]] inline body_kernel_result body_corners(const mask_raster& m, bool sacrum) {
  body_kernel_result out;
  out.pixels = count_pixels(m);
  if (out.pixels == 0) {
    out.status = "absent";
    return out;
  }
  const auto found = good_features_to_track(m, 4, 0.01, 21, 9);
  if (found.size() < 4) {
    out.status = "fewer than 4 corners";
    return out;
  }
  const auto sum = [&](std::size_t k) { return found[k].row + found[k].col; };
  std::size_t first = 0, last = 0;
  for (std::size_t k = 1; k < 4; ++k) {
    if (sum(k) < sum(first))
      first = k;
    if (sum(k) > sum(last))
      last = k;
  }
  if (first == last) {
    out.status = "corners on one anti-diagonal";
    return out;
  }
  std::vector<std::size_t> rest;
  for (std::size_t k = 0; k < 4; ++k)
    if (k != first && k != last)
      rest.push_back(k);
  const auto key = [&](std::size_t k) { return sacrum ? sum(k) : found[k].row; };
  const bool first_is_lower = key(rest[0]) > key(rest[1]);
  const std::size_t lower = first_is_lower ? rest[0] : rest[1];
  const std::size_t upper = first_is_lower ? rest[1] : rest[0];
  std::array<std::size_t, 4> slot{first, upper, lower, last};
  const std::array<std::size_t, 4> before = slot;
  if (found[before[1]].col < found[before[0]].col)
    std::swap(slot[0], slot[1]);
  if (found[before[3]].col < found[before[2]].col)
    std::swap(slot[2], slot[3]);
  for (std::size_t k = 0; k < 4; ++k) {
    out.corners[k] = {found[slot[k]].row, found[slot[k]].col};
    out.strengths[k] = found[slot[k]].strength;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Discs.

struct disc_kernel_result {
  std::string status;  ///< empty when every step worked; else what failed
  std::array<double, 2> anterior{}, posterior{};  ///< D1, D2 (row, column)
  double mid_width_px = 0.0;                      ///< |D1 D2|
  std::array<rc_pixel, 4> cut{};                  ///< lu, ld, ru, rd
  std::size_t central_pixels = 0;
  bool walked = false;
  std::array<rc_pixel, 2> walk_ends{};  ///< anterior, posterior
};

/// The four cut points of the central 80 % (calcu_WD): truncated toward zero.
[[nodiscard]] inline std::array<rc_pixel, 4> cut_points(const std::array<double, 2>& ant,
                                                        const std::array<double, 2>& post) {
  const double ch = (ant[0] + post[0]) / 2.0, cw = (ant[1] + post[1]) / 2.0;
  const double dh = std::fabs(ant[0] - post[0]), dw = std::fabs(ant[1] - post[1]);
  const double mh = rounded_product(0.4, dh), mw = rounded_product(0.4, dw);
  const double qh = rounded_product(0.375, dh), qw = rounded_product(0.375, dw);
  const auto px = [](double h, double w) {
    return rc_pixel{static_cast<std::int64_t>(h), static_cast<std::int64_t>(w)};
  };
  if (ant[0] < post[0]) {
    return {px(ch - mh - qw, cw - mw + qh), px(ch - mh + qw, cw - mw - qh),
            px(ch + mh - qw, cw + mw + qh), px(ch + mh + qw, cw + mw - qh)};
  }
  return {px(ch + mh - qw, cw - mw - qh), px(ch + mh + qw, cw - mw + qh),
          px(ch - mh - qw, cw + mw - qh), px(ch - mh + qw, cw + mw + qh)};
}

/// The column of a cut line from `top` to `bottom` on each row top.row .. bottom.row - 1:
/// round-half-even((row - b) / m) with m, b of the line through the two integer points.
template <class Visit>
void cut_line_columns(const rc_pixel& top, const rc_pixel& bottom, Visit&& visit) {
  if (top.col == bottom.col) {
    for (std::int64_t j = top.row; j < bottom.row; ++j)
      visit(j, top.col);
    return;
  }
  const double m =
      static_cast<double>(bottom.row - top.row) / static_cast<double>(bottom.col - top.col);
  const double b = static_cast<double>(top.row) - rounded_product(m, static_cast<double>(top.col));
  for (std::int64_t j = top.row; j < bottom.row; ++j)
    visit(j, static_cast<std::int64_t>(std::nearbyint((static_cast<double>(j) - b) / m)));
}

/// Pixels of the disc left once the rows crossed by the cut lines are trimmed (calcu_HD): before
/// the anterior line's column, and from the posterior line's column on.
[[nodiscard]] inline std::size_t central_pixel_count(const mask_raster& disc,
                                                     const std::array<rc_pixel, 4>& cut) {
  auto kept = disc;
  const auto rows = static_cast<std::int64_t>(disc.rows),
             cols = static_cast<std::int64_t>(disc.cols);
  cut_line_columns(cut[0], cut[1], [&](std::int64_t j, std::int64_t w) {
    if (j < 0 || j >= rows)
      return;
    for (std::int64_t i = 0; i < std::min(w, cols); ++i)
      kept(static_cast<std::size_t>(j), static_cast<std::size_t>(i)) = 0;
  });
  cut_line_columns(cut[2], cut[3], [&](std::int64_t j, std::int64_t w) {
    if (j < 0 || j >= rows)
      return;
    for (std::int64_t i = std::max<std::int64_t>(w, 0); i < cols; ++i)
      kept(static_cast<std::size_t>(j), static_cast<std::size_t>(i)) = 0;
  });
  return count_pixels(kept);
}

/// The two ends of the walk along the mid-point line (calcu_big_WD), or a reason.
[[nodiscard]] inline std::optional<std::array<rc_pixel, 2>> walk_ends(
    const mask_raster& disc, const std::array<double, 2>& ant, const std::array<double, 2>& post,
    std::string& why) {
  const auto h0 = static_cast<std::int64_t>(ant[0]), w0 = static_cast<std::int64_t>(ant[1]);
  const auto h1 = static_cast<std::int64_t>(post[0]), w1 = static_cast<std::int64_t>(post[1]);
  double m = 0.0, b = 0.0;
  const bool level = h0 == h1;
  if (!level) {
    if (post[1] == ant[1]) {
      why = "mid-point line vertical";
      return std::nullopt;
    }
    m = (post[0] - ant[0]) / (post[1] - ant[1]);
    b = ant[0] - rounded_product(m, ant[1]);
  }
  const auto row = [&](std::int64_t s) {
    return level ? h1 : static_cast<std::int64_t>(rounded_product(m, static_cast<double>(s)) + b);
  };
  const auto rows = static_cast<std::int64_t>(disc.rows),
             cols = static_cast<std::int64_t>(disc.cols);
  const auto in_disc = [&](std::int64_t r, std::int64_t c) {  // outside the image: background
    return r >= 0 && r < rows && c >= 0 && c < cols &&
           disc(static_cast<std::size_t>(r), static_cast<std::size_t>(c)) != 0;
  };
  std::optional<rc_pixel> back, front;
  for (std::int64_t s = std::max<std::int64_t>(w1, 0); s < cols; ++s)
    if (!in_disc(row(s), s)) {
      back = rc_pixel{row(s - 1), s - 1};
      break;
    }
  for (std::int64_t t = std::min(w0, cols - 1); t >= 1; --t)
    if (!in_disc(row(t), t)) {
      front = rc_pixel{row(t + 1), t + 1};
      break;
    }
  if (!back || !front) {
    why = "disc reaches the image border along the mid-point line";
    return std::nullopt;
  }
  return std::array<rc_pixel, 2>{*front, *back};
}

/// D1, D2, the cut, the central pixels and the walk of a disc between two bodies' corners.
[[nodiscard]] inline disc_kernel_result disc_steps(const mask_raster& disc,
                                                   const std::array<rc_pixel, 4>& upper,
                                                   const std::array<rc_pixel, 4>& lower) {
  disc_kernel_result out;
  const auto mid = [](const rc_pixel& a, const rc_pixel& b) {
    return std::array<double, 2>{static_cast<double>(a.row + b.row) / 2.0,
                                 static_cast<double>(a.col + b.col) / 2.0};
  };
  out.anterior = mid(upper[2], lower[0]);
  out.posterior = mid(upper[3], lower[1]);
  const double dh = out.posterior[0] - out.anterior[0], dw = out.posterior[1] - out.anterior[1];
  out.mid_width_px = std::sqrt(dh * dh + dw * dw);  // exact squares of half-integers: as hypot
  if (out.mid_width_px == 0.0) {
    out.status = "anterior and posterior mid-points coincide";
    return out;
  }
  out.cut = cut_points(out.anterior, out.posterior);
  out.central_pixels = central_pixel_count(disc, out.cut);
  std::string why;
  if (const auto ends = walk_ends(disc, out.anterior, out.posterior, why)) {
    out.walked = true;
    out.walk_ends = *ends;
  } else {
    out.status = why;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Signal intensity (calcu_Sigs).

struct peaks_result {
  std::size_t pixels = 0;
  int mode = 0;         ///< most frequent value (255 counted), ties: first met in raster order
  int first_peak = 0;   ///< argmax of the 256-bin histogram over [0, 255) (255 left out), lowest
  int second_peak = 0;  ///< first k maximising float32(|k - 0.95 first_peak| hist[k])
};

/// `values` in row-major order of the slice.
[[nodiscard]] inline std::optional<peaks_result> histogram_peaks(
    const std::vector<std::uint8_t>& values) {
  if (values.empty())
    return std::nullopt;
  std::array<std::size_t, 256> counts{};
  for (const auto v : values)
    ++counts[v];
  const std::size_t top = *std::max_element(counts.begin(), counts.end());
  peaks_result out;
  out.pixels = values.size();
  for (const auto v : values)
    if (counts[v] == top) {
      out.mode = v;
      break;
    }
  std::array<std::size_t, 256> hist = counts;
  hist[255] = 0;
  out.first_peak = static_cast<int>(std::max_element(hist.begin(), hist.end()) - hist.begin());
  const double centre = rounded_product(static_cast<double>(out.first_peak), 0.95);
  float best = -1.0f;
  for (int k = 0; k < 256; ++k) {
    const auto weight = static_cast<float>(std::fabs(static_cast<double>(k) - centre) *
                                           static_cast<double>(hist[static_cast<std::size_t>(k)]));
    if (weight > best) {
      best = weight;
      out.second_peak = k;
    }
  }
  return out;
}

}  // namespace discgeom::detail
