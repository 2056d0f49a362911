// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The bottleneck experiment of Perrone et al.: train one autoencoder per bottleneck size on
/// the same masks and report, per size, whether it converged, after how many epochs, and its
/// final IoU with a 95% interval across the masks. Part of `discgeom::torch`.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <torch/nn.h>

#include "discgeom/error.hpp"
#include "discgeom/nn/autoencoder.hpp"
#include "discgeom/nn/autoencoder_io.hpp"
#include "discgeom/nn/train_autoencoder.hpp"
#include "discgeom/stats/summary.hpp"

namespace discgeom {

/// One bottleneck size of a sweep.
struct bottleneck_result {
  std::int64_t bottleneck = 0;
  bool converged = false;
  std::int64_t epochs = 0;
  mean_interval iou;  ///< per-mask IoU after the last epoch: mean, sd, t and bootstrap 95% CIs
  std::vector<autoencoder_epoch> history;
};

struct bottleneck_sweep_options {
  autoencoder_training_options training{};  ///< shared by every size; its checkpoint is ignored
  std::uint64_t initialisation_seed = 0;    ///< torch::manual_seed before each model is built
  /// Where to keep each size's model and checkpoint: "<folder>/bottleneck_<B>.pt"; empty: none.
  std::filesystem::path folder{};
  std::optional<vec3> crop_spacing{};           ///< saved with each model (see save_autoencoder)
  std::function<void(std::int64_t)> on_size{};  ///< called before each size is trained
};

/// Trains an autoencoder of `architecture` with each bottleneck size in `sizes` on `masks`.
/// With a folder, each size keeps its model and checkpoint there, so that a sweep interrupted
/// and started again with training.resume continues where it stopped.
/// \throws precondition_error for an empty or non-positive size, or as train_autoencoder
[[nodiscard]] inline std::vector<bottleneck_result> sweep_bottlenecks(
    const torch::Tensor& masks, autoencoder_config architecture,
    const std::vector<std::int64_t>& sizes, const bottleneck_sweep_options& options = {}) {
  DISCGEOM_PRECONDITION(!sizes.empty(), "sweep_bottlenecks", "no bottleneck size given");
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    DISCGEOM_PRECONDITION(sizes[i] >= 1, "sweep_bottlenecks", "sizes[", i, "] must be >= 1, got ",
                          sizes[i]);
  }
  if (!options.folder.empty()) {
    std::filesystem::create_directories(options.folder);
  }
  std::vector<bottleneck_result> results;
  for (const std::int64_t size : sizes) {
    if (options.on_size) {
      options.on_size(size);
    }
    architecture.bottleneck = size;
    torch::manual_seed(options.initialisation_seed);
    autoencoder3d model(architecture);
    auto training = options.training;
    const std::filesystem::path model_file =
        options.folder.empty() ? std::filesystem::path()
                               : options.folder / ("bottleneck_" + std::to_string(size) + ".pt");
    training.checkpoint = model_file.empty()
                              ? std::filesystem::path()
                              : std::filesystem::path(model_file.string() + ".checkpoint");
    training.resume = training.resume && !model_file.empty();
    const auto trained = train_autoencoder(model, masks, training);
    if (!model_file.empty()) {
      save_autoencoder(model, model_file, options.crop_spacing);
    }
    results.push_back({size, trained.converged, trained.epochs,
                       summarise_mean(trained.per_mask_iou, {.seed = training.seed}),
                       trained.history});
  }
  return results;
}

}  // namespace discgeom
