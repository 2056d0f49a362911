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
#include <cstdint>
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
  std::string orientation_basis;           ///< what decided each letter of `orientation`, in words
};

/// What else in the label map tells anatomy apart, beside the discs.
struct spine_landmarks {
  std::optional<vec3> canal_centroid_mm;  ///< the spinal canal's centroid (LPS mm, header grid)
};

/// An orientation code (one letter per array axis) proposed from anatomy, and its reasons.
struct orientation_guess {
  std::string code;
  std::string basis;
};

/// Proposes the anatomical meaning of the array axes of a sagittal disc series whose header is
/// not trusted, from the discs' positions measured in array index x `spacing` (mm along each
/// array axis; the header's direction is ignored):
/// - the left-right axis is `slice_axis`; its sign cannot be told from discs, L is assumed;
/// - the cranio-caudal axis is the other axis along which the disc centroids spread most; with
///   the discs ordered along it, labels that increase upwards make it S, decreasing ones I
///   (SPIDER's 201, 202, ... and ordinal labels count up from the lowest disc);
/// - the remaining axis is antero-posterior: P towards the spinal canal when it is labelled;
///   otherwise, for three or more lumbar or cervical discs, A towards the side on which the
///   middle discs lie off the line through the highest and the lowest disc (lordosis), when that
///   offset is at least 1 mm.
/// A sign that nothing decides keeps S or P and says "unknown" in `basis`.
[[nodiscard]] inline orientation_guess suggest_disc_orientation(
    const std::vector<disc_measures>& discs, const image_geometry& geometry, const vec3& spacing,
    std::size_t slice_axis, const spine_landmarks& landmarks = {}) {
  struct placed {
    vec3 at;  // index x spacing, mm along the array axes
    std::int64_t label;
    std::string level;
  };
  std::size_t largest = 0;
  for (const auto& d : discs)
    largest = std::max(largest, d.voxels);
  std::vector<placed> points;
  for (const auto& d : discs) {
    if (!d.centroid_mm || 10 * d.voxels < largest)
      continue;
    vec3 at = geometry.physical_to_index(*d.centroid_mm);
    for (std::size_t a = 0; a < 3; ++a)
      at[a] *= spacing[a];
    points.push_back({at, d.label, d.level});
  }
  const auto spread = [&](std::size_t axis) {
    double low = INFINITY, high = -INFINITY;
    for (const auto& p : points) {
      low = std::min(low, p.at[axis]);
      high = std::max(high, p.at[axis]);
    }
    return points.empty() ? 0.0 : high - low;
  };
  std::size_t si = slice_axis == 0 ? 1 : 0;
  for (std::size_t a = 0; a < 3; ++a) {
    if (a != slice_axis && spread(a) > spread(si))
      si = a;
  }
  const std::size_t ap = 3 - slice_axis - si;
  orientation_guess guess{std::string(3, 'P'), {}};
  guess.code[slice_axis] = 'L';
  guess.code[si] = 'S';
  std::sort(points.begin(), points.end(),
            [si](const placed& p, const placed& q) { return p.at[si] < q.at[si]; });

  // Cranio-caudal sign: labels counting up from the lowest disc.
  bool increasing = points.size() >= 2, decreasing = points.size() >= 2;
  for (std::size_t n = 1; n < points.size(); ++n) {
    increasing = increasing && points[n].label > points[n - 1].label;
    decreasing = decreasing && points[n].label < points[n - 1].label;
  }
  std::string si_basis;
  if (increasing) {
    si_basis = "S: the disc labels increase along the axis (they count up from the lowest disc)";
  } else if (decreasing) {
    guess.code[si] = 'I';
    si_basis = "I: the disc labels decrease along the axis (they count up from the lowest disc)";
  } else {
    si_basis = "S or I unknown: the disc labels do not follow the axis";
  }

  // Antero-posterior sign: the canal, else lordosis.
  std::string ap_basis;
  double mean_ap = 0.0;
  for (const auto& p : points)
    mean_ap += p.at[ap] / static_cast<double>(points.size());
  if (landmarks.canal_centroid_mm && !points.empty()) {
    vec3 canal = geometry.physical_to_index(*landmarks.canal_centroid_mm);
    const double towards_canal = canal[ap] * spacing[ap] - mean_ap;
    guess.code[ap] = towards_canal >= 0.0 ? 'P' : 'A';
    ap_basis = std::string(1, guess.code[ap]) + ": the spinal canal lies behind the discs";
  } else {
    const bool lordotic = std::all_of(points.begin(), points.end(), [](const placed& p) {
      return !p.level.empty() && (p.level.front() == 'L' || p.level.front() == 'C');
    });
    double offset = 0.0;
    if (points.size() >= 3 && lordotic) {
      const placed &low = points.front(), &high = points.back();
      const double run = high.at[si] - low.at[si];
      for (std::size_t n = 1; n + 1 < points.size(); ++n) {
        const double t = run > 0.0 ? (points[n].at[si] - low.at[si]) / run : 0.5;
        offset += (points[n].at[ap] - (low.at[ap] + t * (high.at[ap] - low.at[ap]))) /
                  static_cast<double>(points.size() - 2);
      }
    }
    if (std::abs(offset) >= 1.0) {
      guess.code[ap] = offset > 0.0 ? 'A' : 'P';
      ap_basis = std::string(1, guess.code[ap]) +
                 ": lordosis, the middle discs lie anterior to the line through the end discs";
    } else {
      ap_basis = "A or P unknown: no labelled canal and no lordosis to go by";
    }
  }
  guess.basis =
      "L assumed (left and right cannot be told from discs); " + si_basis + "; " + ap_basis;
  return guess;
}

/// Checks the measured discs (not fragments, at least a tenth of the largest disc's voxels)
/// against `limits`. When one is implausible, suggests the largest spacing value on the array axis
/// with the fewest voxels (the slice axis of a sagittal series) and the others in their order.
///
/// When the header's left-right axis is not that slice axis, it also proposes a whole
/// orientation code from anatomy (suggest_disc_orientation): L on the slice axis; S or I on the
/// in-plane axis along which the disc centroids spread most (discs stack cranio-caudally), its
/// sign from the labels when they count up from the lowest disc; A or P on the remaining axis,
/// its sign from the spinal canal (posterior to the discs) when it is labelled, else from
/// lordosis (the middle lumbar or cervical discs lie anterior to the line through the end discs).
[[nodiscard]] inline spacing_advice check_disc_spacing(const std::vector<disc_measures>& discs,
                                                       const std::array<std::size_t, 3>& shape,
                                                       const image_geometry& geometry,
                                                       const disc_plausibility_limits& limits = {},
                                                       const spine_landmarks& landmarks = {}) {
  spacing_advice advice;
  std::ostringstream reason;
  // Stray labels (a few voxels) say nothing about the spacing: judge discs of at least a tenth
  // of the largest one's voxels.
  std::size_t largest = 0;
  for (const auto& d : discs)
    largest = std::max(largest, d.voxels);
  for (const auto& d : discs) {
    if (!d.centroid_mm || 10 * d.voxels < largest)  // not measured (empty, fragment) or stray
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
    const auto guess = suggest_disc_orientation(discs, geometry, spacing, thin, landmarks);
    advice.orientation = guess.code;
    advice.orientation_basis = guess.basis;
  }
  return advice;
}

}  // namespace discgeom
