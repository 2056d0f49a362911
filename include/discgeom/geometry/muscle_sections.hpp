// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Muscle morphometry on axial label maps (Hess et al., automatic lumbar segmentation to
/// biomechanics; ../shared/seeds): for each muscle label and each axial slice, the
/// cross-sectional area and the section's centroid in patient space, the disc level nearest the
/// slice, and the checks a real scan needs (left and right swapped, a discs table from another
/// patient space, a label map that is not axial). Definitions: docs/muscles.md.
///
///   slice axis  = the array axis most aligned with the patient's SI axis;
///   CSA_mm2     = pixels x the two in-plane spacings;
///   centroid    = the mean pixel centre of the section, mapped to LPS mm through origin,
///                 direction and spacing.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "discgeom/as_volume.hpp"
#include "discgeom/error.hpp"
#include "discgeom/image_geometry.hpp"

namespace discgeom {

/// One muscle label of a label scheme: which muscle and which side of the patient.
struct muscle_label {
  std::int64_t label = 0;
  std::string muscle;  ///< e.g. "psoas", "erector_spinae", "autochthon"
  char side = 0;       ///< 'L', 'R', or 0 when the label holds both sides
};

/// TotalSegmentator MR's paraspinal classes (task total_mr; Wasserthal et al., 2024):
/// 46 autochthon_left, 47 autochthon_right (erector spinae with multifidus), 48 iliopsoas_left,
/// 49 iliopsoas_right.
[[nodiscard]] inline std::vector<muscle_label> totalsegmentator_mr_muscles() {
  return {{46, "autochthon", 'L'},
          {47, "autochthon", 'R'},
          {48, "iliopsoas", 'L'},
          {49, "iliopsoas", 'R'}};
}

/// The muscle labels of discgeom's axial muscle phantoms (phantom/muscles.hpp, docs/phantom.md):
/// 61 psoas L, 62 psoas R, 63 quadratus_lumborum L, 64 quadratus_lumborum R, 65 erector_spinae L,
/// 66 erector_spinae R, 67 multifidus L, 68 multifidus R. The values lie outside SPIDER's (1-25
/// vertebrae, 100 canal, 101-125 partial vertebrae, 201-225 discs), so one uint8 label map holds
/// the muscles and the spine whose discs name the levels.
[[nodiscard]] inline std::vector<muscle_label> phantom_muscles() {
  return {{61, "psoas", 'L'},
          {62, "psoas", 'R'},
          {63, "quadratus_lumborum", 'L'},
          {64, "quadratus_lumborum", 'R'},
          {65, "erector_spinae", 'L'},
          {66, "erector_spinae", 'R'},
          {67, "multifidus", 'L'},
          {68, "multifidus", 'R'}};
}

/// One muscle label on one axial slice.
struct muscle_section {
  std::int64_t label = 0;
  std::size_t slice = 0;            ///< index along the slice axis (the one most aligned with SI)
  std::size_t pixels = 0;           ///< 0 for a slice inside the muscle's extent that misses it
  double csa_mm2 = 0.0;             ///< pixels x the two in-plane spacings
  std::optional<vec3> centroid_mm;  ///< LPS mm; empty when pixels is 0
  std::string status = "ok";        ///< ok, or "empty" for a gap inside the muscle's extent
};

/// Why a label map cannot give axial sections, or nothing when it can: the slice axis (most
/// aligned with SI) must be the coarsest axis, or all axes equally fine (isotropic), so that a
/// slice is one acquired axial section rather than a resampled row of a sagittal or coronal
/// series. The reason names each array axis, its patient axis and its spacing.
[[nodiscard]] inline std::optional<std::string> not_axial_reason(const image_geometry& geometry) {
  const std::size_t si = geometry.array_axis(anatomical_axis::si);
  const auto axes = geometry.anatomical_axes();
  double coarsest = 0.0;
  for (std::size_t a = 0; a < 3; ++a)
    coarsest = std::max(coarsest, geometry.spacing[a]);
  if (geometry.spacing[si] >= coarsest * (1.0 - 1e-6))
    return std::nullopt;
  std::string reason = "not an axial series: ";
  for (std::size_t a = 0; a < 3; ++a) {
    reason += "axis " + std::to_string(a) + " is " + std::string(to_string(axes[a])) + " (" +
              std::to_string(geometry.spacing[a]) + " mm)";
    reason += a < 2 ? ", " : "";
  }
  reason += "; axial sections need the SI axis to be the slice axis (the coarsest)";
  return reason;
}

/// not_axial_reason for a label map of `shape`: a single slice (extent 1 along the array axis
/// most aligned with SI, such as a 2D axial image) is one axial section whatever its spacing
/// along that axis, which a 2D file does not even store; otherwise as not_axial_reason(geometry).
[[nodiscard]] inline std::optional<std::string> not_axial_reason(
    const image_geometry& geometry, const std::array<std::size_t, 3>& shape) {
  if (shape[geometry.array_axis(anatomical_axis::si)] == 1)
    return std::nullopt;
  return not_axial_reason(geometry);
}

/// The sections of each listed label on every axial slice that holds it, and a row with
/// status "empty" for each slice between a label's first and last slice that misses it.
/// Rows are ordered by label (in `labels` order), then slice.
///
/// \throws precondition_error for an invalid geometry
/// Complexity: one pass over the volume.
template <volume_like Labels>
[[nodiscard]] std::vector<muscle_section> muscle_sections(Labels&& labels,
                                                          const image_geometry& geometry,
                                                          const std::vector<std::int64_t>& wanted) {
  geometry.validate("muscle_sections");
  const auto view = as_volume(labels);
  static_assert(decltype(view)::rank() == 3, "muscle_sections(): the label map must be 3D");
  const std::size_t si = geometry.array_axis(anatomical_axis::si);
  const std::size_t a = (si + 1) % 3, b = (si + 2) % 3;
  const double pixel_area = geometry.spacing[a] * geometry.spacing[b];

  struct sums {
    std::size_t pixels = 0;
    vec3 index{0.0, 0.0, 0.0};
  };
  std::map<std::int64_t, std::map<std::size_t, sums>> by_label;
  for (const auto label : wanted)
    by_label[label];
  const auto shape = view.shape();
  for (std::size_t k = 0; k < shape[2]; ++k) {
    for (std::size_t j = 0; j < shape[1]; ++j) {
      for (std::size_t i = 0; i < shape[0]; ++i) {
        const auto value = static_cast<std::int64_t>(view(i, j, k));
        if (value == 0)
          continue;
        const auto found = by_label.find(value);
        if (found == by_label.end())
          continue;
        const std::array<std::size_t, 3> index{i, j, k};
        auto& s = found->second[index[si]];
        ++s.pixels;
        for (std::size_t d = 0; d < 3; ++d)
          s.index[d] += static_cast<double>(index[d]);
      }
    }
  }
  std::vector<muscle_section> sections;
  for (const auto label : wanted) {
    const auto& slices = by_label[label];
    if (slices.empty())
      continue;
    const std::size_t first = slices.begin()->first, last = slices.rbegin()->first;
    for (std::size_t slice = first; slice <= last; ++slice) {
      muscle_section section;
      section.label = label;
      section.slice = slice;
      const auto found = slices.find(slice);
      if (found == slices.end()) {
        section.status = "empty";
      } else {
        const auto& s = found->second;
        section.pixels = s.pixels;
        section.csa_mm2 = static_cast<double>(s.pixels) * pixel_area;
        const double n = static_cast<double>(s.pixels);
        section.centroid_mm =
            geometry.index_to_physical(vec3{s.index[0] / n, s.index[1] / n, s.index[2] / n});
      }
      sections.push_back(std::move(section));
    }
  }
  return sections;
}

/// A disc of the same patient, as a discs table gives it.
struct disc_position {
  std::string level;
  vec3 centroid_mm{};  ///< LPS mm
};

/// The level of the disc whose centroid lies nearest to the plane of axial slice `slice`
/// (the plane through that slice's voxel centres), or nothing without discs.
[[nodiscard]] inline std::optional<std::string> nearest_disc_level(
    const image_geometry& geometry, std::size_t slice, const std::vector<disc_position>& discs) {
  if (discs.empty())
    return std::nullopt;
  const std::size_t si = geometry.array_axis(anatomical_axis::si);
  vec3 index{0.0, 0.0, 0.0};
  index[si] = static_cast<double>(slice);
  const vec3 point = geometry.index_to_physical(index);
  const vec3 normal{geometry.direction[0][si], geometry.direction[1][si],
                    geometry.direction[2][si]};
  double best = INFINITY;
  std::string level;
  for (const auto& disc : discs) {
    double distance = 0.0;
    for (std::size_t d = 0; d < 3; ++d)
      distance += (disc.centroid_mm[d] - point[d]) * normal[d];
    if (std::abs(distance) < best) {
      best = std::abs(distance);
      level = disc.level;
    }
  }
  return level;
}

/// The axial slice whose plane lies nearest to a point (LPS mm): the point's continuous index
/// along the slice axis (the one most aligned with SI), rounded half up and clamped to
/// [0, slices - 1]. Hess et al. measure each muscle on the slice nearest each disc level; with
/// `nearest_disc_level` this gives that slice: the slice nearest the disc of its own level.
///
/// \param geometry  the label map's geometry
/// \param slices    the number of slices (the shape along the slice axis), at least 1
/// \param point     LPS mm, e.g. a disc centroid
/// \throws precondition_error when slices is 0 or the point is not finite
/// Complexity: O(1). Example: `nearest_slice(g, shape[2], disc.centroid_mm)`.
[[nodiscard]] inline std::size_t nearest_slice(const image_geometry& geometry, std::size_t slices,
                                               const vec3& point) {
  DISCGEOM_PRECONDITION(slices > 0, "nearest_slice", "slices must be at least 1, got 0");
  DISCGEOM_PRECONDITION(
      std::isfinite(point[0]) && std::isfinite(point[1]) && std::isfinite(point[2]),
      "nearest_slice", "point (", point[0], ", ", point[1], ", ", point[2], ") must be finite");
  const std::size_t si = geometry.array_axis(anatomical_axis::si);
  const double at = std::floor(geometry.physical_to_index(point)[si] + 0.5);
  if (at <= 0.0)
    return 0;
  return std::min(static_cast<std::size_t>(at), slices - 1);
}

/// True when `slice` is its level's slice: the slice nearest (`nearest_slice`) to the centroid
/// of the disc that `nearest_disc_level` names for it. False without discs.
[[nodiscard]] inline bool is_level_slice(const image_geometry& geometry, std::size_t slices,
                                         std::size_t slice,
                                         const std::vector<disc_position>& discs) {
  const auto level = nearest_disc_level(geometry, slice, discs);
  if (!level)
    return false;
  for (const auto& disc : discs) {
    if (disc.level == *level && nearest_slice(geometry, slices, disc.centroid_mm) == slice)
      return true;
  }
  return false;
}

/// True when a point (LPS mm) lies inside the image's extent (voxel boxes included).
[[nodiscard]] inline bool inside_image(const image_geometry& geometry,
                                       const std::array<std::size_t, 3>& shape, const vec3& point) {
  const vec3 index = geometry.physical_to_index(point);
  for (std::size_t d = 0; d < 3; ++d) {
    if (!(index[d] >= -0.5 && index[d] <= static_cast<double>(shape[d]) - 0.5))
      return false;
  }
  return true;
}

/// The muscles whose left label lies, on average over its sections, to the patient's right of
/// its right label (LPS x grows to the left): the labels or the header have left and right
/// swapped. Each muscle named once.
[[nodiscard]] inline std::vector<std::string> swapped_sides(
    const std::vector<muscle_section>& sections, const std::vector<muscle_label>& scheme) {
  std::map<std::string, std::array<double, 4>> sides;  // muscle -> {sum x L, n L, sum x R, n R}
  for (const auto& section : sections) {
    if (!section.centroid_mm)
      continue;
    const auto found = std::find_if(scheme.begin(), scheme.end(),
                                    [&](const auto& m) { return m.label == section.label; });
    if (found == scheme.end() || (found->side != 'L' && found->side != 'R'))
      continue;
    auto& s = sides[found->muscle];
    const std::size_t at = found->side == 'L' ? 0 : 2;
    s[at] += (*section.centroid_mm)[0];
    s[at + 1] += 1.0;
  }
  std::vector<std::string> swapped;
  for (const auto& [muscle, s] : sides) {
    if (s[1] > 0 && s[3] > 0 && s[0] / s[1] < s[2] / s[3])
      swapped.push_back(muscle);
  }
  return swapped;
}

}  // namespace discgeom
