// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// `image_geometry`: where the voxels of a 3D image lie in the patient, in millimetres.
///
/// The physical position (LPS: x grows to the patient's Left, y to Posterior, z to Superior, as
/// in DICOM and ITK) of the centre of voxel (i, j, k) is
///
///     p = origin + D * diag(spacing) * (i, j, k)^T
///
/// where column c of the direction matrix D is the unit vector along which array axis c grows
/// (ITK's GetDirection(); NIfTI's qform/sform after conversion from RAS to LPS). Array axis c of
/// the geometry is axis c of the `volume_view` it describes.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <optional>
#include <string>
#include <string_view>

#include "discgeom/enum_names.hpp"
#include "discgeom/error.hpp"

namespace discgeom {

/// A point or vector in LPS millimetres, or a continuous voxel index.
using vec3 = std::array<double, 3>;
/// A 3x3 matrix stored by rows: `m[row][column]`.
using mat3 = std::array<std::array<double, 3>, 3>;

/// The patient axes. Each array axis of an image is assigned the one it is most aligned with.
enum class anatomical_axis {
  lr,  ///< left-right (LPS x)
  ap,  ///< anterior-posterior (LPS y)
  si,  ///< superior-inferior, cranio-caudal (LPS z)
};

/// "LR", "AP" or "SI".
template <>
struct enum_names<anatomical_axis> {
  static constexpr std::array<enum_name<anatomical_axis>, 3> table{{
      {anatomical_axis::lr, "LR"},
      {anatomical_axis::ap, "AP"},
      {anatomical_axis::si, "SI"},
  }};
};

/// The three anatomical planes; each is named after the patient axis it is normal to:
/// sagittal (normal LR), coronal (normal AP), transverse (normal SI).
enum class anatomical_plane { sagittal, coronal, transverse };

[[nodiscard]] constexpr anatomical_axis normal_of(anatomical_plane plane) noexcept {
  switch (plane) {
    case anatomical_plane::sagittal:
      return anatomical_axis::lr;
    case anatomical_plane::coronal:
      return anatomical_axis::ap;
    case anatomical_plane::transverse:
      return anatomical_axis::si;
  }
  return anatomical_axis::si;
}

[[nodiscard]] constexpr mat3 identity_matrix() noexcept {
  return {{{1.0, 0.0, 0.0}, {0.0, 1.0, 0.0}, {0.0, 0.0, 1.0}}};
}

namespace detail {

/// The patient axis of each of three unit vectors, the columns of `m` (m[patient][c]): the
/// assignment that maximises the total |cosine| over the six possible ones (ties: the first
/// permutation in lexicographic order), so no two vectors share a patient axis.
[[nodiscard]] inline std::array<anatomical_axis, 3> best_axis_assignment(const mat3& m) noexcept {
  std::array<std::size_t, 3> permutation{0, 1, 2};
  std::array<std::size_t, 3> best = permutation;
  double best_score = -1.0;
  do {
    double score = 0.0;
    for (std::size_t c = 0; c < 3; ++c)
      score += std::abs(m[permutation[c]][c]);
    if (score > best_score + 1e-12) {
      best_score = score;
      best = permutation;
    }
  } while (std::next_permutation(permutation.begin(), permutation.end()));
  return {static_cast<anatomical_axis>(best[0]), static_cast<anatomical_axis>(best[1]),
          static_cast<anatomical_axis>(best[2])};
}

}  // namespace detail

/// Spacing, origin and direction cosines of a 3D image.
///
/// An aggregate: `image_geometry{.spacing = {0.43, 0.43, 4.4}}`. Call `validate()` (every
/// discgeom algorithm that takes a geometry does) before trusting it.
struct image_geometry {
  /// Default tolerance on max |D^T D - I| for `validate()`. Headers store directions in single
  /// precision, and scanners write slightly non-orthogonal cosines, so 1e-4 rather than 1e-12.
  static constexpr double default_orthonormality_tolerance = 1e-4;

