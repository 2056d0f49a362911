// SPDX-License-Identifier: MIT
#pragma once
// Rasterising shapes defined in physical space, for known-answer tests: a voxel belongs to the
// shape when its centre (LPS mm) does.

#include <array>
#include <cmath>
#include <cstdint>

#include "discgeom/image.hpp"
#include "discgeom/image_geometry.hpp"

namespace test_shapes {

constexpr double pi = 3.14159265358979323846;

/// A geometry with the given orientation code and per-axis spacing whose voxel at `middle` index
/// is centred on `centre` (LPS mm).
inline discgeom::image_geometry centred_geometry(const char* code, const discgeom::vec3& spacing,
                                                 const std::array<std::size_t, 3>& middle,
                                                 const discgeom::vec3& centre) {
  discgeom::image_geometry g{.spacing = spacing,
                             .origin = {0, 0, 0},
                             .direction = discgeom::direction_from_orientation(code)};
  const auto offset =
      g.index_to_physical(std::array<std::size_t, 3>{middle[0], middle[1], middle[2]});
  for (std::size_t i = 0; i < 3; ++i)
    g.origin[i] = centre[i] - offset[i];
  return g;
}

/// Sets `label` on every voxel whose centre satisfies `inside(p)`.
template <class T, class Inside>
void rasterise(discgeom::image<T>& img, T label, Inside&& inside) {
  const auto shape = img.shape();
  for (std::size_t k = 0; k < shape[2]; ++k)
    for (std::size_t j = 0; j < shape[1]; ++j)
      for (std::size_t i = 0; i < shape[0]; ++i)
        if (inside(img.geometry.index_to_physical(std::array<std::size_t, 3>{i, j, k})))
          img.voxels(i, j, k) = label;
}

/// An ellipsoid centred at `c` with semi-axes a (along the tilted AP direction), b (tilted SI),
/// lr (LR), whose a-axis is tilted by `tilt_deg` in the sagittal plane, anterior end up.
struct sagittal_ellipsoid {
  discgeom::vec3 c;
  double a, b, lr, tilt_deg;
  bool operator()(const discgeom::vec3& p) const {
    const double t = tilt_deg * pi / 180.0;
    const double anterior = -(p[1] - c[1]), superior = p[2] - c[2], left = p[0] - c[0];
    const double u = anterior * std::cos(t) + superior * std::sin(t);
    const double v = -anterior * std::sin(t) + superior * std::cos(t);
    return (u / a) * (u / a) + (v / b) * (v / b) + (left / lr) * (left / lr) <= 1.0;
  }
};

}  // namespace test_shapes
