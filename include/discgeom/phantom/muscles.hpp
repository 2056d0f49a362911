// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Axial phantoms of the lumbar muscles with known ground truth (Hess et al.'s morphometry,
/// ../shared/seeds): a label map with psoas, quadratus lumborum, erector spinae and multifidus on
/// both sides, the vertebral bodies and discs in SPIDER labels (so that `discgeom discs` on the
/// same map gives the levels), an optional T1-like image, and per muscle and slice the truth:
/// the pixel count, CSA and centroid exactly as the rasterised map holds them, and the analytic
/// ellipse they were drawn from. The model, its ranges and the bounds are in docs/phantom.md
/// ("Muscle phantoms").
///
/// The anatomy is built in a scanner-aligned model frame (l: patient's left, p: posterior,
/// s: superior, mm; the vertebral bodies centred on l = p = 0). The image grid is aligned with
/// it (array axes L, P, I: an axial series whose slices run head to foot) and the patient is
/// rotated a few degrees against it, so the direction matrix is an oblique "LPI". On slice k
/// every muscle is an axis-aligned ellipse of the (l, p) plane,
///
///     ((l - c_l(s_k)) / a(s_k))^2 + ((p - c_p(s_k)) / b(s_k))^2 <= 1,
///
/// whose centre and semi-axes are drawn per disc level (L5/S1 ... L1/L2) and interpolated
/// linearly in s between the levels (constant beyond them). A pixel holds a muscle when its
/// centre lies inside that ellipse, so the analytic CSA of the section is pi a b.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numbers>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "discgeom/error.hpp"
#include "discgeom/geometry/muscle_sections.hpp"
#include "discgeom/image.hpp"
#include "discgeom/image_geometry.hpp"
#include "discgeom/phantom/random.hpp"
#include "discgeom/phantom/spine.hpp"

namespace discgeom::phantom {

/// The ranges an axial muscle phantom is drawn from (docs/phantom.md, "Muscle phantoms").
struct muscle_phantom_options {
  value_range in_plane_spacing_mm{0.7, 0.9};  ///< square pixels
  value_range slice_spacing_mm{4.0, 6.0};     ///< between axial slices
  double obliquity_deg = 5.0;  ///< max |yaw| of the patient about SI; pitch and roll up to half
  value_range muscle_scale{0.85, 1.15};  ///< CSA multiplier of each muscle (both sides)
  value_range side_scale{0.95, 1.05};    ///< CSA multiplier of each side of each muscle
  value_range level_scale{0.92, 1.08};   ///< CSA multiplier of each muscle, side and level
  value_range spine_scale{0.92, 1.08};   ///< multiplier of the bodies' widths and disc heights
  value_range subcutaneous_fat_mm{8.0, 20.0};  ///< thickness of the fat under the skin
};

/// The T1-like axial image: tissue contrast, partial volume, bias field and Rician noise.
struct muscle_t1_options {
  value_range noise_sigma{0.02, 0.04};  ///< Rician noise, fraction of full scale
  double bias_amplitude = 0.15;         ///< max |coefficient| of the log bias polynomial
  double scale = 1000.0;                ///< full scale of the stored int16 values
};

/// One ellipse of the model's (l, p) plane, mm.
struct model_ellipse {
  double centre_l = 0.0, centre_p = 0.0;
  double semi_l = 0.0, semi_p = 0.0;  ///< semi-axes along l and p
  [[nodiscard]] bool contains(double l, double p) const noexcept {
    const double u = (l - centre_l) / semi_l, v = (p - centre_p) / semi_p;
    return u * u + v * v <= 1.0;
  }
};

/// One muscle of one side: its label and its ellipse at each disc level (lowest first).
struct phantom_muscle {
  muscle_label label;                       ///< from phantom_muscles()
  std::array<model_ellipse, 5> at_level{};  ///< L5/S1, L4/L5, L3/L4, L2/L3, L1/L2
};

/// A drawn axial phantom: acquisition geometry and anatomy.
struct muscle_anatomy {
  static constexpr std::size_t levels = 5;
  std::array<std::string, levels> level_names{"L5/S1", "L4/L5", "L3/L4", "L2/L3", "L1/L2"};
  std::array<double, levels> disc_centre_s{};  ///< model s of each disc's mid-plane, mm
  std::array<double, levels> disc_height{};    ///< mm
  std::array<double, levels> body_semi_l{};    ///< vertebral body (and disc) semi-axes, mm
  std::array<double, levels> body_semi_p{};
  double l1_top_s = 0.0;                ///< where the field of view cuts L1, mm
  std::vector<phantom_muscle> muscles;  ///< phantom_muscles() order
  std::array<double, 4> outline{};      ///< body outline: half width, centre p, half depth, fat
  // grid: voxel (i, j, k) is at l = l0 + i s_in, p = p0 + j s_in, s = s_top - k s_slice
  std::array<std::size_t, 3> shape{};
  double in_plane_spacing = 0.8, slice_spacing = 5.0;
  double l0 = 0.0, p0 = 0.0, s_top = 0.0;
  mat3 rotation = identity_matrix();  ///< patient = rotation * scanner LPS + translation
  vec3 translation{};
  image_geometry geometry;  ///< of the label map and the image

