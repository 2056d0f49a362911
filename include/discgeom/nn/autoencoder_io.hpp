// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Saving and loading a trained autoencoder: one file holding the architecture and the weights
/// (with BatchNorm's running statistics), written atomically. Part of `discgeom::torch`.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <torch/serialize.h>

#include "discgeom/error.hpp"
#include "discgeom/image_geometry.hpp"
#include "discgeom/nn/archive_file.hpp"
#include "discgeom/nn/autoencoder.hpp"
#include "discgeom/nn/autoencoder_serialisation.hpp"

namespace discgeom {

/// Writes the model's architecture and weights to `file` (through `file.partial`, then a
/// rename: a crash never leaves a truncated file under the real name), with the spacing (mm
/// along the crops' axes) of the crops it was trained on when given, so that decoded masks can
/// be measured in millimetres.
/// \throws io_error naming the file when it cannot be written
inline void save_autoencoder(autoencoder3d& model, const std::filesystem::path& file,
                             const std::optional<vec3>& crop_spacing = {}) {
  torch::serialize::OutputArchive archive;
  archive.write("format", torch::tensor(std::int64_t{1}, torch::kLong));
  archive.write("config", detail::config_tensor(model->config()));
  if (crop_spacing) {
    archive.write("crop_spacing",
                  torch::tensor(std::vector<double>{(*crop_spacing)[0], (*crop_spacing)[1],
                                                    (*crop_spacing)[2]},
                                torch::kDouble));
  }
  torch::serialize::OutputArchive weights;
  model->save(weights);
  archive.write("model", weights);
  detail::save_archive_atomically(archive, file, "save_autoencoder");
}

/// A model file: the model (eval mode) and the crop spacing it was saved with, if any.
struct autoencoder_file {
  autoencoder3d model{nullptr};
  std::optional<vec3> crop_spacing;
};

/// Reads a model written by save_autoencoder (or the training checkpoint of train_autoencoder)
/// in eval mode, with its crop spacing. When `expected` is given, the file must hold that
/// architecture.
/// \throws io_error naming the file when it cannot be read (missing, truncated, another format)
///         or holds another architecture than `expected` (both described)
inline autoencoder_file load_autoencoder_file(
    const std::filesystem::path& file, const std::optional<autoencoder_config>& expected = {}) {
  if (!std::filesystem::is_regular_file(file)) {
    detail::throw_error<io_error>("load_autoencoder", file.string(), ": no such file");
  }
  torch::serialize::InputArchive archive;
  torch::Tensor config_values;
  try {
    archive.load_from(file.string());
    archive.read("config", config_values);
  } catch (const std::exception& e) {
    detail::throw_error<io_error>("load_autoencoder", file.string(),
                                  ": not a discgeom autoencoder (truncated or another format): ",
                                  std::string(e.what()).substr(0, 200));
  }
  autoencoder_config config;
  try {
    config = detail::config_from_tensor(config_values);
    config.validate("load_autoencoder");
  } catch (const std::exception& e) {
    detail::throw_error<io_error>("load_autoencoder", file.string(),
                                  ": holds no valid architecture: ", e.what());
  }
  if (expected && !detail::same_architecture(config, *expected)) {
    detail::throw_error<io_error>("load_autoencoder", file.string(), ": holds a model of ",
                                  config.describe(), ", not ", expected->describe());
  }
  autoencoder3d model(config);
  try {
    torch::serialize::InputArchive weights;
    archive.read("model", weights);
    model->load(weights);
  } catch (const std::exception& e) {
    detail::throw_error<io_error>("load_autoencoder", file.string(),
                                  ": damaged weights: ", std::string(e.what()).substr(0, 200));
  }
  model->eval();
  autoencoder_file result{model, std::nullopt};
  torch::Tensor spacing_values;  // a fresh tensor: reading into a defined one keeps its dtype
  if (archive.try_read("crop_spacing", spacing_values)) {
    const auto s = spacing_values.to(torch::kDouble);
    result.crop_spacing = vec3{s[0].item<double>(), s[1].item<double>(), s[2].item<double>()};
  }
  return result;
}

/// The model of a model file (see load_autoencoder_file).
inline autoencoder3d load_autoencoder(const std::filesystem::path& file,
                                      const std::optional<autoencoder_config>& expected = {}) {
  return load_autoencoder_file(file, expected).model;
}

}  // namespace discgeom
