// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Reorienting an image to a canonical axis order by its direction cosines: axes are permuted and
/// flipped (voxels copied, never interpolated) so that the orientation code becomes the target,
/// e.g. "LPS" or "PIL". Every voxel keeps its physical position exactly.

#include <array>
#include <cstddef>
#include <string_view>

#include "discgeom/as_volume.hpp"
#include "discgeom/image.hpp"
#include "discgeom/image_geometry.hpp"

namespace discgeom {

/// The image with axes permuted and flipped so that its orientation code is `target` (three
/// letters, one per output axis, naming where its index grows: L/R, P/A, S/I).
///
/// Output axis a is the source axis assigned to the patient axis of target[a], flipped when that
/// axis grows the other way. Spacing is permuted with the axes; the direction's columns are
/// permuted and negated accordingly; the origin moves to the physical position of the new voxel
/// (0, 0, 0). For an oblique image the assignment is the one of image_geometry::anatomical_axes.
///
/// \throws precondition_error for a malformed target code or an invalid geometry.
/// Complexity: one copy of the voxels.
template <volume_like Volume>
[[nodiscard]] auto reorient(Volume&& voxels, const image_geometry& geometry,
                            std::string_view target = "LPS") {
  const auto view = as_volume<3>(voxels);
  using T = std::remove_cv_t<typename decltype(view)::element_type>;
  geometry.validate("reorient");
  const mat3 wanted = direction_from_orientation(target);
  const auto source_axes = geometry.anatomical_axes();
  std::array<std::size_t, 3> from{};  // from[a]: source axis of output axis a
  std::array<bool, 3> flip{};
  for (std::size_t a = 0; a < 3; ++a) {
    std::size_t patient = 0;
    while (wanted[patient][a] == 0.0)
      ++patient;
    for (std::size_t s = 0; s < 3; ++s) {
      if (static_cast<std::size_t>(source_axes[s]) == patient)
        from[a] = s;
    }
    const bool source_positive = geometry.direction[patient][from[a]] >= 0.0;
    flip[a] = source_positive != (wanted[patient][a] > 0.0);
  }
  image_geometry out_geometry;
  std::array<std::size_t, 3> shape{};
  vec3 first_voxel{};  // continuous source index of output voxel (0, 0, 0)
  for (std::size_t a = 0; a < 3; ++a) {
    shape[a] = view.shape(from[a]);
    out_geometry.spacing[a] = geometry.spacing[from[a]];
    for (std::size_t row = 0; row < 3; ++row) {
      out_geometry.direction[row][a] = (flip[a] ? -1.0 : 1.0) * geometry.direction[row][from[a]];
    }
    first_voxel[from[a]] = flip[a] ? static_cast<double>(view.shape(from[a]) - 1) : 0.0;
  }
  out_geometry.origin = geometry.index_to_physical(first_voxel);
  auto result = image<T>::filled(shape, out_geometry);
  for (std::size_t k = 0; k < shape[2]; ++k)
    for (std::size_t j = 0; j < shape[1]; ++j)
      for (std::size_t i = 0; i < shape[0]; ++i) {
        const std::array<std::size_t, 3> out{i, j, k};
        std::array<std::size_t, 3> in{};
        for (std::size_t a = 0; a < 3; ++a)
          in[from[a]] = flip[a] ? shape[a] - 1 - out[a] : out[a];
        result.voxels(i, j, k) = view[in];
      }
  return result;
}

}  // namespace discgeom
