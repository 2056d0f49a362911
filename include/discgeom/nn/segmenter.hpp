// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Segmenting a whole MR volume with a patch-based network (step 1 of the Perrone et al.
/// pipeline, docs/segmentation.md): resample to the model's spacing, normalise intensities,
/// sliding-window inference with Gaussian blending, argmax or threshold, back to the input grid
/// by nearest neighbour, post-processing (largest component per label, holes filled) and
/// optionally SPIDER disc instance labels (201 = the lowest disc). Works with any model behind a
/// `segmentation_model`: a TorchScript file (torchscript_segmenter.hpp) or the native U-Net
/// (segmenter_io.hpp). Part of `discgeom::torch`.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "discgeom/enum_names.hpp"
#include "discgeom/error.hpp"
#include "discgeom/image.hpp"
#include "discgeom/image_geometry.hpp"
#include "discgeom/mask/cleanup.hpp"
#include "discgeom/mask/connected_components.hpp"
#include "discgeom/mask/postprocess.hpp"
#include "discgeom/nn/intensity_normalisation.hpp"
#include "discgeom/nn/sliding_window.hpp"
#include "discgeom/transform/resample.hpp"

namespace discgeom {

/// A segmentation network and what it expects.
struct segmentation_model {
  /// (N, C, P0, P1, P2) float -> (N, K, P0, P1, P2) logits; called in inference mode.
  patch_predictor predict{};
  std::int64_t input_channels = 1;
  std::optional<vec3> spacing{};  ///< mm per array axis the model works at, when it says
  std::optional<normalisation_options> normalisation{};  ///< what it was trained with, if known
  std::optional<std::array<std::int64_t, 3>> patch{};    ///< the patch it was trained on, if known
  std::string name{};  ///< names the model in messages (e.g. its file)
};

/// How the logits become labels.
enum class segmentation_decision {
  argmax,     ///< label = the channel of the largest logit (channel 0 = background)
  threshold,  ///< label = 1 + the most probable channel whose sigmoid >= threshold, else 0
};

/// What the labels of the output mean.
enum class segmentation_labels {
  classes,       ///< the decided class per voxel (0 = background)
  spider_discs,  ///< the components of `disc_class`, numbered 201, 202, ... from the lowest
};

struct segmentation_options {
  /// The spacing to resample to (mm per array axis). Needed when the model carries none; when
  /// both are given they must agree (to 1e-3 mm) or segment throws naming both.
  std::optional<vec3> spacing{};
  /// Empty: the model's own, else percentile [0.5, 99.5].
  std::optional<normalisation_options> normalisation{};
  sliding_window_options window{};
  segmentation_decision decision = segmentation_decision::argmax;
  double threshold = 0.5;  ///< probability, threshold decision (and every 1-channel model)
  segmentation_labels labels = segmentation_labels::classes;
  std::int64_t disc_class = 1;         ///< spider_discs: the class of the discs
  bool keep_largest_component = true;  ///< classes: each label keeps its largest component
  bool fill_holes = true;              ///< each label's (each disc's) enclosed holes are filled
  /// classes: where holes are filled (fill_holes true): in 3D, or slice by slice in hole_plane.
  hole_filling holes = hole_filling::volume;
  anatomical_plane hole_plane = anatomical_plane::sagittal;
  /// Edge smoothing (postprocess_labels): opening then closing with a ball of this radius (mm),
  /// before holes and components (and before the discs are numbered); 0: off.
  double smoothing_radius_mm = 0.0;
  std::size_t minimum_disc_voxels = 0;  ///< spider_discs: smaller components are dropped
  connectivity3 connectivity = connectivity3::corners;
  int threads = 0;  ///< > 0: torch::set_num_threads(threads); 0: leave it
};

/// The outcome of a segmentation.
enum class segmentation_status {
  ok,
  empty,           ///< no foreground voxel at all
  too_many_discs,  ///< spider_discs: more than 25 components; the 25 largest were kept
};

template <>
struct enum_names<segmentation_status> {
  static constexpr std::array<enum_name<segmentation_status>, 3> table{{
      {segmentation_status::ok, "ok"},
      {segmentation_status::empty, "empty"},
      {segmentation_status::too_many_discs, "too_many_discs"},
  }};
};

struct segmentation_result {
  image<std::uint16_t> labels;  ///< on the input grid (shape and geometry of the input)
  segmentation_status status = segmentation_status::ok;
  normalisation_status normalisation = normalisation_status::ok;
  std::int64_t windows = 0;                  ///< patches evaluated
  std::array<std::size_t, 3> model_shape{};  ///< the grid at the model's spacing
  std::size_t components_removed = 0;        ///< by keep_largest_component / minimum_disc_voxels
  std::size_t holes_filled = 0;              ///< voxels
  std::size_t smoothing_removed = 0;         ///< voxels the edge smoothing set to background
  std::size_t smoothing_added = 0;           ///< background voxels the edge smoothing labelled
  std::size_t discs = 0;                     ///< spider_discs: discs labelled
};

/// Nearest-neighbour resampling of a map on the grid of resampled_grid(shape, geometry,
/// source_spacing) back onto the original grid (shape, geometry): voxel i takes the source voxel
/// nearest to its centre, round((i + 1/2) s / t - 1/2) clamped (ties up). Restores the input
/// grid exactly, which resample_nearest to the old spacing cannot promise (its shape is rounded).
/// \throws precondition_error when `source` is not of the grid's shape
template <class T>
[[nodiscard]] image<T> resample_nearest_onto(const image<T>& source,
                                             const std::array<std::size_t, 3>& shape,
                                             const image_geometry& geometry) {
  const auto grid = resampled_grid(shape, geometry, source.geometry.spacing);
  DISCGEOM_PRECONDITION(grid.shape == source.shape(), "resample_nearest_onto", "source has shape ",
                        source.shape(), ", the resampled grid of ", shape, " has ", grid.shape);
  auto result = image<T>::filled(shape, geometry);
  std::array<std::vector<std::size_t>, 3> nearest;
  for (std::size_t d = 0; d < 3; ++d)
    for (std::size_t i = 0; i < shape[d]; ++i) {
      const double x = std::floor(
          detail::source_index(i, geometry.spacing[d], source.geometry.spacing[d]) + 0.5);
      nearest[d].push_back(
          static_cast<std::size_t>(std::clamp(x, 0.0, static_cast<double>(grid.shape[d] - 1))));
    }
  for (std::size_t k = 0; k < shape[2]; ++k)
    for (std::size_t j = 0; j < shape[1]; ++j)
      for (std::size_t i = 0; i < shape[0]; ++i)
        result.voxels(i, j, k) = source.voxels(nearest[0][i], nearest[1][j], nearest[2][k]);
  return result;
}

namespace detail {

/// The first line of a message, at most 200 characters (LibTorch appends backtraces).
inline std::string first_line(const std::string& message) {
  return message.substr(0, std::min<std::size_t>(message.find('\n'), 200));
}

/// The spacing of a segmentation: the options', the model's, both (which must agree) or none.
inline vec3 segmentation_spacing(const segmentation_model& model,
                                 const segmentation_options& options) {
  if (options.spacing && model.spacing) {
    for (std::size_t d = 0; d < 3; ++d)
      DISCGEOM_PRECONDITION(std::abs((*options.spacing)[d] - (*model.spacing)[d]) <= 1e-3,
                            "segment", "model ", model.name, " works at spacing ", *model.spacing,
                            " mm, the options ask for ", *options.spacing, " mm");
  }
  DISCGEOM_PRECONDITION(options.spacing || model.spacing, "segment", "model ", model.name,
                        " carries no spacing; give options.spacing (mm per array axis)");
  return options.spacing ? *options.spacing : *model.spacing;
}

/// Labels of the logits (K, N0, N1, N2): see segmentation_decision.
inline torch::Tensor decide_labels(const torch::Tensor& logits, segmentation_decision decision,
                                   double threshold) {
  if (logits.size(0) == 1 || decision == segmentation_decision::threshold) {
    const auto probability = torch::sigmoid(logits);
    const auto [best, index] = probability.max(0);
    return torch::where(best >= threshold, index + 1, torch::zeros_like(index));
  }
  return logits.argmax(0);
}

/// The components of label `disc_class` (holes filled first when asked), numbered 201, 202, ...
/// by the LPS z of their centroids from the lowest; writes them into `labels` (others -> 0).
inline void spider_disc_labels(image<std::uint16_t>& labels, const segmentation_options& options,
                               segmentation_result& result) {
  auto discs = image<std::uint8_t>::filled(labels.shape(), labels.geometry, 0);
  for (std::size_t n = 0; n < labels.voxels.size(); ++n)
    discs.voxels.data()[n] =
        static_cast<std::int64_t>(labels.voxels.data()[n]) == options.disc_class ? 1 : 0;
  const auto components = connected_components(discs, labels.geometry, options.connectivity);
  struct candidate {
    std::uint32_t id;
    std::size_t voxels;
    double z;
  };
  std::vector<candidate> kept;
  for (const auto& c : components.components) {
    if (c.voxels < options.minimum_disc_voxels) {
      ++result.components_removed;
      continue;
    }
    kept.push_back({c.id, c.voxels, labels.geometry.index_to_physical(c.centroid_index)[2]});
  }
  if (kept.size() > 25) {
    std::stable_sort(kept.begin(), kept.end(),
                     [](const candidate& a, const candidate& b) { return a.voxels > b.voxels; });
    result.components_removed += kept.size() - 25;
    kept.resize(25);
    result.status = segmentation_status::too_many_discs;
  }
  std::stable_sort(kept.begin(), kept.end(),
                   [](const candidate& a, const candidate& b) { return a.z < b.z; });
  std::vector<std::uint16_t> label_of(components.components.size() + 1, 0);
  for (std::size_t n = 0; n < kept.size(); ++n)
    label_of[kept[n].id] = static_cast<std::uint16_t>(201 + n);
  for (std::size_t n = 0; n < labels.voxels.size(); ++n)
    labels.voxels.data()[n] = label_of[components.ids.data()[n]];
  result.discs = kept.size();
  if (options.fill_holes) {
    for (std::size_t n = 0; n < kept.size(); ++n) {
      auto one = image<std::uint8_t>::filled(labels.shape(), labels.geometry, 0);
      for (std::size_t v = 0; v < labels.voxels.size(); ++v)
        one.voxels.data()[v] = labels.voxels.data()[v] == 201 + n ? 1 : 0;
      if (fill_holes(one, 1).voxels_changed == 0)
        continue;
      for (std::size_t v = 0; v < labels.voxels.size(); ++v)
        if (one.voxels.data()[v] && labels.voxels.data()[v] == 0) {
          labels.voxels.data()[v] = static_cast<std::uint16_t>(201 + n);
          ++result.holes_filled;
        }
    }
  }
}

/// The post-processing of `classes` labels: segmentation_options' cleanup fields as
/// postprocess_settings.
inline postprocess_settings postprocess_of(const segmentation_options& options) {
  return {.smoothing_radius_mm = options.smoothing_radius_mm,
          .holes = options.fill_holes ? options.holes : hole_filling::off,
          .hole_plane = options.hole_plane,
          .keep_largest_component = options.keep_largest_component,
          .connectivity = options.connectivity};
}

}  // namespace detail

/// Segments a 3D intensity image with `model` and returns labels on the image's own grid.
///
/// Steps: (1) resample the image trilinearly to the model spacing t over the same field of view
/// (resampled_grid); (2) normalise intensities (normalise_intensities: percentile or z-score);
/// (3) sliding_window_inference with Gaussian blending of the logits; (4) decide: argmax over the
/// K channels, or the sigmoid against a threshold (always for K = 1); (5) labels back to the
/// input grid by nearest neighbour (resample_nearest_onto); (6) post-process: with `classes`,
/// postprocess_labels (mask/postprocess.hpp: edge smoothing when smoothing_radius_mm > 0, hole
/// filling, each label's largest component, in that order); with `spider_discs`, the edges
/// smoothed the same way first, then the
/// components of `disc_class` are numbered 201, 202, ... in increasing LPS z of their centroids
/// (201 the lowest, L5/S1 in a lumbar spine), each disc's holes filled: the SPIDER labels that
/// `discgeom discs` reads.
///
/// \param intensities  the image (one channel); its geometry gives the spacing
/// \param model        the network, its input channels and, when known, spacing and
///                     normalisation
/// \returns the label image on the input grid and what happened; no foreground at all is
///          status `empty`, not an error
/// \throws precondition_error when the model expects another number of input channels than 1
///         ("segment(): model M expects 2 input channels, the image has 1"), the model's spacing
///         and options.spacing disagree (both named), neither gives a spacing, the image has NaN
///         or infinite voxels (their count named), or the options are out of range
/// Complexity: resampling O(n), normalisation O(n log n), windows x model, post-processing O(n).
///
///   auto model = discgeom::load_torchscript_segmenter("swin.pt");
///   auto seg = discgeom::segment(t1, model,
///                                {.labels = discgeom::segmentation_labels::spider_discs});
[[nodiscard]] inline segmentation_result segment(const image<float>& intensities,
                                                 const segmentation_model& model,
                                                 const segmentation_options& options = {}) {
  constexpr const char* function = "segment";
  DISCGEOM_PRECONDITION(static_cast<bool>(model.predict), function, "model ", model.name,
                        " has no predictor");
  DISCGEOM_PRECONDITION(model.input_channels == 1, function, "model ", model.name, " expects ",
                        model.input_channels, " input channels, the image has 1");
  DISCGEOM_PRECONDITION(options.threshold > 0.0 && options.threshold < 1.0, function,
                        "options.threshold must be in (0, 1), got ", options.threshold);
  DISCGEOM_PRECONDITION(options.disc_class >= 1, function, "options.disc_class must be >= 1, got ",
                        options.disc_class);
  DISCGEOM_PRECONDITION(
      std::isfinite(options.smoothing_radius_mm) && options.smoothing_radius_mm >= 0.0, function,
      "options.smoothing_radius_mm must be finite and >= 0, got ", options.smoothing_radius_mm);
  intensities.geometry.validate(function);
  const vec3 spacing = detail::segmentation_spacing(model, options);
  if (options.threads > 0)
    torch::set_num_threads(options.threads);
  // (1) + (2); the NaN check first, so that its message names the input's voxels.
  const normalisation_options normalisation =
      options.normalisation ? *options.normalisation
                            : model.normalisation.value_or(normalisation_options{});
  segmentation_result result;
  const auto shape = intensities.shape();
  bool same_grid = true;
  for (std::size_t d = 0; d < 3; ++d)
    same_grid = same_grid && std::abs(spacing[d] - intensities.geometry.spacing[d]) <= 1e-9;
  std::size_t non_finite = 0;
  std::array<std::size_t, 3> first_bad{};
  for (std::size_t k = 0; k < shape[2]; ++k)
    for (std::size_t j = 0; j < shape[1]; ++j)
      for (std::size_t i = 0; i < shape[0]; ++i)
        if (!std::isfinite(intensities.voxels(i, j, k)) && non_finite++ == 0)
          first_bad = {i, j, k};
  DISCGEOM_PRECONDITION(non_finite == 0, function, "the image has ", non_finite,
                        " non-finite voxels (NaN or infinite), the first at ", first_bad);
  std::optional<normalised_image> normalised;
  if (same_grid) {
    normalised = normalise_intensities(intensities, intensities.geometry, normalisation);
  } else {
    const auto resampled = resample_linear<float>(intensities, intensities.geometry, spacing);
    normalised = normalise_intensities(resampled, resampled.geometry, normalisation);
  }
  result.normalisation = normalised->status;
  const auto& grid_image = normalised->voxels;
  result.model_shape = grid_image.shape();
  const auto m = result.model_shape;
  // (3) the tensor (1, N0, N1, N2) of the column-major voxels: axis 0 fastest, so read the
  // buffer as (N2, N1, N0) and reverse the axes.
  const auto input =
      torch::from_blob(const_cast<float*>(grid_image.voxels.data()),
                       {static_cast<std::int64_t>(m[2]), static_cast<std::int64_t>(m[1]),
                        static_cast<std::int64_t>(m[0])},
                       torch::kFloat)
          .permute({2, 1, 0})
          .contiguous()
          .unsqueeze(0);
  sliding_window_result inferred;
  {
    c10::InferenceMode inference;
    inferred = sliding_window_inference(input, model.predict, options.window);
  }
  result.windows = inferred.windows;
  // (4)
  const auto decided = detail::decide_labels(inferred.logits, options.decision, options.threshold)
                           .to(torch::kLong)
                           .permute({2, 1, 0})
                           .contiguous();  // column-major again
  auto model_labels = image<std::uint16_t>::filled(m, grid_image.geometry, 0);
  const auto* decided_data = decided.data_ptr<std::int64_t>();
  for (std::size_t n = 0; n < model_labels.voxels.size(); ++n)
    model_labels.voxels.data()[n] = static_cast<std::uint16_t>(decided_data[n]);
  // (5)
  result.labels = same_grid ? std::move(model_labels)
                            : resample_nearest_onto(model_labels, shape, intensities.geometry);
  result.labels.geometry = intensities.geometry;
  // (6)
  if (options.labels == segmentation_labels::spider_discs) {
    if (options.smoothing_radius_mm > 0.0) {  // the discs' edges, before they are numbered
      const auto smoothed = postprocess_labels(result.labels.voxels, result.labels.geometry,
                                               {.smoothing_radius_mm = options.smoothing_radius_mm,
                                                .holes = hole_filling::off,
                                                .keep_largest_component = false});
      result.smoothing_removed = smoothed.smoothing_removed;
      result.smoothing_added = smoothed.smoothing_added;
    }
    detail::spider_disc_labels(result.labels, options, result);
  } else {
    const auto cleaned = postprocess_labels(result.labels.voxels, result.labels.geometry,
                                            detail::postprocess_of(options));
    result.smoothing_removed = cleaned.smoothing_removed;
    result.smoothing_added = cleaned.smoothing_added;
    result.components_removed = cleaned.components_removed;
    result.holes_filled = cleaned.holes_filled;
  }
  bool any = false;
  for (const auto v : result.labels.voxels)
    any = any || v != 0;
  if (!any)
    result.status = segmentation_status::empty;
  return result;
}

}  // namespace discgeom