  vec3 spacing{1.0, 1.0, 1.0};         ///< voxel size along each array axis, mm, finite and > 0
  vec3 origin{0.0, 0.0, 0.0};          ///< LPS position of the centre of voxel (0, 0, 0), mm
  mat3 direction = identity_matrix();  ///< column c: LPS unit vector of array axis c

  /// Checks spacing (finite, > 0), origin (finite) and direction (finite, orthonormal within
  /// `tolerance`). \throws precondition_error naming `function`, the member and the value, e.g.
  /// "resample(): geometry.spacing[2] must be finite and > 0, got -4.4".
  void validate(const char* function = "image_geometry::validate",
                double tolerance = default_orthonormality_tolerance) const {
    for (std::size_t axis = 0; axis < 3; ++axis) {
      DISCGEOM_PRECONDITION(std::isfinite(spacing[axis]) && spacing[axis] > 0.0, function,
                            "geometry.spacing[", axis, "] must be finite and > 0, got ",
                            spacing[axis], " (spacing ", spacing, ")");
      DISCGEOM_PRECONDITION(std::isfinite(origin[axis]), function, "geometry.origin[", axis,
                            "] must be finite, got ", origin[axis]);
      for (std::size_t row = 0; row < 3; ++row) {
        DISCGEOM_PRECONDITION(std::isfinite(direction[row][axis]), function, "geometry.direction[",
                              row, "][", axis, "] must be finite, got ", direction[row][axis]);
      }
    }
    const double deviation = orthonormality_error();
    DISCGEOM_PRECONDITION(deviation <= tolerance, function,
                          "geometry.direction is not orthonormal: max |D^T D - I| = ", deviation,
                          " > ", tolerance, " (direction ", direction, ")");
  }

  /// max over entries of |D^T D - I|: 0 for a rotation or reflection.
  [[nodiscard]] double orthonormality_error() const noexcept {
    double worst = 0.0;
    for (std::size_t a = 0; a < 3; ++a) {
      for (std::size_t b = 0; b < 3; ++b) {
        double dot = 0.0;
        for (std::size_t row = 0; row < 3; ++row) {
          dot += direction[row][a] * direction[row][b];
        }
        worst = std::max(worst, std::abs(dot - (a == b ? 1.0 : 0.0)));
      }
    }
    return worst;
  }

  /// Volume of one voxel, mm^3: spacing[0] * spacing[1] * spacing[2] (|det D| = 1).
  [[nodiscard]] double voxel_volume() const noexcept {
    return spacing[0] * spacing[1] * spacing[2];
  }

  /// LPS position, mm, of a continuous index: origin + D diag(spacing) index.
  [[nodiscard]] vec3 index_to_physical(const vec3& index) const noexcept {
    vec3 point = origin;
    for (std::size_t row = 0; row < 3; ++row) {
      for (std::size_t axis = 0; axis < 3; ++axis) {
        point[row] += direction[row][axis] * spacing[axis] * index[axis];
      }
    }
    return point;
  }

  /// LPS position, mm, of the centre of voxel `index`.
  template <class Index>
  requires std::is_integral_v<Index>
  [[nodiscard]] vec3 index_to_physical(const std::array<Index, 3>& index) const noexcept {
    return index_to_physical(vec3{static_cast<double>(index[0]), static_cast<double>(index[1]),
                                  static_cast<double>(index[2])});
  }

  /// Continuous index of an LPS point: diag(1/spacing) D^-1 (point - origin). Uses the exact
  /// inverse of D, so a direction that is orthonormal only to single precision round-trips.
  /// \throws numerical_error when D is singular (a geometry that fails validate()).
  [[nodiscard]] vec3 physical_to_index(const vec3& point) const {
    const mat3 inverse = inverse_direction();
    vec3 index{};
    for (std::size_t axis = 0; axis < 3; ++axis) {
      double sum = 0.0;
      for (std::size_t row = 0; row < 3; ++row) {
        sum += inverse[axis][row] * (point[row] - origin[row]);
      }
      index[axis] = sum / spacing[axis];
    }
    return index;
  }

