// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Is a header's spacing plausible for lumbar discs? Headers lie (the real masks of
/// Menezes-Reis et al. put the 4.4 mm slice spacing on the wrong axis), and a lie shows as discs
/// with impossible dimensions. This check says so and proposes the override that would fix it.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "discgeom/geometry/disc_measures.hpp"
#include "discgeom/image_geometry.hpp"

namespace discgeom {

/// Plausible ranges of adult lumbar disc dimensions, mm (generous: pathology and children fit).
struct disc_plausibility_limits {
  double min_height_mm = 1.0, max_height_mm = 40.0;
  double min_width_mm = 5.0, max_width_mm = 120.0;  ///< AP and lateral widths
};

struct spacing_advice {
  bool plausible = true;
  std::string reason;                      ///< the first implausible dimension, in words
  std::optional<vec3> spacing;             ///< suggested --spacing (per array axis), if any
  std::optional<std::string> orientation;  ///< suggested --orientation, if the axes look swapped
};

/// Checks the measured discs (status ok, at least a tenth of the largest disc's voxels) against
/// `limits`. When one is implausible, suggests: the largest
/// spacing value on the array axis with the fewest voxels (the slice axis of a sagittal series)
/// and the others in their order; and, when the header's left-right axis is not that slice axis,
/// an orientation with L on the slice axis, S on the in-plane axis along which the disc centroids
/// spread most (discs stack cranio-caudally), and P on the remaining one. The signs of that
/// orientation are a guess: check them on an image before relying on angles.
[[nodiscard]] inline spacing_advice check_disc_spacing(
    const std::vector<disc_measures>& discs, const std::array<std::size_t, 3>& shape,
    const image_geometry& geometry, const disc_plausibility_limits& limits = {}) {
  spacing_advice advice;
  std::ostringstream reason;
  // Stray labels (a few voxels) say nothing about the spacing: judge discs of at least a tenth
  // of the largest one's voxels.
  std::size_t largest = 0;
  for (const auto& d : discs)
    largest = std::max(largest, d.voxels);
  for (const auto& d : discs) {
    if (d.status != "ok" || 10 * d.voxels < largest)
      continue;
    const auto outside = [&](const std::optional<double>& value, double low, double high,
                             const char* what) {
      if (advice.plausible && value && (*value < low || *value > high)) {
        advice.plausible = false;
        reason << "disc " << d.level << " (label " << d.label << ") has " << what << " " << *value
               << " mm, outside [" << low << ", " << high << "]";
      }
    };
    outside(d.height_mm, limits.min_height_mm, limits.max_height_mm, "height");
    outside(d.lateral_width_mm, limits.min_width_mm, limits.max_width_mm, "lateral width");
    outside(d.ap_width_mm, limits.min_width_mm, limits.max_width_mm, "AP width");
  }
  if (advice.plausible)
    return advice;
  advice.reason = reason.str();

  const std::size_t thin =
      static_cast<std::size_t>(std::min_element(shape.begin(), shape.end()) - shape.begin());
  std::array<double, 3> values = geometry.spacing;
  std::sort(values.begin(), values.end());
  vec3 spacing{};
  spacing[thin] = values[2];
  for (std::size_t axis = 0, next = 0; axis < 3; ++axis) {
    if (axis != thin)
      spacing[axis] = values[next++];
  }
  advice.spacing = spacing;

  if (geometry.array_axis(anatomical_axis::lr) != thin) {
    // The in-plane axis along which disc centroids spread most is cranio-caudal.
    std::array<double, 3> low{INFINITY, INFINITY, INFINITY}, high{-INFINITY, -INFINITY, -INFINITY};
    for (const auto& d : discs) {
      if (!d.centroid_mm)
        continue;
      const vec3 index = geometry.physical_to_index(*d.centroid_mm);
      for (std::size_t a = 0; a < 3; ++a) {
        low[a] = std::min(low[a], index[a] * spacing[a]);
        high[a] = std::max(high[a], index[a] * spacing[a]);
      }
    }
    std::size_t si = thin == 0 ? 1 : 0;
    for (std::size_t a = 0; a < 3; ++a) {
      if (a != thin && high[a] - low[a] > high[si] - low[si])
        si = a;
    }
    std::string code(3, 'P');
    code[thin] = 'L';
    code[si] = 'S';
    advice.orientation = code;
  }
  return advice;
}

}  // namespace discgeom
