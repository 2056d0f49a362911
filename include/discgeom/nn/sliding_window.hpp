// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Sliding-window inference of a whole volume with a patch-based network: overlapping patches,
/// each patch's logits weighted by a Gaussian importance map and blended (nnU-Net, MONAI's
/// sliding_window_inference with mode "gaussian"). Part of `discgeom::torch`.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "discgeom/error.hpp"

namespace discgeom {

/// A patch predictor: (1, C, P0, P1, P2) float input -> (1, K, P0, P1, P2) float logits.
using patch_predictor = std::function<torch::Tensor(const torch::Tensor&)>;

struct sliding_window_options {
  std::array<std::int64_t, 3> patch{96, 96, 96};  ///< patch edge per array axis, voxels
  double overlap = 0.5;        ///< fraction of a patch shared by neighbours, in [0, 1)
  double sigma_scale = 0.125;  ///< Gaussian sigma = sigma_scale x patch edge (nnU-Net: 1/8)
};

/// What the inference did.
struct sliding_window_result {
  torch::Tensor logits;      ///< (K, N0, N1, N2) float, the blended logits
  std::int64_t windows = 0;  ///< patches evaluated
  bool padded = false;       ///< the volume was smaller than a patch on some axis
};

namespace detail {

inline std::string shape_string(const torch::Tensor& tensor) {
  std::string text = "[";
  for (std::int64_t d = 0; d < tensor.dim(); ++d) {
    text += d ? ", " : "";
    text += std::to_string(tensor.size(d));
  }
  return text + "]";
}

}  // namespace detail

/// The start indices of the windows along one axis: with step s = max(1, floor(p (1 -
/// overlap))), starts 0, s, 2s, ... and the last one n - p, so that the windows cover [0, n)
/// (one window, start 0, when n <= p).
/// \throws precondition_error when p < 1 or overlap is not in [0, 1)
[[nodiscard]] inline std::vector<std::int64_t> window_starts(std::int64_t size, std::int64_t patch,
                                                             double overlap) {
  DISCGEOM_PRECONDITION(patch >= 1, "window_starts", "patch must be >= 1, got ", patch);
  DISCGEOM_PRECONDITION(overlap >= 0.0 && overlap < 1.0, "window_starts",
                        "overlap must be in [0, 1), got ", overlap);
  if (size <= patch)
    return {0};
  const auto step = std::max<std::int64_t>(
      1, static_cast<std::int64_t>(std::floor(static_cast<double>(patch) * (1.0 - overlap))));
  std::vector<std::int64_t> starts;
  for (std::int64_t s = 0; s + patch < size; s += step)
    starts.push_back(s);
  starts.push_back(size - patch);
  return starts;
}

/// The Gaussian importance map of a patch: w(x) = exp(-sum_d (x_d - c_d)^2 / (2 sigma_d^2)),
/// c_d = (p_d - 1) / 2 the patch centre, sigma_d = sigma_scale p_d, scaled so that its maximum
/// is 1 and bounded below by the smallest positive value it has (so no voxel weighs 0; nnU-Net,
/// Isensee et al. 2021).
///
/// \returns (P0, P1, P2) float tensor in (0, 1]
/// \throws precondition_error when a patch edge < 1 or sigma_scale <= 0
/// Complexity: O(P0 P1 P2).
///
///   auto w = discgeom::gaussian_importance_map({32, 32, 32});  // w.max() == 1
[[nodiscard]] inline torch::Tensor gaussian_importance_map(const std::array<std::int64_t, 3>& patch,
                                                           double sigma_scale = 0.125) {
  DISCGEOM_PRECONDITION(patch[0] >= 1 && patch[1] >= 1 && patch[2] >= 1, "gaussian_importance_map",
                        "patch edges must be >= 1, got ", patch);
  DISCGEOM_PRECONDITION(std::isfinite(sigma_scale) && sigma_scale > 0.0, "gaussian_importance_map",
                        "sigma_scale must be finite and > 0, got ", sigma_scale);
  std::array<torch::Tensor, 3> axes;
  for (std::size_t d = 0; d < 3; ++d) {
    const double centre = (static_cast<double>(patch[d]) - 1.0) / 2.0;
    const double sigma = sigma_scale * static_cast<double>(patch[d]);
    const auto x = torch::arange(patch[d], torch::kDouble) - centre;
    axes[d] = torch::exp(-(x * x) / (2.0 * sigma * sigma));
  }
  auto map = axes[0].view({-1, 1, 1}) * axes[1].view({1, -1, 1}) * axes[2].view({1, 1, -1});
  map = map / map.max();
  const auto smallest = map.masked_select(map > 0).min();
  return torch::maximum(map, smallest).to(torch::kFloat);
}

/// Sliding-window inference: the logits of `predictor` over the whole of `volume`.
///
/// The volume (C, N0, N1, N2) is first padded with zeros at the far end of each axis shorter
/// than the patch (a padded volume is cropped back at the end). Windows start at the
/// window_starts of each axis; the logits are blended with the Gaussian importance map w:
/// L(x) = sum_w w(x - s_w) L_w(x - s_w) / sum_w w(x - s_w). A volume of exactly one patch is
/// one call of the predictor, unweighted (whole-volume inference); with a pointwise predictor the
/// blend equals whole-volume inference everywhere, as the weights normalise.
///
/// \param volume     (C, N0, N1, N2) float CPU tensor
/// \param predictor  (1, C, P0, P1, P2) -> (1, K, P0, P1, P2) logits, called once per window
/// \returns the blended logits (K, N0, N1, N2) and the number of windows
/// \throws precondition_error when the volume is not 4D float, the options are out of range or
///         the predictor returns another shape than (1, K, P0, P1, P2) (both shapes named)
/// Complexity: windows x predictor, windows = prod_d (ceil((N_d - P_d) / step_d) + 1).
///
///   auto out = discgeom::sliding_window_inference(x, [&](auto& p) { return net(p); },
///                                                 {.patch = {64, 64, 64}});
[[nodiscard]] inline sliding_window_result sliding_window_inference(
    const torch::Tensor& volume, const patch_predictor& predictor,
    const sliding_window_options& options = {}) {
  constexpr const char* function = "sliding_window_inference";
  DISCGEOM_PRECONDITION(volume.defined() && volume.dim() == 4, function,
                        "volume must be (C, N0, N1, N2), got ",
                        volume.defined() ? detail::shape_string(volume) : std::string("undefined"));
  DISCGEOM_PRECONDITION(volume.scalar_type() == torch::kFloat, function,
                        "volume must be float32, got ", c10::toString(volume.scalar_type()));
  const auto& patch = options.patch;
  DISCGEOM_PRECONDITION(patch[0] >= 1 && patch[1] >= 1 && patch[2] >= 1, function,
                        "options.patch edges must be >= 1, got ", patch);
  DISCGEOM_PRECONDITION(options.overlap >= 0.0 && options.overlap < 1.0, function,
                        "options.overlap must be in [0, 1), got ", options.overlap);
  const std::array<std::int64_t, 3> size{volume.size(1), volume.size(2), volume.size(3)};
  std::array<std::int64_t, 3> padded_size{};
  sliding_window_result result;
  for (std::size_t d = 0; d < 3; ++d) {
    padded_size[d] = std::max(size[d], patch[d]);
    result.padded = result.padded || padded_size[d] != size[d];
  }
  torch::Tensor input = volume;
  if (result.padded) {
    input = torch::constant_pad_nd(
        volume,
        {0, padded_size[2] - size[2], 0, padded_size[1] - size[1], 0, padded_size[0] - size[0]},
        0.0);
  }
  const auto weights = gaussian_importance_map(patch, options.sigma_scale);
  std::array<std::vector<std::int64_t>, 3> starts;
  for (std::size_t d = 0; d < 3; ++d)
    starts[d] = window_starts(padded_size[d], patch[d], options.overlap);
  if (starts[0].size() == 1 && starts[1].size() == 1 && starts[2].size() == 1) {
    // One window: whole-volume inference, no blending (w L / w would round).
    const torch::Tensor logits = predictor(input.unsqueeze(0).contiguous());
    DISCGEOM_PRECONDITION(
        logits.defined() && logits.dim() == 5 && logits.size(0) == 1 &&
            logits.size(2) == padded_size[0] && logits.size(3) == padded_size[1] &&
            logits.size(4) == padded_size[2],
        function, "the predictor returned ",
        logits.defined() ? detail::shape_string(logits) : std::string("undefined"),
        " for a window of [1, ", input.size(0), ", ", padded_size[0], ", ", padded_size[1], ", ",
        padded_size[2], "]; expected [1, K, ", padded_size[0], ", ", padded_size[1], ", ",
        padded_size[2], "]");
    result.windows = 1;
    result.logits = logits[0]
                        .to(torch::kCPU, torch::kFloat)
                        .slice(1, 0, size[0])
                        .slice(2, 0, size[1])
                        .slice(3, 0, size[2])
                        .contiguous();
    return result;
  }
  torch::Tensor sum, norm = torch::zeros({padded_size[0], padded_size[1], padded_size[2]});
  for (const std::int64_t s0 : starts[0])
    for (const std::int64_t s1 : starts[1])
      for (const std::int64_t s2 : starts[2]) {
        const auto window = input.slice(1, s0, s0 + patch[0])
                                .slice(2, s1, s1 + patch[1])
                                .slice(3, s2, s2 + patch[2])
                                .unsqueeze(0)
                                .contiguous();
        const torch::Tensor logits = predictor(window);
        DISCGEOM_PRECONDITION(
            logits.defined() && logits.dim() == 5 && logits.size(0) == 1 &&
                logits.size(2) == patch[0] && logits.size(3) == patch[1] &&
                logits.size(4) == patch[2],
            function, "the predictor returned ",
            logits.defined() ? detail::shape_string(logits) : std::string("undefined"),
            " for a window of ", detail::shape_string(window), "; expected [1, K, ", patch[0], ", ",
            patch[1], ", ", patch[2], "]");
        if (!sum.defined())
          sum = torch::zeros({logits.size(1), padded_size[0], padded_size[1], padded_size[2]});
        DISCGEOM_PRECONDITION(logits.size(1) == sum.size(0), function, "the predictor returned ",
                              logits.size(1), " channels for one window and ", sum.size(0),
                              " for another");
        sum.slice(1, s0, s0 + patch[0])
            .slice(2, s1, s1 + patch[1])
            .slice(3, s2, s2 + patch[2])
            .add_(logits[0].to(torch::kCPU, torch::kFloat) * weights);
        norm.slice(0, s0, s0 + patch[0])
            .slice(1, s1, s1 + patch[1])
            .slice(2, s2, s2 + patch[2])
            .add_(weights);
        ++result.windows;
      }
  result.logits =
      (sum / norm).slice(1, 0, size[0]).slice(2, 0, size[1]).slice(3, 0, size[2]).contiguous();
  return result;
}

}  // namespace discgeom
