// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Synthetic lumbar spines with known ground truth: SPIDER label volumes (vertebrae numbered from
/// the bottom, spinal canal 100, discs 201..), an optional T1-like intensity image, and per disc
/// the parameters that generated it, defined the way `measure_discs` measures
/// (geometry/disc_measures.hpp). The model, its parameter ranges and how each truth value maps to
/// a measure are in docs/phantom.md.
///
/// The anatomy is built in a scanner-aligned model frame (a: anterior, s: superior, l: left, mm;
/// l = 0 is the mid-sagittal plane, which is the centre plane of a slice). The image grid is
/// aligned with that frame (array axes P, I, L: a sagittal acquisition), and the patient is
/// rotated a few degrees against it, so the direction matrix is an oblique "PIL". Every disc is a
/// sheared slab: a footprint of two half-ellipses in the (a, l) plane (anterior and posterior
/// semi-axes, lateral semi-axis) and, over it, a lower and an upper endplate surface along s:
///
///     upper(a, l) = s_c + tan(theta + omega/2) (a - a_c) + tan(phi) l + t0/2 + c (1 - rho^2)
///     lower(a, l) = s_c + tan(theta - omega/2) (a - a_c) + tan(phi) l - t0/2 - c (1 - rho^2)
///
/// theta the mid-plane tilt (the bisector of the endplates), omega the wedge angle, phi the
/// lateral tilt, c the concavity of each endplate and rho the footprint's normalised radius
/// (rho = 1 on its outline). t0 is solved so that the mean of upper - lower over the footprint is
/// exactly the drawn height: the column height of `disc_height`.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "discgeom/error.hpp"
#include "discgeom/image.hpp"
#include "discgeom/image_geometry.hpp"
#include "discgeom/mask/label_scheme.hpp"
#include "discgeom/phantom/random.hpp"

namespace discgeom::phantom {

/// A closed range [low, high] from which a parameter is drawn uniformly.
struct value_range {
  double low = 0.0;
  double high = 0.0;
};

/// The ranges the anatomy and the acquisition are drawn from. Defaults are plausible adult lumbar
/// values on sagittal MRI (docs/phantom.md gives the sources of each).
struct spine_options {
  value_range in_plane_spacing_mm{0.5, 0.7};  ///< AP and SI spacing (square pixels)
  value_range slice_spacing_mm{3.3, 4.4};     ///< LR spacing (sagittal slices)
  double obliquity_deg =
      5.0;  ///< max |pitch| of the patient against the grid; roll, yaw up to half
  double l6_probability = 0.08;                 ///< six lumbar vertebrae (an L6; lowest disc L6/S1)
  double missing_level_probability = 0.06;      ///< four lumbar vertebrae (lowest disc L4/S1)
  double narrowing_probability = 0.2;           ///< per disc
  value_range narrowing_factor{0.6, 0.8};       ///< height multiplier of a narrowed disc
  value_range height_scale{0.85, 1.15};         ///< multiplier of the level's typical height
  value_range width_scale{0.92, 1.08};          ///< multiplier of the level's typical widths
  value_range lordosis_bottom_deg{14.0, 26.0};  ///< spinal axis at the lowest disc, + = anterior
  value_range lordosis_top_deg{-12.0, 0.0};     ///< spinal axis at T12/L1
  value_range posterior_bulge_mm{0.0, 1.5};     ///< disc margin behind the vertebral margin
  value_range narrowed_extra_bulge_mm{0.5, 2.0};  ///< added to the bulge of a narrowed disc
  value_range lateral_tilt_deg{-2.0, 2.0};        ///< coronal tilt of the disc mid-plane
  value_range endplate_concavity_mm{0.3, 1.3};    ///< depth of each endplate's concavity
  value_range vertebral_height_mm{24.0, 29.0};    ///< disc centre to disc centre minus the discs
  double margin_mm = 8.0;  ///< tissue around the anatomy in the field of view, every side
};

/// The T1-like image: tissue contrast, partial volume, bias field and Rician noise.
struct t1_options {
  value_range noise_sigma{0.025, 0.045};  ///< Rician noise, fraction of full scale
  double bias_amplitude = 0.15;           ///< max |coefficient| of the log bias polynomial
  double scale = 1000.0;                  ///< full scale of the stored int16 values
};

/// One disc: its truth row (the columns of truth.csv) and its shape in the model frame.
struct phantom_disc {
  // --- truth (docs/phantom.md: how each maps to measure_discs) ---
  std::string level;         ///< anatomical level name, e.g. "L4/L5"
  std::int64_t label = 0;    ///< SPIDER label, 200 + label of the vertebra above
  double height_mm = 0.0;    ///< mean column thickness along the SI array axis over the footprint
  double ap_width_mm = 0.0;  ///< AP extent of the footprint on the mid-sagittal plane
  double lateral_width_mm = 0.0;    ///< widest LR extent of the footprint
  double sagittal_angle_deg = 0.0;  ///< PCA major axis of the mid-sagittal section, patient (A, S)
  double midplane_tilt_deg = 0.0;   ///< theta: bisector of the endplates, + = anterior end higher
  double wedge_angle_deg = 0.0;     ///< omega: angle between the endplates, + = anterior taller
  double posterior_bulge_mm = 0.0;  ///< disc posterior margin behind the vertebral margin
  double lateral_tilt_deg = 0.0;    ///< phi: slope of the mid-plane along LR, + = left end higher
  double endplate_concavity_mm = 0.0;  ///< c: depth of each endplate's concavity
  bool narrowed = false;
  vec3 centre_mm{};  ///< LPS position of the footprint centre on the mid-plane
  /// "ok" when the safeguards hold (docs/phantom.md), so the measures match the truth within the
  /// documented tolerances; otherwise "thinner than a voxel" or "widest row not in the middle
  /// transverse slice" (possible only with options far from the defaults).
  std::string status = "ok";

  // --- shape, model frame (mm) ---
  double centre_a = 0.0, centre_s = 0.0;  ///< footprint centre on the mid-plane (l = 0)
  double anterior = 0.0, posterior = 0.0, lateral = 0.0;  ///< footprint semi-axes
  double upper_slope = 0.0, lower_slope = 0.0;            ///< tan(theta +- omega/2)
  double lateral_slope = 0.0;                             ///< tan(phi)
  double t0 = 0.0;  ///< thickness on the outline at a = centre_a

