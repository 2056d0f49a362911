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

/// The slices a 2D model sees: those of an anatomical plane (whose normal array axis comes from
/// the image's direction cosines, image_geometry::array_axis) or those normal to an array axis.
struct slice_orientation {
  std::optional<anatomical_plane> plane{};  ///< set: the slices of this plane
  std::size_t array_axis = 0;               ///< plane empty: the slices normal to this axis

  /// The array axis normal to the slices, for an image of this geometry.
  [[nodiscard]] std::size_t axis(const image_geometry& geometry) const {
    return plane ? geometry.array_axis(normal_of(*plane)) : array_axis;
  }
  /// "sagittal", "coronal", "axial" or "array axis N".
  [[nodiscard]] std::string describe() const {
    if (!plane)
      return "array axis " + std::to_string(array_axis);
    return *plane == anatomical_plane::sagittal  ? "sagittal"
           : *plane == anatomical_plane::coronal ? "coronal"
                                                 : "axial";
  }
};

/// "sagittal", "coronal", "axial" (or "transverse"), or an array axis "0", "1", "2".
/// \throws precondition_error naming `function` and the text for anything else
[[nodiscard]] inline slice_orientation parse_slice_orientation(const std::string& text,
                                                               const char* function) {
  if (text == "sagittal")
    return {.plane = anatomical_plane::sagittal};
  if (text == "coronal")
    return {.plane = anatomical_plane::coronal};
  if (text == "axial" || text == "transverse")
    return {.plane = anatomical_plane::transverse};
  if (text == "0" || text == "1" || text == "2")
    return {.array_axis = static_cast<std::size_t>(text[0] - '0')};
  detail::throw_error<precondition_error>(
      function, "slice plane '", text,
      "' is not sagittal, coronal, axial or an array axis 0, 1, 2");
}

/// A segmentation network and what it expects.
struct segmentation_model {
  /// dimensions 3: (N, C, P0, P1, P2) float -> (N, K, P0, P1, P2) logits; dimensions 2:
  /// (N, C, H, W) -> (N, K, H, W), one slice per batch entry. Called in inference mode.
  patch_predictor predict{};
  std::int64_t input_channels = 1;
  /// 3: a volume model; 2: a slice model, applied to every slice normal to its slice axis.
  std::size_t dimensions = 3;
  /// 2D: the slices it was trained on, when it says (TorchScript: discgeom_slice_plane).
  std::optional<slice_orientation> slices{};
  /// 2D: mm per in-plane axis (H, W) it works at, when it says (TorchScript: discgeom_spacing of 2).
  std::optional<std::array<double, 2>> slice_spacing{};
  /// mm per array axis the model works at, when it says (2D: the caller's spacing, whose
  /// in-plane values count).
  std::optional<vec3> spacing{};
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
  /// Where holes are filled (fill_holes true), for classes and spider_discs alike: in 3D, or
  /// slice by slice in hole_plane.
  hole_filling holes = hole_filling::volume;
  anatomical_plane hole_plane = anatomical_plane::sagittal;
  /// Edge smoothing (postprocess_labels): opening then closing with a ball of this radius (mm),
  /// before holes and components (and before the discs are numbered); 0: off.
  double smoothing_radius_mm = 0.0;
  std::size_t minimum_disc_voxels = 0;  ///< spider_discs: smaller components are dropped
  connectivity3 connectivity = connectivity3::corners;
  int threads = 0;  ///< > 0: torch::set_num_threads(threads); 0: leave it
  /// 2D models: the slices to segment; needed when the model names none, checked against it
  /// (the same array axis for this image) when it does.
  std::optional<slice_orientation> slices{};
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

/// The in-plane array axes of slices normal to `axis`, increasing: the (H, W) of a 2D model.
inline std::array<std::size_t, 2> in_plane_axes(std::size_t axis) {
  return axis == 0   ? std::array<std::size_t, 2>{1, 2}
         : axis == 1 ? std::array<std::size_t, 2>{0, 2}
                     : std::array<std::size_t, 2>{0, 1};
}

/// The slice axis of a 2D model for an image: the options', the model's, both (which must name
/// the same array axis) or none (an error that says how to give it).
inline std::size_t segmentation_slice_axis(const segmentation_model& model,
                                           const segmentation_options& options,
                                           const image_geometry& geometry) {
  DISCGEOM_PRECONDITION(options.slices || model.slices, "segment", "model ", model.name,
                        " is a 2D (slice) model that names no slice plane; give "
                        "options.slices (on the command line --slice-plane "
                        "sagittal|coronal|axial|0|1|2)");
  if (options.slices && model.slices)
    DISCGEOM_PRECONDITION(options.slices->axis(geometry) == model.slices->axis(geometry), "segment",
                          "model ", model.name, " segments ", model.slices->describe(),
                          " slices (array axis ", model.slices->axis(geometry),
                          " of this image), the options ask for ", options.slices->describe(),
                          " (array axis ", options.slices->axis(geometry), ")");
  const auto& orientation = options.slices ? *options.slices : *model.slices;
  DISCGEOM_PRECONDITION(orientation.plane || orientation.array_axis < 3, "segment",
                        "slice array axis ", orientation.array_axis, " is not 0, 1 or 2");
  return orientation.axis(geometry);
}

/// The spacing of a 2D model's segmentation: along the slice axis the image's own (slices are
/// never resampled across), in plane the model's slice_spacing or the in-plane values of the
/// options' (or the model's) spacing, which must agree when both are given.
inline vec3 slice_segmentation_spacing(const segmentation_model& model,
                                       const segmentation_options& options,
                                       const image_geometry& geometry, std::size_t axis) {
  const auto plane = in_plane_axes(axis);
  const std::optional<vec3> given = options.spacing ? options.spacing : model.spacing;
  DISCGEOM_PRECONDITION(given || model.slice_spacing, "segment", "model ", model.name,
                        " carries no spacing; give options.spacing (mm per array axis; the "
                        "in-plane values count)");
  vec3 spacing = geometry.spacing;
  for (std::size_t n = 0; n < 2; ++n) {
    if (given && model.slice_spacing)
      DISCGEOM_PRECONDITION(std::abs((*given)[plane[n]] - (*model.slice_spacing)[n]) <= 1e-3,
                            "segment", "model ", model.name, " works at in-plane spacing [",
                            (*model.slice_spacing)[0], ",", (*model.slice_spacing)[1],
                            "] mm, the options ask for [", (*given)[plane[0]], ",",
                            (*given)[plane[1]], "] mm (array axes ", plane[0], ", ", plane[1], ")");
    spacing[plane[n]] = model.slice_spacing ? (*model.slice_spacing)[n] : (*given)[plane[n]];
  }
  return spacing;
}

}  // namespace detail

