// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Rigid frames of a musculoskeletal model (OpenSim's joints): a transform x_parent = R x_child + t,
/// composition, inversion, and the rotations OpenSim uses: body-fixed X-Y-Z Euler angles for a
/// joint's orientation in its parent and child bodies, and rotations about an axis for the
/// transform axes of a CustomJoint (Delp et al., OpenSim, IEEE TBME 54:1940-1950, 2007; Seth et
/// al., PLoS Comput Biol 14:e1006223, 2018). Dependency-free: no XML here (see model.hpp).

#include <array>
#include <cmath>

#include "discgeom/image_geometry.hpp"

namespace discgeom::opensim {

/// x_parent = rotation * x_child + translation.
struct rigid_transform {
  mat3 rotation{{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};
  vec3 translation{0, 0, 0};
};

[[nodiscard]] inline vec3 transform_point(const rigid_transform& t, const vec3& p) noexcept {
  vec3 q{};
  for (std::size_t r = 0; r < 3; ++r)
    q[r] = t.rotation[r][0] * p[0] + t.rotation[r][1] * p[1] + t.rotation[r][2] * p[2] +
           t.translation[r];
  return q;
}

[[nodiscard]] inline mat3 multiply(const mat3& a, const mat3& b) noexcept {
  mat3 c{};
  for (std::size_t r = 0; r < 3; ++r)
    for (std::size_t k = 0; k < 3; ++k)
      c[r][k] = a[r][0] * b[0][k] + a[r][1] * b[1][k] + a[r][2] * b[2][k];
  return c;
}

/// a then b: x_a_parent = a(b(x)).
[[nodiscard]] inline rigid_transform compose(const rigid_transform& a,
                                             const rigid_transform& b) noexcept {
  rigid_transform c;
  c.rotation = multiply(a.rotation, b.rotation);
  const vec3 moved = transform_point({a.rotation, {0, 0, 0}}, b.translation);
  for (std::size_t r = 0; r < 3; ++r)
    c.translation[r] = moved[r] + a.translation[r];
  return c;
}

/// The inverse of a rigid transform (R^T, -R^T t).
[[nodiscard]] inline rigid_transform inverse(const rigid_transform& t) noexcept {
  rigid_transform i;
  for (std::size_t r = 0; r < 3; ++r)
    for (std::size_t c = 0; c < 3; ++c)
      i.rotation[r][c] = t.rotation[c][r];
  const vec3 back = transform_point({i.rotation, {0, 0, 0}}, t.translation);
  for (std::size_t r = 0; r < 3; ++r)
    i.translation[r] = -back[r];
  return i;
}

/// Rotation by `angle` radians about the unit vector `axis` (Rodrigues' formula); an axis that is
/// not of unit length is normalised (OpenSim normalises transform axes too).
[[nodiscard]] inline mat3 axis_rotation(vec3 axis, double angle) noexcept {
  const double norm = std::sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
  if (norm == 0.0 || angle == 0.0)
    return rigid_transform{}.rotation;
  for (auto& a : axis)
    a /= norm;
  const double c = std::cos(angle), s = std::sin(angle), v = 1.0 - c;
  const double x = axis[0], y = axis[1], z = axis[2];
  return {{{c + x * x * v, x * y * v - z * s, x * z * v + y * s},
           {y * x * v + z * s, c + y * y * v, y * z * v - x * s},
           {z * x * v - y * s, z * y * v + x * s, c + z * z * v}}};
}

/// OpenSim's orientation of a joint frame: body-fixed X-Y-Z Euler angles (radians),
/// R = Rx(a) Ry(b) Rz(c).
[[nodiscard]] inline mat3 body_fixed_xyz(const vec3& angles) noexcept {
  return multiply(
      multiply(axis_rotation({1, 0, 0}, angles[0]), axis_rotation({0, 1, 0}, angles[1])),
      axis_rotation({0, 0, 1}, angles[2]));
}

/// A joint frame placed in a body: its origin `location` and orientation `orientation` (body-fixed
/// X-Y-Z), as OpenSim's location_in_parent/orientation_in_parent (or location/orientation in the
/// child) give it.
[[nodiscard]] inline rigid_transform frame_in_body(const vec3& location, const vec3& orientation) {
  return {body_fixed_xyz(orientation), location};
}

/// LPS millimetres (x left, y posterior, z superior) to OpenSim's ground axes in metres (X
/// anterior, Y superior, Z right): X = -y, Y = z, Z = -x, divided by 1000.
[[nodiscard]] inline vec3 lps_mm_to_opensim_m(const vec3& lps) noexcept {
  return {-lps[1] / 1000.0, lps[2] / 1000.0, -lps[0] / 1000.0};
}

}  // namespace discgeom::opensim
