// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// 3D principal axes of a structure from physical coordinates, with a fixed sign convention and
/// named anatomical axes; moment-based axis lengths and oriented extents in mm.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>

#include "discgeom/detail/jacobi3.hpp"
#include "discgeom/error.hpp"
#include "discgeom/geometry/structure_measures.hpp"
#include "discgeom/image_geometry.hpp"
#include "discgeom/mask/structures.hpp"

namespace discgeom {

struct principal_axes_result {
  vec3 centroid_mm{};                      ///< LPS mm
  std::array<vec3, 3> axes{};              ///< unit vectors (LPS), by decreasing second moment
  std::array<anatomical_axis, 3> names{};  ///< the patient axis each principal axis runs along
  vec3 second_moments_mm2{};               ///< eigenvalues of the second-moment matrix
  vec3 lengths_mm{};  ///< sqrt(12 lambda): side of the uniform box with that moment
  vec3 extents_mm{};  ///< oriented extent of the voxels along each axis
};

/// Principal axes of the structure's voxels as solid boxes in physical space.
///
/// Second-moment matrix M = (1/N) sum_n (p_n - mu)(p_n - mu)^T + D diag(s^2 / 12) D^T, where p_n
/// are voxel-centre positions (LPS mm) and the second term is each voxel's own moment (so a box of
/// n voxels of size s along an axis has lambda = (n s)^2 / 12 exactly). Eigen-decomposition by
/// Jacobi rotations; axes sorted by decreasing lambda.
///
/// Sign convention: principal axes are named after the patient axis each is most aligned with
/// (the best of the six assignments, as for array axes), and point to the patient's Left,
/// Anterior and Superior respectively (so a disc's thin axis points up and its AP axis forward).
///
/// lengths_mm = sqrt(12 lambda) (exact for boxes; 2 sqrt(3/5) a = 1.549 a for an ellipsoid of
/// semi-axis a). extents_mm = max - min of the voxel centres' projections on the axis plus the
/// voxel's own projected width sum_d |axis . D_d| s_d (exact for boxes aligned with the axis).
///
/// \throws precondition_error when the structure is empty.
[[nodiscard]] inline principal_axes_result principal_axes(const voxel_set& set) {
  DISCGEOM_PRECONDITION(!set.voxels.empty(), "principal_axes", "the structure has no voxels");
  const auto& g = set.geometry;
  principal_axes_result result;
  const vec3 c = centroid(set).index;
  result.centroid_mm = g.index_to_physical(c);
  // Moments in index space, then mapped: M = A cov_index A^T with A = D diag(s).
  std::array<std::array<double, 3>, 3> index_moment{};
  for (const auto& v : set.voxels) {
    const vec3 d{v[0] - c[0], v[1] - c[1], v[2] - c[2]};
    for (std::size_t r = 0; r < 3; ++r)
      for (std::size_t q = 0; q < 3; ++q)
        index_moment[r][q] += d[r] * d[q];
  }
  const double n = static_cast<double>(set.voxels.size());
  for (std::size_t r = 0; r < 3; ++r) {
    for (std::size_t q = 0; q < 3; ++q)
      index_moment[r][q] /= n;
    index_moment[r][r] += 1.0 / 12.0;  // each voxel's own moment, in voxel units
  }
  std::array<std::array<double, 3>, 3> moment{};
  for (std::size_t r = 0; r < 3; ++r)
    for (std::size_t q = 0; q < 3; ++q)
      for (std::size_t a = 0; a < 3; ++a)
        for (std::size_t b = 0; b < 3; ++b) {
          moment[r][q] += g.direction[r][a] * g.spacing[a] * index_moment[a][b] * g.spacing[b] *
                          g.direction[q][b];
        }
  const auto eigen = detail::symmetric_eigen3(moment);
  // Name the axes: the assignment of principal axes to patient axes maximising total |cosine|.
  std::array<std::size_t, 3> permutation{0, 1, 2}, best = permutation;
  double best_score = -1.0;
  do {
    double score = 0.0;
    for (std::size_t a = 0; a < 3; ++a)
      score += std::abs(eigen.vectors[a][permutation[a]]);
    if (score > best_score + 1e-12) {
      best_score = score;
      best = permutation;
    }
  } while (std::next_permutation(permutation.begin(), permutation.end()));
  constexpr std::array<double, 3> towards{1.0, -1.0,
                                          1.0};  // Left (+x), Anterior (-y), Superior (+z)
  for (std::size_t a = 0; a < 3; ++a) {
    result.names[a] = static_cast<anatomical_axis>(best[a]);
    const double sign = eigen.vectors[a][best[a]] * towards[best[a]] < 0.0 ? -1.0 : 1.0;
    for (std::size_t r = 0; r < 3; ++r)
      result.axes[a][r] = sign * eigen.vectors[a][r];
    result.second_moments_mm2[a] = std::max(eigen.values[a], 0.0);
    result.lengths_mm[a] = std::sqrt(12.0 * result.second_moments_mm2[a]);
    double low = INFINITY, high = -INFINITY, own = 0.0;
    for (const auto& v : set.voxels) {
      const vec3 p = g.index_to_physical(v);
      const double t =
          p[0] * result.axes[a][0] + p[1] * result.axes[a][1] + p[2] * result.axes[a][2];
      low = std::min(low, t);
      high = std::max(high, t);
    }
    for (std::size_t d = 0; d < 3; ++d) {
      own +=
          std::abs(result.axes[a][0] * g.direction[0][d] + result.axes[a][1] * g.direction[1][d] +
                   result.axes[a][2] * g.direction[2][d]) *
          g.spacing[d];
    }
    result.extents_mm[a] = high - low + own;
  }
  return result;
}

}  // namespace discgeom
