// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Eigen-decomposition of a symmetric 3x3 matrix by cyclic Jacobi rotations (Golub & Van Loan,
/// Matrix Computations, 8.5): accurate to rounding, no LAPACK, for the core's moment matrices.

#include <array>
#include <cmath>
#include <cstddef>

namespace discgeom::detail {

struct eigen3 {
  std::array<double, 3> values{};  ///< decreasing
  std::array<std::array<double, 3>, 3>
      vectors{};  ///< vectors[c] is the unit eigenvector of values[c]
};

inline eigen3 symmetric_eigen3(std::array<std::array<double, 3>, 3> a) {
  std::array<std::array<double, 3>, 3> v{{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};
  for (int sweep = 0; sweep < 64; ++sweep) {
    const double off = a[0][1] * a[0][1] + a[0][2] * a[0][2] + a[1][2] * a[1][2];
    const double scale = a[0][0] * a[0][0] + a[1][1] * a[1][1] + a[2][2] * a[2][2] + 2 * off;
    if (off <= 1e-32 * scale || off == 0.0)
      break;
    for (std::size_t p = 0; p < 2; ++p) {
      for (std::size_t q = p + 1; q < 3; ++q) {
        if (a[p][q] == 0.0)
          continue;
        const double theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
        const double t =
            (theta >= 0 ? 1.0 : -1.0) / (std::abs(theta) + std::sqrt(theta * theta + 1.0));
        const double c = 1.0 / std::sqrt(t * t + 1.0), s = t * c;
        for (std::size_t k = 0; k < 3; ++k) {  // A <- A J
          const double akp = a[k][p], akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (std::size_t k = 0; k < 3; ++k) {  // A <- J^T A
          const double apk = a[p][k], aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (std::size_t k = 0; k < 3; ++k) {  // V <- V J
          const double vkp = v[k][p], vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  eigen3 result;
  std::array<std::size_t, 3> order{0, 1, 2};
  for (std::size_t i = 1; i < 3; ++i)
    for (std::size_t j = i; j > 0 && a[order[j - 1]][order[j - 1]] < a[order[j]][order[j]]; --j)
      std::swap(order[j - 1], order[j]);
  for (std::size_t c = 0; c < 3; ++c) {
    result.values[c] = a[order[c]][order[c]];
    for (std::size_t r = 0; r < 3; ++r)
      result.vectors[c][r] = v[r][order[c]];
  }
  return result;
}

}  // namespace discgeom::detail
