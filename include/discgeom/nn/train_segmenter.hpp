// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Training the native 3D U-Net to segment discs (Perrone et al.'s recipe, docs/segmentation.md):
/// loss = binary cross-entropy + (1 - soft Dice) with equal weights, Adam, random patches
/// (half of them centred on foreground), validation IoU by sliding-window inference after each
/// epoch, early stopping when it has not improved for `patience` epochs, the best model kept.
/// Seeded and deterministic on the CPU. Part of `discgeom::torch`.

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <random>
#include <vector>

#include <torch/nn.h>
#include <torch/optim/adam.h>
#include <torch/torch.h>

#include "discgeom/error.hpp"
#include "discgeom/image.hpp"
#include "discgeom/nn/intensity_normalisation.hpp"
#include "discgeom/nn/sliding_window.hpp"
#include "discgeom/nn/unet3d.hpp"
#include "discgeom/transform/resample.hpp"

namespace discgeom {

/// One training volume at the model's spacing.
struct segmentation_volume {
  torch::Tensor image;   ///< (C, N0, N1, N2) float, normalised
  torch::Tensor target;  ///< (N0, N1, N2) float in {0, 1}
};

/// Which labels of a mask are the foreground to learn: [first, last] (SPIDER discs: 201..225).
struct target_labels {
  std::int64_t first = 201;
  std::int64_t last = 225;
};

/// A training volume from an image and its label mask on the same grid: the image resampled
/// trilinearly and the mask by nearest neighbour to `spacing`, the image normalised, the target
/// 1 where the mask's label is in `labels`.
/// \throws precondition_error when the shapes differ (both named), the image has NaN or infinite
///         voxels, or the spacing is invalid
[[nodiscard]] inline segmentation_volume make_segmentation_volume(
    const image<float>& intensities, const image<std::uint16_t>& mask, const vec3& spacing,
    const normalisation_options& normalisation = {}, const target_labels& labels = {}) {
  DISCGEOM_PRECONDITION(intensities.shape() == mask.shape(), "make_segmentation_volume",
                        "image has shape ", intensities.shape(), ", mask has ", mask.shape());
  const auto resampled = resample_linear<float>(intensities, intensities.geometry, spacing);
  const auto normalised = normalise_intensities(resampled, resampled.geometry, normalisation);
  const auto resampled_mask = resample_nearest(mask, intensities.geometry, spacing);
  const auto m = resampled.shape();
  const std::vector<std::int64_t> reversed{static_cast<std::int64_t>(m[2]),
                                           static_cast<std::int64_t>(m[1]),
                                           static_cast<std::int64_t>(m[0])};
  segmentation_volume volume;
  volume.image =
      torch::from_blob(const_cast<float*>(normalised.voxels.voxels.data()), reversed, torch::kFloat)
          .permute({2, 1, 0})
          .contiguous()
          .unsqueeze(0);
  auto target = torch::empty(reversed, torch::kFloat);
  auto* t = target.data_ptr<float>();
  for (std::size_t n = 0; n < resampled_mask.voxels.size(); ++n) {
    const auto v = static_cast<std::int64_t>(resampled_mask.voxels.data()[n]);
    t[n] = v >= labels.first && v <= labels.last ? 1.0f : 0.0f;
  }
  volume.target = target.permute({2, 1, 0}).contiguous();
  return volume;
}

/// One epoch of training.
struct segmentation_epoch {
  std::int64_t epoch = 0;        ///< 1-based
  double loss = 0.0;             ///< mean BCE + (1 - soft Dice) over the epoch's batches
  double validation_iou = 0.0;   ///< mean over the validation volumes
  double validation_dice = 0.0;  ///< mean over the validation volumes
  bool improved = false;         ///< the best validation IoU so far
};

struct segmentation_training_options {
  std::array<std::int64_t, 3> patch{32, 32, 32};  ///< training patch, voxels
  std::int64_t batch_size = 2;
  std::int64_t batches_per_epoch = 8;
  double learning_rate = 1e-3;
  std::int64_t max_epochs = 100;
  std::int64_t patience = 15;        ///< stop after this many epochs without a better IoU
  double foreground_fraction = 0.5;  ///< share of patches centred on a foreground voxel
  double validation_overlap = 0.25;  ///< sliding-window overlap of the validation inference
  std::uint64_t seed = 0;  ///< patch sampling; seed the initial weights with torch::manual_seed
  int threads = 0;         ///< > 0: torch::set_num_threads(threads); 0: leave it
  std::function<void(const segmentation_epoch&)> on_epoch{};
};

struct segmentation_training_result {
  std::int64_t epochs = 0;      ///< epochs trained
  std::int64_t best_epoch = 0;  ///< whose weights the model holds at the end
  double best_iou = 0.0;
  double best_dice = 0.0;
  bool stopped_early = false;  ///< `patience` epochs without improvement
  std::vector<segmentation_epoch> history;
};

namespace detail {

/// Mean IoU and Dice of model's thresholded (p >= 0.5) predictions over whole volumes, by
/// sliding-window inference; two empty masks score 1.
inline std::array<double, 2> validation_scores(unet3d& model,
                                               const std::vector<segmentation_volume>& volumes,
                                               const sliding_window_options& window) {
  const bool was_training = model->is_training();
  model->eval();
  double iou_sum = 0.0, dice_sum = 0.0;
  {
    c10::InferenceMode inference;
    for (const auto& v : volumes) {
      const auto logits =
          sliding_window_inference(
              v.image, [&](const torch::Tensor& x) { return model->forward(x); }, window)
              .logits[0];
      const auto predicted = logits >= 0;
      const auto truth = v.target > 0.5;
      const double both = (predicted & truth).sum().item<double>();
      const double p = predicted.sum().item<double>(), t = truth.sum().item<double>();
      const double either = p + t - both;
      iou_sum += either == 0 ? 1.0 : both / either;
      dice_sum += p + t == 0 ? 1.0 : 2.0 * both / (p + t);
    }
  }
  model->train(was_training);
  const auto n = static_cast<double>(volumes.size());
  return {iou_sum / n, dice_sum / n};
}

/// A random patch of a volume (zero-padded where the volume is smaller than the patch).
inline std::array<torch::Tensor, 2> sample_patch(const segmentation_volume& volume,
                                                 const std::array<std::int64_t, 3>& patch,
                                                 bool on_foreground,
                                                 const torch::Tensor& foreground,
                                                 std::mt19937_64& generator) {
  std::array<std::int64_t, 3> size{volume.target.size(0), volume.target.size(1),
                                   volume.target.size(2)};
  std::array<std::int64_t, 3> centre{};
  if (on_foreground && foreground.size(0) > 0) {
    std::uniform_int_distribution<std::int64_t> pick(0, foreground.size(0) - 1);
    const auto row = foreground[pick(generator)];
    for (std::size_t d = 0; d < 3; ++d)
      centre[d] = row[static_cast<std::int64_t>(d)].item<std::int64_t>();
  } else {
    for (std::size_t d = 0; d < 3; ++d)
      centre[d] = std::uniform_int_distribution<std::int64_t>(0, size[d] - 1)(generator);
  }
  auto image = volume.image;
  auto target = volume.target;
  std::array<std::int64_t, 3> start{};
  for (std::size_t d = 0; d < 3; ++d) {
    start[d] = std::clamp<std::int64_t>(centre[d] - patch[d] / 2, 0,
                                        std::max<std::int64_t>(0, size[d] - patch[d]));
    const std::int64_t end = std::min(size[d], start[d] + patch[d]);
    image = image.slice(static_cast<std::int64_t>(d) + 1, start[d], end);
    target = target.slice(static_cast<std::int64_t>(d), start[d], end);
  }
  const std::int64_t p0 = patch[0] - image.size(1), p1 = patch[1] - image.size(2),
                     p2 = patch[2] - image.size(3);
  if (p0 || p1 || p2) {
    image = torch::constant_pad_nd(image, {0, p2, 0, p1, 0, p0}, 0.0);
    target = torch::constant_pad_nd(target, {0, p2, 0, p1, 0, p0}, 0.0);
  }
  return {image, target.unsqueeze(0)};
}

}  // namespace detail

/// The segmentation loss: mean binary cross-entropy of the logits plus 1 - soft Dice of their
/// sigmoids over the whole batch, with equal weights (Perrone et al.):
/// L = BCE(z, y) + 1 - (2 sum sigma(z) y + eps) / (sum sigma(z) + sum y + eps), eps = 1e-5.
/// \param logits, targets  tensors of the same shape, targets in {0, 1}
[[nodiscard]] inline torch::Tensor bce_dice_loss(const torch::Tensor& logits,
                                                 const torch::Tensor& targets) {
  constexpr double eps = 1e-5;
  const auto bce = torch::binary_cross_entropy_with_logits(logits, targets);
  const auto p = torch::sigmoid(logits);
  const auto dice = (2.0 * (p * targets).sum() + eps) / (p.sum() + targets.sum() + eps);
  return bce + (1.0 - dice);
}

/// Trains a binary (out_channels 1) U-Net on random patches of `training` and keeps the weights
/// of the epoch with the best validation IoU. A 2D U-Net (config.dimensions 2) trains the same
/// way on the slices along array axis 0 of the volumes (move the slice axis there first), with
/// patches of shape (1, P1, P2): the same loss, the same early stopping.
///
/// Each epoch draws options.batches_per_epoch batches of options.batch_size patches from a
/// generator seeded with (options.seed, epoch): a volume uniformly, then a centre on one of its
/// foreground voxels (with probability options.foreground_fraction) or anywhere; minimises
/// bce_dice_loss with Adam (Kingma & Ba 2015). After the epoch: the IoU and Dice of the
/// thresholded (p >= 0.5) sliding-window prediction of each whole validation volume, averaged.
/// Training stops after options.max_epochs, or when the IoU has not improved on the best for
/// options.patience epochs; the model ends with the best epoch's weights (eval mode).
///
/// Determinism: with the same initial weights (torch::manual_seed before constructing the
/// model), seed and thread count, two runs on the CPU give the same weights and curve.
///
/// \returns the curve, the best epoch and its scores, whether it stopped early
/// \throws precondition_error when the model is not binary or its input channels differ from
///         the volumes', a set is empty, a volume is malformed, or an option is out of range
inline segmentation_training_result train_segmenter(
    unet3d& model, const std::vector<segmentation_volume>& training,
    const std::vector<segmentation_volume>& validation,
    const segmentation_training_options& options = {}) {
  constexpr const char* function = "train_segmenter";
  DISCGEOM_PRECONDITION(model->config().out_channels == 1, function,
                        "the model must have one output channel (binary), it has ",
                        model->config().out_channels);
  DISCGEOM_PRECONDITION(!training.empty(), function, "training has no volume");
  DISCGEOM_PRECONDITION(!validation.empty(), function, "validation has no volume");
  for (const auto* set : {&training, &validation})
    for (std::size_t i = 0; i < set->size(); ++i) {
      const auto& v = (*set)[i];
      DISCGEOM_PRECONDITION(
          v.image.defined() && v.target.defined() && v.image.dim() == 4 && v.target.dim() == 3 &&
              v.image.size(0) == model->config().in_channels &&
              v.image.size(1) == v.target.size(0) && v.image.size(2) == v.target.size(1) &&
              v.image.size(3) == v.target.size(2) && v.image.scalar_type() == torch::kFloat &&
              v.target.scalar_type() == torch::kFloat,
          function, set == &training ? "training[" : "validation[", i, "]: image must be float (",
          model->config().in_channels, ", N0, N1, N2) and target float (N0, N1, N2), got ",
          unet3d_impl::shape_of(v.image), " and ", unet3d_impl::shape_of(v.target));
    }
  DISCGEOM_PRECONDITION(options.batch_size >= 1 && options.batches_per_epoch >= 1, function,
                        "options.batch_size and options.batches_per_epoch must be >= 1, got ",
                        options.batch_size, " and ", options.batches_per_epoch);
  DISCGEOM_PRECONDITION(options.learning_rate > 0.0, function,
                        "options.learning_rate must be > 0, got ", options.learning_rate);
  DISCGEOM_PRECONDITION(options.max_epochs >= 1 && options.patience >= 1, function,
                        "options.max_epochs and options.patience must be >= 1, got ",
                        options.max_epochs, " and ", options.patience);
  DISCGEOM_PRECONDITION(options.foreground_fraction >= 0.0 && options.foreground_fraction <= 1.0,
                        function, "options.foreground_fraction must be in [0, 1], got ",
                        options.foreground_fraction);
  // A 2D U-Net sees each slice along axis 0 alone: a patch may then be one slice thick.
  const std::int64_t thinnest = model->config().dimensions == 2 ? 1 : 4;
  DISCGEOM_PRECONDITION(
      options.patch[0] >= thinnest && options.patch[1] >= 4 && options.patch[2] >= 4, function,
      "options.patch edges must be >= 4 (the first >= ", thinnest, " for a ",
      model->config().dimensions, "D U-Net), got ", options.patch);
  if (options.threads > 0)
    torch::set_num_threads(options.threads);
  std::vector<torch::Tensor> foreground;
  for (const auto& v : training)
    foreground.push_back(torch::nonzero(v.target > 0.5));
  const sliding_window_options window{
      .patch = options.patch, .overlap = options.validation_overlap, .sigma_scale = 0.125};
  torch::optim::Adam optimizer(model->parameters(),
                               torch::optim::AdamOptions(options.learning_rate));
  segmentation_training_result result;
  std::vector<torch::Tensor> best;
  const auto keep_best = [&] {
    torch::NoGradGuard no_grad;
    best.clear();
    for (const auto& p : model->parameters())
      best.push_back(p.detach().clone());
  };
  keep_best();
  result.best_iou = -1.0;
  model->train();
  for (std::int64_t epoch = 1; epoch <= options.max_epochs; ++epoch) {
    std::seed_seq sequence{options.seed, static_cast<std::uint64_t>(epoch)};
    std::mt19937_64 generator(sequence);
    std::uniform_int_distribution<std::size_t> pick_volume(0, training.size() - 1);
    std::bernoulli_distribution on_foreground(options.foreground_fraction);
    double loss_sum = 0.0;
    for (std::int64_t b = 0; b < options.batches_per_epoch; ++b) {
      std::vector<torch::Tensor> images, targets;
      for (std::int64_t i = 0; i < options.batch_size; ++i) {
        const std::size_t v = pick_volume(generator);
        const bool centred = on_foreground(generator);
        auto [image, target] =
            detail::sample_patch(training[v], options.patch, centred, foreground[v], generator);
        images.push_back(image);
        targets.push_back(target);
      }
      optimizer.zero_grad();
      const auto loss = bce_dice_loss(model->forward(torch::stack(images)), torch::stack(targets));
      loss.backward();
      optimizer.step();
      loss_sum += loss.item<double>();
    }
    const auto [iou, dice] = detail::validation_scores(model, validation, window);
    segmentation_epoch record{epoch, loss_sum / static_cast<double>(options.batches_per_epoch), iou,
                              dice, iou > result.best_iou};
    if (record.improved) {
      result.best_iou = iou;
      result.best_dice = dice;
      result.best_epoch = epoch;
      keep_best();
    }
    result.history.push_back(record);
    if (options.on_epoch)
      options.on_epoch(record);
    if (epoch - result.best_epoch >= options.patience) {
      result.stopped_early = true;
      break;
    }
  }
  {
    torch::NoGradGuard no_grad;
    auto parameters = model->parameters();
    for (std::size_t i = 0; i < parameters.size(); ++i)
      parameters[i].copy_(best[i]);
  }
  model->eval();
  result.epochs = static_cast<std::int64_t>(result.history.size());
  return result;
}

}  // namespace discgeom