  /// Width of one voxel (a box) measured along a unit LPS direction e, mm:
  /// sum_d |e . D[:, d]| spacing_d.
  [[nodiscard]] double projected_voxel_width(const vec3& e) const noexcept {
    double width = 0.0;
    for (std::size_t d = 0; d < 3; ++d) {
      width += std::abs(e[0] * direction[0][d] + e[1] * direction[1][d] + e[2] * direction[2][d]) *
               spacing[d];
    }
    return width;
  }

  /// Displacement in LPS mm of one step along array axis `axis`: spacing[axis] * D[:, axis].
  [[nodiscard]] vec3 axis_step(std::size_t axis) const noexcept {
    return {direction[0][axis] * spacing[axis], direction[1][axis] * spacing[axis],
            direction[2][axis] * spacing[axis]};
  }

  /// The patient axis of each array axis: the assignment of the three array axes to LR, AP, SI
  /// that maximises the total |cosine| between each array axis and its patient axis (so two
  /// array axes never share a patient axis, even at 45 degrees of obliquity; ties go to the
  /// first permutation in lexicographic order).
  [[nodiscard]] std::array<anatomical_axis, 3> anatomical_axes() const noexcept {
    return detail::best_axis_assignment(direction);
  }

  /// The array axis assigned to a patient axis (the inverse of anatomical_axes()).
  [[nodiscard]] std::size_t array_axis(anatomical_axis patient_axis) const noexcept {
    const auto axes = anatomical_axes();
    return static_cast<std::size_t>(std::find(axes.begin(), axes.end(), patient_axis) -
                                    axes.begin());
  }

  /// Three letters, one per array axis, naming the direction in which that axis' index grows:
  /// L or R, P or A, S or I. An ITK image read from a typical sagittal lumbar scan is "PIR" or
  /// "ASL"-like; an identity direction is "LPS". This is the code `--orientation` takes.
  [[nodiscard]] std::string orientation_code() const {
    const auto axes = anatomical_axes();
    std::string code(3, '?');
    for (std::size_t axis = 0; axis < 3; ++axis) {
      const auto row = static_cast<std::size_t>(axes[axis]);
      const bool positive = direction[row][axis] >= 0.0;
      constexpr std::string_view positive_letters = "LPS";
      constexpr std::string_view negative_letters = "RAI";
      code[axis] = positive ? positive_letters[row] : negative_letters[row];
    }
    return code;
  }

  /// Largest angle, degrees, between an array axis and its assigned patient axis: 0 for an
  /// image aligned with the patient, up to 54.7 for the most oblique.
  [[nodiscard]] double obliquity_deg() const noexcept {
    const auto axes = anatomical_axes();
    double smallest_cosine = 1.0;
    for (std::size_t axis = 0; axis < 3; ++axis) {
      smallest_cosine = std::min(smallest_cosine,
                                 std::abs(direction[static_cast<std::size_t>(axes[axis])][axis]));
    }
    return std::acos(std::clamp(smallest_cosine, -1.0, 1.0)) * 180.0 / std::numbers::pi;
  }

  /// The inverse of the direction matrix (adjugate / determinant).
  /// \throws numerical_error when |det D| < 1e-12.
  [[nodiscard]] mat3 inverse_direction() const {
    const auto& m = direction;
    const double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
                       m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                       m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    if (!(std::abs(det) >= 1e-12)) {
      detail::throw_error<numerical_error>("image_geometry::inverse_direction",
                                           "geometry.direction is singular (det = ", det,
                                           "): ", direction);
    }
    mat3 inverse{};
    for (std::size_t r = 0; r < 3; ++r) {
      for (std::size_t c = 0; c < 3; ++c) {
        // inverse[r][c] = cofactor(c, r) / det
        const std::size_t r1 = (c + 1) % 3, r2 = (c + 2) % 3, c1 = (r + 1) % 3, c2 = (r + 2) % 3;
        inverse[r][c] = (m[r1][c1] * m[r2][c2] - m[r1][c2] * m[r2][c1]) / det;
      }
    }
    return inverse;
  }

