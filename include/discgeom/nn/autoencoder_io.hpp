// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Saving and loading a trained autoencoder: one file holding the architecture and the weights
/// (with BatchNorm's running statistics), written atomically. Part of `discgeom::torch`.

#include <cmath>
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
/// \throws io_error naming the file when it cannot be written; precondition_error when a crop
///         spacing is given that is not three positive finite millimetre values
inline void save_autoencoder(autoencoder3d& model, const std::filesystem::path& file,
                             const std::optional<vec3>& crop_spacing = {}) {
  if (crop_spacing) {
    const auto& s = *crop_spacing;
    DISCGEOM_PRECONDITION(std::isfinite(s[0]) && std::isfinite(s[1]) && std::isfinite(s[2]) &&
                              s[0] > 0.0 && s[1] > 0.0 && s[2] > 0.0,
                          "save_autoencoder", "crop_spacing must be positive, got ", s, " mm for ",
                          file.string());
  }
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
/// architecture. The file is read once and checked before LibTorch loads it
/// (detail::read_checked_archive: the zip structure and every entry's CRC-32), and what LibTorch
/// loaded is checked after: a valid config, every weight and BatchNorm statistic of the shape
/// and dtype the architecture has and finite, a crop spacing of three positive millimetre
/// values.
/// \throws io_error naming the file when it cannot be read (missing, truncated, another format),
///         is damaged (the zip entry or the tensor named), or holds another architecture than
///         `expected` (both described)
inline autoencoder_file load_autoencoder_file(
    const std::filesystem::path& file, const std::optional<autoencoder_config>& expected = {}) {
  constexpr const char* function = "load_autoencoder";
  const std::string name = file.string();
  if (!std::filesystem::is_regular_file(file)) {
    detail::throw_error<io_error>(function, name, ": no such file");
  }
  const std::string bytes = detail::read_checked_archive(file, function, "discgeom autoencoder");
  torch::serialize::InputArchive archive;
  torch::Tensor config_values;
  try {
    archive.load_from(bytes.data(), bytes.size());
    archive.read("config", config_values);
  } catch (const std::exception& e) {
    detail::throw_error<io_error>(function, name,
                                  ": not a discgeom autoencoder (truncated or another format): ",
                                  detail::torch_error_message(e));
  }
  const autoencoder_config config = detail::config_from_tensor(config_values, name, function);
  try {
    config.validate(function);
  } catch (const std::exception& e) {
    detail::throw_error<io_error>(function, name, ": holds no valid architecture: ", e.what());
  }
  if (4.0 * detail::minimum_weight_count(config) > static_cast<double>(bytes.size())) {
    detail::throw_error<io_error>(function, name, ": 'config' describes a model of ",
                                  config.describe(), ", whose weights the file's ", bytes.size(),
                                  " bytes cannot hold");
  }
  if (expected && !detail::same_architecture(config, *expected)) {
    detail::throw_error<io_error>(function, name, ": holds a model of ", config.describe(),
                                  ", not ", expected->describe());
  }
  autoencoder3d model(config);
  const auto signatures = detail::tensor_signatures(*model);
  try {
    torch::serialize::InputArchive weights;
    archive.read("model", weights);
    model->load(weights);
  } catch (const std::exception& e) {
    detail::throw_error<io_error>(function, name,
                                  ": damaged weights: ", detail::torch_error_message(e));
  }
  detail::check_loaded_tensors(signatures, *model, name, function, "model");
  model->eval();
  autoencoder_file result{model, std::nullopt};
  torch::Tensor spacing_values;  // a fresh tensor: reading into a defined one keeps its dtype
  bool has_spacing = false;
  try {
    has_spacing = archive.try_read("crop_spacing", spacing_values);
  } catch (const std::exception& e) {
    detail::throw_error<io_error>(function, name,
                                  ": unreadable crop_spacing: ", detail::torch_error_message(e));
  }
  if (has_spacing) {
    const auto s = detail::metadata_values(spacing_values, 3, name, function, "crop_spacing");
    if (!(s[0] > 0.0 && s[1] > 0.0 && s[2] > 0.0)) {
      detail::throw_error<io_error>(function, name, ": 'crop_spacing' is ", s,
                                    " mm, not three positive values");
    }
    result.crop_spacing = vec3{s[0], s[1], s[2]};
  }
  return result;
}

/// The model of a model file (see load_autoencoder_file).
inline autoencoder3d load_autoencoder(const std::filesystem::path& file,
                                      const std::optional<autoencoder_config>& expected = {}) {
  return load_autoencoder_file(file, expected).model;
}

}  // namespace discgeom
