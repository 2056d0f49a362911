// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The disc geometry of Perrone et al.'s released code, number for number: `discgeom discs
/// --convention perrone` (docs/geometry.md, "Perrone et al.'s released geometry"). The released
/// pipeline (github.com/MattiaPerrone123/CNN-autoencoder-feature-extraction, src/compute_geometry.py
/// with the preprocessing of src/image_preprocessing.py) resamples the disc labels, splits their
/// union into 26-connected blobs, centres each blob in a 64^3 cube, and measures it there in
/// resampled voxels and degrees. This header re-implements that from a written specification (no
/// code of it is copied) so that published numbers can be compared; discgeom's own measures in
/// millimetres are geometry/disc_measures.hpp.
///
/// What the released code computes, and what each measure really is (the names are its own):
///   "disc height"  mean, over the (SI, AP) pixels of the aligned cube that hold the disc, of the
///                  disc's extent along the cube's first axis: left-right, so a mean lateral
///                  extent, in 1.4 mm voxels, not a height;
///   "ap width"     on the aligned cube's middle left-right slice, max - min AP index of the disc
///                  in the row of its centroid: the centre-to-centre AP extent (one less than the
///                  voxel count), in 1.2 mm voxels;
///   "lat width"    on the same slice, max - min SI index in the column of its centroid: the
///                  centre-to-centre thickness at the centre, in 1.5 mm voxels, not a lateral width;
///   "sag angle"    PCA inclination of the cube's slice 32 along left-right (rows SI downward,
///                  cols AP); positive when the posterior end is higher; in [-90, 90);
///   "axial angle"  the same on slice 32 along SI (rows LR, cols AP), in [-90, 90]; positive
///                  when the left end is more posterior;
///   "front angle"  the same on slice 32 along AP (rows LR, cols SI downward), in [-90, 90];
///                  positive when the left end is lower.
/// Angles are in the anisotropic resampled grid (1.4 x 1.2 x 1.5 mm), not in millimetres, and on
/// the cube's fixed middle slices, not on the disc's.
///
/// Quirks reproduced (each changes numbers; domain.md says which of them our own definitions
/// avoid):
/// - the labels are zoomed as values: the union of discs is where the trilinear interpolation
///   of the label values (201, 202, ...) rounds to 1 or more, i.e. where sum w * label >= 0.5,
///   which dilates every disc and makes the result depend on the label value;
/// - scipy's zoom with mode 'constant' reads 0 outside [0, n - 1]: when (m - 1) ((n - 1) / (m - 1))
///   exceeds n - 1 in double arithmetic, the last resampled slice along that axis is empty;
/// - touching discs merge into one blob; a blob is one disc for the rest of the pipeline;
/// - the alignment rotates slice by slice with bilinear interpolation rounded to 0/1, so the
///   aligned disc differs from the disc by up to about 1 % of its voxels;
/// - the field-of-view test of process_image (2 n_LR > n_AP or 2 n_LR > n_SI in the resampled
///   grid skips the case) is reported, not applied.
/// Failures of the released code (an exception) become a status per blob (perrone_status).
///
/// Input layout: the released code reads SPIDER's MetaImage arrays as stored and never reads the
/// direction cosines; it assumes index order (x, y, z) = (right to left, anterior to posterior,
/// inferior to superior), i.e. LPS with identity direction. perrone_geometry first reorients
/// the labels to that layout by their direction cosines (transform/reorient.hpp: axes permuted and
/// flipped, never interpolated). On a SPIDER file already in that layout this changes nothing; on
/// any other file the numbers are those the released code gives on the file converted to it.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <numbers>
#include <optional>
#include <string_view>
#include <type_traits>
#include <vector>

#include "discgeom/as_volume.hpp"
#include "discgeom/concepts.hpp"
#include "discgeom/enum_names.hpp"
#include "discgeom/error.hpp"
#include "discgeom/geometry/detail/scipy_interpolation.hpp"
#include "discgeom/image.hpp"
#include "discgeom/image_geometry.hpp"
#include "discgeom/mask/connected_components.hpp"
#include "discgeom/transform/reorient.hpp"

