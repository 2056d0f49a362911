// SPDX-License-Identifier: MIT
#pragma once
// The settings of `discgeom pipeline`: the reduced defaults that run a phantom cohort in minutes,
// the paper's configuration (--paper), and a `key = value` file (--config) over either.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "arguments.hpp"
#include "discgeom/error.hpp"
#include "discgeom/stats/correlation.hpp"
#include "discgeom/stats/multiple_testing.hpp"

namespace discgeom::cli {

struct pipeline_config {
  // Cohort and labels.
  std::uint64_t seed = 1;
  std::size_t threads = 2;
  std::string labels = "spider";  ///< label scheme of the masks (spider | ordinal)
  std::size_t min_voxels = 100;   ///< smaller labelled pieces are fragments, not discs
  std::string segmenter_model;    ///< TorchScript or native U-Net; empty: masks are given
  // Crops (the autoencoder's input).
  std::size_t crop_size = 32;
  std::string crop_spacing = "2,1.6,1";  ///< mm along L, P, S
  // Autoencoder.
  std::string channels = "8,16,32,64";
  std::size_t bottleneck = 8;
  std::string bottleneck_sweep = "2,4,8";  ///< sizes trained besides the main model; empty: none
  std::size_t epochs = 50;
  std::size_t sweep_epochs = 12;
  double target_iou = 0.995;
  std::size_t batch = 4;
  double learning_rate = 1e-3;
  std::size_t checkpoint_every = 5;  ///< epochs between checkpoints (an interrupted run resumes)
  // Traversal and statistics.
  std::size_t traversal_steps = 6;
  std::string correlation_method = "spearman";
  std::string adjust = "holm";
  // Classification.
  std::size_t folds = 5;
  std::size_t trees = 200;
  std::size_t depth = 3;
  double boosting_learning_rate = 0.1;
  std::size_t boosting_threads = 1;  ///< XGBoost's threads: one is fastest for a few thousand discs
  std::string geometric_features =
      "height_mm,ap_width_mm,lateral_width_mm,sagittal_angle_deg,coronal_angle_deg,"
      "transverse_angle_deg";
};

/// The paper's configuration (Perrone et al.): 64^3 crops at 1.4 x 1.2 x 1.5 mm, channels
/// 32..512, bottleneck 4 and the sweep 64, 8, 4, 3, up to 350 epochs.
inline pipeline_config paper_pipeline_config() {
  pipeline_config config;
  config.crop_size = 64;
  config.crop_spacing = "1.4,1.2,1.5";
  config.channels = "32,64,128,256,512";
  config.bottleneck = 4;
  config.bottleneck_sweep = "64,8,4,3";
  config.epochs = 350;
  config.sweep_epochs = 350;
  return config;
}

/// Every setting as `key = value` lines, in a fixed order (the run's record and the report).
inline std::vector<std::pair<std::string, std::string>> config_entries(const pipeline_config& c) {
  const auto n = [](double v) { return format_number(v); };  // exact: settings are hashed
  return {{"seed", std::to_string(c.seed)},
          {"threads", std::to_string(c.threads)},
          {"labels", c.labels},
          {"min_voxels", std::to_string(c.min_voxels)},
          {"segmenter_model", c.segmenter_model},
          {"crop_size", std::to_string(c.crop_size)},
          {"crop_spacing", c.crop_spacing},
          {"channels", c.channels},
          {"bottleneck", std::to_string(c.bottleneck)},
          {"bottleneck_sweep", c.bottleneck_sweep},
          {"epochs", std::to_string(c.epochs)},
          {"sweep_epochs", std::to_string(c.sweep_epochs)},
          {"target_iou", n(c.target_iou)},
          {"batch", std::to_string(c.batch)},
          {"learning_rate", n(c.learning_rate)},
          {"checkpoint_every", std::to_string(c.checkpoint_every)},
          {"traversal_steps", std::to_string(c.traversal_steps)},
          {"correlation_method", c.correlation_method},
          {"adjust", c.adjust},
          {"folds", std::to_string(c.folds)},
          {"trees", std::to_string(c.trees)},
          {"depth", std::to_string(c.depth)},
          {"boosting_learning_rate", n(c.boosting_learning_rate)},
          {"boosting_threads", std::to_string(c.boosting_threads)},
          {"geometric_features", c.geometric_features}};
}

namespace detail_config {

inline std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos)
    return "";
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

}  // namespace detail_config

