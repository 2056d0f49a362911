// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Linear (order 1) interpolation as scipy.ndimage computes it, for geometry/perrone.hpp: the
/// released code of Perrone et al. resamples its disc masks with `scipy.ndimage.zoom(order=1)` and
/// aligns them with `scipy.ndimage.rotate(reshape=False, order=1)`, and its numbers depend on the
/// last bits of those calls (a voxel is kept when an interpolated value rounds to 1). What is
/// reproduced, checked bit for bit against scipy 1.10 on random inputs:
/// - mode 'constant' with cval 0: a sample whose coordinate lies outside [0, n - 1] on any axis
///   is 0, with no interpolation towards the border (scipy's 'grid-constant' would interpolate);
/// - the two weights of an axis are w0 = 1 - t and w1 = 1 - w0 (t the fractional part), and the
///   2^rank corner products are formed in axis order and summed with the last axis fastest;
/// - an integer output is rounded half away from zero: (long)(v + 0.5) for v > 0;
/// - zoom samples output index o at input coordinate o * ((n - 1) / (m - 1)), the factor computed
///   once per axis (corners aligned, grid_mode=False);
/// - rotate maps output (row, col) to input R (out - c) + c, R = [[cos a, sin a], [-sin a, cos a]],
///   c the array centre, cos and sin in degrees by Cephes' cosdg and sindg (exact at multiples of
///   90 degrees, and not always the same last bit as std::cos(a * pi / 180)).
/// Nothing here is public API.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace discgeom::detail {

/// Cephes' polynomial evaluation: c[0] x^n + c[1] x^(n-1) + ... + c[n], by Horner's rule.
inline double cephes_polynomial(double x, const double* c, int n) noexcept {
  double sum = c[0];
  for (int i = 1; i <= n; ++i)
    sum = sum * x + c[i];
  return sum;
}

/// Sine and cosine of an angle in degrees, as Cephes' sindg and cosdg (Moshier, Cephes Math
/// Library 2.0, 1987; scipy.special.sindg and cosdg, which scipy.ndimage.rotate calls): reduction
/// to an octant in degrees, then the sine polynomial x + x^3 P(x^2) or the cosine polynomial
/// 1 - x^2 Q(x^2) of the remainder in radians.
struct degree_sine_cosine {
  double sine = 0.0;
  double cosine = 1.0;
};

inline degree_sine_cosine sine_cosine_degrees(double degrees) noexcept {
  static constexpr double sine_coefficients[] = {
      1.58962301572218447952E-10, -2.50507477628503540135E-8, 2.75573136213856773549E-6,
      -1.98412698295895384658E-4, 8.33333333332211858862E-3,  -1.66666666666666307295E-1};
  static constexpr double cosine_coefficients[] = {
      1.13678171382044553091E-11, -2.08758833757683644217E-9, 2.75573155429816611547E-7,
      -2.48015872936186303776E-5, 1.38888888888806666760E-3,  -4.16666666666666348141E-2,
      4.99999999999999999798E-1};
  static constexpr double radians_per_degree = 1.74532925199432957692E-2;
  // The octant of |x| modulo 360 degrees, odd octants rounded up to the next one, and the
  // remainder z in [-45, 45] degrees from that octant's start.
  const auto reduce = [](double x, int& octant, double& z) {
    double y = std::floor(x / 45.0);
    const double sixteenths = std::floor(std::ldexp(y, -4));
    octant = static_cast<int>(y - std::ldexp(sixteenths, 4));
    if (octant & 1) {
      octant += 1;
      y += 1.0;
    }
    octant &= 7;
    z = (x - y * 45.0) * radians_per_degree;
  };
  const auto sine_series = [](double z) {
    const double zz = z * z;
    return z + z * (zz * cephes_polynomial(zz, sine_coefficients, 5));
  };
  const auto cosine_series = [](double z) {
    const double zz = z * z;
    return 1.0 - zz * cephes_polynomial(zz, cosine_coefficients, 6);
  };
  const double magnitude = std::abs(degrees);
  int octant = 0;
  double z = 0.0;
  reduce(magnitude, octant, z);
  degree_sine_cosine result;
  // sine: odd in x; octants 4-7 flip the sign; octants 2 (and 6) use the cosine series.
  {
    int sign = degrees < 0 ? -1 : 1;
    int j = octant;
    if (j > 3) {
      sign = -sign;
      j -= 4;
    }
    result.sine = (j == 1 || j == 2) ? cosine_series(z) : sine_series(z);
    if (sign < 0)
      result.sine = -result.sine;
  }
  // cosine: even in x; octants 4-7 and then 2-3 flip the sign; octant 2 uses the sine series.
  {
    int sign = 1;
    int j = octant;
    if (j > 3) {
      j -= 4;
      sign = -sign;
    }
    if (j > 1)
      sign = -sign;
    result.cosine = (j == 1 || j == 2) ? sine_series(z) : cosine_series(z);
    if (sign < 0)
      result.cosine = -result.cosine;
  }
  return result;
}