  /// Model s of slice k.
  [[nodiscard]] double slice_s(std::size_t k) const noexcept {
    return s_top - static_cast<double>(k) * slice_spacing;
  }
  /// A muscle's ellipse at height s: each parameter interpolated linearly between the disc
  /// levels, constant below the lowest and above the highest.
  [[nodiscard]] model_ellipse ellipse_at(const phantom_muscle& m, double s) const noexcept {
    const auto lerp = [&](auto field) {
      if (s <= disc_centre_s[0])
        return m.at_level[0].*field;
      for (std::size_t n = 1; n < levels; ++n) {
        if (s <= disc_centre_s[n]) {
          const double t = (s - disc_centre_s[n - 1]) / (disc_centre_s[n] - disc_centre_s[n - 1]);
          return m.at_level[n - 1].*field + t * (m.at_level[n].*field - m.at_level[n - 1].*field);
        }
      }
      return m.at_level[levels - 1].*field;
    };
    return {lerp(&model_ellipse::centre_l), lerp(&model_ellipse::centre_p),
            lerp(&model_ellipse::semi_l), lerp(&model_ellipse::semi_p)};
  }
  /// The vertebral body's (and disc's) footprint semi-axes at height s, interpolated likewise.
  [[nodiscard]] model_ellipse body_at(double s) const noexcept {
    phantom_muscle body;
    for (std::size_t n = 0; n < levels; ++n)
      body.at_level[n] = {0.0, 0.0, body_semi_l[n], body_semi_p[n]};
    return ellipse_at(body, s);
  }
};

/// One muscle label on one slice: what the rasterised map holds, and the analytic ellipse.
struct muscle_section_truth {
  muscle_label label;
  std::size_t slice = 0;
  std::size_t pixels = 0;
  vec3 index_sum{};  ///< sum of the pixels' (i, j, k) indices: exact in double
  double semi_l_mm = 0.0, semi_p_mm = 0.0;  ///< the ellipse's semi-axes on this slice
  vec3 centre_index{};  ///< the ellipse's centre as a continuous (i, j, k) index
  /// pi a b, mm^2
  [[nodiscard]] double analytic_csa_mm2() const noexcept {
    return std::numbers::pi * semi_l_mm * semi_p_mm;
  }
};

/// The result of generate_muscle_phantom: anatomy, SPIDER + muscle label map, per-section truth.
struct muscle_phantom {
  muscle_anatomy anatomy;
  image<std::uint8_t> labels;
  std::vector<muscle_section_truth> sections;  ///< by label (phantom_muscles() order), slice
  std::array<vec3, muscle_anatomy::levels> disc_index_sum{};  ///< per disc, for its centroid
  std::array<std::size_t, muscle_anatomy::levels> disc_voxels{};
};

/// The discretisation bound of a section's CSA (mm^2): a pixel of side s counts when its centre
/// lies in the ellipse E, so the union of counted pixels lies between E eroded and E dilated by
/// the disc of radius r = s / sqrt(2) that holds a pixel; by Steiner's formula for a convex set,
/// |pixels s^2 - pi a b| <= P r + pi r^2 <= pi s (sqrt(a^2 + b^2) + s / 2), with the perimeter
/// P <= pi sqrt(2 (a^2 + b^2)).
///
/// \param a, b  semi-axes, mm; \param s  pixel side, mm
/// \returns the bound in mm^2. Complexity O(1). Example: `csa_bound_mm2(20, 15, 0.8)` (~ 64.8).
[[nodiscard]] inline double csa_bound_mm2(double a, double b, double s) noexcept {
  return std::numbers::pi * s * (std::sqrt(a * a + b * b) + 0.5 * s);
}

/// The discretisation bound of a section's centroid (mm): with U the counted pixels,
/// centroid - centre = (1/|U|) integral over U of (x - centre) (each pixel's centroid is its
/// centre), the integral over the symmetric ellipse is 0, and U differs from E in at most
/// 2 P r + pi r^2 of area, at most max(a, b) + r from the centre; |U| >= pi a b - P r. So
/// |centroid - centre| <= (max(a, b) + r)(2 P r + pi r^2) / (pi a b - P r), r = s / sqrt(2),
/// P <= pi sqrt(2 (a^2 + b^2)). Infinite when the denominator is not positive.
[[nodiscard]] inline double centroid_bound_mm(double a, double b, double s) noexcept {
  const double r = s / std::numbers::sqrt2;
  const double perimeter = std::numbers::pi * std::sqrt(2.0 * (a * a + b * b));
  const double area = std::numbers::pi * a * b - perimeter * r;
  if (area <= 0.0)
    return std::numeric_limits<double>::infinity();
  return (std::max(a, b) + r) * (2.0 * perimeter * r + std::numbers::pi * r * r) / area;
}

namespace detail_muscles {

inline void check_range(const value_range& range, const char* name, double lowest, double highest) {
  DISCGEOM_PRECONDITION(std::isfinite(range.low) && std::isfinite(range.high) &&
                            range.low <= range.high && range.low >= lowest && range.high <= highest,
                        "draw_muscle_anatomy", "options.", name, " [", range.low, ", ", range.high,
                        "] must be finite with ", lowest, " <= low <= high <= ", highest);
}

inline void validate(const muscle_phantom_options& o) {
  check_range(o.in_plane_spacing_mm, "in_plane_spacing_mm", 0.3, 2.0);
  check_range(o.slice_spacing_mm, "slice_spacing_mm", 1.0, 6.0);
  DISCGEOM_PRECONDITION(
      std::isfinite(o.obliquity_deg) && o.obliquity_deg >= 0.0 && o.obliquity_deg <= 20.0,
      "draw_muscle_anatomy", "options.obliquity_deg must be in [0, 20], got ", o.obliquity_deg);
  check_range(o.muscle_scale, "muscle_scale", 0.5, 1.5);
  check_range(o.side_scale, "side_scale", 0.8, 1.2);
  check_range(o.level_scale, "level_scale", 0.8, 1.2);
  check_range(o.spine_scale, "spine_scale", 0.85, 1.15);
  check_range(o.subcutaneous_fat_mm, "subcutaneous_fat_mm", 2.0, 60.0);
}

/// Typical CSA (mm^2) of each muscle at each disc level, L5/S1 first (adult lumbar MRI, e.g.
/// the ranges of Hess et al. and of the morphometry literature they cite): psoas, quadratus
/// lumborum, erector spinae, multifidus.
inline constexpr std::array<std::array<double, 5>, 4> typical_csa{{
    {1700.0, 1800.0, 1450.0, 900.0, 450.0},   // psoas
    {150.0, 450.0, 500.0, 450.0, 250.0},      // quadratus lumborum
    {700.0, 1400.0, 1800.0, 2000.0, 1900.0},  // erector spinae
    {1000.0, 850.0, 600.0, 400.0, 250.0},     // multifidus
}};

/// The typical disc heights (mm, L5/S1 first) and vertebral body semi-axes (l, p).
inline constexpr std::array<double, 5> typical_disc_height{10.5, 10.5, 10.0, 9.0, 8.0};
inline constexpr std::array<double, 5> typical_body_semi_l{25.0, 24.0, 23.0, 22.0, 21.0};
inline constexpr std::array<double, 5> typical_body_semi_p{18.0, 17.5, 17.0, 16.5, 16.0};
inline constexpr double typical_body_height = 26.0;

inline mat3 multiply(const mat3& x, const mat3& y) noexcept {
  mat3 z{};
  for (std::size_t r = 0; r < 3; ++r)
    for (std::size_t c = 0; c < 3; ++c)
      for (std::size_t k = 0; k < 3; ++k)
        z[r][c] += x[r][k] * y[k][c];
  return z;
}

/// What a point of the model is, for the label map and the image.
enum class tissue : std::uint8_t {
  air,
  subcutaneous_fat,
  viscera,
  fat,
  muscle,
  marrow,
  cortex,
  disc,
  csf,
  spinous,
  sacrum
};
struct voxel_class {
  std::uint8_t label = 0;
  tissue kind = tissue::air;
  std::size_t index = 0;  ///< the muscle (in anatomy.muscles) or the disc
};

/// Rasterises the model: calls visit(i, j, k, voxel_class) for every voxel, slice by slice.
template <class Visit>
void rasterise(const muscle_anatomy& m, Visit&& visit) {
  const double s_in = m.in_plane_spacing;
  const auto& o = m.outline;  // half width, centre p, half depth, fat thickness
  for (std::size_t k = 0; k < m.shape[2]; ++k) {
    const double s = m.slice_s(k);
    std::vector<model_ellipse> muscles;
    for (const auto& muscle : m.muscles)
      muscles.push_back(m.ellipse_at(muscle, s));
    const model_ellipse body = m.body_at(s);
    const model_ellipse canal{0.0, body.semi_p + 9.0, 9.0, 6.0};
    int disc = -1;
    for (std::size_t n = 0; n < muscle_anatomy::levels; ++n) {
      if (std::abs(s - m.disc_centre_s[n]) <= 0.5 * m.disc_height[n])
        disc = static_cast<int>(n);
    }
    // Vertebra: the body between disc n - 1 and disc n is SPIDER label n (L5 = 1); L1 = 5 up
    // to the top of the field of view; below the lowest disc, the (unlabelled) sacrum.
    int vertebra = -1;
    const bool below_spine = s < m.disc_centre_s[0] - 0.5 * m.disc_height[0];
    if (disc < 0 && !below_spine) {
      vertebra = static_cast<int>(muscle_anatomy::levels);
      for (std::size_t n = 1; n < muscle_anatomy::levels; ++n) {
        if (s < m.disc_centre_s[n]) {
          vertebra = static_cast<int>(n);
          break;
        }
      }
    }
    for (std::size_t j = 0; j < m.shape[1]; ++j) {
      const double p = m.p0 + static_cast<double>(j) * s_in;
      for (std::size_t i = 0; i < m.shape[0]; ++i) {
        const double l = m.l0 + static_cast<double>(i) * s_in;
        voxel_class c;
        const double u = l / o[0], v = (p - o[1]) / o[2];
        const double u_in = l / (o[0] - o[3]), v_in = (p - o[1]) / (o[2] - o[3]);
        if (u * u * u * u + v * v * v * v <= 1.0) {
          c.kind = u_in * u_in * u_in * u_in + v_in * v_in * v_in * v_in <= 1.0
                       ? (p < body.semi_p ? tissue::viscera : tissue::fat)
                       : tissue::subcutaneous_fat;
        }
        if (std::abs(l) <= 3.0 && p > canal.centre_p && p < canal.centre_p + 40.0)
          c.kind = tissue::spinous;
        if (canal.contains(l, p))
          c = {100, tissue::csf, 0};
        if (body.contains(l, p)) {
          if (disc >= 0) {
            c = {static_cast<std::uint8_t>(201 + disc), tissue::disc,
                 static_cast<std::size_t>(disc)};
          } else if (vertebra > 0) {
            const double ru = l / body.semi_l, rv = p / body.semi_p;
            c = {static_cast<std::uint8_t>(vertebra),
                 ru * ru + rv * rv > 0.85 ? tissue::cortex : tissue::marrow, 0};
          } else {
            c.kind = tissue::sacrum;
          }
        }
        for (std::size_t n = 0; n < muscles.size(); ++n) {
          if (muscles[n].contains(l, p)) {
            c = {static_cast<std::uint8_t>(m.muscles[n].label.label), tissue::muscle, n};
            break;
          }
        }
        visit(i, j, k, c);
      }
    }
  }
}

}  // namespace detail_muscles

/// Draws one axial muscle phantom: acquisition geometry, spine and muscles.
///
/// Spine: five discs (L5/S1 ... L1/L2) with heights typical x spine_scale (10.5, 10.5, 10, 9 and
/// 8 mm), vertebral bodies of 26 mm x spine_scale between them, the footprints elliptic with
/// semi-axes typical x spine_scale (25 x 18 mm at L5 ... 21 x 16 mm at L1); the field of view
/// runs from 20 mm below the L5/S1 disc (sacrum) to 70 % of the way up L1.
/// Muscles, per side (left at +l, mirrored on the right), with A the CSA (typical of the level x
/// muscle_scale x side_scale x level_scale) and W x D the body's semi-axes at the level:
///   psoas:               a = b = sqrt(A / pi), centre l = W + 1.5 + a, p = D + 2 - b;
///   quadratus lumborum:  b = min(8.5, sqrt(A / (2.5 pi))), a = A / (pi b),
///                        centre l = W + 4 + a, p = D + 13;
///   multifidus:          a = sqrt(A / (1.4 pi)), b = 1.4 a, centre l = 3.5 + a, p = D + 23 + b;
///   erector spinae:      b = sqrt(A / (1.3 pi)), a = 1.3 b,
///                        centre l = 5 + 2 a_multifidus + a, p = D + 23 + b.
/// Their bounding boxes are disjoint at every level (psoas in front of p = D + 2, quadratus
/// lumborum in [D + 4.5, D + 21.5], the back muscles behind D + 23, multifidus and erector spinae
/// side by side), and stay so between levels, where every parameter is interpolated linearly.
///
/// \param seed, case_index  the case's stream (stream_purpose::muscle_anatomy)
/// \throws precondition_error when an option is out of its documented range (named with it)
/// Complexity: O(1). Example: `const auto a = phantom::draw_muscle_anatomy(7, 0);`
[[nodiscard]] inline muscle_anatomy draw_muscle_anatomy(
    std::uint64_t seed, std::size_t case_index, const muscle_phantom_options& options = {}) {
  detail_muscles::validate(options);
  using namespace detail_muscles;
  auto g = case_stream(seed, case_index, stream_purpose::muscle_anatomy);
  muscle_anatomy m;
  const auto draw = [&](const value_range& r) { return uniform(g, r.low, r.high); };
  // Acquisition: pixels on a 1/64 mm grid and slices on a 1/16 mm grid (exact in the header).
  m.in_plane_spacing = std::round(draw(options.in_plane_spacing_mm) * 64.0) / 64.0;
  m.slice_spacing = std::round(draw(options.slice_spacing_mm) * 16.0) / 16.0;
  const double yaw = detail::radians(uniform(g, -options.obliquity_deg, options.obliquity_deg));
  const double pitch =
      detail::radians(uniform(g, -0.5 * options.obliquity_deg, 0.5 * options.obliquity_deg));
  const double roll =
      detail::radians(uniform(g, -0.5 * options.obliquity_deg, 0.5 * options.obliquity_deg));
  for (auto& t : m.translation)
    t = uniform(g, -20.0, 20.0);

  // Spine.
  const double spine = draw(options.spine_scale);
  double s = 0.0;  // the top of the sacrum
  for (std::size_t n = 0; n < muscle_anatomy::levels; ++n) {
    m.disc_height[n] = typical_disc_height[n] * spine * uniform(g, 0.95, 1.05);
    m.body_semi_l[n] = typical_body_semi_l[n] * spine * uniform(g, 0.97, 1.03);
    m.body_semi_p[n] = typical_body_semi_p[n] * spine * uniform(g, 0.97, 1.03);
    m.disc_centre_s[n] = s + 0.5 * m.disc_height[n];
    s += m.disc_height[n] + typical_body_height * spine * uniform(g, 0.95, 1.05);
  }
  const double l1_height = s - (m.disc_centre_s[4] + 0.5 * m.disc_height[4]);
  m.l1_top_s = m.disc_centre_s[4] + 0.5 * m.disc_height[4] + 0.7 * l1_height;

  // Muscles, in phantom_muscles() order: psoas, quadratus lumborum, erector spinae, multifidus,
  // left then right.
  std::array<double, 4> muscle_factor{};
  for (auto& f : muscle_factor)
    f = draw(options.muscle_scale);
  std::array<std::array<double, 2>, 4> side_factor{};
  for (auto& f : side_factor)
    f = {draw(options.side_scale), draw(options.side_scale)};
  std::array<std::array<std::array<double, 5>, 2>, 4> csa{};
  for (std::size_t kind = 0; kind < 4; ++kind)
    for (std::size_t side = 0; side < 2; ++side)
      for (std::size_t n = 0; n < muscle_anatomy::levels; ++n)
        csa[kind][side][n] = typical_csa[kind][n] * muscle_factor[kind] * side_factor[kind][side] *
                             draw(options.level_scale);
  const auto scheme = phantom_muscles();
  double extent_l = 0.0, extent_back = 0.0;
  for (std::size_t kind = 0; kind < 4; ++kind) {
    for (std::size_t side = 0; side < 2; ++side) {
      phantom_muscle muscle{scheme[2 * kind + side], {}};
      const double sign = side == 0 ? 1.0 : -1.0;
      for (std::size_t n = 0; n < muscle_anatomy::levels; ++n) {
        const double area = csa[kind][side][n];
        const double w = m.body_semi_l[n], d = m.body_semi_p[n];
        model_ellipse e;
        switch (kind) {
          case 0:  // psoas
            e.semi_l = e.semi_p = std::sqrt(area / detail::pi);
            e.centre_l = w + 1.5 + e.semi_l;
            e.centre_p = d + 2.0 - e.semi_p;
            break;
          case 1:  // quadratus lumborum
            e.semi_p = std::min(8.5, std::sqrt(area / (2.5 * detail::pi)));
            e.semi_l = area / (detail::pi * e.semi_p);
            e.centre_l = w + 4.0 + e.semi_l;
            e.centre_p = d + 13.0;
            break;
          case 2: {  // erector spinae, beside the multifidus of its side
            const double multifidus_l = std::sqrt(csa[3][side][n] / (1.4 * detail::pi));
            e.semi_p = std::sqrt(area / (1.3 * detail::pi));
            e.semi_l = 1.3 * e.semi_p;
            e.centre_l = 5.0 + 2.0 * multifidus_l + e.semi_l;
            e.centre_p = d + 23.0 + e.semi_p;
            break;
          }
          default:  // multifidus, beside the spinous process
            e.semi_l = std::sqrt(area / (1.4 * detail::pi));
            e.semi_p = 1.4 * e.semi_l;
            e.centre_l = 3.5 + e.semi_l;
            e.centre_p = d + 23.0 + e.semi_p;
            break;
        }
        e.centre_l *= sign;
        extent_l = std::max(extent_l, std::abs(e.centre_l) + e.semi_l);
        extent_back = std::max(extent_back, e.centre_p + e.semi_p);
        muscle.at_level[n] = e;
      }
      m.muscles.push_back(muscle);
    }
  }
  // phantom_muscles() lists psoas, quadratus lumborum, erector spinae, multifidus: kinds 0-3.

  // Body outline: a superellipse |l/L|^4 + |(p - c)/P|^4 <= 1 holding the muscles under
  // `fat` mm of subcutaneous fat, the belly 60 mm in front of the bodies.
  const double fat = draw(options.subcutaneous_fat_mm);
  double front = 0.0;
  for (std::size_t n = 0; n < muscle_anatomy::levels; ++n)
    front = std::max(front, m.body_semi_p[n]);
  front = -(front + 60.0);
  const double half_depth = 0.5 * (extent_back - front) + fat;
  m.outline = {(extent_l + fat) / 0.84, 0.5 * (extent_back + front), half_depth / 0.84, fat};

  // Grid: square pixels over the outline with 6 mm to spare; slices from 20 mm below L5/S1 to
  // the top of the field of view.
  const double s_in = m.in_plane_spacing, s_z = m.slice_spacing;
  m.l0 = -(m.outline[0] + 6.0);
  m.p0 = m.outline[1] - m.outline[2] - 6.0;
  m.s_top = m.l1_top_s;
  const double s_bottom = m.disc_centre_s[0] - 0.5 * m.disc_height[0] - 20.0;
  m.shape = {static_cast<std::size_t>(std::floor(-2.0 * m.l0 / s_in)) + 1,
             static_cast<std::size_t>(std::floor(2.0 * (m.outline[2] + 6.0) / s_in)) + 1,
             static_cast<std::size_t>(std::floor((m.s_top - s_bottom) / s_z)) + 1};

  // Geometry: scanner LPS q = (l, p, s); patient p = R q + T; array axes L, P, I.
  const double cy = std::cos(yaw), sy = std::sin(yaw), cp = std::cos(pitch), sp = std::sin(pitch),
               cr = std::cos(roll), sr = std::sin(roll);
  const mat3 rz{{{cy, -sy, 0}, {sy, cy, 0}, {0, 0, 1}}};
  const mat3 rx{{{1, 0, 0}, {0, cp, -sp}, {0, sp, cp}}};
  const mat3 ry{{{cr, 0, sr}, {0, 1, 0}, {-sr, 0, cr}}};
  m.rotation = multiply(rz, multiply(ry, rx));
  const mat3 lpi{{{1, 0, 0}, {0, 1, 0}, {0, 0, -1}}};
  m.geometry.direction = multiply(m.rotation, lpi);
  m.geometry.spacing = {s_in, s_in, s_z};
  const vec3 q0{m.l0, m.p0, m.s_top};
  for (std::size_t r = 0; r < 3; ++r)
    m.geometry.origin[r] = m.rotation[r][0] * q0[0] + m.rotation[r][1] * q0[1] +
                           m.rotation[r][2] * q0[2] + m.translation[r];
  return m;
}

/// Rasterises a drawn anatomy: the label map (uint8) and each section's truth.
///
/// Labels: vertebral bodies 1-5 (L5 = 1 ... L1 = 5, SPIDER's numbering from the bottom), the
/// spinal canal 100, discs 201-205 (L5/S1 = 201), the muscles 61-68 (phantom_muscles()); the
/// sacrum, the spinous processes, fat and viscera 0. A voxel takes the label whose region holds
/// its centre (muscles over the spine; the regions do not overlap).
/// The truth of each muscle label on each slice counts its pixels and sums their indices in the
/// same pass, and records the ellipse of that slice.
///
/// \returns the phantom; sections by label (phantom_muscles() order), then slice
/// Complexity: O(voxels x muscles).
/// Example: `const auto ph = phantom::muscle_phantom_of(phantom::draw_muscle_anatomy(7, 0));`
[[nodiscard]] inline muscle_phantom muscle_phantom_of(const muscle_anatomy& anatomy) {
  muscle_phantom result{
      anatomy, image<std::uint8_t>::filled(anatomy.shape, anatomy.geometry, 0), {}, {}, {}};
  const std::size_t nm = anatomy.muscles.size(), nk = anatomy.shape[2];
  std::vector<muscle_section_truth> grid(nm * nk);
  for (std::size_t n = 0; n < nm; ++n) {
    for (std::size_t k = 0; k < nk; ++k) {
      auto& t = grid[n * nk + k];
      t.label = anatomy.muscles[n].label;
      t.slice = k;
      const model_ellipse e = anatomy.ellipse_at(anatomy.muscles[n], anatomy.slice_s(k));
      t.semi_l_mm = e.semi_l;
      t.semi_p_mm = e.semi_p;
      t.centre_index = {(e.centre_l - anatomy.l0) / anatomy.in_plane_spacing,
                        (e.centre_p - anatomy.p0) / anatomy.in_plane_spacing,
                        static_cast<double>(k)};
    }
  }
  detail_muscles::rasterise(anatomy, [&](std::size_t i, std::size_t j, std::size_t k,
                                         const detail_muscles::voxel_class& c) {
    result.labels.voxels(i, j, k) = c.label;
    const vec3 index{static_cast<double>(i), static_cast<double>(j), static_cast<double>(k)};
    if (c.kind == detail_muscles::tissue::muscle) {
      auto& t = grid[c.index * nk + k];
      ++t.pixels;
      for (std::size_t d = 0; d < 3; ++d)
        t.index_sum[d] += index[d];
    } else if (c.kind == detail_muscles::tissue::disc) {
      ++result.disc_voxels[c.index];
      for (std::size_t d = 0; d < 3; ++d)
        result.disc_index_sum[c.index][d] += index[d];
    }
  });
  for (auto& t : grid) {
    if (t.pixels > 0)
      result.sections.push_back(t);
  }
  return result;
}

/// Draws and rasterises one axial muscle phantom: `muscle_phantom_of(draw_muscle_anatomy(...))`.
/// \throws precondition_error as draw_muscle_anatomy
/// Example: `const auto ph = phantom::generate_muscle_phantom(42, 3);`
[[nodiscard]] inline muscle_phantom generate_muscle_phantom(
    std::uint64_t seed, std::size_t case_index, const muscle_phantom_options& options = {}) {
  return muscle_phantom_of(draw_muscle_anatomy(seed, case_index, options));
}

/// The discs of a phantom as `discgeom discs` measures them from its label map: each disc's level
/// and the mean of its voxel centres, mapped through `geometry` (the phantom's, or the one a
/// written file reads back with).
[[nodiscard]] inline std::vector<disc_position> phantom_disc_positions(
    const muscle_phantom& phantom, const image_geometry& geometry) {
  std::vector<disc_position> discs;
  for (std::size_t n = 0; n < muscle_anatomy::levels; ++n) {
    if (phantom.disc_voxels[n] == 0)
      continue;
    const double count = static_cast<double>(phantom.disc_voxels[n]);
    const auto& sum = phantom.disc_index_sum[n];
    discs.push_back(
        {phantom.anatomy.level_names[n],
         geometry.index_to_physical(vec3{sum[0] / count, sum[1] / count, sum[2] / count})});
  }
  return discs;
}

/// One row of a phantom's truth table (the columns of `discgeom muscles`, then the analytic
/// ellipse): everything in LPS mm through `geometry`.
struct muscle_truth_row {
  muscle_label label;
  std::size_t slice = 0;
  std::size_t pixels = 0;
  double csa_mm2 = 0.0;      ///< pixels x the two in-plane spacings
  vec3 centroid_mm{};        ///< mean pixel centre
  std::string level;         ///< the disc level nearest the slice plane (nearest_disc_level)
  bool level_slice = false;  ///< the slice nearest its level's disc (is_level_slice)
  double semi_l_mm = 0.0, semi_p_mm = 0.0;
  double analytic_csa_mm2 = 0.0;   ///< pi a b
  vec3 centre_mm{};                ///< the ellipse's centre
  double csa_bound_mm2 = 0.0;      ///< csa_bound_mm2(a, b, s)
  double centroid_bound_mm = 0.0;  ///< centroid_bound_mm(a, b, s)
};

/// The truth table of a phantom, through `geometry` (the phantom's own by default; a writer passes
/// the geometry its file reads back with, whose numbers a NIfTI header rounds to float).
///
/// \returns one row per muscle label per slice that holds it, phantom_muscles() order then slice
/// Complexity: O(sections x discs).
[[nodiscard]] inline std::vector<muscle_truth_row> muscle_truth(
    const muscle_phantom& phantom, const std::optional<image_geometry>& file_geometry = {}) {
  const image_geometry& geometry = file_geometry ? *file_geometry : phantom.anatomy.geometry;
  const auto discs = phantom_disc_positions(phantom, geometry);
  const double pixel_area = geometry.spacing[0] * geometry.spacing[1];
  const std::size_t slices = phantom.anatomy.shape[2];
  std::vector<muscle_truth_row> rows;
  for (const auto& t : phantom.sections) {
    muscle_truth_row row;
    row.label = t.label;
    row.slice = t.slice;
    row.pixels = t.pixels;
    row.csa_mm2 = static_cast<double>(t.pixels) * pixel_area;
    const double n = static_cast<double>(t.pixels);
    row.centroid_mm = geometry.index_to_physical(
        vec3{t.index_sum[0] / n, t.index_sum[1] / n, t.index_sum[2] / n});
    row.level = nearest_disc_level(geometry, t.slice, discs).value_or("");
    row.level_slice = is_level_slice(geometry, slices, t.slice, discs);
    row.semi_l_mm = t.semi_l_mm;
    row.semi_p_mm = t.semi_p_mm;
    row.analytic_csa_mm2 = t.analytic_csa_mm2();
    row.centre_mm = geometry.index_to_physical(t.centre_index);
    row.csa_bound_mm2 = csa_bound_mm2(t.semi_l_mm, t.semi_p_mm, phantom.anatomy.in_plane_spacing);
    row.centroid_bound_mm =
        centroid_bound_mm(t.semi_l_mm, t.semi_p_mm, phantom.anatomy.in_plane_spacing);
    rows.push_back(std::move(row));
  }
  return rows;
}

/// A T1-weighted-like axial image of a phantom (int16, the label map's shape and geometry).
///
/// Tissue intensities (fraction of full scale): muscle 0.30-0.38 per muscle (fatty infiltration
/// brightens it), subcutaneous fat 0.88, fat between the back muscles 0.80, viscera 0.45,
/// vertebral marrow 0.75 with a cortical rim 0.22, disc 0.42, CSF 0.12, spinous process 0.60,
/// sacrum 0.70, air 0. Then partial volume ([1 2 1]/4 in plane), a multiplicative bias field
/// exp(sum of first- and second-order terms of the normalised in-plane coordinates, coefficients
/// within +-bias_amplitude) and Rician noise sqrt((I + sigma n1)^2 + (sigma n2)^2), stored as
/// round(scale x value).
///
/// \param phantom            from generate_muscle_phantom
/// \param seed, case_index   the image stream (stream_purpose::muscle_t1_image)
/// \throws precondition_error when an option is out of range (named with its value)
/// Complexity: O(voxels x muscles). Example: `const auto t1 = phantom::muscle_t1_image(ph, 7, 0);`
[[nodiscard]] inline image<std::int16_t> muscle_t1_image(const muscle_phantom& phantom,
                                                         std::uint64_t seed, std::size_t case_index,
                                                         const muscle_t1_options& options = {}) {
  DISCGEOM_PRECONDITION(
      std::isfinite(options.noise_sigma.low) && std::isfinite(options.noise_sigma.high) &&
          options.noise_sigma.low >= 0.0 && options.noise_sigma.low <= options.noise_sigma.high &&
          options.noise_sigma.high <= 0.5,
      "muscle_t1_image", "options.noise_sigma [", options.noise_sigma.low, ", ",
      options.noise_sigma.high, "] must satisfy 0 <= low <= high <= 0.5");
  DISCGEOM_PRECONDITION(std::isfinite(options.bias_amplitude) && options.bias_amplitude >= 0.0 &&
                            options.bias_amplitude <= 1.0,
                        "muscle_t1_image", "options.bias_amplitude must be in [0, 1], got ",
                        options.bias_amplitude);
  DISCGEOM_PRECONDITION(
      std::isfinite(options.scale) && options.scale > 0.0 && options.scale <= 20000.0,
      "muscle_t1_image", "options.scale must be in (0, 20000], got ", options.scale);
  using detail_muscles::tissue;
  const auto& anatomy = phantom.anatomy;
  auto g = case_stream(seed, case_index, stream_purpose::muscle_t1_image);
  std::vector<double> muscle_value;
  for (std::size_t n = 0; n < anatomy.muscles.size(); ++n)
    muscle_value.push_back(uniform(g, 0.30, 0.38));
  std::array<double, 5> bias{};
  for (auto& b : bias)
    b = uniform(g, -options.bias_amplitude, options.bias_amplitude);
  const double sigma = uniform(g, options.noise_sigma.low, options.noise_sigma.high);

  const std::size_t n0 = anatomy.shape[0], n1 = anatomy.shape[1], n2 = anatomy.shape[2];
  std::vector<float> clean(n0 * n1 * n2), work(n0 * n1 * n2);
  const auto at = [&](std::size_t i, std::size_t j, std::size_t k) {
    return i + n0 * (j + n1 * k);
  };
  detail_muscles::rasterise(anatomy, [&](std::size_t i, std::size_t j, std::size_t k,
                                         const detail_muscles::voxel_class& c) {
    double value = 0.0;
    switch (c.kind) {
      case tissue::air:
        value = 0.0;
        break;
      case tissue::subcutaneous_fat:
        value = 0.88;
        break;
      case tissue::viscera:
        value = 0.45;
        break;
      case tissue::fat:
        value = 0.80;
        break;
      case tissue::muscle:
        value = muscle_value[c.index];
        break;
      case tissue::marrow:
        value = 0.75;
        break;
      case tissue::cortex:
        value = 0.22;
        break;
      case tissue::disc:
        value = 0.42;
        break;
      case tissue::csf:
        value = 0.12;
        break;
      case tissue::spinous:
        value = 0.60;
        break;
      case tissue::sacrum:
        value = 0.70;
        break;
    }
    clean[at(i, j, k)] = static_cast<float>(value);
  });
  // Partial volume in plane: [1 2 1]/4 along each in-plane axis, clamped at the borders.
  for (std::size_t axis = 0; axis < 2; ++axis) {
    const std::size_t stride = axis == 0 ? 1 : n0, length = axis == 0 ? n0 : n1;
    for (std::size_t k = 0; k < n2; ++k)
      for (std::size_t j = 0; j < n1; ++j)
        for (std::size_t i = 0; i < n0; ++i) {
          const std::size_t p = at(i, j, k), position = axis == 0 ? i : j;
          const float before = position > 0 ? clean[p - stride] : clean[p];
          const float after = position + 1 < length ? clean[p + stride] : clean[p];
          work[p] = 0.25f * before + 0.5f * clean[p] + 0.25f * after;
        }
    clean.swap(work);
  }
  auto result = image<std::int16_t>::filled(anatomy.shape, anatomy.geometry, 0);
  for (std::size_t k = 0; k < n2; ++k) {
    for (std::size_t j = 0; j < n1; ++j) {
      const double y =
          n1 > 1 ? 2.0 * static_cast<double>(j) / static_cast<double>(n1 - 1) - 1.0 : 0.0;
      for (std::size_t i = 0; i < n0; ++i) {
        const double x =
            n0 > 1 ? 2.0 * static_cast<double>(i) / static_cast<double>(n0 - 1) - 1.0 : 0.0;
        const double field = std::exp(bias[0] * x + bias[1] * y + bias[2] * x * y +
                                      bias[3] * x * x + bias[4] * y * y);
        const double signal = field * static_cast<double>(clean[at(i, j, k)]);
        result.voxels(i, j, k) = rician_voxel(signal, sigma, options.scale, g);
      }
    }
  }
  return result;
}

/// How the simulated second rater departs from the first (docs/phantom.md, "Second rater").
struct second_rater_options {
  int max_shift_pixels = 1;          ///< per case and label: a shift of up to this many pixels
  double erode_probability = 0.25;   ///< per label and slice: one pixel drawn inside the edge
  double dilate_probability = 0.30;  ///< per label and slice: one pixel drawn outside the edge
};

/// A second rater's label map: each listed label of `first`, on each axial slice, shifted in
/// plane by a per-case offset (dx, dy) drawn uniformly from {-max, ..., max}^2 pixels (a
/// systematic placement difference), then eroded (with erode_probability) or dilated (with
/// dilate_probability) by one pixel with the 4-neighbour cross (a rater who draws inside or
/// outside the edge). Other labels are kept; a label is written only where the map holds 0
/// after the listed labels are cleared (labels in `labels` order; it never overwrites the spine
/// or an earlier muscle). Slices are planes of the array axis most aligned with SI.
///
/// \param first      the first rater's map (e.g. a phantom's truth)
/// \param labels     the labels to perturb, e.g. the muscles of phantom_muscles()
/// \param seed, case_index  the stream (stream_purpose::second_rater)
/// \throws precondition_error when max_shift_pixels is outside [0, 8] or a probability is not in
///         [0, 1] or their sum exceeds 1
/// Complexity: O(voxels x labels). Example: `auto second = phantom::second_rater(ph.labels, ids, 7, 0);`
template <class T>
[[nodiscard]] image<T> second_rater(const image<T>& first, const std::vector<std::int64_t>& labels,
                                    std::uint64_t seed, std::size_t case_index,
                                    const second_rater_options& options = {}) {
  DISCGEOM_PRECONDITION(options.max_shift_pixels >= 0 && options.max_shift_pixels <= 8,
                        "second_rater", "options.max_shift_pixels must be in [0, 8], got ",
                        options.max_shift_pixels);
  DISCGEOM_PRECONDITION(options.erode_probability >= 0.0 && options.dilate_probability >= 0.0 &&
                            options.erode_probability + options.dilate_probability <= 1.0,
                        "second_rater", "options.erode_probability (", options.erode_probability,
                        ") and options.dilate_probability (", options.dilate_probability,
                        ") must be >= 0 with a sum <= 1");
  auto g = case_stream(seed, case_index, stream_purpose::second_rater);
  const auto shape = first.shape();
  const std::size_t si = first.geometry.array_axis(anatomical_axis::si);
  const std::size_t a = si == 0 ? 1 : 0, b = si == 2 ? 1 : 2;  // the in-plane axes
  image<T> second = first;
  const auto is_listed = [&](std::int64_t value) {
    return std::find(labels.begin(), labels.end(), value) != labels.end();
  };
  for (auto& v : second.voxels)
    if (is_listed(static_cast<std::int64_t>(v)))
      v = T{0};
  const auto shift_draw = [&] {
    const int span = 2 * options.max_shift_pixels + 1;
    return static_cast<int>(std::floor(uniform01(g) * span)) - options.max_shift_pixels;
  };
  const std::size_t na = shape[a], nb = shape[b];
  std::vector<std::uint8_t> mask(na * nb), changed(na * nb);
  for (const auto label : labels) {
    const int dx = shift_draw(), dy = shift_draw();
    for (std::size_t k = 0; k < shape[si]; ++k) {
      const double u = uniform01(g);
      const int op = u < options.erode_probability                                ? -1
                     : u < options.erode_probability + options.dilate_probability ? 1
                                                                                  : 0;
      std::array<std::size_t, 3> index{};
      index[si] = k;
      std::fill(mask.begin(), mask.end(), std::uint8_t{0});
      bool any = false;
      for (std::size_t y = 0; y < nb; ++y) {
        for (std::size_t x = 0; x < na; ++x) {
          index[a] = x;
          index[b] = y;
          if (static_cast<std::int64_t>(first.voxels(index[0], index[1], index[2])) != label)
            continue;
          const auto tx = static_cast<std::ptrdiff_t>(x) + dx,
                     ty = static_cast<std::ptrdiff_t>(y) + dy;
          if (tx < 0 || ty < 0 || tx >= static_cast<std::ptrdiff_t>(na) ||
              ty >= static_cast<std::ptrdiff_t>(nb))
            continue;
          mask[static_cast<std::size_t>(tx) + na * static_cast<std::size_t>(ty)] = 1;
          any = true;
        }
      }
      if (!any)
        continue;
      if (op != 0) {
        for (std::size_t y = 0; y < nb; ++y) {
          for (std::size_t x = 0; x < na; ++x) {
            const auto inside = [&](std::size_t xx, std::size_t yy) {
              return mask[xx + na * yy] != 0;
            };
            const bool centre = inside(x, y);
            const bool left = x > 0 && inside(x - 1, y), right = x + 1 < na && inside(x + 1, y);
            const bool down = y > 0 && inside(x, y - 1), up = y + 1 < nb && inside(x, y + 1);
            changed[x + na * y] = op < 0 ? (centre && left && right && down && up)
                                         : (centre || left || right || down || up);
          }
        }
        mask.swap(changed);
      }
      for (std::size_t y = 0; y < nb; ++y) {
        for (std::size_t x = 0; x < na; ++x) {
          if (!mask[x + na * y])
            continue;
          index[a] = x;
          index[b] = y;
          auto& v = second.voxels(index[0], index[1], index[2]);
          if (v == T{0})
            v = static_cast<T>(label);
        }
      }
    }
  }
  return second;
}

}  // namespace discgeom::phantom
