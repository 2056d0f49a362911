// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Training the disc-shape autoencoder (Perrone et al.): Adam on binary cross-entropy with
/// logits, batch 4, until the mean IoU of the thresholded reconstructions over the whole
/// training set reaches a target (0.995) or the epochs run out; seeded and deterministic on the
/// CPU, with checkpoints that a resumed run continues from to the same result as an
/// uninterrupted one. Part of `discgeom::torch`.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include <torch/cuda.h>
#include <torch/nn.h>
#include <torch/optim/adam.h>
#include <torch/serialize.h>

#include "discgeom/detail/atomic_file.hpp"
#include "discgeom/error.hpp"
#include "discgeom/nn/archive_file.hpp"
#include "discgeom/nn/autoencoder.hpp"
#include "discgeom/nn/autoencoder_serialisation.hpp"
#include "discgeom/stats/detail/random.hpp"

namespace discgeom {

/// One epoch of training.
struct autoencoder_epoch {
  std::int64_t epoch = 0;  ///< 1-based
  double loss = 0.0;       ///< mean BCE-with-logits over the epoch's batches
  double mean_iou = 0.0;   ///< over the whole training set after the epoch (eval mode)
};

struct autoencoder_training_options {
  std::int64_t batch_size = 4;
  double learning_rate = 1e-3;
  std::int64_t max_epochs = 200;
  double target_iou = 0.995;  ///< converged when the mean IoU reaches it
  std::uint64_t seed = 0;     ///< the epochs' shuffles; seed the model's initialisation with
                              ///< torch::manual_seed before constructing it
  int threads = 0;            ///< > 0: torch::set_num_threads(threads); 0: leave it
  std::filesystem::path checkpoint{};  ///< empty: no checkpoint
  std::int64_t checkpoint_every = 0;   ///< also every N epochs (0: only at the end)
  bool resume = false;                 ///< continue from `checkpoint` when it exists
  std::function<void(const autoencoder_epoch&)> on_epoch{};  ///< progress (loss, IoU)
  /// Where to train: the CPU, or a CUDA device when this LibTorch was built with CUDA (the
  /// masks stay on the CPU and go to the device batch by batch).
  torch::Device device = torch::kCPU;
};

struct autoencoder_training_result {
  bool converged = false;
  std::int64_t epochs = 0;  ///< epochs trained in all (resumed ones included)
  double final_iou = 0.0;
  std::vector<double> per_mask_iou;        ///< after the last epoch
  std::vector<autoencoder_epoch> history;  ///< every epoch, resumed ones included
};

namespace detail {

/// IoU of each reconstruction thresholded at probability 0.5 (logit 0) against its mask > 0.5;
/// two empty masks have IoU 1. Evaluated in eval mode (BatchNorm's running statistics).
inline std::vector<double> reconstruction_iou(autoencoder3d& model, const torch::Tensor& masks,
                                              std::int64_t batch_size) {
  const bool was_training = model->is_training();
  model->eval();
  c10::InferenceMode inference;  // no autograd bookkeeping at all (faster than NoGradGuard)
  std::vector<double> iou;
  for (std::int64_t start = 0; start < masks.size(0); start += batch_size) {
    const auto batch =
        masks.slice(0, start, std::min(masks.size(0), start + batch_size)).to(model_device(model));
    const auto predicted = model->forward(batch) > 0;
    const auto truth = batch > 0.5;
    const auto both = (predicted & truth).flatten(1).sum(1).to(torch::kCPU, torch::kDouble);
    const auto either = (predicted | truth).flatten(1).sum(1).to(torch::kCPU, torch::kDouble);
    for (std::int64_t i = 0; i < batch.size(0); ++i) {
      const double u = either[i].item<double>();
      iou.push_back(u == 0.0 ? 1.0 : both[i].item<double>() / u);
    }
  }
  model->train(was_training);
  return iou;
}

/// The order of the masks in epoch `epoch`: a function of (seed, epoch) alone, so a resumed
/// run draws the same batches as an uninterrupted one.
inline std::vector<std::int64_t> epoch_order(std::int64_t count, std::uint64_t seed,
                                             std::int64_t epoch) {
  std::vector<std::int64_t> order(static_cast<std::size_t>(count));
  for (std::int64_t i = 0; i < count; ++i) {
    order[static_cast<std::size_t>(i)] = i;
  }
  std::seed_seq sequence{seed, static_cast<std::uint64_t>(epoch)};
  std::mt19937_64 generator(sequence);
  shuffle_in_place(std::span<std::int64_t>(order), generator);
  return order;
}

inline void save_training_state(const std::filesystem::path& file, autoencoder3d& model,
                                torch::optim::Adam& optimizer,
                                const std::vector<autoencoder_epoch>& history, std::uint64_t seed) {
  torch::serialize::OutputArchive archive;
  archive.write("config", config_tensor(model->config()));
  torch::serialize::OutputArchive model_archive;
  model->save(model_archive);
  archive.write("model", model_archive);
  torch::serialize::OutputArchive optimizer_archive;
  optimizer.save(optimizer_archive);
  archive.write("optimizer", optimizer_archive);
  auto table = torch::zeros({static_cast<std::int64_t>(history.size()), 3}, torch::kDouble);
  for (std::size_t i = 0; i < history.size(); ++i) {
    table[static_cast<std::int64_t>(i)][0] = static_cast<double>(history[i].epoch);
    table[static_cast<std::int64_t>(i)][1] = history[i].loss;
    table[static_cast<std::int64_t>(i)][2] = history[i].mean_iou;
  }
  archive.write("history", table);
  archive.write("seed", torch::tensor(static_cast<std::int64_t>(seed), torch::kLong));
  save_archive_atomically(archive, file, "train_autoencoder");
}

/// Reads a checkpoint into model and optimizer; returns the history it holds. The file is
/// checked before LibTorch loads it (read_checked_archive: zip structure, every entry's CRC-32)
/// and after: the weights and BatchNorm statistics of the model's shapes and finite, Adam's
/// moments of the parameters' shapes, the history an (epochs, 3) table, the seed one number.
/// \throws io_error naming the file when it cannot be read (truncated, not a checkpoint), is
///         damaged (the zip entry or the tensor named), or holds another architecture or seed
inline std::vector<autoencoder_epoch> load_training_state(const std::filesystem::path& file,
                                                          autoencoder3d& model,
                                                          torch::optim::Adam& optimizer,
                                                          std::uint64_t seed) {
  constexpr const char* function = "train_autoencoder";
  const std::string name = file.string();
  const std::string bytes = read_checked_archive(file, function, "readable checkpoint");
  torch::serialize::InputArchive archive;
  torch::Tensor config_values;
  torch::Tensor table;
  torch::Tensor stored_seed;
  try {
    archive.load_from(bytes.data(), bytes.size());
    archive.read("config", config_values);
  } catch (const std::exception& e) {
    throw_error<io_error>(function, name,
                          ": not a readable checkpoint (truncated or another format): ",
                          torch_error_message(e));
  }
  const autoencoder_config stored = config_from_tensor(config_values, name, function);
  if (!same_architecture(stored, model->config())) {
    throw_error<io_error>(function, name, ": holds a model of ", stored.describe(), ", not ",
                          model->config().describe());
  }
  const auto signatures = tensor_signatures(*model);
  try {
    torch::serialize::InputArchive model_archive;
    archive.read("model", model_archive);
    model->load(model_archive);
    torch::serialize::InputArchive optimizer_archive;
    archive.read("optimizer", optimizer_archive);
    optimizer.load(optimizer_archive);
    archive.read("history", table);
    archive.read("seed", stored_seed);
  } catch (const std::exception& e) {
    throw_error<io_error>(function, name, ": damaged checkpoint: ", torch_error_message(e));
  }
  check_loaded_tensors(signatures, *model, name, function, "model");
  for (const auto& group : optimizer.param_groups()) {
    for (const auto& p : group.params()) {
      const auto found = optimizer.state().find(c10::guts::to_string(p.unsafeGetTensorImpl()));
      if (found == optimizer.state().end())
        continue;  // a parameter Adam has not stepped yet
      const auto* moments = dynamic_cast<const torch::optim::AdamParamState*>(found->second.get());
      if (moments == nullptr || !moments->exp_avg().defined() ||
          moments->exp_avg().sizes() != p.sizes() || !moments->exp_avg_sq().defined() ||
          moments->exp_avg_sq().sizes() != p.sizes()) {
        throw_error<io_error>(function, name, ": damaged checkpoint: Adam's moments of a ",
                              p.sizes().vec(), " parameter are not of its shape");
      }
    }
  }
  if (!table.defined() || table.dim() != 2 || table.size(1) != 3 ||
      !c10::isFloatingType(table.scalar_type())) {
    throw_error<io_error>(function, name, ": damaged checkpoint: 'history' is ",
                          table.defined() ? table.sizes().vec() : std::vector<std::int64_t>{},
                          ", not an (epochs, 3) table");
  }
  if (!stored_seed.defined() || stored_seed.numel() != 1 ||
      !c10::isIntegralType(stored_seed.scalar_type(), /*includeBool=*/false)) {
    throw_error<io_error>(function, name, ": damaged checkpoint: 'seed' is not one whole number");
  }
  if (static_cast<std::uint64_t>(stored_seed.item<std::int64_t>()) != seed) {
    throw_error<io_error>(function, name, ": was trained with seed ",
                          stored_seed.item<std::int64_t>(), ", not ", seed,
                          "; resuming with another seed would not continue the same run");
  }
  std::vector<autoencoder_epoch> history;
  const auto rows = table.to(torch::kCPU, torch::kDouble).contiguous();
  for (std::int64_t i = 0; i < rows.size(0); ++i) {
    history.push_back({static_cast<std::int64_t>(rows[i][0].item<double>()),
                       rows[i][1].item<double>(), rows[i][2].item<double>()});
  }
  return history;
}

}  // namespace detail

/// Trains `model` on `masks` ((N, 1, S, S, S) float in {0, 1}) and returns the training curve.
///
/// Each epoch visits the masks in an order drawn from (options.seed, epoch) in batches of
/// options.batch_size (the last one smaller), minimising the mean binary cross-entropy of the
/// logits (torch::binary_cross_entropy_with_logits) with Adam (Kingma & Ba 2015) at
/// options.learning_rate. After each epoch the model is evaluated (eval mode) on the whole set:
/// IoU of each reconstruction thresholded at 0.5 against its mask; training stops when the mean
/// IoU reaches options.target_iou (converged) or after options.max_epochs epochs.
///
/// On options.device: the CPU, or a CUDA device when LibTorch has CUDA (refused otherwise).
/// Determinism: with the same initial weights (torch::manual_seed before constructing the
/// model), seed and thread count, two runs on the CPU give the same weights and curve. A
/// checkpoint (options.checkpoint, every options.checkpoint_every epochs and at the end, written
/// atomically) holds the weights, BatchNorm statistics, Adam's moments, the curve and the seed;
/// with options.resume a run continues from it and ends where an uninterrupted run ends.
///
/// \throws precondition_error for masks of the wrong shape or type, an empty set, or options
///         out of range; io_error for a checkpoint that cannot be written or read back (file
///         named), or that holds another architecture or seed
inline autoencoder_training_result train_autoencoder(
    autoencoder3d& model, const torch::Tensor& masks,
    const autoencoder_training_options& options = {}) {
  const auto& config = model->config();
  const std::int64_t s = config.input_size;
  DISCGEOM_PRECONDITION(
      masks.defined() && masks.dim() == 5 && masks.size(1) == 1 && masks.size(2) == s &&
          masks.size(3) == s && masks.size(4) == s && masks.size(0) >= 1,
      "train_autoencoder", "masks must be (N >= 1, 1, ", s, ", ", s, ", ", s, "), got ",
      masks.defined() ? autoencoder3d_impl::shape_text(masks) : std::string("undefined"));
  DISCGEOM_PRECONDITION(masks.scalar_type() == torch::kFloat && masks.device().is_cpu(),
                        "train_autoencoder", "masks must be a float32 CPU tensor");
  DISCGEOM_PRECONDITION(options.batch_size >= 1, "train_autoencoder",
                        "options.batch_size must be >= 1, got ", options.batch_size);
  DISCGEOM_PRECONDITION(options.learning_rate > 0.0, "train_autoencoder",
                        "options.learning_rate must be > 0, got ", options.learning_rate);
  DISCGEOM_PRECONDITION(options.max_epochs >= 0, "train_autoencoder",
                        "options.max_epochs must be >= 0, got ", options.max_epochs);
  DISCGEOM_PRECONDITION(options.target_iou > 0.0 && options.target_iou <= 1.0, "train_autoencoder",
                        "options.target_iou must be in (0, 1], got ", options.target_iou);
  DISCGEOM_PRECONDITION(options.checkpoint_every >= 0, "train_autoencoder",
                        "options.checkpoint_every must be >= 0, got ", options.checkpoint_every);
  DISCGEOM_PRECONDITION(!options.resume || !options.checkpoint.empty(), "train_autoencoder",
                        "options.resume needs options.checkpoint");
  if (options.threads > 0) {
    torch::set_num_threads(options.threads);
  }
  DISCGEOM_PRECONDITION(
      options.device.is_cpu() || (options.device.is_cuda() && torch::cuda::is_available()),
      "train_autoencoder", "options.device ", options.device.str(),
      " is not available: this LibTorch ",
      torch::cuda::is_available() ? "has no such device" : "has no CUDA");
  model->to(options.device);

  torch::optim::Adam optimizer(model->parameters(),
                               torch::optim::AdamOptions(options.learning_rate));
  autoencoder_training_result result;
  if (options.resume && std::filesystem::exists(options.checkpoint)) {
    result.history =
        detail::load_training_state(options.checkpoint, model, optimizer, options.seed);
  }
  const auto converged = [&] {
    return !result.history.empty() && result.history.back().mean_iou >= options.target_iou;
  };
  const std::int64_t count = masks.size(0);
  model->train();
  while (!converged() && static_cast<std::int64_t>(result.history.size()) < options.max_epochs) {
    const std::int64_t epoch = static_cast<std::int64_t>(result.history.size()) + 1;
    const auto order = detail::epoch_order(count, options.seed, epoch);
    double loss_sum = 0.0;
    std::int64_t batches = 0;
    for (std::int64_t start = 0; start < count; start += options.batch_size) {
      const std::int64_t end = std::min(count, start + options.batch_size);
      const auto indices = torch::tensor(
          std::vector<std::int64_t>(order.begin() + start, order.begin() + end), torch::kLong);
      const auto batch = masks.index_select(0, indices).to(options.device);
      optimizer.zero_grad();
      const auto loss = torch::binary_cross_entropy_with_logits(model->forward(batch), batch);
      loss.backward();
      optimizer.step();
      loss_sum += loss.item<double>();
      ++batches;
    }
    result.per_mask_iou = detail::reconstruction_iou(model, masks, options.batch_size);
    double iou_sum = 0.0;
    for (double iou : result.per_mask_iou) {
      iou_sum += iou;
    }
    result.history.push_back(
        {epoch, loss_sum / static_cast<double>(batches), iou_sum / static_cast<double>(count)});
    if (options.on_epoch) {
      options.on_epoch(result.history.back());
    }
    if (!options.checkpoint.empty() && options.checkpoint_every > 0 &&
        epoch % options.checkpoint_every == 0) {
      detail::save_training_state(options.checkpoint, model, optimizer, result.history,
                                  options.seed);
    }
  }
  if (result.per_mask_iou.empty()) {  // resumed at the end: nothing trained here
    result.per_mask_iou = detail::reconstruction_iou(model, masks, options.batch_size);
  }
  if (!options.checkpoint.empty()) {
    detail::save_training_state(options.checkpoint, model, optimizer, result.history, options.seed);
  }
  result.epochs = static_cast<std::int64_t>(result.history.size());
  result.converged = converged();
  result.final_iou = result.history.empty() ? 0.0 : result.history.back().mean_iou;
  return result;
}

}  // namespace discgeom