/// A 2D model as a patch predictor of volumes: the slices normal to array axis `axis` of an
/// (N, C, P0, P1, P2) input go to `predict_2d` as one batch (N P_axis, C, H, W), H and W the
/// other two axes in increasing order, and its (N P_axis, K, H, W) logits come back as
/// (N, K, P0, P1, P2). Each slice is segmented on its own, as slice-by-slice inference in Python.
/// \throws precondition_error when axis > 2, or predict_2d returns another shape
[[nodiscard]] inline patch_predictor slice_predictor(patch_predictor predict_2d, std::size_t axis) {
  DISCGEOM_PRECONDITION(axis < 3, "slice_predictor", "axis ", axis, " is not 0, 1 or 2");
  return [predict = std::move(predict_2d), axis](const torch::Tensor& x) {
    DISCGEOM_PRECONDITION(x.dim() == 5, "slice_predictor", "the input has shape ",
                          detail::shape_string(x), ", not (N, C, P0, P1, P2)");
    const auto a = static_cast<std::int64_t>(axis) + 2;
    const auto n = x.size(0), c = x.size(1), depth = x.size(a);
    // (N, C, ..., P_a, ...) -> (N, P_a, C, H, W) -> (N P_a, C, H, W)
    const auto moved = x.movedim(a, 1).contiguous();
    const auto h = moved.size(3), w = moved.size(4);
    const auto out = predict(moved.reshape({n * depth, c, h, w}));
    DISCGEOM_PRECONDITION(
        out.dim() == 4 && out.size(0) == n * depth && out.size(2) == h && out.size(3) == w,
        "slice_predictor", "the 2D model returned ", detail::shape_string(out), " for slices ",
        detail::shape_string(moved.reshape({n * depth, c, h, w})), ", expected [", n * depth,
        ", K, ", h, ", ", w, "]");
    return out.reshape({n, depth, out.size(1), h, w}).movedim(1, a);
  };
}

namespace detail {

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

/// The post-processing of the labels: segmentation_options' cleanup fields as
/// postprocess_settings.
inline postprocess_settings postprocess_of(const segmentation_options& options) {
  return {.smoothing_radius_mm = options.smoothing_radius_mm,
          .holes = options.fill_holes ? options.holes : hole_filling::off,
          .hole_plane = options.hole_plane,
          .keep_largest_component = options.keep_largest_component,
          .connectivity = options.connectivity};
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
  // Each disc's holes, in 3D or slice by slice in options.hole_plane, as for classes.
  const auto settings = postprocess_of(options);
  if (settings.holes != hole_filling::off) {
    std::vector<std::uint16_t> discs;
    for (std::size_t n = 0; n < kept.size(); ++n)
      discs.push_back(static_cast<std::uint16_t>(201 + n));
    postprocess_report report;
    fill_label_holes(labels.view(), labels.geometry, settings, discs, report);
    result.holes_filled += report.holes_filled;
  }
}

}  // namespace detail

/// Segments a 3D intensity image with `model` and returns labels on the image's own grid.
///
/// A 2D model (`dimensions` 2, Hess et al.'s slice-by-slice segmentation) sees every slice
/// normal to its slice axis (options.slices, else the model's; an anatomical plane is resolved
/// through the image's direction cosines): the resampling is in plane only (the slice axis keeps
/// the image's spacing), the normalisation is the whole volume's, the windows are one slice thick
/// (slice_predictor; in plane the options' patch), then the same decision, return to the input
/// grid and post-processing.
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
///         and options.spacing disagree (both named), neither gives a spacing, a 2D model
///         has no slice plane from the model or the options (the message says how to give
///         one) or the two name different array axes, the image has NaN
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
  DISCGEOM_PRECONDITION(model.dimensions == 2 || model.dimensions == 3, function, "model ",
                        model.name, " has ", model.dimensions, " dimensions, not 2 or 3");
  intensities.geometry.validate(function);
  const bool slices = model.dimensions == 2;
  const std::size_t slice_axis =
      slices ? detail::segmentation_slice_axis(model, options, intensities.geometry) : 0;
  const vec3 spacing =
      slices ? detail::slice_segmentation_spacing(model, options, intensities.geometry, slice_axis)
             : detail::segmentation_spacing(model, options);
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
    if (slices) {  // one slice per window along the slice axis, in plane the options' patch
      auto window = options.window;
      window.patch[slice_axis] = 1;
      inferred =
          sliding_window_inference(input, slice_predictor(model.predict, slice_axis), window);
    } else {
      inferred = sliding_window_inference(input, model.predict, options.window);
    }
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
