// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// BianqueNet's quantitative disc indices (Zheng et al., "Deep learning-based high-accuracy
/// quantitation for lumbar intervertebral disc degeneration from MRI", Nat. Commun. 13, 841
/// (2022), doi:10.1038/s41467-022-28387-5; docs/references.md) as its released code computes them
/// (github.com/no-saint-no-angel/BianqueNet, commit 36e487c8: function/calcu_DHI_512.py,
/// calcu_signal_strength.py, segmentation_optimization.py), on a mid-sagittal slice, in pixels
/// of the image's own grid and in mm. Written from a specification checked against that code's
/// outputs (tests/data/bianquenet_golden.txt, made by tests/golden/make_bianquenet_golden.py),
/// not from the code, which has no licence. docs/geometry.md gives every step with its source.
///
/// The slice in BianqueNet's frame: row r grows inferior, column c grows posterior.
/// - Clean-up (seg_opt, optional): each body: 3x3 opening, then its largest piece with holes
///   filled; each disc: its largest piece filled, or the opening when that keeps < 95 %.
/// - Body corners: Shi-Tomasi (cv2.goodFeaturesToTrack(mask, 4, 0.01, 21, blockSize=9), bit for
///   bit, geometry/detail/shi_tomasi.hpp), ordered upper-anterior c0, upper-posterior c1,
///   lower-anterior c2, lower-posterior c3 by their rules (the sacrum's differ).
/// - HV = body pixels / mean(|c0 c1|, |c2 c3|)  (the mean endplate length between corners).
/// - Disc mid-points D1 = (c2 above + c0 below) / 2 (anterior), D2 = (c3 above + c1 below) / 2.
/// - Central 80 %: cut lines perpendicular to D1 D2 through its 10 % and 90 % points, each
///   +-0.375 |D1 D2| long, corners truncated to integers; the disc's rows they cross are trimmed
///   before the anterior line and from the posterior line on. DH = remaining pixels / |D1 D2|.
/// - Full width W: walk along the line D1 D2 from D2 posteriorly and from D1 anteriorly to the
///   first background pixel; W = distance between the last disc pixels. HDR (their DWR) = DH / W.
/// - DHI = 2 DH / (HV above + HV below); DH / HV above at the disc above the sacrum.
/// - Delta SI (on the 8-bit grey image): mode M of the disc's values (255 counted, ties the first
///   met in raster order), histogram peak F over [0, 255), second peak S = first k maximising
///   float32(|k - 0.95 F| hist[k]); Delta SI = |M - S| * 255 / mode(reference region, the CSF).
/// mm: points are pixel centres at (r s_r, c s_c); lengths are distances between them, areas
/// pixel count x s_r s_c. With anisotropic pixels the cut lines, perpendicular on the pixel grid
/// as in BianqueNet, are no longer physically perpendicular (docs/geometry.md).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "discgeom/as_volume.hpp"
#include "discgeom/error.hpp"
#include "discgeom/geometry/detail/bianquenet_kernels.hpp"
#include "discgeom/geometry/structure_measures.hpp"
#include "discgeom/image_geometry.hpp"
#include "discgeom/mask/label_scheme.hpp"
#include "discgeom/mask/structures.hpp"
#include "discgeom/traits.hpp"