namespace discgeom {

/// The released code's column names, in its order ("disc height", "ap width", "lat width", "sag
/// angle", "axial angle", "front angle"): resampled voxels, then degrees.
inline constexpr std::array<std::string_view, 6> perrone_column_names{
    "disc height", "ap width", "lat width", "sag angle", "axial angle", "front angle"};

/// The lowest label the released code counts as a disc (SPIDER's discs are 201-225).
inline constexpr std::int64_t perrone_first_disc_label = 201;

/// Edge of the cube each blob is centred in, and the index of its middle slices.
inline constexpr std::size_t perrone_cube = 64;

/// Why a case, blob or disc has no values.
enum class perrone_status {
  ok,
  no_disc_voxels,    ///< case: no disc voxel is left after resampling (released: ValueError)
  no_piece,          ///< disc: no blob takes its label (it merged into a neighbour's blob)
  larger_than_cube,  ///< blob: an extent over 64 resampled voxels (released: ValueError)
  empty_cube_slice,  ///< blob: a slice 32 that an angle is taken from is empty (IndexError)
  empty_width_line,  ///< blob: the middle slice, row or column of the widths is empty
};

template <>
struct enum_names<perrone_status> {
  static constexpr std::array<enum_name<perrone_status>, 6> table{{
      {perrone_status::ok, "ok"},
      {perrone_status::no_disc_voxels, "no disc voxels after resampling"},
      {perrone_status::no_piece, "no blob of its own"},
      {perrone_status::larger_than_cube, "blob larger than the 64-voxel cube"},
      {perrone_status::empty_cube_slice, "middle slice of the cube empty"},
      {perrone_status::empty_width_line, "width line empty"},
  }};
};

struct perrone_options {
  /// Resampled spacing along (LR, AP, SI), mm: the released src/config.py target_resolution.
  vec3 target_spacing_mm{1.4, 1.2, 1.5};
};

/// The released columns of one blob, in resampled voxels and degrees (see the file comment).
struct perrone_values {
  double disc_height = 0.0;
  double ap_width = 0.0;
  double lat_width = 0.0;
  double sag_angle = 0.0;
  double axial_angle = 0.0;
  double front_angle = 0.0;
};

/// Intermediate values of one blob's measurement, for comparing with the released code step by
/// step: the angles the three alignment steps rotate by (each on the cube the previous step
/// left; step_sag equals sag_angle), the aligned cube's voxel count, the middle left-right slice
/// of the widths and its centroid (row = SI, col = AP index).
struct perrone_trace {
  double step_sag = 0.0, step_axial = 0.0, step_front = 0.0;
  std::size_t aligned_voxels = 0;
  std::size_t middle = 0;
  double centroid_row = 0.0, centroid_col = 0.0;
};

/// One 26-connected blob of the resampled union of discs.
struct perrone_blob {
  std::int64_t label = 0;  ///< the disc label most of its voxels come from (ties: the lowest)
  std::size_t voxels = 0;  ///< in the resampled grid
  std::array<std::size_t, 3> extent{};  ///< bounding box along LR, AP, SI, resampled voxels
  perrone_status status = perrone_status::ok;
  std::optional<perrone_values> values;  ///< empty unless status is ok
  std::optional<perrone_trace> trace;    ///< empty unless status is ok
};

/// One disc label: its blobs and the largest of them, whose values are the disc's.
struct perrone_disc {
  std::int64_t label = 0;
  std::size_t pieces = 0;              ///< blobs that take this label
  std::optional<std::size_t> largest;  ///< index into perrone_result::blobs (ties: lowest index)
  perrone_status status = perrone_status::no_piece;  ///< the largest blob's, or no_piece
};

struct perrone_result {
  /// Resampled grid along (LR, AP, SI): round(n s / t), Python's round (half to even).
  std::array<std::size_t, 3> resampled_shape{};
  /// The released process_image test: false when 2 n_LR > n_AP or 2 n_LR > n_SI (resampled),
  /// where the released pipeline skips the case. Measured all the same.
  bool field_of_view_check = true;
  perrone_status status = perrone_status::ok;  ///< ok or no_disc_voxels
  std::vector<perrone_blob> blobs;             ///< in scikit-image's label order
  std::vector<perrone_disc> discs;             ///< one per disc label present, increasing
};

namespace detail {

/// A blob centred in a 64^3 cube, index (a, b, c) = (LR right to left, SI superior to inferior,
/// AP anterior to posterior): the released rotate_and_swap_axes frame.
struct perrone_cube_mask {
  static constexpr std::size_t n = perrone_cube;
  std::vector<std::uint8_t> v = std::vector<std::uint8_t>(n * n * n, 0);
  std::uint8_t& at(std::size_t a, std::size_t b, std::size_t c) { return v[(a * n + b) * n + c]; }
  std::uint8_t at(std::size_t a, std::size_t b, std::size_t c) const {
    return v[(a * n + b) * n + c];
  }
};

/// The slice of the cube at index 32 along `axis` (0: a, 1: b, 2: c): base offset, and the
/// strides of its rows and columns (the remaining axes in order).
struct cube_slice_layout {
  std::ptrdiff_t base, row, col;
};
inline cube_slice_layout cube_slice(std::size_t axis, std::size_t index) noexcept {
  constexpr auto n = static_cast<std::ptrdiff_t>(perrone_cube);
  const auto i = static_cast<std::ptrdiff_t>(index);
  switch (axis) {
    case 0:
      return {i * n * n, n, 1};
    case 1:
      return {i * n, n * n, 1};
    default:
      return {i, n * n, n};
  }
}

/// The released MaskAlignerAllAngles.compute_rotation_angle on a slice: the first right singular
/// vector v of the centred (row, col) pixel coordinates, theta = atan2(v_col, v_row) in degrees,
/// wrapped into [-90, 90]. Computed in closed form: theta = atan2(2 s_rc, s_rr - s_cc) / 2 from the
/// exact integer second moments (N sum r^2 - (sum r)^2 and so on); an isotropic slice (and a
/// single pixel) gives 0 and a flat one 90, as numpy's SVD does. Empty for an empty slice.
inline std::optional<double> slice_pca_angle(const perrone_cube_mask& cube, std::size_t axis) {
  const auto layout = cube_slice(axis, perrone_cube / 2);
  std::int64_t count = 0, sr = 0, sc = 0, srr = 0, scc = 0, src = 0;
  for (std::int64_t r = 0; r < static_cast<std::int64_t>(perrone_cube); ++r) {
    for (std::int64_t c = 0; c < static_cast<std::int64_t>(perrone_cube); ++c) {
      if (cube.v[static_cast<std::size_t>(layout.base + r * layout.row + c * layout.col)] == 0)
        continue;
      ++count;
      sr += r;
      sc += c;
      srr += r * r;
      scc += c * c;
      src += r * c;
    }
  }
  if (count == 0)
    return std::nullopt;
  const double var_r = static_cast<double>(count * srr - sr * sr);
  const double var_c = static_cast<double>(count * scc - sc * sc);
  const double cov = static_cast<double>(count * src - sr * sc);
  return 0.5 * std::atan2(2.0 * cov, var_r - var_c) * (180.0 / std::numbers::pi);
}

/// Every slice of the cube along `axis` rotated by `angle_degrees` as scipy.ndimage.rotate
/// (reshape=False, order=1) does, into a new cube (the released align_mask).
inline perrone_cube_mask rotate_cube_slices(const perrone_cube_mask& cube, std::size_t axis,
                                            double angle_degrees) {
  perrone_cube_mask out;
  for (std::size_t i = 0; i < perrone_cube; ++i) {
    const auto layout = cube_slice(axis, i);
    rotate_slice_order1(cube.v.data() + layout.base, layout.row, layout.col,
                        out.v.data() + layout.base, layout.row, layout.col, perrone_cube,
                        perrone_cube, angle_degrees);
  }
  return out;
}

/// The released compute_angles_for_masks, rotate_masks_sequentially and compute_disc_dimensions
/// on one blob's cube. Sets values and trace, or the status of the step that fails.
inline void measure_perrone_cube(const perrone_cube_mask& cube, perrone_blob& blob) {
  const auto fail = [&](perrone_status status) {
    blob.status = status;
    blob.values.reset();
    blob.trace.reset();
  };
  // Angles, each on the unrotated cube.
  const auto theta_sag = slice_pca_angle(cube, 0);
  const auto theta_axial = slice_pca_angle(cube, 1);
  const auto theta_front = slice_pca_angle(cube, 2);
  if (!theta_sag || !theta_axial || !theta_front)
    return fail(perrone_status::empty_cube_slice);
  perrone_values values;
  values.sag_angle = *theta_sag < 0 ? *theta_sag + 90.0 : *theta_sag - 90.0;
  values.axial_angle = *theta_axial;
  values.front_angle = *theta_front;

  // Alignment: sagittal, then axial on the result, then frontal on that.
  perrone_trace trace;
  trace.step_sag = values.sag_angle;
  const perrone_cube_mask sagittal = rotate_cube_slices(cube, 0, -trace.step_sag);
  const auto step_axial = slice_pca_angle(sagittal, 1);
  if (!step_axial)
    return fail(perrone_status::empty_cube_slice);
  trace.step_axial = *step_axial;
  const perrone_cube_mask axial = rotate_cube_slices(sagittal, 1, -trace.step_axial);
  const auto step_front = slice_pca_angle(axial, 2);
  if (!step_front)
    return fail(perrone_status::empty_cube_slice);
  trace.step_front = *step_front;
  const perrone_cube_mask aligned = rotate_cube_slices(axial, 2, -trace.step_front);

  // Dimensions on the aligned cube G. "disc height": mean over (b, c) of sum_a G, where positive.
  constexpr std::size_t n = perrone_cube;
  std::size_t total = 0, columns = 0;
  std::vector<std::size_t> per_a(n, 0);  // voxels per left-right slice, for the median
  for (std::size_t b = 0; b < n; ++b) {
    for (std::size_t c = 0; c < n; ++c) {
      std::size_t column = 0;
      for (std::size_t a = 0; a < n; ++a) {
        if (aligned.at(a, b, c) != 0) {
          ++column;
          ++per_a[a];
        }
      }
      total += column;
      columns += column > 0 ? 1 : 0;
    }
  }
  trace.aligned_voxels = total;
  if (total == 0)
    return fail(perrone_status::empty_width_line);
  values.disc_height = static_cast<double>(total) / static_cast<double>(columns);
  // Middle slice: int(median of the a-indices of all voxels) (numpy: the mean of the two middle
  // values for an even count, then truncated).
  const auto a_at_rank = [&](std::size_t rank) {
    std::size_t seen = 0;
    for (std::size_t a = 0; a < n; ++a) {
      seen += per_a[a];
      if (rank < seen)
        return a;
    }
    return n - 1;
  };
  const std::size_t middle =
      total % 2 == 1 ? a_at_rank(total / 2)
                     : static_cast<std::size_t>((static_cast<double>(a_at_rank(total / 2 - 1)) +
                                                 static_cast<double>(a_at_rank(total / 2))) /
                                                2.0);
  trace.middle = middle;
  std::size_t pixels = 0, sum_b = 0, sum_c = 0;
  for (std::size_t b = 0; b < n; ++b)
    for (std::size_t c = 0; c < n; ++c)
      if (aligned.at(middle, b, c) != 0) {
        ++pixels;
        sum_b += b;
        sum_c += c;
      }
  if (pixels == 0)  // released: int(nan), ValueError
    return fail(perrone_status::empty_width_line);
  trace.centroid_row = static_cast<double>(sum_b) / static_cast<double>(pixels);
  trace.centroid_col = static_cast<double>(sum_c) / static_cast<double>(pixels);
  const auto row = static_cast<std::size_t>(trace.centroid_row);
  const auto col = static_cast<std::size_t>(trace.centroid_col);
  std::optional<std::size_t> c_low, c_high, b_low, b_high;
  for (std::size_t c = 0; c < n; ++c)
    if (aligned.at(middle, row, c) != 0) {
      c_low = c_low.value_or(c);
      c_high = c;
    }
  for (std::size_t b = 0; b < n; ++b)
    if (aligned.at(middle, b, col) != 0) {
      b_low = b_low.value_or(b);
      b_high = b;
    }
  if (!c_low || !b_low)  // released: IndexError
    return fail(perrone_status::empty_width_line);
  values.ap_width = static_cast<double>(*c_high - *c_low);
  values.lat_width = static_cast<double>(*b_high - *b_low);
  blob.status = perrone_status::ok;
  blob.values = values;
  blob.trace = trace;
}

/// The disc values of a SPIDER-layout label volume: labels >= 201 keep their value, others 0.
template <class T>
std::vector<std::int32_t> perrone_disc_values(const image<T>& spider) {
  using traits = voxel_traits<T>;
  std::vector<std::int32_t> values(spider.voxels.size(), 0);
  const T* data = spider.voxels.data();
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto label = static_cast<std::int64_t>(traits::label(data[i]));
    DISCGEOM_PRECONDITION(label <= 32767, "perrone_geometry", "label ", label,
                          " does not fit the int16 masks of the released code");
    if (label >= perrone_first_disc_label)
      values[i] = static_cast<std::int32_t>(label);
  }
  return values;
}

}  // namespace detail