  friend bool operator==(const image_geometry&, const image_geometry&) = default;
};

/// A direction matrix from a three-letter orientation code (see
/// image_geometry::orientation_code), e.g. "ASL": axis 0 grows to Anterior, axis 1 to Superior,
/// axis 2 to Left.
/// \throws precondition_error when the code is not three letters from L R P A S I naming each
///         patient axis once.
[[nodiscard]] inline mat3 direction_from_orientation(std::string_view code) {
  DISCGEOM_PRECONDITION(code.size() == 3, "direction_from_orientation", "code '", code,
                        "' must have three letters, one per array axis");
  mat3 direction{};
  std::array<bool, 3> seen{};
  for (std::size_t axis = 0; axis < 3; ++axis) {
    constexpr std::string_view letters = "LRPASIlrpasi";
    const auto found = letters.find(code[axis]);
    DISCGEOM_PRECONDITION(found != std::string_view::npos, "direction_from_orientation", "code '",
                          code, "' has letter '", std::string(1, code[axis]),
                          "', expected one of L R P A S I");
    const std::size_t row = (found % 6) / 2;
    const double sign = found % 2 == 0 ? 1.0 : -1.0;
    DISCGEOM_PRECONDITION(!seen[row], "direction_from_orientation", "code '", code, "' names the ",
                          to_string(static_cast<anatomical_axis>(row)), " axis twice");
    seen[row] = true;
    direction[row][axis] = sign;
  }
  return direction;
}

/// The first difference between the voxel grids of two images, or nothing when they share one:
/// equal shapes, and spacing, origin and direction cosines within `tolerance_mm` (cosines
/// within tolerance_mm / 1 mm). The text names both images and both values, e.g.
/// "image and mask differ in spacing: image [0.5,0.5,4] vs mask [0.5,0.5,3.3]".
///
/// \param first, second  what to call the two images in the text ("reference", "prediction")
/// \complexity O(1)
/// \see require_same_grid (metrics/evaluate.hpp), which throws with this text
[[nodiscard]] inline std::optional<std::string> grid_difference(
    std::string_view first, const std::array<std::size_t, 3>& first_shape,
    const image_geometry& first_geometry, std::string_view second,
    const std::array<std::size_t, 3>& second_shape, const image_geometry& second_geometry,
    double tolerance_mm = 1e-4) {
  const auto differ = [&](const char* what, const auto& a, const auto& b) {
    return detail::concat(first, " and ", second, " differ in ", what, ": ", first, " ", a, " vs ",
                          second, " ", b);
  };
  const auto close = [tolerance_mm](const vec3& a, const vec3& b) {
    return std::abs(a[0] - b[0]) <= tolerance_mm && std::abs(a[1] - b[1]) <= tolerance_mm &&
           std::abs(a[2] - b[2]) <= tolerance_mm;
  };
  if (first_shape != second_shape)
    return differ("shape", first_shape, second_shape);
  if (!close(first_geometry.spacing, second_geometry.spacing))
    return differ("spacing", first_geometry.spacing, second_geometry.spacing);
  if (!close(first_geometry.origin, second_geometry.origin))
    return differ("origin", first_geometry.origin, second_geometry.origin);
  for (std::size_t row = 0; row < 3; ++row) {
    if (!close(first_geometry.direction[row], second_geometry.direction[row]))
      return differ("direction", first_geometry.direction, second_geometry.direction);
  }
  return std::nullopt;
}

}  // namespace discgeom
