// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Decode latent codes and measure the decoded discs: the step that turns a traversal grid into
/// geometry, and the traversal-versus-geometry correlations of Perrone et al. in one call. The
/// decoder is any callable from a code to a mask, so an analytic shape model, a LibTorch decoder
/// or a user's own network plug in alike.

#include <array>
#include <concepts>
#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

#include "discgeom/error.hpp"
#include "discgeom/geometry/disc_measures.hpp"
#include "discgeom/image.hpp"
#include "discgeom/latent/plausibility.hpp"
#include "discgeom/latent/traversal.hpp"
#include "discgeom/mask/structures.hpp"
#include "discgeom/stats/correlation.hpp"
#include "discgeom/stats/sample.hpp"

namespace discgeom {

/// A scalar geometric feature of a measured disc: its name (the discs table's column) and how
/// to read it (empty when the measure is undefined for that disc).
struct geometric_feature {
  std::string_view name;
  std::optional<double> (*value)(const disc_measures&);
};

/// The discs table's scalar measures, in its column order.
inline constexpr std::array<geometric_feature, 8> disc_geometric_features{{
    {"volume_mm3", [](const disc_measures& m) -> std::optional<double> { return m.volume_mm3; }},
    {"height_mm", [](const disc_measures& m) { return m.height_mm; }},
    {"ap_width_mm", [](const disc_measures& m) { return m.ap_width_mm; }},
    {"lateral_width_mm", [](const disc_measures& m) { return m.lateral_width_mm; }},
    {"sagittal_angle_deg", [](const disc_measures& m) { return m.sagittal_angle_deg; }},
    {"coronal_angle_deg", [](const disc_measures& m) { return m.coronal_angle_deg; }},
    {"transverse_angle_deg", [](const disc_measures& m) { return m.transverse_angle_deg; }},
    {"minrect_height_mm", [](const disc_measures& m) { return m.minrect_height_mm; }},
}};

/// A callable from a latent code to a decoded mask: either a discgeom::image (its geometry is
/// used) or any 3D volume whose foreground is the disc (then decode_options::geometry says
/// where its voxels are). A decoder that outputs probabilities thresholds them itself.
template <class Decoder>
concept latent_decoder = std::invocable<Decoder&, std::span<const double>>;

struct decode_options {
  /// Geometry of the decoded volumes when the decoder returns no image (e.g. the autoencoder's
  /// 64^3 crops at the crop spacing); ignored for a decoder that returns discgeom::image.
  std::optional<image_geometry> geometry{};
};

namespace detail {

template <class T>
struct is_image : std::false_type {};
template <class T>
struct is_image<image<T>> : std::true_type {};

}  // namespace detail

/// Decodes one code and measures the decoded disc (measure_disc: the discs table's definitions).
/// An empty decoded mask comes back with status "empty", not an exception.
///
/// \throws precondition_error when the decoder returns no image and options.geometry is empty,
///         or for an invalid geometry; whatever the decoder throws passes through
template <latent_decoder Decoder>
[[nodiscard]] disc_measures decode_and_measure(std::span<const double> code, Decoder& decode,
                                               const decode_options& options = {}) {
  auto decoded = std::invoke(decode, code);
  using result_type = std::remove_cvref_t<decltype(decoded)>;
  if constexpr (detail::is_image<result_type>::value) {
    return measure_disc(collect_foreground_voxels(decoded, decoded.geometry));
  } else {
    DISCGEOM_PRECONDITION(options.geometry.has_value(), "decode_and_measure",
                          "the decoder returns a volume without geometry and options.geometry is "
                          "empty: give the spacing of the decoded masks");
    return measure_disc(collect_foreground_voxels(decoded, *options.geometry));
  }
}

struct traversal_study_options {
  traversal_options traversal{};  ///< steps (6) and anchor (mean)
  decode_options decoding{};
  /// Of the swept value against each geometric feature over one feature's steps.
  correlation_options correlation{.method = correlation_method::spearman};
  /// The plausibility of every grid point; empty to skip it.
  std::optional<plausibility_options> plausibility = plausibility_options{};
};

/// How one geometric feature follows one swept latent feature over its steps.
struct traversal_correlation {
  std::size_t feature = 0;             ///< the swept latent feature
  std::string_view geometric_feature;  ///< a name from disc_geometric_features
  correlation_result correlation;      ///< over the feature's steps (a measure undefined at a
                                       ///< step is a missing value, counted in n_missing)
};

/// The grid, its decoded geometry, its plausibility and the traversal-geometry correlations.
struct traversal_study {
  latent_traversal traversal;
  std::vector<disc_measures> measures;     ///< one per grid point, in traversal.points' order
  std::vector<double> plausibility;        ///< one per grid point; NaN when not asked for
  double typical_distance = std::nan("");  ///< D of latent_plausibility
  /// Feature-major: correlations[f * disc_geometric_features.size() + g].
  std::vector<traversal_correlation> correlations;
};

/// The latent traversal of Perrone et al. in one call: summarise the real codes, build the
/// traversal grid (each feature from its minimum to its maximum in k steps, the others at their
/// mean), decode every grid point and measure the decoded disc, rate each point's plausibility
/// against the real codes, and correlate each swept feature with each geometric feature over
/// its k steps.
///
/// \tparam Latents the real codes as feature columns (any `sample_columns`)
/// \tparam Decoder a latent_decoder
/// \throws precondition_error as traverse_latents, latent_plausibility and decode_and_measure do
/// Complexity: features x steps decodes and disc measurements.
///
///   auto study = discgeom::study_traversal(latent_columns, ellipsoid_decoder);
///   for (const auto& c : study.correlations) std::cout << c.geometric_feature << c.correlation.r;
template <sample_columns Latents, latent_decoder Decoder>
[[nodiscard]] traversal_study study_traversal(Latents&& real_codes, Decoder&& decode,
                                              const traversal_study_options& options = {}) {
  const std::vector<std::vector<double>> columns = sample_columns_values(real_codes);
  traversal_study study;
  study.traversal = traverse_latents(columns, options.traversal);
  std::optional<latent_plausibility> plausible;
  if (options.plausibility) {
    plausible.emplace(columns, *options.plausibility);
    study.typical_distance = plausible->typical_distance();
  }
  for (const traversal_point& point : study.traversal.points) {
    study.measures.push_back(decode_and_measure(point.latent, decode, options.decoding));
    study.plausibility.push_back(plausible ? (*plausible)(point.latent) : std::nan(""));
  }
  const std::size_t steps = study.traversal.steps;
  for (std::size_t f = 0; f < study.traversal.features.size(); ++f) {
    std::vector<double> swept(steps);
    for (std::size_t s = 0; s < steps; ++s) {
      swept[s] = study.traversal.points[f * steps + s].value;
    }
    for (const geometric_feature& g : disc_geometric_features) {
      std::vector<std::optional<double>> measured(steps);
      for (std::size_t s = 0; s < steps; ++s) {
        measured[s] = g.value(study.measures[f * steps + s]);
      }
      study.correlations.push_back({f, g.name, correlate(swept, measured, options.correlation)});
    }
  }
  return study;
}

}  // namespace discgeom