namespace discgeom {

/// A pixel of the slice in BianqueNet's frame: row (grows inferior), column (grows posterior).
struct bianquenet_pixel {
  std::int64_t row = 0, col = 0;
  friend bool operator==(const bianquenet_pixel&, const bianquenet_pixel&) = default;
};

/// A point of the slice (half pixels happen: mid-points of corners).
struct bianquenet_point {
  double row = 0.0, col = 0.0;
};

/// Pixel size of the slice, mm: along its rows' direction (SI) and its columns' (AP).
struct bianquenet_pixel_size {
  double row_mm = 1.0;  ///< SI spacing (one row to the next)
  double col_mm = 1.0;  ///< AP spacing (one column to the next)
};

/// A vertebral body (or the sacrum) on the slice.
struct bianquenet_body {
  std::string status = "ok";  ///< ok, absent, fewer than 4 corners, ...
  std::size_t pixels = 0;
  /// Upper-anterior, upper-posterior, lower-anterior, lower-posterior (BianqueNet's slots).
  std::optional<std::array<bianquenet_pixel, 4>> corners;
  std::array<float, 4> strengths{};  ///< the corners' minimum eigenvalues (cornerMinEigenVal)
  std::optional<double> upper_endplate_px, lower_endplate_px, hv_px;  ///< pixels
  std::optional<double> area_mm2, upper_endplate_mm, lower_endplate_mm, hv_mm;
};

/// Delta SI's histogram peaks of a region of the 8-bit image.
struct bianquenet_signal {
  std::size_t pixels = 0;
  int mode = 0, first_peak = 0, second_peak = 0;
};

/// A disc on the slice: its geometry between the bodies above and below and its signal.
struct bianquenet_disc {
  std::string status = "ok";
  std::size_t pixels = 0;
  std::optional<bianquenet_point> anterior, posterior;       ///< D1, D2
  std::optional<std::array<bianquenet_pixel, 4>> cut;        ///< lu, ld, ru, rd
  std::optional<std::array<bianquenet_pixel, 2>> walk_ends;  ///< anterior, posterior
  std::size_t central_pixels = 0;
  // In pixels of the slice's grid (BianqueNet's numbers).
  std::optional<double> mid_width_px;   ///< |D1 D2| ("small_WD")
  std::optional<double> full_width_px;  ///< W ("big_WD")
  std::optional<double> dh_px, dhi_px, hdr_px;
  // In mm.
  std::optional<double> mid_width_mm, full_width_mm, central_area_mm2, dh_mm, dhi, hdr;
  // Signal (with an image).
  std::optional<bianquenet_signal> signal;
  std::optional<double> delta_si;  ///< |mode - second peak| * 255 / reference mode
  std::optional<int> si_disc;      ///< mode if mode > second peak, else the second peak
};

/// Options of the BianqueNet measures.
struct bianquenet_options {
  /// Clean each body and disc mask as BianqueNet's seg_opt does before measuring (it does on its
  /// network's output). It also keeps a SPIDER vertebra's body: the largest piece of the label on
  /// the mid-sagittal slice (the posterior arch lies behind the canal).
  bool clean_masks = true;
  /// The sagittal slice (index along the left-right array axis) of every disc; unset: each
  /// disc's own middle slice (the one holding its centroid, round half up).
  std::optional<std::size_t> slice{};
  /// The reference region of Delta SI (BianqueNet: the CSF; SPIDER: the spinal canal, 100).
  std::optional<std::int64_t> reference_label{};
};

namespace detail {

inline double length_mm(double drow, double dcol, const bianquenet_pixel_size& s) {
  return std::hypot(drow * s.row_mm, dcol * s.col_mm);
}

/// Corners, endplates and HV of a body mask (cleaned already when asked).
inline bianquenet_body measure_body(const mask_raster& mask, bool sacrum,
                                    const bianquenet_pixel_size& s) {
  const auto found = body_corners(mask, sacrum);
  bianquenet_body out;
  out.pixels = found.pixels;
  if (!found.status.empty()) {
    out.status = found.status;
    return out;
  }
  std::array<bianquenet_pixel, 4> c{};
  for (std::size_t k = 0; k < 4; ++k)
    c[k] = {found.corners[k].row, found.corners[k].col};
  out.corners = c;
  out.strengths = found.strengths;
  const auto px = [](const bianquenet_pixel& a, const bianquenet_pixel& b) {
    const auto dr = static_cast<double>(a.row - b.row), dc = static_cast<double>(a.col - b.col);
    return std::sqrt(dr * dr + dc * dc);  // integer squares: exact, as hypot
  };
  const auto mm = [&](const bianquenet_pixel& a, const bianquenet_pixel& b) {
    return length_mm(static_cast<double>(a.row - b.row), static_cast<double>(a.col - b.col), s);
  };
  out.upper_endplate_px = px(c[0], c[1]);
  out.lower_endplate_px = px(c[2], c[3]);
  out.upper_endplate_mm = mm(c[0], c[1]);
  out.lower_endplate_mm = mm(c[2], c[3]);
  out.area_mm2 = static_cast<double>(out.pixels) * s.row_mm * s.col_mm;
  const double mean_px = (*out.upper_endplate_px + *out.lower_endplate_px) / 2.0;
  const double mean_mm = (*out.upper_endplate_mm + *out.lower_endplate_mm) / 2.0;
  if (mean_px > 0.0) {
    out.hv_px = static_cast<double>(out.pixels) / mean_px;
    out.hv_mm = *out.area_mm2 / mean_mm;
  } else {
    out.status = "endplates of zero length";
  }
  return out;
}

inline void add_status(std::string& status, const std::string& reason) {
  if (reason.empty())
    return;
  status = status == "ok" || status.empty() ? reason : status + "; " + reason;
}

/// Why a body has no corners, in a disc's words: "no vertebra above", "no sacrum label below",
/// "vertebra below: fewer than 4 corners".
inline std::string body_reason(const bianquenet_body& body, const std::string& which) {
  if (body.status == "absent")
    return "no " + which;
  if (body.status == "not labelled")
    return which == "sacrum below" ? "no sacrum label below" : "no " + which;
  return which + ": " + body.status;
}

/// The geometry of a disc between two measured bodies; DHI with BianqueNet's rule at the disc
/// above the sacrum (DH / HV above).
inline bianquenet_disc measure_disc(const mask_raster& disc, const bianquenet_body& above,
                                    const bianquenet_body& below, bool below_is_sacrum,
                                    const bianquenet_pixel_size& s) {
  bianquenet_disc out;
  out.pixels = count_pixels(disc);
  if (out.pixels == 0) {
    out.status = "disc absent from the slice";
    return out;
  }
  if (!above.corners || !below.corners) {
    out.status = "";
    if (!above.corners)
      add_status(out.status, body_reason(above, "vertebra above"));
    if (!below.corners)
      add_status(out.status,
                 body_reason(below, below_is_sacrum ? "sacrum below" : "vertebra below"));
    return out;
  }
  std::array<rc_pixel, 4> up{}, low{};
  for (std::size_t k = 0; k < 4; ++k) {
    up[k] = {(*above.corners)[k].row, (*above.corners)[k].col};
    low[k] = {(*below.corners)[k].row, (*below.corners)[k].col};
  }
  const auto steps = disc_steps(disc, up, low);
  out.anterior = bianquenet_point{steps.anterior[0], steps.anterior[1]};
  out.posterior = bianquenet_point{steps.posterior[0], steps.posterior[1]};
  out.mid_width_px = steps.mid_width_px;
  const double drow = steps.posterior[0] - steps.anterior[0];
  const double dcol = steps.posterior[1] - steps.anterior[1];
  out.mid_width_mm = length_mm(drow, dcol, s);
  if (steps.mid_width_px == 0.0) {
    out.status = steps.status;
    return out;
  }
  std::array<bianquenet_pixel, 4> cut{};
  for (std::size_t k = 0; k < 4; ++k)
    cut[k] = {steps.cut[k].row, steps.cut[k].col};
  out.cut = cut;
  out.central_pixels = steps.central_pixels;
  out.central_area_mm2 = static_cast<double>(steps.central_pixels) * s.row_mm * s.col_mm;
  if (steps.central_pixels == 0) {
    add_status(out.status, "no central region");
  } else {
    out.dh_px = static_cast<double>(steps.central_pixels) / steps.mid_width_px;
    out.dh_mm = *out.central_area_mm2 / *out.mid_width_mm;
  }
  if (steps.walked) {
    const auto& e = steps.walk_ends;
    out.walk_ends = std::array<bianquenet_pixel, 2>{bianquenet_pixel{e[0].row, e[0].col},
                                                    bianquenet_pixel{e[1].row, e[1].col}};
    const auto wr = static_cast<double>(e[1].row - e[0].row),
               wc = static_cast<double>(e[1].col - e[0].col);
    out.full_width_px = std::sqrt(wr * wr + wc * wc);
    out.full_width_mm = length_mm(wr, wc, s);
    if (out.dh_px && *out.full_width_px > 0.0) {
      out.hdr_px = *out.dh_px / *out.full_width_px;
      out.hdr = *out.dh_mm / *out.full_width_mm;
    }
  } else {
    add_status(out.status, steps.status);
  }
  if (out.dh_px && above.hv_px) {
    if (below_is_sacrum) {
      out.dhi_px = *out.dh_px / *above.hv_px;
      out.dhi = *out.dh_mm / *above.hv_mm;
    } else if (below.hv_px) {
      out.dhi_px = 2.0 * *out.dh_px / (*above.hv_px + *below.hv_px);
      out.dhi = 2.0 * *out.dh_mm / (*above.hv_mm + *below.hv_mm);
    }
  }
  return out;
}

/// The values of `grey` under `mask`, row-major.
inline std::vector<std::uint8_t> values_under(const raster<std::uint8_t>& grey,
                                              const mask_raster& mask) {
  std::vector<std::uint8_t> values;
  for (std::size_t n = 0; n < mask.values.size(); ++n)
    if (mask.values[n] != 0)
      values.push_back(grey.values[n]);
  return values;
}

inline std::optional<bianquenet_signal> signal_of(const raster<std::uint8_t>& grey,
                                                  const mask_raster& mask) {
  const auto peaks = histogram_peaks(values_under(grey, mask));
  if (!peaks)
    return std::nullopt;
  return bianquenet_signal{peaks->pixels, peaks->mode, peaks->first_peak, peaks->second_peak};
}

/// Delta SI of a disc against the reference region's signal; the status says what is missing.
inline void add_delta_si(bianquenet_disc& disc, const raster<std::uint8_t>& grey,
                         const mask_raster& disc_mask,
                         const std::optional<bianquenet_signal>& reference,
                         const std::string& reference_missing) {
  disc.signal = signal_of(grey, disc_mask);
  if (!disc.signal)
    return;
  const int m = disc.signal->mode, second = disc.signal->second_peak;
  disc.si_disc = m > second ? m : second;
  if (!reference) {
    add_status(disc.status, reference_missing);
    return;
  }
  if (reference->mode == 0) {
    add_status(disc.status, "reference region's mode is 0");
    return;
  }
  disc.delta_si =
      static_cast<double>(std::abs(m - second) * 255) / static_cast<double>(reference->mode);
}

/// A raster of one label code from a raster of labels.
inline mask_raster mask_of(const raster<std::int64_t>& labels,
                           const std::vector<std::int64_t>& wanted) {
  auto m = mask_raster::filled(labels.rows, labels.cols);
  for (std::size_t n = 0; n < labels.values.size(); ++n)
    m.values[n] = std::find(wanted.begin(), wanted.end(), labels.values[n]) != wanted.end() ? 1 : 0;
  return m;
}

/// An 8-bit grey raster from any values: kept when every value is a whole number in [0, 255],
/// else the slice's range [min, max] mapped linearly onto [0, 255] (rounded half up).
/// Empty with `why` set when a value is not finite.
inline std::optional<raster<std::uint8_t>> grey8(const raster<double>& values, std::string& why) {
  double low = INFINITY, high = -INFINITY;
  bool whole = true;
  for (const double v : values.values) {
    if (!std::isfinite(v)) {
      why = "the image has a value that is not finite on the slice";
      return std::nullopt;
    }
    low = std::min(low, v);
    high = std::max(high, v);
    whole = whole && v >= 0.0 && v <= 255.0 && std::trunc(v) == v;
  }
  auto out = raster<std::uint8_t>::filled(values.rows, values.cols);
  for (std::size_t n = 0; n < values.values.size(); ++n) {
    const double v = values.values[n];
    const double scaled = whole ? v : (high > low ? 255.0 * (v - low) / (high - low) : 0.0);
    out.values[n] = static_cast<std::uint8_t>(std::clamp(std::floor(scaled + 0.5), 0.0, 255.0));
  }
  return out;
}

}  // namespace detail

/// What BianqueNet measures on one slice labelled with its own structure codes.
struct bianquenet_spine {
  /// L1, L2, L3, L4, L5, S1 (codes 2, 4, 6, 8, 10, 12).
  std::array<bianquenet_body, 6> bodies;
  /// L1/L2, L2/L3, L3/L4, L4/L5, L5/S1 (codes 3, 5, 7, 9, 11).
  std::array<bianquenet_disc, 5> discs;
  std::optional<bianquenet_signal> csf, fat;  ///< codes 1 and 13 (with an image)
};

/// BianqueNet's structure codes (its network's channels).
inline constexpr std::int64_t bianquenet_csf = 1, bianquenet_sacrum = 12, bianquenet_fat = 13;
/// The code of lumbar body k (0 = L1 .. 4 = L5) and of the disc below it (4: L5/S1).
[[nodiscard]] constexpr std::int64_t bianquenet_body_code(std::size_t k) {
  return 2 + 2 * static_cast<std::int64_t>(k);
}
[[nodiscard]] constexpr std::int64_t bianquenet_disc_code(std::size_t k) {
  return 3 + 2 * static_cast<std::int64_t>(k);
}
inline constexpr std::array<const char*, 5> bianquenet_disc_levels{"L1/L2", "L2/L3", "L3/L4",
                                                                   "L4/L5", "L5/S1"};

namespace detail {

template <class Labels>
raster<std::int64_t> label_raster_2d(const Labels& view, const char* function) {
  using voxel_type = typename Labels::value_type;
  static_assert(label_voxel<voxel_type>,
                "the voxel type is not a label_voxel: specialise "
                "discgeom::voxel_traits with is_foreground() and label()");
  using traits = voxel_traits<voxel_type>;
  DISCGEOM_PRECONDITION(view.shape(0) > 0 && view.shape(1) > 0, function,
                        "the slice is empty: ", view.shape());
  auto out = raster<std::int64_t>::filled(view.shape(1), view.shape(0));
  for (std::size_t r = 0; r < out.rows; ++r)
    for (std::size_t c = 0; c < out.cols; ++c) {
      const auto& v = view(c, r);
      out(r, c) = traits::is_foreground(v) ? static_cast<std::int64_t>(traits::label(v)) : 0;
    }
  return out;
}

inline bianquenet_spine measure_spine(const raster<std::int64_t>& labels,
                                      const raster<std::uint8_t>* grey,
                                      const bianquenet_pixel_size& s, const bianquenet_options& o) {
  bianquenet_spine out;
  std::array<mask_raster, 6> bodies;
  for (std::size_t k = 0; k < 6; ++k) {
    const std::int64_t code = k < 5 ? bianquenet_body_code(k) : bianquenet_sacrum;
    bodies[k] = mask_of(labels, {code});
    if (o.clean_masks)
      bodies[k] = clean_body(bodies[k]);
    out.bodies[k] = measure_body(bodies[k], k == 5, s);
  }
  if (grey != nullptr) {
    out.csf = signal_of(*grey, mask_of(labels, {bianquenet_csf}));
    out.fat = signal_of(*grey, mask_of(labels, {bianquenet_fat}));
  }
  for (std::size_t k = 0; k < 5; ++k) {
    auto disc = mask_of(labels, {bianquenet_disc_code(k)});
    if (o.clean_masks)
      disc = clean_disc(disc);
    out.discs[k] = measure_disc(disc, out.bodies[k], out.bodies[k + 1], k == 4, s);
    if (grey != nullptr)
      add_delta_si(out.discs[k], *grey, disc, out.csf, "no reference region (CSF)");
  }
  return out;
}

}  // namespace detail

/// BianqueNet's indices of one mid-sagittal slice labelled with BianqueNet's structure codes
/// (0 background, 1 CSF, 2 L1, 3 L1/L2, ..., 10 L5, 11 L5/S1, 12 S1, 13 presacral fat), as its
/// calcu_DHI and calcu_Sigs compute them.
///
/// \param labels  a rank-2 volume_like of label_voxels; axis 0 = column (grows posterior),
///                axis 1 = row (grows inferior): BianqueNet's image as displayed (anterior left,
///                superior at the top), the (x, y) order of a picture
/// \param pixel   the pixel size, mm (BianqueNet assumes square pixels and reports pixels)
/// \param options clean_masks (seg_opt); slice and reference_label are not used here
/// \returns bodies, discs, and no signal (see the overload with an image)
/// \throws precondition_error for an empty slice or a pixel size not finite and > 0
/// Complexity: O(pixels) per structure.
///   auto spine = discgeom::measure_bianquenet_slice(labels, {.row_mm = 0.5, .col_mm = 0.5});
///   double dh = *spine.discs[4].dh_mm;  // L5/S1
/// \see measure_bianquenet for SPIDER label maps and 3D series
template <class Labels>
[[nodiscard]] bianquenet_spine measure_bianquenet_slice(Labels&& labels,
                                                        const bianquenet_pixel_size& pixel = {},
                                                        const bianquenet_options& options = {}) {
  DISCGEOM_PRECONDITION(std::isfinite(pixel.row_mm) && std::isfinite(pixel.col_mm) &&
                            pixel.row_mm > 0.0 && pixel.col_mm > 0.0,
                        "measure_bianquenet_slice", "the pixel size must be finite and > 0, got ",
                        pixel.row_mm, " x ", pixel.col_mm);
  const auto view = as_volume<2>(labels);
  return detail::measure_spine(detail::label_raster_2d(view, "measure_bianquenet_slice"), nullptr,
                               pixel, options);
}

/// The same with the slice's 8-bit grey image (same shape and axes; BianqueNet's raw image,
/// before CLAHE): adds Delta SI against the CSF (code 1) and the CSF and fat modes.
/// \throws precondition_error when the shapes differ
template <class Labels, class Grey>
[[nodiscard]] bianquenet_spine measure_bianquenet_slice(Labels&& labels, Grey&& grey,
                                                        const bianquenet_pixel_size& pixel,
                                                        const bianquenet_options& options = {}) {
  const auto view = as_volume<2>(labels);
  const auto grey_view = as_volume<2>(grey);
  DISCGEOM_PRECONDITION(view.shape() == grey_view.shape(), "measure_bianquenet_slice",
                        "labels and image differ in shape: ", view.shape(), " vs ",
                        grey_view.shape());
  DISCGEOM_PRECONDITION(std::isfinite(pixel.row_mm) && std::isfinite(pixel.col_mm) &&
                            pixel.row_mm > 0.0 && pixel.col_mm > 0.0,
                        "measure_bianquenet_slice", "the pixel size must be finite and > 0, got ",
                        pixel.row_mm, " x ", pixel.col_mm);
  auto values = detail::raster<double>::filled(grey_view.shape(1), grey_view.shape(0));
  for (std::size_t r = 0; r < values.rows; ++r)
    for (std::size_t c = 0; c < values.cols; ++c)
      values(r, c) = static_cast<double>(grey_view(c, r));
  std::string why;
  const auto grey8 = detail::grey8(values, why);
  DISCGEOM_PRECONDITION(grey8.has_value(), "measure_bianquenet_slice", why);
  return detail::measure_spine(detail::label_raster_2d(view, "measure_bianquenet_slice"), &*grey8,
                               pixel, options);
}

// ---------------------------------------------------------------------------------------------
// Label maps of any scheme, 2D or 3D.

/// One disc to measure and the labels around it.
struct bianquenet_level {
  std::int64_t disc = 0;            ///< the disc's label
  std::string level;                ///< its name (L4/L5); empty for a fragment
  std::vector<std::int64_t> above;  ///< labels of the body above (any of them); empty: none
  std::vector<std::int64_t> below;  ///< labels of the body below; empty: none labelled
  bool below_is_sacrum = false;     ///< the sacrum's corner rule; DHI = DH / HV above
  bool fragment = false;            ///< too small to be a disc: reported, not measured
};

/// The indices of one disc of a label map.
struct bianquenet_indices {
  std::int64_t label = 0;
  std::string level;
  std::optional<std::size_t> slice;            ///< index along the left-right array axis
  bianquenet_pixel_size pixel;                 ///< the slice's pixel size
  bianquenet_body above, below;                ///< the bodies above and below on the slice
  bianquenet_disc disc;                        ///< DH, HDR, DHI, widths, Delta SI (px and mm)
  std::optional<bianquenet_signal> reference;  ///< the reference region's peaks (with an image)
  std::string status = "ok";                   ///< ok, or every reason joined by "; "
};

/// The levels of a SPIDER label map: disc 200 + n lies below vertebra n (or 100 + n, partly
/// visible) and above vertebra n - 1; disc 201 lies above the sacrum, labelled `sacrum` when the
/// map has one (SPIDER has none: then L5/S1 is reported, not measured). Fragments as find_discs
/// decides them (docs/geometry.md), with the level names counted from `lowest_level`.
/// \param discs  what find_discs (geometry/disc_measures.hpp) found with the spider scheme
template <class FoundDiscs>
[[nodiscard]] std::vector<bianquenet_level> spider_bianquenet_levels(
    const FoundDiscs& discs, std::optional<std::int64_t> sacrum = std::nullopt) {
  std::vector<bianquenet_level> levels;
  for (const auto& d : discs) {
    bianquenet_level l;
    l.disc = d.label;
    l.level = d.level;
    l.fragment = d.fragment;
    const std::int64_t n = d.label - 200;
    l.above = {n, 100 + n};
    if (n >= 2) {
      l.below = {n - 1, 100 + n - 1};
    } else {
      l.below_is_sacrum = true;
      if (sacrum)
        l.below = {*sacrum};
    }
    levels.push_back(std::move(l));
  }
  return levels;
}

/// The levels of a map in BianqueNet's codes: L1/L2 (3) .. L5/S1 (11), the sacrum 12.
[[nodiscard]] inline std::vector<bianquenet_level> bianquenet_code_levels() {
  std::vector<bianquenet_level> levels;
  for (std::size_t k = 0; k < 5; ++k) {
    levels.push_back({bianquenet_disc_code(k),
                      bianquenet_disc_levels[k],
                      {bianquenet_body_code(k)},
                      {k < 4 ? bianquenet_body_code(k + 1) : bianquenet_sacrum},
                      k == 4,
                      false});
  }
  return levels;
}

namespace detail {

/// How the slice's rows and columns map onto a 3D array: the BianqueNet frame of a sagittal
/// slice (row grows inferior, column posterior).
struct sagittal_frame {
  std::size_t lr = 0, ap = 1, si = 2;
  bool ap_grows_posterior = true, si_grows_inferior = true;
  bianquenet_pixel_size pixel;
};

inline sagittal_frame frame_of(const image_geometry& g, const std::array<std::size_t, 3>& shape,
                               const char* function) {
  sagittal_frame f;
  f.lr = g.array_axis(anatomical_axis::lr);
  f.ap = g.array_axis(anatomical_axis::ap);
  f.si = g.array_axis(anatomical_axis::si);
  for (std::size_t a = 0; a < 3; ++a) {
    DISCGEOM_PRECONDITION(a == f.lr || shape[a] > 1 || shape[f.lr] == 1, function,
                          "the image has one slice along array axis ", a,
                          ", which its geometry "
                          "makes ",
                          to_string(g.anatomical_axes()[a]), " (orientation ", g.orientation_code(),
                          "): a sagittal slice spans AP "
                          "and SI; give the axes' anatomical meaning");
  }
  f.ap_grows_posterior = g.direction[1][f.ap] > 0.0;
  f.si_grows_inferior = g.direction[2][f.si] < 0.0;
  f.pixel = {g.spacing[f.si], g.spacing[f.ap]};
  return f;
}

/// The array index of slice pixel (r, c) on sagittal slice k.
inline std::array<std::size_t, 3> array_index(const sagittal_frame& f,
                                              const std::array<std::size_t, 3>& shape,
                                              std::size_t k, std::size_t r, std::size_t c) {
  std::array<std::size_t, 3> i{};
  i[f.lr] = k;
  i[f.ap] = f.ap_grows_posterior ? c : shape[f.ap] - 1 - c;
  i[f.si] = f.si_grows_inferior ? r : shape[f.si] - 1 - r;
  return i;
}

template <class View>
raster<std::int64_t> sagittal_labels(const View& view, const sagittal_frame& f, std::size_t k) {
  using voxel_type = typename View::value_type;
  using traits = voxel_traits<voxel_type>;
  const auto shape = view.shape();
  auto out = raster<std::int64_t>::filled(shape[f.si], shape[f.ap]);
  for (std::size_t r = 0; r < out.rows; ++r)
    for (std::size_t c = 0; c < out.cols; ++c) {
      const auto i = array_index(f, shape, k, r, c);
      const auto& v = view(i[0], i[1], i[2]);
      out(r, c) = traits::is_foreground(v) ? static_cast<std::int64_t>(traits::label(v)) : 0;
    }
  return out;
}

template <class View>
raster<double> sagittal_values(const View& view, const sagittal_frame& f, std::size_t k) {
  const auto shape = view.shape();
  auto out = raster<double>::filled(shape[f.si], shape[f.ap]);
  for (std::size_t r = 0; r < out.rows; ++r)
    for (std::size_t c = 0; c < out.cols; ++c) {
      const auto i = array_index(f, shape, k, r, c);
      out(r, c) = static_cast<double>(view(i[0], i[1], i[2]));
    }
  return out;
}

template <class LabelView, class GreyView>
std::vector<bianquenet_indices> measure_levels(const LabelView& view, const GreyView* grey,
                                               const image_geometry& geometry,
                                               const std::vector<bianquenet_level>& levels,
                                               const bianquenet_options& options) {
  constexpr const char* function = "measure_bianquenet";
  geometry.validate(function);
  const auto shape = view.shape();
  const auto frame = frame_of(geometry, shape, function);
  if (options.slice) {
    DISCGEOM_PRECONDITION(*options.slice < shape[frame.lr], function, "slice ", *options.slice,
                          " is outside the ", shape[frame.lr], " sagittal slices");
  }
  // Each disc's voxels, for its middle slice.
  std::map<std::int64_t, voxel_set> disc_sets;
  {
    std::set<std::int64_t> wanted;
    for (const auto& l : levels)
      wanted.insert(l.disc);
    for (auto& s : collect_label_voxels(view, geometry))
      if (wanted.count(static_cast<std::int64_t>(s.label)) != 0)
        disc_sets[static_cast<std::int64_t>(s.label)] = std::move(s.set);
  }
  std::vector<bianquenet_indices> rows;
  for (const auto& l : levels) {
    bianquenet_indices row;
    row.label = l.disc;
    row.level = l.level;
    row.pixel = frame.pixel;
    const auto found = disc_sets.find(l.disc);
    if (l.fragment || found == disc_sets.end() || found->second.voxels.empty()) {
      row.status = l.fragment ? "fragment" : "empty";
      rows.push_back(std::move(row));
      continue;
    }
    const std::size_t k =
        options.slice ? *options.slice : middle_slice(found->second, anatomical_axis::lr);
    row.slice = k;
    const auto labels = sagittal_labels(view, frame, k);
    auto disc_mask = mask_of(labels, {l.disc});
    auto above_mask = mask_of(labels, l.above);
    auto below_mask = mask_of(labels, l.below);
    if (options.clean_masks) {
      disc_mask = clean_disc(disc_mask);
      above_mask = clean_body(above_mask);
      below_mask = clean_body(below_mask);
    }
    row.above = measure_body(above_mask, false, frame.pixel);
    if (l.above.empty())
      row.above.status = "not labelled";
    row.below = measure_body(below_mask, l.below_is_sacrum, frame.pixel);
    if (l.below.empty())
      row.below.status = "not labelled";
    row.disc = measure_disc(disc_mask, row.above, row.below, l.below_is_sacrum, frame.pixel);
    if (grey != nullptr) {
      std::string why;
      const auto grey8 = detail::grey8(sagittal_values(*grey, frame, k), why);
      if (!grey8) {
        add_status(row.disc.status, why);
      } else {
        std::string missing = "no reference region";
        if (options.reference_label) {
          row.reference = signal_of(*grey8, mask_of(labels, {*options.reference_label}));
          missing += " (label " + std::to_string(*options.reference_label) + ") on the slice";
        } else {
          missing += " (no reference label)";
        }
        add_delta_si(row.disc, *grey8, disc_mask, row.reference, missing);
      }
    }
    row.status = row.disc.status;
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace detail

/// BianqueNet's indices of the given discs of a label map: a 3D sagittal series (each disc on
/// its middle sagittal slice, or `options.slice`) or a 2D sagittal image (a volume with one
/// slice along its left-right axis). The anatomical axes come from `geometry`'s direction
/// cosines (LR, AP, SI each assigned to the array axis most aligned with it); the slice is turned
/// into BianqueNet's frame (rows inferior, columns posterior) before anything is measured.
///
/// Per disc: the bodies above and below are the given labels on the same slice (cleaned with
/// options.clean_masks, which keeps a SPIDER vertebra's body), then the steps of the file
/// comment. Statuses (joined by "; "): `fragment`, `empty`, `disc absent from the slice`,
/// `no vertebra above`, `no vertebra below`, `no sacrum below`, `no sacrum label below`,
/// `vertebra above: fewer than 4 corners`, `no central region`, `mid-point line vertical`,
/// `disc reaches the image border along the mid-point line`, and with an image `no reference
/// region ...`, `reference region's mode is 0`, `the image has a value that is not finite ...`.
/// A measure that a missing step leaves undefined stays empty; the others stay.
///
/// \tparam Labels  volume_like 3D label map of label_voxels
/// \param levels   the discs and their neighbours (spider_bianquenet_levels, bianquenet_code_levels
///                 or your own)
/// \returns one row per level, in the order given
/// \throws precondition_error for an invalid geometry, a one-slice image whose slice is not
///         sagittal by its geometry, or options.slice outside the image
/// Complexity: O(slice pixels) per disc, plus one pass over the map.
///   const auto discs = discgeom::find_discs(labels, g);
///   auto rows = discgeom::measure_bianquenet(labels, g, discgeom::spider_bianquenet_levels(discs));
template <volume_like Labels>
[[nodiscard]] std::vector<bianquenet_indices> measure_bianquenet(
    Labels&& labels, const image_geometry& geometry, const std::vector<bianquenet_level>& levels,
    const bianquenet_options& options = {}) {
  const auto view = as_volume<3>(labels);
  using none = decltype(view);
  return detail::measure_levels(view, static_cast<const none*>(nullptr), geometry, levels, options);
}

/// The same with the image (same grid) for Delta SI against `options.reference_label`. The image
/// is used as 8-bit grey values: as they are when every value on the slice is a whole number in
/// [0, 255], else the slice's [min, max] mapped linearly onto [0, 255].
/// \throws precondition_error also when the image's shape differs from the labels'
template <volume_like Labels, volume_like Image>
[[nodiscard]] std::vector<bianquenet_indices> measure_bianquenet(
    Labels&& labels, Image&& image, const image_geometry& geometry,
    const std::vector<bianquenet_level>& levels, const bianquenet_options& options = {}) {
  const auto view = as_volume<3>(labels);
  const auto grey = as_volume<3>(image);
  DISCGEOM_PRECONDITION(view.shape() == grey.shape(), "measure_bianquenet",
                        "labels and image differ in shape: ", view.shape(), " vs ", grey.shape());
  return detail::measure_levels(view, &grey, geometry, levels, options);
}

/// Why the sagittal slices of a label map cannot be BianqueNet's antero-posterior by
/// cranio-caudal plane, judged from the discs, or nothing when they can: the disc centroids
/// spread more along the AP axis than along SI (two or more discs), or most discs are taller
/// (SI) than wide (AP) on their middle sagittal slice. A naive identity header on a sagittal
/// series makes both true.
template <volume_like Labels>
[[nodiscard]] std::optional<std::string> bianquenet_axes_problem(
    Labels&& labels, const image_geometry& geometry, const std::vector<bianquenet_level>& levels) {
  const auto view = as_volume<3>(labels);
  geometry.validate("bianquenet_axes_problem");
  const std::size_t lr = geometry.array_axis(anatomical_axis::lr);
  const std::size_t ap = geometry.array_axis(anatomical_axis::ap);
  const std::size_t si = geometry.array_axis(anatomical_axis::si);
  std::set<std::int64_t> wanted;
  for (const auto& l : levels)
    if (!l.fragment)
      wanted.insert(l.disc);
  std::vector<vec3> centres;
  std::size_t tall = 0, measured = 0;
  for (const auto& s : collect_label_voxels(view, geometry)) {
    if (wanted.count(static_cast<std::int64_t>(s.label)) == 0 || s.set.voxels.empty())
      continue;
    centres.push_back(centroid(s.set).index);
    const std::size_t k = middle_slice(s.set, anatomical_axis::lr);
    std::uint32_t lo_ap = UINT32_MAX, hi_ap = 0, lo_si = UINT32_MAX, hi_si = 0;
    for (const auto& v : s.set.voxels) {
      if (v[lr] != k)
        continue;
      lo_ap = std::min(lo_ap, v[ap]);
      hi_ap = std::max(hi_ap, v[ap]);
      lo_si = std::min(lo_si, v[si]);
      hi_si = std::max(hi_si, v[si]);
    }
    if (lo_ap > hi_ap)
      continue;
    ++measured;
    const double width = (hi_ap - lo_ap + 1) * geometry.spacing[ap];
    const double height = (hi_si - lo_si + 1) * geometry.spacing[si];
    if (height > width)
      ++tall;
  }
  const std::string code = geometry.orientation_code();
  if (centres.size() >= 2) {
    const auto spread = [&](std::size_t axis) {
      double low = INFINITY, high = -INFINITY;
      for (const auto& c : centres) {
        low = std::min(low, c[axis] * geometry.spacing[axis]);
        high = std::max(high, c[axis] * geometry.spacing[axis]);
      }
      return high - low;
    };
    if (spread(ap) > spread(si))
      return "the discs stack along the antero-posterior axis of the header (orientation " + code +
             "), not along the cranio-caudal one";
  }
  if (measured > 0 && 2 * tall > measured)
    return std::to_string(tall) + " of " + std::to_string(measured) +
           " discs are taller (SI) than wide (AP) on their sagittal slice by the header "
           "(orientation " +
           code + ")";
  return std::nullopt;
}

}  // namespace discgeom