/// scipy's rounding of an interpolated value into a signed integer output.
inline std::int64_t scipy_round_to_integer(double value) noexcept {
  return static_cast<std::int64_t>(value > 0 ? value + 0.5 : value - 0.5);
}

/// The two taps of linear interpolation along one axis for one output index.
struct linear_taps {
  bool inside = false;  ///< false: the coordinate lies outside [0, n - 1] (mode 'constant': 0)
  std::size_t first = 0, second = 0;
  double first_weight = 0.0, second_weight = 0.0;
};

/// The taps at input coordinate `coordinate` along an axis of `length` samples (scipy's order-1
/// spline with mode 'constant'). At coordinate n - 1 the second tap (weight 0) is mirrored back
/// inside, as scipy does.
inline linear_taps linear_taps_at(double coordinate, std::size_t length) noexcept {
  linear_taps taps;
  if (coordinate < 0.0 || coordinate > static_cast<double>(length) - 1.0)
    return taps;
  taps.inside = true;
  const double start = std::floor(coordinate);
  const auto first = static_cast<std::size_t>(start);
  taps.first = first;
  taps.second = first + 1 < length ? first + 1 : (length > 1 ? length - 2 : 0);
  taps.first_weight = 1.0 - (coordinate - start);
  taps.second_weight = 1.0 - taps.first_weight;
  return taps;
}

/// The taps of scipy.ndimage.zoom(order=1, grid_mode=False) along an axis resampled from `input`
/// to `output` samples: output index o reads input coordinate o * ((input - 1) / (output - 1))
/// (a factor of 1 when output is 1). When (output - 1) times the factor exceeds input - 1 in
/// double arithmetic, the last output index falls outside and reads 0.
inline std::vector<linear_taps> zoom_taps(std::size_t input, std::size_t output) {
  const double factor =
      output > 1 ? static_cast<double>(input - 1) / static_cast<double>(output - 1) : 1.0;
  std::vector<linear_taps> taps(output);
  for (std::size_t o = 0; o < output; ++o)
    taps[o] = linear_taps_at(static_cast<double>(o) * factor, input);
  return taps;
}

/// scipy.ndimage.rotate(slice, angle_degrees, reshape=False, order=1) of one 2D integer slice
/// (rows x cols, element (r, c) at in[r * in_row + c * in_col]) into `out` (same shape, its own
/// strides), rounded as scipy rounds into an integer array. Rotation plane axes (0, 1): output
/// (r, c) reads input (r', c') = R (r - cr, c - cc) + (cr, cc) with R = [[cos, sin], [-sin, cos]]
/// and (cr, cc) = ((rows - 1) / 2, (cols - 1) / 2); scipy forms it as (R00 r + R01 c) + offset,
/// offset = centre - R centre.
template <class In, class Out>
void rotate_slice_order1(const In* in, std::ptrdiff_t in_row, std::ptrdiff_t in_col, Out* out,
                         std::ptrdiff_t out_row, std::ptrdiff_t out_col, std::size_t rows,
                         std::size_t cols, double angle_degrees) {
  const auto [s, c] = sine_cosine_degrees(angle_degrees);
  const double centre_row = (static_cast<double>(rows) - 1.0) / 2.0;
  const double centre_col = (static_cast<double>(cols) - 1.0) / 2.0;
  // numpy forms R @ centre as fma(R[i][0], centre[0], R[i][1] * centre[1]) (its BLAS dgemv,
  // with fused multiply-adds, where the reference values were made); a plain sum differs in the
  // last bit for about half of all angles.
  const double offset_row = centre_row - std::fma(c, centre_row, s * centre_col);
  const double offset_col = centre_col - std::fma(-s, centre_row, c * centre_col);
  for (std::size_t r = 0; r < rows; ++r) {
    const double rr = static_cast<double>(r);
    for (std::size_t k = 0; k < cols; ++k) {
      const double kk = static_cast<double>(k);
      const double input_row = c * rr + s * kk + offset_row;
      const double input_col = -s * rr + c * kk + offset_col;
      const linear_taps tr = linear_taps_at(input_row, rows);
      const linear_taps tc = linear_taps_at(input_col, cols);
      double value = 0.0;
      if (tr.inside && tc.inside) {
        const auto at = [&](std::size_t i, std::size_t j) {
          return static_cast<double>(in[static_cast<std::ptrdiff_t>(i) * in_row +
                                        static_cast<std::ptrdiff_t>(j) * in_col]);
        };
        double term = at(tr.first, tc.first);
        term *= tr.first_weight;
        term *= tc.first_weight;
        value += term;
        term = at(tr.first, tc.second);
        term *= tr.first_weight;
        term *= tc.second_weight;
        value += term;
        term = at(tr.second, tc.first);
        term *= tr.second_weight;
        term *= tc.first_weight;
        value += term;
        term = at(tr.second, tc.second);
        term *= tr.second_weight;
        term *= tc.second_weight;
        value += term;
      }
      out[static_cast<std::ptrdiff_t>(r) * out_row + static_cast<std::ptrdiff_t>(k) * out_col] =
          static_cast<Out>(scipy_round_to_integer(value));
    }
  }
}

}  // namespace discgeom::detail