/// Perrone et al.'s released geometry of every disc of a label map (see the file comment).
///
/// Steps (released functions in brackets):
/// 1. the labels are reoriented to SPIDER's layout (LR, AP, SI; LPS identity) by their
///    direction cosines; labels >= 201 are discs, keeping their values [process_array];
/// 2. the resampled size along each axis is round(n s / t) with Python's round, t = (1.4, 1.2,
///    1.5) mm [resample_sitk_image]; the field-of-view test is recorded [process_image];
/// 3. the disc values are zoomed with scipy's order-1 zoom (corners aligned) into that grid,
///    rounded half away from zero and clipped to 0/1 [process_mask]: a voxel is disc where the
///    interpolated label value is at least 0.5;
/// 4. axes become (LR, SI downward, AP) [rotate_and_swap_axes]; the union splits into 26-connected
///    blobs, numbered in that frame's C order [measure.label]; each is cropped to its bounding
///    box and centred in a 64^3 cube, (64 - n) / 2 voxels before it [crop_and_pad_mask];
/// 5. per blob: the three angles on the cube's slices 32, the three alignment rotations, and the
///    dimensions on the aligned cube [compute_angles_for_masks, rotate_masks_sequentially,
///    compute_disc_dimensions];
/// 6. (not released) a blob's label is the disc label that most of its voxels come from (each
///    voxel from the label with the largest interpolated indicator, ties to the lowest label);
///    a disc's values are those of its largest blob (ties: the lowest blob index).
///
/// \tparam Labels   a volume_like 3D map of label voxels (SPIDER labels: 201, 202, ... the discs
///                  from the lowest; relabel other schemes first, as the CLI does)
/// \param geometry  its spacing and direction cosines (validated)
/// \returns the resampled grid, the field-of-view test, every blob (with its status) and every
///          disc label present (with its largest blob)
/// \throws precondition_error for an invalid geometry, a non-positive target spacing, a label
///         above 32767 (the released masks are int16) or an empty resampled grid
/// Complexity: O(voxels of the resampled grid x 8 + blobs x 64^3 x 12).
///
///   const auto result = discgeom::perrone_geometry(labels, geometry);
///   for (const auto& d : result.discs) if (d.largest) use(result.blobs[*d.largest].values);
///
/// See also: measure_discs (geometry/disc_measures.hpp), discgeom's own measures in mm.
template <volume_like Labels>
[[nodiscard]] perrone_result perrone_geometry(Labels&& labels, const image_geometry& geometry,
                                              const perrone_options& options = {}) {
  const auto view = as_volume<3>(labels);
  using voxel_type = std::remove_cv_t<typename decltype(view)::element_type>;
  static_assert(label_voxel<voxel_type>,
                "perrone_geometry(): the voxel type is not a label_voxel; specialise "
                "discgeom::voxel_traits for it with is_foreground() and label()");
  geometry.validate("perrone_geometry");
  for (std::size_t d = 0; d < 3; ++d) {
    DISCGEOM_PRECONDITION(
        std::isfinite(options.target_spacing_mm[d]) && options.target_spacing_mm[d] > 0.0,
        "perrone_geometry", "options.target_spacing_mm[", d, "] is ", options.target_spacing_mm[d]);
  }
  perrone_result result;
  if constexpr (label_voxel<voxel_type>) {
    const auto spider = reorient(view, geometry, "LPS");
    const auto shape = spider.shape();  // (x, y, z) = (LR, AP, SI)
    const auto values = detail::perrone_disc_values(spider);
    std::array<std::size_t, 3> m{};
    for (std::size_t d = 0; d < 3; ++d) {
      const double size = std::nearbyint(static_cast<double>(shape[d]) *
                                         spider.geometry.spacing[d] / options.target_spacing_mm[d]);
      DISCGEOM_PRECONDITION(size >= 1.0, "perrone_geometry", "axis ", d, " of ", shape[d],
                            " voxels resamples to none at ", options.target_spacing_mm[d], " mm");
      m[d] = static_cast<std::size_t>(size);
    }
    result.resampled_shape = m;
    result.field_of_view_check = !(2 * m[0] > m[1] || 2 * m[0] > m[2]);

    std::vector<std::int64_t> labels_present;
    for (const auto v : values)
      if (v != 0)
        labels_present.push_back(v);
    std::sort(labels_present.begin(), labels_present.end());
    labels_present.erase(std::unique(labels_present.begin(), labels_present.end()),
                         labels_present.end());

    // Zoom (numpy order z, y, x: corners summed z slowest, weights multiplied z, y, x).
    const auto taps_x = detail::zoom_taps(shape[0], m[0]);
    const auto taps_y = detail::zoom_taps(shape[1], m[1]);
    const auto taps_z = detail::zoom_taps(shape[2], m[2]);
    const auto input_at = [&](std::size_t x, std::size_t y, std::size_t z) {
      return values[x + shape[0] * (y + shape[1] * z)];
    };
    std::vector<std::uint8_t> disc(m[0] * m[1] * m[2], 0);
    std::vector<std::int32_t> provenance(disc.size(), 0);
    std::array<std::size_t, 3> lower{m[0], m[1], m[2]}, upper{};
    for (std::size_t z = 0; z < m[2]; ++z) {
      const auto& tz = taps_z[z];
      for (std::size_t y = 0; y < m[1]; ++y) {
        const auto& ty = taps_y[y];
        for (std::size_t x = 0; x < m[0]; ++x) {
          const auto& tx = taps_x[x];
          if (!tz.inside || !ty.inside || !tx.inside)
            continue;
          std::array<std::int32_t, 8> corner_label{};
          std::array<double, 8> corner_weight{};
          double sum = 0.0;
          std::size_t corner = 0;
          for (int cz = 0; cz < 2; ++cz) {
            for (int cy = 0; cy < 2; ++cy) {
              for (int cx = 0; cx < 2; ++cx, ++corner) {
                const double wz = cz ? tz.second_weight : tz.first_weight;
                const double wy = cy ? ty.second_weight : ty.first_weight;
                const double wx = cx ? tx.second_weight : tx.first_weight;
                const std::int32_t label =
                    input_at(cx ? tx.second : tx.first, cy ? ty.second : ty.first,
                             cz ? tz.second : tz.first);
                double term = static_cast<double>(label);
                term *= wz;
                term *= wy;
                term *= wx;
                sum += term;
                double weight = 1.0;
                weight *= wz;
                weight *= wy;
                weight *= wx;
                corner_label[corner] = label;
                corner_weight[corner] = weight;
              }
            }
          }
          if (detail::scipy_round_to_integer(sum) < 1)
            continue;
          const std::size_t at = x + m[0] * (y + m[1] * z);
          disc[at] = 1;
          // Provenance: the label with the largest interpolated indicator (ties: lowest).
          std::int32_t best = 0;
          double best_weight = -1.0;
          for (std::size_t k = 0; k < 8; ++k) {
            const std::int32_t label = corner_label[k];
            if (label == 0)
              continue;
            double weight = 0.0;
            for (std::size_t j = 0; j < 8; ++j)
              if (corner_label[j] == label)
                weight += corner_weight[j];
            if (weight > best_weight || (weight == best_weight && label < best)) {
              best = label;
              best_weight = weight;
            }
          }
          provenance[at] = best;
          const std::array<std::size_t, 3> index{x, y, z};
          for (std::size_t d = 0; d < 3; ++d) {
            lower[d] = std::min(lower[d], index[d]);
            upper[d] = std::max(upper[d], index[d]);
          }
        }
      }
    }
    for (const auto label : labels_present)
      result.discs.push_back({label, 0, std::nullopt, perrone_status::no_piece});
    if (lower[0] > upper[0]) {
      result.status = perrone_status::no_disc_voxels;
      return result;
    }

    // The union in the frame F[a, b, c] = (x, z flipped, y), stored with c fastest so that the
    // components are numbered in F's C order, as scikit-image numbers them.
    const std::size_t na = upper[0] - lower[0] + 1, nb = upper[2] - lower[2] + 1,
                      nc = upper[1] - lower[1] + 1;
    auto frame = image<std::uint8_t>::filled({nc, nb, na}, image_geometry{}, 0);
    for (std::size_t a = 0; a < na; ++a)
      for (std::size_t b = 0; b < nb; ++b)
        for (std::size_t c = 0; c < nc; ++c)
          frame.voxels(c, b, a) =
              disc[(lower[0] + a) + m[0] * ((lower[1] + c) + m[1] * (upper[2] - b))];
    const auto components = connected_components(frame, frame.geometry, connectivity3::corners);
    for (const auto& component : components.components) {
      perrone_blob blob;
      blob.voxels = component.voxels;
      // component bounds are in (c, b, a)
      const std::array<std::size_t, 3> extent_abc{component.upper[2] - component.lower[2] + 1,
                                                  component.upper[1] - component.lower[1] + 1,
                                                  component.upper[0] - component.lower[0] + 1};
      blob.extent = {extent_abc[0], extent_abc[2], extent_abc[1]};  // LR, AP, SI
      std::map<std::int64_t, std::size_t> votes;
      detail::perrone_cube_mask cube;
      const bool fits = extent_abc[0] <= perrone_cube && extent_abc[1] <= perrone_cube &&
                        extent_abc[2] <= perrone_cube;
      std::array<std::size_t, 3> pad{};
      for (std::size_t d = 0; d < 3; ++d)
        pad[d] = fits ? (perrone_cube - extent_abc[d]) / 2 : 0;
      for (std::size_t a = component.lower[2]; a <= component.upper[2]; ++a)
        for (std::size_t b = component.lower[1]; b <= component.upper[1]; ++b)
          for (std::size_t c = component.lower[0]; c <= component.upper[0]; ++c) {
            if (components.ids(c, b, a) != component.id)
              continue;
            const std::size_t at = (lower[0] + a) + m[0] * ((lower[1] + c) + m[1] * (upper[2] - b));
            ++votes[provenance[at]];
            if (fits)
              cube.at(a - component.lower[2] + pad[0], b - component.lower[1] + pad[1],
                      c - component.lower[0] + pad[2]) = 1;
          }
      std::size_t most = 0;
      for (const auto& [label, count] : votes)  // increasing labels: ties go to the lowest
        if (count > most) {
          most = count;
          blob.label = label;
        }
      if (fits)
        detail::measure_perrone_cube(cube, blob);
      else
        blob.status = perrone_status::larger_than_cube;
      result.blobs.push_back(std::move(blob));
    }
    for (auto& d : result.discs) {
      for (std::size_t i = 0; i < result.blobs.size(); ++i) {
        if (result.blobs[i].label != d.label)
          continue;
        ++d.pieces;
        if (!d.largest || result.blobs[i].voxels > result.blobs[*d.largest].voxels)
          d.largest = i;
      }
      if (d.largest)
        d.status = result.blobs[*d.largest].status;
    }
  }
  return result;
}

}  // namespace discgeom
