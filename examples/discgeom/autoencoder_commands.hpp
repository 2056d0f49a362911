// SPDX-License-Identifier: MIT
#pragma once
// The autoencoder commands of the discgeom program: `train-ae`, `encode`, `traverse`
// (docs/cli.md). Their settings and options are declared here without LibTorch, so that only
// autoencoder_commands.cpp compiles against it; built without LibTorch, they say so and exit 1
// (autoencoder_unavailable.cpp).

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "command_line.hpp"
#include "discgeom/latent/traversal.hpp"
#include "discgeom/stats/correlation.hpp"

namespace discgeom::cli {

/// "N,N,...": whole numbers >= 1 (bottleneck sizes, channel widths); errors name `option` and
/// the text: "--channels '4,0': each value must be at least 1",
/// "--bottleneck 'x' must be a whole number >= 1".
inline std::vector<std::int64_t> parse_size_list(const std::string& option,
                                                 const std::string& text) {
  constexpr auto largest = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
  std::vector<std::int64_t> values;
  for (const std::string& part : split_commas(text)) {
    if (!part.empty() && part.find_first_not_of('0') == std::string::npos)
      throw usage_error(option + " '" + text + "': each value must be at least 1");
    const std::size_t value = parse_count(option, part, 1);
    if (value > largest)
      throw usage_error(option + " '" + part + "' must be at most " + std::to_string(largest));
    values.push_back(static_cast<std::int64_t>(value));
  }
  return values;
}

/// "cpu", "cuda" or "cuda:N": the devices train-ae can be asked for.
inline bool is_training_device(const std::string& text) {
  const std::string cuda = "cuda:";
  return text == "cpu" || text == "cuda" ||
         (text.size() > cuda.size() && text.compare(0, cuda.size(), cuda) == 0 &&
          text.find_first_not_of("0123456789", cuda.size()) == std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// train-ae

/// The settings of `discgeom train-ae`.
struct train_ae_settings {
  std::string crops;  ///< the folder of `discgeom crop` (its index.csv)
  /// The model file; with several bottleneck sizes, the sweep's folder.
  std::string out;
  /// One size: one model; several: a sweep, one model per size and sweep.csv.
  std::vector<std::int64_t> bottlenecks{4};
  std::int64_t epochs = 200;  ///< at most this many epochs
  double target_iou = 0.995;  ///< converged when the mean IoU over all crops reaches it
  std::int64_t batch = 4;
  std::uint64_t seed = 0;      ///< initial weights and every epoch's order
  std::optional<int> threads;  ///< LibTorch's threads; empty: one per online processor
  std::vector<std::int64_t> channels{32, 64, 128, 256, 512};  ///< encoder widths, one per stage
  double learning_rate = 1e-3;                                ///< Adam's
  std::int64_t checkpoint_every = 10;  ///< epochs between checkpoints; 0: only at the end
  bool resume = false;                 ///< continue from `out`.checkpoint
  std::string device = "cpu";          ///< cpu, cuda or cuda:N
  bool quiet = false;
};

/// \throws usage_error when the settings cannot train a model, however they were filled
inline void check_train_ae_settings(const train_ae_settings& s) {
  if (s.bottlenecks.empty())
    throw usage_error("--bottleneck needs at least one size");
  for (const auto b : s.bottlenecks)
    if (b < 1)
      throw usage_error("--bottleneck '" + join_sizes(s.bottlenecks) +
                        "': each value must be at least 1");
  if (s.epochs < 0)
    throw usage_error("--epochs must be at least 0");
  if (s.batch < 1)
    throw usage_error("--batch must be at least 1");
  if (s.threads && (*s.threads < 1 || static_cast<std::size_t>(*s.threads) > max_threads()))
    throw usage_error("--threads must be in [1, " + std::to_string(max_threads()) + "]");
  if (s.checkpoint_every < 0)
    throw usage_error("--checkpoint-every must be at least 0");
  if (!is_training_device(s.device))
    throw usage_error("--device '" + s.device + "' must be cpu or cuda[:N]");
}

inline void add_train_ae_options(CLI::App& app, train_ae_settings& s) {
  add_text(app, "--crops", s.crops, "the crops of `discgeom crop`", "DIR")->required();
  add_text(app, "--out", s.out, "the model file (a folder with several --bottleneck sizes)",
           "MODEL")
      ->required();
  add_parsed(app, "--bottleneck", s.bottlenecks, parse_size_list,
             "latent size; several sizes sweep them", "B,B,...")
      ->default_str(join_sizes(s.bottlenecks));
  add_count(app, "--epochs", s.epochs, "at most N epochs");
  add_number(app, "--target-iou", s.target_iou,
             "converged when the mean IoU over all crops reaches X", 1e-9, 1.0);
  add_count(app, "--batch", s.batch, "batch size", 1);
  add_count(app, "--seed", s.seed, "initial weights and every epoch's order");
  add_parsed(
      app, "--threads", s.threads,
      [](const std::string& option, const std::string& text) {
        return std::optional<int>(static_cast<int>(parse_threads(option, text)));
      },
      "LibTorch's threads, at most 4 per core (default: all cores)", "N");
  add_switch(app, "--resume", s.resume, "continue from MODEL.checkpoint");
  add_parsed(app, "--channels", s.channels, parse_size_list,
             "encoder widths, one stage each (the crop edge must be a multiple of 2^stages)",
             "W,W,...")
      ->default_str(join_sizes(s.channels));
  add_number(app, "--learning-rate", s.learning_rate, "Adam's learning rate", 1e-12, 10.0);
  add_count(app, "--checkpoint-every", s.checkpoint_every, "epochs between checkpoints");
  add_parsed(
      app, "--device", s.device,
      [](const std::string& option, const std::string& text) {
        if (!is_training_device(text))
          throw usage_error(option + " '" + text + "' must be cpu or cuda[:N]");
        return text;
      },
      "where to train (CUDA needs a LibTorch built with it)", "cpu|cuda[:N]")
      ->default_str(s.device);
  add_quiet(app, s.quiet);
  app.footer(
      "Trains the autoencoder on the crops of `discgeom crop`: MODEL (architecture, weights, "
      "crop\nspacing), MODEL.checkpoint (to --resume from), MODEL.training.csv (loss and IoU per "
      "epoch).\nWith several sizes (--bottleneck 64,8,4,3) it sweeps them: --out is then a folder "
      "with\nbottleneck_<B>.pt per size and sweep.csv (converged, epochs, IoU with 95% CI).");
}

/// `discgeom train-ae`: 0, or 1 when the crops or the checkpoint cannot be read.
/// \throws usage_error for settings check_train_ae_settings refuses, or an architecture the
///         crops' size cannot take
int run_train_ae(const train_ae_settings& s);

// ---------------------------------------------------------------------------------------------
// encode

/// The settings of `discgeom encode`.
struct encode_settings {
  std::string model;  ///< the autoencoder of `discgeom train-ae`
  std::string crops;  ///< the folder of `discgeom crop`
  std::string out;    ///< the latents table (CSV)
  bool quiet = false;
};

inline void add_encode_options(CLI::App& app, encode_settings& s) {
  add_text(app, "--model", s.model, "the autoencoder of `discgeom train-ae`", "MODEL")->required();
  add_text(app, "--crops", s.crops, "the crops to encode", "DIR")->required();
  add_text(app, "--out", s.out, "the latent codes, a CSV table", "FILE")->required();
  add_quiet(app, s.quiet);
  app.footer("One row per crop: case, level, z0 .. z{B-1}.");
}

/// `discgeom encode`: 0, or 1 when the model or the crops cannot be read or do not match.
int run_encode(const encode_settings& s);

// ---------------------------------------------------------------------------------------------
// traverse

/// The settings of `discgeom traverse`.
struct traverse_settings {
  std::string model;      ///< the autoencoder of `discgeom train-ae`
  std::string latents;    ///< the table of `discgeom encode`
  std::string out;        ///< the folder of grid.csv, traversal.png and correlations.csv
  std::size_t steps = 6;  ///< grid points per latent feature, at least 2
  /// Where the features not swept are held: mean or median (given is no command's choice).
  traversal_anchor fix = traversal_anchor::mean;
  /// The crops the latents were encoded from; empty: no correlations.csv.
  std::string crops;
  correlation_method method = correlation_method::pearson;  ///< of correlations.csv
  std::size_t neighbours = 5;  ///< nearest real codes of the plausibility, at least 1
  bool quiet = false;
};

/// \throws usage_error for settings the traversal cannot take, however they were filled
inline void check_traverse_settings(const traverse_settings& s) {
  if (s.steps < 2)
    throw usage_error("--steps must be at least 2");
  if (s.fix != traversal_anchor::mean && s.fix != traversal_anchor::median)
    throw usage_error("--fix '" + std::string(to_string(s.fix)) + "' must be mean or median");
  if (s.neighbours < 1)
    throw usage_error("--neighbours must be at least 1");
}

inline void add_traverse_options(CLI::App& app, traverse_settings& s) {
  add_text(app, "--model", s.model, "the autoencoder of `discgeom train-ae`", "MODEL")->required();
  add_text(app, "--latents", s.latents, "the latent codes of `discgeom encode`", "FILE")
      ->required();
  add_text(app, "--out", s.out, "the folder of the outputs (made if missing)", "DIR")->required();
  add_count(app, "--steps", s.steps, "grid points per latent feature", 2);
  add_parsed(
      app, "--fix", s.fix,
      [](const std::string& option, const std::string& text) {
        if (text == "mean")
          return traversal_anchor::mean;
        if (text == "median")
          return traversal_anchor::median;
        throw usage_error(option + " '" + text + "' must be mean or median");
      },
      "where the features not swept are held", "mean|median")
      ->default_str(std::string(to_string(s.fix)));
  add_text(app, "--crops", s.crops,
           "the crops of the latents: correlations of latent and real geometry", "DIR");
  add_choice(app, "--method", s.method, "the correlation of correlations.csv");
  add_count(app, "--neighbours", s.neighbours, "nearest real codes of the plausibility", 1);
  add_quiet(app, s.quiet);
  app.footer(
      "DIR/grid.csv (feature, step, z0.., geometry of the decoded disc, plausibility),\n"
      "DIR/traversal.png (mid-sagittal and mid-transverse slices, one row per feature) and, "
      "with\n--crops, DIR/correlations.csv (latent vs geometry over the real discs, with "
      "p-values).");
}

/// `discgeom traverse`: 0, or 1 when the model, the latents or the crops cannot be read or do
/// not match. \throws usage_error for settings check_traverse_settings refuses
int run_traverse(const traverse_settings& s);

}  // namespace discgeom::cli