/// Sets one setting from its text. \throws usage_error naming the key and the value
inline void set_config_entry(pipeline_config& c, const std::string& key, const std::string& value) {
  const auto count = [&] { return parse_count(key, value); };
  const auto real = [&](double low, double high) { return parse_number(key, value, low, high); };
  if (key == "seed")
    c.seed = count();
  else if (key == "threads")
    c.threads = count();
  else if (key == "labels")
    c.labels = value;
  else if (key == "min_voxels")
    c.min_voxels = count();
  else if (key == "segmenter_model")
    c.segmenter_model = value;
  else if (key == "crop_size")
    c.crop_size = count();
  else if (key == "crop_spacing")
    c.crop_spacing = value;
  else if (key == "channels")
    c.channels = value;
  else if (key == "bottleneck")
    c.bottleneck = count();
  else if (key == "bottleneck_sweep")
    c.bottleneck_sweep = value;
  else if (key == "epochs")
    c.epochs = count();
  else if (key == "sweep_epochs")
    c.sweep_epochs = count();
  else if (key == "target_iou")
    c.target_iou = real(0.0, 1.0);
  else if (key == "batch")
    c.batch = count();
  else if (key == "learning_rate")
    c.learning_rate = real(0.0, 1.0);
  else if (key == "checkpoint_every")
    c.checkpoint_every = count();
  else if (key == "traversal_steps")
    c.traversal_steps = count();
  else if (key == "correlation_method")
    c.correlation_method = value;
  else if (key == "adjust")
    c.adjust = value;
  else if (key == "folds")
    c.folds = count();
  else if (key == "trees")
    c.trees = count();
  else if (key == "depth")
    c.depth = count();
  else if (key == "boosting_learning_rate")
    c.boosting_learning_rate = real(0.0, 1.0);
  else if (key == "boosting_threads")
    c.boosting_threads = count();
  else if (key == "geometric_features")
    c.geometric_features = value;
  else
    throw usage_error("unknown setting '" + key + "'");
  if ((key == "threads" || key == "boosting_threads" || key == "crop_size" || key == "bottleneck" ||
       key == "epochs" || key == "batch" || key == "folds" || key == "trees" || key == "depth") &&
      count() == 0)
    throw usage_error(key + " must be at least 1");
  // Everything a later stage would refuse is refused here, before hours of training.
  if (key == "crop_spacing")
    (void)parse_spacing(value, key);
  if (key == "labels" && value != "spider" && value != "ordinal")
    throw usage_error("labels '" + value + "' must be spider or ordinal");
  if (key == "channels" || key == "bottleneck_sweep") {
    const auto sizes = split_commas(value);
    for (const auto& size : sizes) {
      if (parse_count(key, size) == 0)
        throw usage_error(key + " '" + value + "': every size must be at least 1");
    }
    if (key == "bottleneck_sweep" && !value.empty() && sizes.size() < 2)
      throw usage_error("bottleneck_sweep '" + value +
                        "' needs two sizes or more (or nothing for no sweep)");
  }
  if ((key == "target_iou" || key == "learning_rate" || key == "boosting_learning_rate") &&
      real(0.0, 1.0) <= 0.0)
    throw usage_error(key + " must be more than 0");
  if ((key == "folds" || key == "traversal_steps") && count() < 2)
    throw usage_error(key + " must be at least 2");
  if (key == "correlation_method")
    (void)parse_choice<correlation_method>(key, value);
  if (key == "adjust")
    (void)parse_choice<p_adjustment>(key, value);
  if (key == "segmenter_model" && !value.empty() && !std::filesystem::is_regular_file(value))
    throw usage_error("segmenter_model '" + value + "': no such file");
}

/// Reads `key = value` lines (`#` starts a comment) over `config`.
/// \throws usage_error naming the file and the line: no '=', an unknown key, a bad value
inline void read_config_file(const std::filesystem::path& file, pipeline_config& config) {
  std::ifstream in(file);
  if (!in)
    throw usage_error("--config " + file.string() + ": cannot be read");
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    line = detail_config::trim(line.substr(0, line.find('#')));
    if (line.empty())
      continue;
    const auto equals = line.find('=');
    if (equals == std::string::npos)
      throw usage_error(file.string() + ":" + std::to_string(number) + ": '" + line +
                        "' is not key = value");
    try {
      set_config_entry(config, detail_config::trim(line.substr(0, equals)),
                       detail_config::trim(line.substr(equals + 1)));
    } catch (const usage_error& e) {
      throw usage_error(file.string() + ":" + std::to_string(number) + ": " + e.what());
    }
  }
}

}  // namespace discgeom::cli
