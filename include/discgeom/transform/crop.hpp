// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// A structure padded/cropped into a fixed box (64^3 by default, the autoencoder's input),
/// centred on its bounding-box centre or its centroid, with an explicit flag or error when it
/// does not fit.

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "discgeom/error.hpp"
#include "discgeom/geometry/structure_measures.hpp"
#include "discgeom/image.hpp"
#include "discgeom/mask/structures.hpp"

namespace discgeom {

enum class crop_centre { bounding_box, centroid };
enum class crop_overflow { flag, error };

struct crop_options {
  std::array<std::size_t, 3> size{64, 64, 64};
  crop_centre centre = crop_centre::bounding_box;
  crop_overflow on_overflow = crop_overflow::flag;
};

/// The box and what did not fit.
struct structure_crop {
  image<std::uint8_t> box;                 ///< 1 on the structure, 0 elsewhere; geometry of the box
  bool fits = true;                        ///< every voxel of the structure is in the box
  std::size_t voxels_outside = 0;          ///< structure voxels cut off by the box
  std::array<std::ptrdiff_t, 3> offset{};  ///< source index of box voxel (0, 0, 0)
};

/// Places the structure in a box of `options.size` voxels on the source grid (no resampling):
/// box voxel b is source voxel offset + b, with offset_d = floor(c_d + 1/2) - floor(size_d / 2)
/// where c is the bounding-box centre ((lower + upper) / 2) or the centroid (mean index). The
/// box's geometry has the source spacing and direction and the origin of source voxel `offset`.
///
/// \throws precondition_error when the structure is empty, a size is 0, or it does not fit and
///         `on_overflow` is crop_overflow::error (naming its extent and the box).
[[nodiscard]] inline structure_crop crop_structure(const voxel_set& set,
                                                   const crop_options& options = {}) {
  DISCGEOM_PRECONDITION(!set.voxels.empty(), "crop_structure", "the structure has no voxels");
  for (std::size_t d = 0; d < 3; ++d) {
    DISCGEOM_PRECONDITION(options.size[d] > 0, "crop_structure", "options.size ", options.size,
                          " has a zero extent");
  }
  vec3 centre{};
  if (options.centre == crop_centre::centroid) {
    centre = centroid(set).index;
  } else {
    const auto box = bounding_box(set);
    for (std::size_t d = 0; d < 3; ++d)
      centre[d] = (static_cast<double>(box.lower[d]) + static_cast<double>(box.upper[d])) / 2.0;
  }
  structure_crop result;
  for (std::size_t d = 0; d < 3; ++d) {
    result.offset[d] = static_cast<std::ptrdiff_t>(std::floor(centre[d] + 0.5)) -
                       static_cast<std::ptrdiff_t>(options.size[d] / 2);
  }
  image_geometry geometry = set.geometry;
  geometry.origin = set.geometry.index_to_physical(vec3{static_cast<double>(result.offset[0]),
                                                        static_cast<double>(result.offset[1]),
                                                        static_cast<double>(result.offset[2])});
  result.box = image<std::uint8_t>::filled(options.size, geometry, 0);
  for (const auto& v : set.voxels) {
    std::array<std::ptrdiff_t, 3> b{};
    bool inside = true;
    for (std::size_t d = 0; d < 3; ++d) {
      b[d] = static_cast<std::ptrdiff_t>(v[d]) - result.offset[d];
      inside = inside && b[d] >= 0 && b[d] < static_cast<std::ptrdiff_t>(options.size[d]);
    }
    if (inside) {
      result.box.voxels(static_cast<std::size_t>(b[0]), static_cast<std::size_t>(b[1]),
                        static_cast<std::size_t>(b[2])) = 1;
    } else {
      ++result.voxels_outside;
    }
  }
  result.fits = result.voxels_outside == 0;
  if (!result.fits && options.on_overflow == crop_overflow::error) {
    const auto box = bounding_box(set);
    std::array<std::size_t, 3> extent{};
    for (std::size_t d = 0; d < 3; ++d)
      extent[d] = box.upper[d] - box.lower[d] + 1;
    detail::throw_error<precondition_error>("crop_structure", "the structure spans ", extent,
                                            " voxels and ", result.voxels_outside,
                                            " of its voxels fall outside the box ", options.size);
  }
  return result;
}

}  // namespace discgeom