  /// rho^2 of (a, l): (da / semi-axis)^2 + (l / lateral)^2, the semi-axis of da's side.
  [[nodiscard]] double rho2(double a, double l) const noexcept {
    const double da = a - centre_a;
    const double semi = da >= 0.0 ? anterior : posterior;
    return (da / semi) * (da / semi) + (l / lateral) * (l / lateral);
  }
  [[nodiscard]] bool in_footprint(double a, double l) const noexcept { return rho2(a, l) <= 1.0; }
  /// The endplate surfaces, continued outside the footprint with no concavity there.
  [[nodiscard]] double upper(double a, double l) const noexcept {
    return centre_s + upper_slope * (a - centre_a) + lateral_slope * l + 0.5 * t0 +
           endplate_concavity_mm * std::max(0.0, 1.0 - rho2(a, l));
  }
  [[nodiscard]] double lower(double a, double l) const noexcept {
    return centre_s + lower_slope * (a - centre_a) + lateral_slope * l - 0.5 * t0 -
           endplate_concavity_mm * std::max(0.0, 1.0 - rho2(a, l));
  }
};

/// One vertebra between two discs (or above the top disc, cut by the field of view).
struct phantom_vertebra {
  std::int64_t label = 0;  ///< SPIDER: 1.. from the bottom; 100 + n when partially visible
  std::string name;        ///< "L5", "T12", ...
  std::size_t disc_below = 0;
  std::size_t disc_above = 0;  ///< == number of discs for the top vertebra (no disc above)
  double axis_slope = 0.0;     ///< da/ds of the body's axis above the top disc
  double body_centre_s = 0.0;  ///< s of the body's centre (arch placement)
  double body_height = 0.0;    ///< nominal body height, mm
};

/// A drawn spine: acquisition geometry and anatomy; everything the label and T1 images follow.
struct spine_anatomy {
  std::size_t lumbar_vertebrae = 5;         ///< 4, 5 or 6
  std::string lowest_level;                 ///< "L5/S1", "L6/S1" or "L4/S1"
  std::vector<phantom_disc> discs;          ///< lowest first; the top one is T12/L1
  std::vector<phantom_vertebra> vertebrae;  ///< lowest first; the top one (T12) partial
  double canal_ap = 8.0, canal_lr = 11.0;   ///< canal semi-axes, mm
  double canal_gap = 1.5;                   ///< vertebral posterior margin to canal, mm
  double sacral_slope = 0.3;                ///< da/ds of the sacrum's axis
  // grid: voxel (i, j, k) is at a = top_a - i s_in, s = top_s - j s_in, l = (k - mid_k) s_lr
  std::array<std::size_t, 3> shape{};
  double in_plane_spacing = 0.6, slice_spacing = 4.0;
  double top_a = 0.0, top_s = 0.0;
  std::size_t mid_k = 0;
  mat3 rotation = identity_matrix();  ///< patient = rotation * scanner-aligned LPS + translation
  vec3 translation{};
  image_geometry geometry;  ///< of the images
};

/// The result of generate_spine: the anatomy (with the truth rows) and its SPIDER label image.
struct spine {
  spine_anatomy anatomy;
  image<std::uint8_t> labels;
};

/// The name of a case: "phantom_" and the 1-based case number with at least three digits; it is
/// also the file stem of the case's volumes and the `case` column of truth.csv.
///
/// \param case_index 0-based
/// \returns "phantom_001" for 0, "phantom_1000" for 999
/// Complexity: O(1). Example: `phantom::case_name(41) == "phantom_042"`.
[[nodiscard]] inline std::string case_name(std::size_t case_index) {
  std::string number = std::to_string(case_index + 1);
  if (number.size() < 3)
    number.insert(0, 3 - number.size(), '0');
  return "phantom_" + number;
}

namespace detail {

inline constexpr double pi = std::numbers::pi;
inline double radians(double degrees) noexcept {
  return degrees * pi / 180.0;
}
inline double degrees(double radians) noexcept {
  return radians * 180.0 / pi;
}

inline void check_range(const value_range& range, const char* name, double lowest, double highest) {
  DISCGEOM_PRECONDITION(std::isfinite(range.low) && std::isfinite(range.high) &&
                            range.low <= range.high && range.low >= lowest && range.high <= highest,
                        "draw_anatomy", "options.", name, " [", range.low, ", ", range.high,
                        "] must be finite with ", lowest, " <= low <= high <= ", highest);
}

inline void check_probability(double p, const char* name) {
  DISCGEOM_PRECONDITION(std::isfinite(p) && p >= 0.0 && p <= 1.0, "draw_anatomy", "options.", name,
                        " must be in [0, 1], got ", p);
}

inline void validate(const spine_options& o) {
  check_range(o.in_plane_spacing_mm, "in_plane_spacing_mm", 0.1, 2.0);
  check_range(o.slice_spacing_mm, "slice_spacing_mm", 0.1, 8.0);
  DISCGEOM_PRECONDITION(
      std::isfinite(o.obliquity_deg) && o.obliquity_deg >= 0.0 && o.obliquity_deg <= 20.0,
      "draw_anatomy", "options.obliquity_deg must be in [0, 20], got ", o.obliquity_deg);
  check_probability(o.l6_probability, "l6_probability");
  check_probability(o.missing_level_probability, "missing_level_probability");
  DISCGEOM_PRECONDITION(o.l6_probability + o.missing_level_probability <= 1.0, "draw_anatomy",
                        "options.l6_probability + options.missing_level_probability must be <= 1, "
                        "got ",
                        o.l6_probability + o.missing_level_probability);
  check_probability(o.narrowing_probability, "narrowing_probability");
  check_range(o.narrowing_factor, "narrowing_factor", 0.3, 1.0);
  check_range(o.height_scale, "height_scale", 0.5, 1.5);
  check_range(o.width_scale, "width_scale", 0.7, 1.3);
  check_range(o.lordosis_bottom_deg, "lordosis_bottom_deg", -40.0, 40.0);
  check_range(o.lordosis_top_deg, "lordosis_top_deg", -40.0, 40.0);
  check_range(o.posterior_bulge_mm, "posterior_bulge_mm", 0.0, 6.0);
  check_range(o.narrowed_extra_bulge_mm, "narrowed_extra_bulge_mm", 0.0, 6.0);
  check_range(o.lateral_tilt_deg, "lateral_tilt_deg", -10.0, 10.0);
  check_range(o.endplate_concavity_mm, "endplate_concavity_mm", 0.0, 3.0);
  check_range(o.vertebral_height_mm, "vertebral_height_mm", 15.0, 40.0);
  DISCGEOM_PRECONDITION(std::isfinite(o.margin_mm) && o.margin_mm >= 2.0 && o.margin_mm <= 100.0,
                        "draw_anatomy", "options.margin_mm must be in [2, 100], got ", o.margin_mm);
}

/// Typical dimensions of a disc by position: lumbar discs from the bottom (0 = the lowest), and
/// the top disc T12/L1 last. Height (mm), AP and lateral width (mm), wedge range (degrees).
struct level_typical {
  double height, ap_width, lateral_width, wedge_low, wedge_high;
};
inline level_typical typical_lumbar(std::size_t from_bottom) noexcept {
  constexpr std::array<level_typical, 5> table{{{10.0, 37.5, 50.0, 7.0, 13.0},
                                                {10.5, 37.0, 51.0, 3.0, 8.0},
                                                {10.0, 36.0, 49.0, 1.0, 6.0},
                                                {9.0, 34.5, 47.0, 0.0, 5.0},
                                                {8.0, 33.0, 45.0, -1.0, 4.0}}};
  return table[std::min<std::size_t>(from_bottom, table.size() - 1)];
}
inline constexpr level_typical typical_t12_l1{7.0, 31.5, 42.0, -1.0, 3.0};

/// Mean of (a - centre_a) over the footprint, and the thickness-weighted centroid offset.
inline double footprint_mean_offset(double anterior, double posterior) noexcept {
  return 4.0 * (anterior - posterior) / (3.0 * pi);
}

/// t0 for a drawn mean column height (see the file comment): mean t = t0 + g mean(da) + c.
inline double solve_t0(double height, double g, double c, double anterior, double posterior) {
  return height - g * footprint_mean_offset(anterior, posterior) - c;
}

/// a_w - a_c: the thickness-weighted mean of da over the footprint (closed form, half-ellipses).
inline double weighted_centroid_offset(const phantom_disc& d) noexcept {
  const double aa = d.anterior, ap = d.posterior, c = d.endplate_concavity_mm;
  const double g = d.upper_slope - d.lower_slope;
  const double numerator = d.t0 * (2.0 / 3.0) * (aa * aa - ap * ap) +
                           g * (pi / 8.0) * (aa * aa * aa + ap * ap * ap) +
                           2.0 * c * (4.0 / 15.0) * (aa * aa - ap * ap);
  return numerator / (d.height_mm * (pi / 2.0) * (aa + ap));
}

/// Sets the slopes and t0 of a disc from its angles and height.
inline void set_surfaces(phantom_disc& d) {
  const double theta = radians(d.midplane_tilt_deg), omega = radians(d.wedge_angle_deg);
  d.upper_slope = std::tan(theta + 0.5 * omega);
  d.lower_slope = std::tan(theta - 0.5 * omega);
  d.lateral_slope = std::tan(radians(d.lateral_tilt_deg));
  d.t0 = solve_t0(d.height_mm, d.upper_slope - d.lower_slope, d.endplate_concavity_mm, d.anterior,
                  d.posterior);
}

/// The thinnest point of the disc: on the outline at the AP end that the wedge thins.
inline double minimum_thickness(const phantom_disc& d) noexcept {
  const double g = d.upper_slope - d.lower_slope;
  return d.t0 + std::min(g * d.anterior, -g * d.posterior);
}

/// Whether the middle transverse slice is sure to cross the disc's widest row whole (so that the
/// measured lateral width is the footprint's): docs/phantom.md, "lateral width".
inline bool widest_row_in_middle_slice(const phantom_disc& d, double s_in) noexcept {
  const double mid_slope = 0.5 * (d.upper_slope + d.lower_slope);
  const double g = d.upper_slope - d.lower_slope;
  const double offset = std::abs(weighted_centroid_offset(d)) + 0.5 * s_in;
  const double needed =
      s_in + 0.2 + std::abs(mid_slope) * offset + d.lateral * std::abs(d.lateral_slope);
  return needed <= 0.5 * (d.t0 - std::abs(g) * 0.5 * s_in);
}

/// The sagittal angle as measure_discs defines it, of the continuous mid-sagittal section:
/// second moments of {(a, s): lower(a, 0) <= s <= upper(a, 0)} by the midpoint rule, mapped to
/// patient (anterior, superior) by the rotation, major axis oriented anterior, atan2 in degrees.
inline double section_sagittal_angle(const phantom_disc& d, const mat3& r) {
  constexpr int steps = 20000;
  const double a0 = d.centre_a - d.posterior, a1 = d.centre_a + d.anterior;
  const double h = (a1 - a0) / steps;
  double m0 = 0, ma = 0, ms = 0, maa = 0, mas = 0, mss = 0;
  for (int n = 0; n < steps; ++n) {
    const double a = a0 + (n + 0.5) * h - d.centre_a;  // relative, for conditioning
    const double lo = d.lower(a + d.centre_a, 0.0) - d.centre_s;
    const double hi = d.upper(a + d.centre_a, 0.0) - d.centre_s;
    const double len = hi - lo;
    m0 += len;
    ma += a * len;
    ms += 0.5 * (hi * hi - lo * lo);
    maa += a * a * len;
    mas += a * 0.5 * (hi * hi - lo * lo);
    mss += (hi * hi * hi - lo * lo * lo) / 3.0;
  }
  const double ca = ma / m0, cs = ms / m0;
  const double saa = maa / m0 - ca * ca, sas = mas / m0 - ca * cs, sss = mss / m0 - cs * cs;
  // (A, S)_patient = M (a, s)_model: scanner LPS q = (l, -a, s), patient p = R q.
  const double m11 = r[1][1], m12 = -r[1][2], m21 = -r[2][1], m22 = r[2][2];
  // Sigma' = M Sigma M^T
  const double p00 = m11 * m11 * saa + 2 * m11 * m12 * sas + m12 * m12 * sss;
  const double p01 = m11 * m21 * saa + (m11 * m22 + m12 * m21) * sas + m12 * m22 * sss;
  const double p11 = m21 * m21 * saa + 2 * m21 * m22 * sas + m22 * m22 * sss;
  const double radius = std::hypot(0.5 * (p00 - p11), p01);
  const double lambda = 0.5 * (p00 + p11) + radius;
  double du = lambda - p11, dv = p01;
  if (std::abs(du) + std::abs(dv) <= 1e-300) {
    du = p01;
    dv = lambda - p00;
  }
  if (du < 0.0 || (du == 0.0 && dv < 0.0)) {
    du = -du;
    dv = -dv;
  }
  return degrees(std::atan2(dv, du));
}

inline mat3 multiply(const mat3& x, const mat3& y) noexcept {
  mat3 z{};
  for (std::size_t r = 0; r < 3; ++r)
    for (std::size_t c = 0; c < 3; ++c)
      for (std::size_t k = 0; k < 3; ++k)
        z[r][c] += x[r][k] * y[k][c];
  return z;
}

inline vec3 apply(const mat3& m, const vec3& v) noexcept {
  vec3 out{};
  for (std::size_t r = 0; r < 3; ++r)
    out[r] = m[r][0] * v[0] + m[r][1] * v[1] + m[r][2] * v[2];
  return out;
}

/// Linear interpolation of y over increasing x, extrapolated from the end segments.
inline double piecewise_linear(const std::vector<double>& x, const std::vector<double>& y,
                               double at) noexcept {
  if (x.size() == 1)
    return y[0];
  std::size_t n = 1;
  while (n + 1 < x.size() && at > x[n])
    ++n;
  const double t = (at - x[n - 1]) / (x[n] - x[n - 1]);
  return y[n - 1] + t * (y[n] - y[n - 1]);
}

/// What a point of the model is: its SPIDER label and, for the T1 image, its tissue and the
/// index of its disc or vertebra.
enum class tissue : std::uint8_t {
  soft_anterior,
  muscle,
  fat,
  csf,
  arch,
  marrow,
  cortex,
  disc,
  sacrum_marrow,
  sacrum_cortex
};
struct voxel_class {
  std::uint8_t label = 0;
  tissue kind = tissue::muscle;
  std::size_t index = 0;
};

/// Rasterises the model: calls visit(i, j, k, voxel_class) for every voxel, column by column.
template <class Visit>
void rasterise(const spine_anatomy& m, Visit&& visit) {
  const std::size_t nd = m.discs.size();
  const double s_in = m.in_plane_spacing;
  // Per row j: s, canal centre, and which vertebra's arch is there.
  std::vector<double> pm_s, pm_a;
  for (const auto& d : m.discs) {
    pm_s.push_back(d.centre_s);
    pm_a.push_back(d.centre_a - (d.posterior - d.posterior_bulge_mm));
  }
  const std::size_t nj = m.shape[1];
  std::vector<double> s_of(nj), canal_a(nj);
  std::vector<int> arch_of(nj, -1), spinous_of(nj, -1);
  for (std::size_t j = 0; j < nj; ++j) {
    const double s = m.top_s - static_cast<double>(j) * s_in;
    s_of[j] = s;
    canal_a[j] = piecewise_linear(pm_s, pm_a, s) - m.canal_gap - m.canal_ap;
    for (std::size_t v = 0; v < m.vertebrae.size(); ++v) {
      const auto& vb = m.vertebrae[v];
      const double lo = vb.body_centre_s - 0.3 * vb.body_height;
      const double hi = vb.body_centre_s + 0.3 * vb.body_height;
      if (s >= lo && s <= hi)
        arch_of[j] = static_cast<int>(v);
      if (s >= vb.body_centre_s - 0.42 * vb.body_height &&
          s <= vb.body_centre_s + 0.05 * vb.body_height)
        spinous_of[j] = static_cast<int>(v);
    }
  }
  std::vector<double> lower(nd), upper(nd);
  std::vector<char> inside(nd);
  const auto& d0 = m.discs.front();
  for (std::size_t k = 0; k < m.shape[2]; ++k) {
    const double l = (static_cast<double>(k) - static_cast<double>(m.mid_k)) * m.slice_spacing;
    for (std::size_t i = 0; i < m.shape[0]; ++i) {
      const double a = m.top_a - static_cast<double>(i) * s_in;
      for (std::size_t n = 0; n < nd; ++n) {
        lower[n] = m.discs[n].lower(a, l);
        upper[n] = m.discs[n].upper(a, l);
        inside[n] = m.discs[n].in_footprint(a, l) ? 1 : 0;
      }
      for (std::size_t j = 0; j < nj; ++j) {
        const double s = s_of[j];
        voxel_class c;
        // Soft tissue: anterior of the spine, paraspinal muscle behind, fat behind the tips.
        if (a > canal_a[j] + m.canal_ap + m.canal_gap) {
          c.kind = tissue::soft_anterior;
        } else if (a < canal_a[j] - m.canal_ap - 27.0) {
          c.kind = tissue::fat;
        }
        // Canal.
        const double ca = (a - canal_a[j]) / m.canal_ap, cl = l / m.canal_lr;
        const double canal_r2 = ca * ca + cl * cl;
        if (canal_r2 <= 1.0) {
          c = {100, tissue::csf, 0};
        }
        // Posterior arch: a ring around the canal and the spinous process.
        if (arch_of[j] >= 0 && canal_r2 > 1.0) {
          const double ra = (a - canal_a[j]) / (m.canal_ap + 5.0);
          const double rl = l / (m.canal_lr + 5.0);
          if (ra * ra + rl * rl <= 1.0) {
            const auto& vb = m.vertebrae[static_cast<std::size_t>(arch_of[j])];
            c = {static_cast<std::uint8_t>(vb.label), tissue::arch,
                 static_cast<std::size_t>(arch_of[j])};
          }
        }
        if (spinous_of[j] >= 0 && std::abs(l) <= 3.5 && a < canal_a[j] - m.canal_ap &&
            a > canal_a[j] - m.canal_ap - 28.0) {
          const auto& vb = m.vertebrae[static_cast<std::size_t>(spinous_of[j])];
          c = {static_cast<std::uint8_t>(vb.label), tissue::arch,
               static_cast<std::size_t>(spinous_of[j])};
        }
        // Sacrum (not labelled: SPIDER numbers vertebrae from the lowest lumbar one).
        if (s < lower[0]) {
          const double ac = d0.centre_a + (s - d0.centre_s) * m.sacral_slope;
          const double da = a - ac;
          const double semi = da >= 0 ? d0.anterior : d0.posterior - d0.posterior_bulge_mm;
          const double r2 = (da / semi) * (da / semi) + (l / d0.lateral) * (l / d0.lateral);
          if (r2 <= 1.0) {
            const bool rim = lower[0] - s < 1.0 || r2 > 0.9;
            c = {0, rim ? tissue::sacrum_cortex : tissue::sacrum_marrow, 0};
          }
        }
        // Vertebral bodies.
        for (std::size_t v = 0; v < m.vertebrae.size(); ++v) {
          const auto& vb = m.vertebrae[v];
          const auto& below = m.discs[vb.disc_below];
          const double bottom = upper[vb.disc_below];
          const bool has_above = vb.disc_above < nd;
          const double top = has_above ? lower[vb.disc_above] : std::numeric_limits<double>::max();
          if (!(s > bottom && s < top))
            continue;
          double centre, ant, post, lat, waist = 1.0;
          if (has_above) {
            const auto& above = m.discs[vb.disc_above];
            const double tau = (s - bottom) / (top - bottom);
            centre = below.centre_a + tau * (above.centre_a - below.centre_a);
            ant = below.anterior + tau * (above.anterior - below.anterior);
            post = (below.posterior - below.posterior_bulge_mm) +
                   tau * ((above.posterior - above.posterior_bulge_mm) -
                          (below.posterior - below.posterior_bulge_mm));
            lat = below.lateral + tau * (above.lateral - below.lateral);
            waist = 1.0 - 0.07 * std::sin(pi * tau);
          } else {
            centre = below.centre_a + (s - below.centre_s) * vb.axis_slope;
            ant = below.anterior;
            post = below.posterior - below.posterior_bulge_mm;
            lat = below.lateral;
          }
          const double da = a - centre;
          const double semi = da >= 0 ? ant * waist : post;
          const double sl = lat * waist;
          const double r2 = (da / semi) * (da / semi) + (l / sl) * (l / sl);
          if (r2 <= 1.0) {
            const bool rim = s - bottom < 1.0 || top - s < 1.0 || r2 > 0.92;
            c = {static_cast<std::uint8_t>(vb.label), rim ? tissue::cortex : tissue::marrow, v};
          }
          break;
        }
        // Discs, over everything.
        for (std::size_t n = 0; n < nd; ++n) {
          if (inside[n] && lower[n] <= s && s <= upper[n]) {
            c = {static_cast<std::uint8_t>(m.discs[n].label), tissue::disc, n};
            break;
          }
        }
        visit(i, j, k, c);
      }
    }
  }
}

}  // namespace detail

/// Draws one spine: acquisition geometry and anatomy, with each disc's truth row.
///
/// Lumbar count (4, 5 or 6 by `l6_probability`, `missing_level_probability`), then per disc
/// from the bottom: height = typical x height_scale (x narrowing_factor when narrowed, drawn with
/// `narrowing_probability`), AP and lateral widths = typical x width_scale, wedge from the level's
/// range (docs/phantom.md), posterior bulge, lateral tilt, concavity; the mid-plane tilt follows a
/// lordotic curve from `lordosis_bottom_deg` to `lordosis_top_deg` (+-2 degrees per disc). The
/// wedge and the lateral tilt are reduced where needed so that every disc is at least
/// max(2 mm, 0.3 height) thick and its widest row lies whole in its middle transverse slice.
/// Numbers come from case_stream(seed, case_index, anatomy) only, so case k is the same whatever
/// the number of cases.
///
/// \param seed, case_index  the stream (random.hpp)
/// \param options           the ranges
/// \returns the anatomy; discs lowest first, with SPIDER labels 201.. and anatomical level names
/// \throws precondition_error when an option is out of its documented range (the message names
///         it and its value)
/// Complexity: O(discs) plus a 20000-step quadrature per disc (the sagittal angle truth).
/// Example:
///     const auto anatomy = phantom::draw_anatomy(7, 0);
///     const auto labels = phantom::label_image(anatomy);
[[nodiscard]] inline spine_anatomy draw_anatomy(std::uint64_t seed, std::size_t case_index,
                                                const spine_options& options = {}) {
  detail::validate(options);
  using detail::radians;
  auto g = case_stream(seed, case_index, stream_purpose::anatomy);
  spine_anatomy m;

  // Acquisition.
  m.in_plane_spacing =
      uniform(g, options.in_plane_spacing_mm.low, options.in_plane_spacing_mm.high);
  m.slice_spacing = uniform(g, options.slice_spacing_mm.low, options.slice_spacing_mm.high);
  const double pitch = radians(uniform(g, -options.obliquity_deg, options.obliquity_deg));
  const double roll =
      radians(uniform(g, -0.5 * options.obliquity_deg, 0.5 * options.obliquity_deg));
  const double yaw = radians(uniform(g, -0.5 * options.obliquity_deg, 0.5 * options.obliquity_deg));
  for (auto& t : m.translation)
    t = uniform(g, -20.0, 20.0);

  // Levels.
  const double level_draw = uniform01(g);
  m.lumbar_vertebrae = level_draw < options.l6_probability ? 6
                       : level_draw < options.l6_probability + options.missing_level_probability
                           ? 4
                           : 5;
  m.lowest_level = "L" + std::to_string(m.lumbar_vertebrae) + "/S1";
  const disc_level_names names(m.lowest_level);
  const std::size_t nd = m.lumbar_vertebrae + 1;  // lumbar discs and T12/L1

  const double lordosis_bottom =
      uniform(g, options.lordosis_bottom_deg.low, options.lordosis_bottom_deg.high);
  const double lordosis_top =
      uniform(g, options.lordosis_top_deg.low, options.lordosis_top_deg.high);
  m.canal_ap = uniform(g, 6.5, 8.5);
  m.canal_lr = uniform(g, 9.0, 12.0);
  m.sacral_slope = std::tan(radians(lordosis_bottom + uniform(g, 0.0, 10.0)));

  std::vector<double> axis_deg(nd), vertebral_height(nd);
  for (std::size_t n = 0; n < nd; ++n) {
    auto& d = m.discs.emplace_back();
    const bool top = n + 1 == nd;
    const auto typical = top ? detail::typical_t12_l1 : detail::typical_lumbar(n);
    d.level = names.name(n);
    d.label = 200 + static_cast<std::int64_t>(n) + 1;
    d.narrowed = bernoulli(g, options.narrowing_probability);
    d.height_mm = typical.height * uniform(g, options.height_scale.low, options.height_scale.high);
    if (d.narrowed) {
      d.height_mm = std::max(3.5, d.height_mm * uniform(g, options.narrowing_factor.low,
                                                        options.narrowing_factor.high));
    }
    d.ap_width_mm =
        typical.ap_width * uniform(g, options.width_scale.low, options.width_scale.high);
    d.lateral_width_mm =
        typical.lateral_width * uniform(g, options.width_scale.low, options.width_scale.high);
    d.wedge_angle_deg = uniform(g, typical.wedge_low, typical.wedge_high) *
                        std::min(1.0, d.height_mm / typical.height);
    d.posterior_bulge_mm =
        uniform(g, options.posterior_bulge_mm.low, options.posterior_bulge_mm.high) +
        (d.narrowed
             ? uniform(g, options.narrowed_extra_bulge_mm.low, options.narrowed_extra_bulge_mm.high)
             : 0.0);
    d.lateral_tilt_deg = uniform(g, options.lateral_tilt_deg.low, options.lateral_tilt_deg.high);
    d.endplate_concavity_mm =
        uniform(g, options.endplate_concavity_mm.low, options.endplate_concavity_mm.high) *
        std::min(1.0, d.height_mm / typical.height);
    const double fraction = static_cast<double>(n) / static_cast<double>(nd - 1);
    axis_deg[n] =
        lordosis_bottom + fraction * (lordosis_top - lordosis_bottom) + uniform(g, -2.0, 2.0);
    d.midplane_tilt_deg = -axis_deg[n];
    vertebral_height[n] =
        uniform(g, options.vertebral_height_mm.low, options.vertebral_height_mm.high);

    // Footprint: the endplate's AP depth split evenly about the widest row; the bulge extends
    // the posterior half.
    const double endplate_depth = d.ap_width_mm - d.posterior_bulge_mm;
    d.anterior = 0.5 * endplate_depth;
    d.posterior = 0.5 * endplate_depth + d.posterior_bulge_mm;
    d.lateral = 0.5 * d.lateral_width_mm;
    detail::set_surfaces(d);
    const double thinnest = std::max(2.0, 0.3 * d.height_mm);
    for (int attempt = 0; attempt < 40 && detail::minimum_thickness(d) < thinnest; ++attempt) {
      d.wedge_angle_deg *= 0.8;
      detail::set_surfaces(d);
    }
    for (int attempt = 0;
         attempt < 40 && !detail::widest_row_in_middle_slice(d, m.in_plane_spacing); ++attempt) {
      d.lateral_tilt_deg *= 0.7;
      d.wedge_angle_deg *= 0.9;
      detail::set_surfaces(d);
    }
    if (detail::minimum_thickness(d) < m.in_plane_spacing) {
      d.status = "thinner than a voxel";
    } else if (!detail::widest_row_in_middle_slice(d, m.in_plane_spacing)) {
      d.status = "widest row not in the middle transverse slice";
    }
  }

  // Place the discs along the lordotic axis, the lowest at the model origin.
  for (std::size_t n = 1; n < nd; ++n) {
    auto& d = m.discs[n];
    const auto& below = m.discs[n - 1];
    const double step = 0.5 * below.height_mm + vertebral_height[n - 1] + 0.5 * d.height_mm;
    const double angle = radians(0.5 * (axis_deg[n - 1] + axis_deg[n]));
    d.centre_a = below.centre_a + step * std::sin(angle);
    d.centre_s = below.centre_s + step * std::cos(angle);
  }

  // Vertebrae: the lumbar ones between discs, T12 above the top disc (partially visible).
  for (std::size_t n = 0; n < nd; ++n) {
    auto& v = m.vertebrae.emplace_back();
    v.disc_below = n;
    v.disc_above = n + 1;
    const bool top = n + 1 == nd;
    v.label = top ? 100 + static_cast<std::int64_t>(n) + 1 : static_cast<std::int64_t>(n) + 1;
    v.name = top ? "T12" : "L" + std::to_string(m.lumbar_vertebrae - n);
    v.axis_slope = std::tan(radians(axis_deg[n]));
    const auto& below = m.discs[n];
    const double above_s = top ? below.centre_s + 0.5 * below.height_mm + vertebral_height[n]
                               : m.discs[n + 1].centre_s - 0.5 * m.discs[n + 1].height_mm;
    const double bottom_s = below.centre_s + 0.5 * below.height_mm;
    v.body_centre_s = 0.5 * (bottom_s + above_s);
    v.body_height = above_s - bottom_s;
  }

  // Field of view: every disc whole with a margin; the sacrum's top below, part of T12 above.
  double a_max = -1e300, a_min = 1e300, s_min = 1e300, s_max = -1e300, l_max = 0.0;
  for (std::size_t n = 0; n < nd; ++n) {
    const auto& d = m.discs[n];
    a_max = std::max(a_max, d.centre_a + d.anterior);
    l_max = std::max(l_max, d.lateral);
    for (int ia = 0; ia <= 24; ++ia) {
      for (int il = -12; il <= 12; ++il) {
        const double a = d.centre_a - d.posterior + (d.anterior + d.posterior) * ia / 24.0;
        const double l = d.lateral * il / 12.0;
        if (!d.in_footprint(a, l))
          continue;
        if (n == 0)
          s_min = std::min(s_min, d.lower(a, l));
        if (n + 1 == nd)
          s_max = std::max(s_max, d.upper(a, l));
      }
    }
  }
  for (const auto& d : m.discs) {
    const double canal_centre =
        d.centre_a - (d.posterior - d.posterior_bulge_mm) - m.canal_gap - m.canal_ap;
    a_min = std::min(a_min, canal_centre - m.canal_ap - 28.0);
  }
  const double margin = options.margin_mm;
  a_max += margin;
  a_min -= margin;
  s_min -= std::max(margin, 12.0);  // the top of the sacrum
  s_max += margin;
  const double s_in = m.in_plane_spacing, s_lr = m.slice_spacing;
  m.top_a = a_max;
  m.top_s = s_max;
  m.mid_k = static_cast<std::size_t>(std::ceil((l_max + margin) / s_lr));
  m.shape = {static_cast<std::size_t>(std::floor((a_max - a_min) / s_in)) + 1,
             static_cast<std::size_t>(std::floor((s_max - s_min) / s_in)) + 1, 2 * m.mid_k + 1};

  // Geometry: scanner-aligned LPS q = (l, -a, s); patient p = R q + T; array axes P, I, L.
  const double cp = std::cos(pitch), sp = std::sin(pitch), cr = std::cos(roll), sr = std::sin(roll),
               cy = std::cos(yaw), sy = std::sin(yaw);
  const mat3 rx{{{1, 0, 0}, {0, cp, -sp}, {0, sp, cp}}};
  const mat3 ry{{{cr, 0, sr}, {0, 1, 0}, {-sr, 0, cr}}};
  const mat3 rz{{{cy, -sy, 0}, {sy, cy, 0}, {0, 0, 1}}};
  m.rotation = detail::multiply(rz, detail::multiply(ry, rx));
  const mat3 pil{{{0, 0, 1}, {1, 0, 0}, {0, -1, 0}}};  // columns: +y (P), -z (I), +x (L)
  m.geometry.direction = detail::multiply(m.rotation, pil);
  m.geometry.spacing = {s_in, s_in, s_lr};
  const vec3 q0{-static_cast<double>(m.mid_k) * s_lr, -m.top_a, m.top_s};
  const vec3 p0 = detail::apply(m.rotation, q0);
  for (std::size_t r = 0; r < 3; ++r)
    m.geometry.origin[r] = p0[r] + m.translation[r];

  // Truth in patient space.
  for (auto& d : m.discs) {
    const vec3 c = detail::apply(m.rotation, vec3{0.0, -d.centre_a, d.centre_s});
    for (std::size_t r = 0; r < 3; ++r)
      d.centre_mm[r] = c[r] + m.translation[r];
    d.sagittal_angle_deg = detail::section_sagittal_angle(d, m.rotation);
  }
  return m;
}

/// The SPIDER label image of a drawn spine (uint8): vertebrae 1.. numbered from the bottom, the
/// partially visible T12 100 + n, spinal canal 100, discs 200 + n for the disc under vertebra n
/// (201 the lowest); the sacrum and soft tissue 0. A voxel takes the label of the structure that
/// contains its centre (discs over vertebrae over the canal).
///
/// \returns an image of anatomy.shape with anatomy.geometry
/// Complexity: O(voxels x (discs + vertebrae)).
/// Example: `const auto labels = phantom::label_image(phantom::draw_anatomy(1, 0));`
[[nodiscard]] inline image<std::uint8_t> label_image(const spine_anatomy& anatomy) {
  auto labels = image<std::uint8_t>::filled(anatomy.shape, anatomy.geometry, 0);
  detail::rasterise(anatomy,
                    [&](std::size_t i, std::size_t j, std::size_t k, const detail::voxel_class& c) {
                      labels.voxels(i, j, k) = c.label;
                    });
  return labels;
}

/// Draws a spine and rasterises its labels: `{draw_anatomy(...), label_image(...)}`.
/// \throws precondition_error as draw_anatomy.
/// Complexity: as label_image. Example: `const auto s = phantom::generate_spine(42, 3);`
[[nodiscard]] inline spine generate_spine(std::uint64_t seed, std::size_t case_index,
                                          const spine_options& options = {}) {
  spine result{draw_anatomy(seed, case_index, options), {}};
  result.labels = label_image(result.anatomy);
  return result;
}

/// A T1-weighted-like image of a drawn spine (int16, same shape and geometry as its labels).
///
/// Tissue intensities (fraction of full scale; per structure jitter): vertebral marrow
/// 0.72-0.86 (fatty marrow is bright on T1) with a dark cortical rim and endplates (0.22),
/// posterior arch 0.62, disc 0.38-0.48 (narrowed 0.30-0.40; annulus 10% darker), CSF 0.12,
/// paraspinal muscle 0.34, anterior soft tissue 0.40 with slow variation, subcutaneous fat 0.88,
/// sacrum like a vertebra (unlabelled). Then partial volume (separable [1 2 1]/4 in plane, [0.15
/// 0.7 0.15] across slices), a multiplicative bias field exp(sum of first- and second-order terms
/// of the normalised coordinates, coefficients within +-bias_amplitude), and Rician noise sqrt((I +
/// sigma n1)^2 + (sigma n2)^2), stored as round(scale x value). Discs are darker than marrow and
/// brighter than CSF but overlap muscle and soft tissue, so no single threshold separates them.
///
/// \param anatomy           from draw_anatomy
/// \param seed, case_index  the image stream (stream_purpose::t1_image: independent of the
/// anatomy's) \param options           noise, bias and scale \throws precondition_error when an
/// option is out of range (named with its value) Complexity: O(voxels x (discs + vertebrae)).
/// Example: `const auto t1 = phantom::t1_image(anatomy, 7, 0);`
[[nodiscard]] inline image<std::int16_t> t1_image(const spine_anatomy& anatomy, std::uint64_t seed,
                                                  std::size_t case_index,
                                                  const t1_options& options = {}) {
  DISCGEOM_PRECONDITION(
      std::isfinite(options.noise_sigma.low) && std::isfinite(options.noise_sigma.high) &&
          options.noise_sigma.low >= 0.0 && options.noise_sigma.low <= options.noise_sigma.high &&
          options.noise_sigma.high <= 0.5,
      "t1_image", "options.noise_sigma [", options.noise_sigma.low, ", ", options.noise_sigma.high,
      "] must satisfy 0 <= low <= high <= 0.5");
  DISCGEOM_PRECONDITION(std::isfinite(options.bias_amplitude) && options.bias_amplitude >= 0.0 &&
                            options.bias_amplitude <= 1.0,
                        "t1_image", "options.bias_amplitude must be in [0, 1], got ",
                        options.bias_amplitude);
  DISCGEOM_PRECONDITION(
      std::isfinite(options.scale) && options.scale > 0.0 && options.scale <= 20000.0, "t1_image",
      "options.scale must be in (0, 20000], got ", options.scale);
  auto g = case_stream(seed, case_index, stream_purpose::t1_image);
  const auto shape = anatomy.shape;
  // Per structure intensities.
  std::vector<double> disc_value, marrow_value;
  for (const auto& d : anatomy.discs)
    disc_value.push_back(d.narrowed ? uniform(g, 0.30, 0.40) : uniform(g, 0.38, 0.48));
  for (std::size_t v = 0; v < anatomy.vertebrae.size(); ++v)
    marrow_value.push_back(uniform(g, 0.72, 0.86));
  const double sacrum_value = uniform(g, 0.68, 0.80);
  std::array<double, 6> wave{};
  for (auto& w : wave)
    w = uniform(g, 0.0, 1.0);
  std::array<double, 9> bias{};
  for (auto& b : bias)
    b = uniform(g, -options.bias_amplitude, options.bias_amplitude);
  const double sigma = uniform(g, options.noise_sigma.low, options.noise_sigma.high);

  const std::size_t n0 = shape[0], n1 = shape[1], n2 = shape[2];
  std::vector<float> clean(n0 * n1 * n2);
  const auto at = [&](std::size_t i, std::size_t j, std::size_t k) {
    return i + n0 * (j + n1 * k);
  };
  detail::rasterise(
      anatomy, [&](std::size_t i, std::size_t j, std::size_t k, const detail::voxel_class& c) {
        const double a = anatomy.top_a - static_cast<double>(i) * anatomy.in_plane_spacing;
        const double s = anatomy.top_s - static_cast<double>(j) * anatomy.in_plane_spacing;
        double value = 0.34;
        switch (c.kind) {
          case detail::tissue::soft_anterior:
            value = 0.40 + 0.04 * std::sin(2.0 * detail::pi * (a / 37.0 + wave[0])) *
                               std::sin(2.0 * detail::pi * (s / 53.0 + wave[1]));
            break;
          case detail::tissue::muscle:
            value = 0.34 + 0.02 * std::sin(2.0 * detail::pi * (s / 41.0 + wave[2]));
            break;
          case detail::tissue::fat:
            value = 0.88;
            break;
          case detail::tissue::csf:
            value = 0.12;
            break;
          case detail::tissue::arch:
            value = 0.62;
            break;
          case detail::tissue::marrow:
            value = marrow_value[c.index];
            break;
          case detail::tissue::cortex:
          case detail::tissue::sacrum_cortex:
            value = 0.22;
            break;
          case detail::tissue::disc: {
            const auto& d = anatomy.discs[c.index];
            const double l = (static_cast<double>(k) - static_cast<double>(anatomy.mid_k)) *
                             anatomy.slice_spacing;
            value = disc_value[c.index] * (d.rho2(a, l) > 0.72 ? 0.9 : 1.0);
            break;
          }
          case detail::tissue::sacrum_marrow:
            value = sacrum_value;
            break;
        }
        clean[at(i, j, k)] = static_cast<float>(value);
      });
  // Partial volume: separable smoothing, clamped at the borders.
  std::vector<float> work(clean.size());
  const auto smooth = [&](std::size_t axis, float side) {
    const std::array<std::size_t, 3> n{n0, n1, n2};
    const std::size_t stride = axis == 0 ? 1 : axis == 1 ? n0 : n0 * n1;
    for (std::size_t k = 0; k < n2; ++k)
      for (std::size_t j = 0; j < n1; ++j)
        for (std::size_t i = 0; i < n0; ++i) {
          const std::array<std::size_t, 3> idx{i, j, k};
          const std::size_t p = at(i, j, k);
          const float centre = clean[p];
          const float before = idx[axis] > 0 ? clean[p - stride] : centre;
          const float after = idx[axis] + 1 < n[axis] ? clean[p + stride] : centre;
          work[p] = side * before + (1.0f - 2.0f * side) * centre + side * after;
        }
    clean.swap(work);
  };
  smooth(0, 0.25f);
  smooth(1, 0.25f);
  smooth(2, 0.15f);
  // Bias field and Rician noise.
  auto result = image<std::int16_t>::filled(shape, anatomy.geometry, 0);
  for (std::size_t k = 0; k < n2; ++k) {
    const double z =
        n2 > 1 ? 2.0 * static_cast<double>(k) / static_cast<double>(n2 - 1) - 1.0 : 0.0;
    for (std::size_t j = 0; j < n1; ++j) {
      const double y = 2.0 * static_cast<double>(j) / static_cast<double>(n1 - 1) - 1.0;
      for (std::size_t i = 0; i < n0; ++i) {
        const double x = 2.0 * static_cast<double>(i) / static_cast<double>(n0 - 1) - 1.0;
        const double field =
            std::exp(bias[0] * x + bias[1] * y + bias[2] * z + bias[3] * x * y + bias[4] * y * z +
                     bias[5] * x * z + bias[6] * x * x + bias[7] * y * y + bias[8] * z * z);
        const double signal = field * static_cast<double>(clean[at(i, j, k)]);
        result.voxels(i, j, k) = rician_voxel(signal, sigma, options.scale, g);
      }
    }
  }
  return result;
}

}  // namespace discgeom::phantom
