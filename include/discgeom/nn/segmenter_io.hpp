// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Saving and loading the native U-Net segmenter with the spacing and normalisation it was
/// trained with (one file, written atomically), and loading any segmentation model file: a
/// native one or a TorchScript one (torchscript_segmenter.hpp), told apart by the key
/// `segmenter_format` that only native files hold. Part of `discgeom::torch`.

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <torch/serialize.h>

#include "discgeom/error.hpp"
#include "discgeom/image_geometry.hpp"
#include "discgeom/nn/archive_file.hpp"
#include "discgeom/nn/intensity_normalisation.hpp"
#include "discgeom/nn/segmenter.hpp"
#include "discgeom/nn/torchscript_segmenter.hpp"
#include "discgeom/nn/unet3d.hpp"

namespace discgeom {

/// What a native segmenter file holds beside the weights.
struct segmenter_metadata {
  vec3 spacing{1.0, 1.0, 1.0};  ///< mm per array axis the model works at
  normalisation_options normalisation{};
  std::array<std::int64_t, 3> patch{32, 32, 32};  ///< the patch it was trained on (voxels)
};

/// Writes the U-Net's architecture, weights, spacing and normalisation to `file` (through a
/// temporary name and a rename: a crash never leaves a truncated file under the real name).
/// \throws io_error naming the file when it cannot be written
inline void save_segmenter(unet3d& model, const std::filesystem::path& file,
                           const segmenter_metadata& metadata) {
  const auto& config = model->config();
  torch::serialize::OutputArchive archive;
  archive.write("segmenter_format", torch::tensor(std::int64_t{1}, torch::kLong));
  std::vector<std::int64_t> architecture{config.in_channels, config.out_channels};
  architecture.insert(architecture.end(), config.channels.begin(), config.channels.end());
  archive.write("architecture", torch::tensor(architecture, torch::kLong));
  archive.write("spacing",
                torch::tensor(std::vector<double>{metadata.spacing[0], metadata.spacing[1],
                                                  metadata.spacing[2]},
                              torch::kDouble));
  const auto& n = metadata.normalisation;
  archive.write(
      "normalisation",
      torch::tensor(std::vector<double>{n.method == intensity_normalisation::zscore ? 0.0 : 1.0,
                                        n.lower_percentile, n.upper_percentile},
                    torch::kDouble));
  archive.write("patch",
                torch::tensor(std::vector<std::int64_t>{metadata.patch[0], metadata.patch[1],
                                                        metadata.patch[2]},
                              torch::kLong));
  torch::serialize::OutputArchive weights;
  model->save(weights);
  archive.write("model", weights);
  detail::save_archive_atomically(archive, file, "save_segmenter");
}

/// A native segmenter file: the model (eval mode) and its metadata.
struct segmenter_file {
  unet3d model{nullptr};
  segmenter_metadata metadata;
};

/// Whether `file` is a native segmenter written by save_segmenter (false for TorchScript files
/// and anything unreadable).
[[nodiscard]] inline bool is_native_segmenter(const std::filesystem::path& file) {
  if (!std::filesystem::is_regular_file(file))
    return false;
  try {
    torch::serialize::InputArchive archive;
    archive.load_from(file.string());
    torch::Tensor format;
    return archive.try_read("segmenter_format", format);
  } catch (const std::exception&) {
    return false;
  }
}

/// Reads a file written by save_segmenter.
/// \throws io_error naming the file when it is missing, unreadable, not a native segmenter or
///         damaged
[[nodiscard]] inline segmenter_file load_segmenter(const std::filesystem::path& file) {
  constexpr const char* function = "load_segmenter";
  if (!std::filesystem::is_regular_file(file))
    detail::throw_error<io_error>(function, file.string(), ": no such file");
  torch::serialize::InputArchive archive;
  torch::Tensor format, architecture, spacing, normalisation;  // fresh: reads keep no dtype
  try {
    archive.load_from(file.string());
  } catch (const std::exception& e) {
    detail::throw_error<io_error>(
        function, file.string(),
        ": not a discgeom segmenter (truncated or another format): ", detail::first_line(e.what()));
  }
  if (!archive.try_read("segmenter_format", format))
    detail::throw_error<io_error>(function, file.string(),
                                  ": not a native discgeom segmenter (no segmenter_format)");
  segmenter_file result;
  try {
    archive.read("architecture", architecture);
    archive.read("spacing", spacing);
    archive.read("normalisation", normalisation);
    const auto a = architecture.to(torch::kLong);
    unet3d_config config;
    config.in_channels = a[0].item<std::int64_t>();
    config.out_channels = a[1].item<std::int64_t>();
    config.channels.clear();
    for (std::int64_t i = 2; i < a.size(0); ++i)
      config.channels.push_back(a[i].item<std::int64_t>());
    result.model = unet3d(config);
    torch::serialize::InputArchive weights;
    archive.read("model", weights);
    result.model->load(weights);
    const auto s = spacing.to(torch::kDouble);
    result.metadata.spacing = {s[0].item<double>(), s[1].item<double>(), s[2].item<double>()};
    const auto n = normalisation.to(torch::kDouble);
    result.metadata.normalisation.method = n[0].item<double>() == 0.0
                                               ? intensity_normalisation::zscore
                                               : intensity_normalisation::percentile;
    result.metadata.normalisation.lower_percentile = n[1].item<double>();
    result.metadata.normalisation.upper_percentile = n[2].item<double>();
    torch::Tensor patch;
    if (archive.try_read("patch", patch)) {
      const auto p = patch.to(torch::kLong);
      result.metadata.patch = {p[0].item<std::int64_t>(), p[1].item<std::int64_t>(),
                               p[2].item<std::int64_t>()};
    }
  } catch (const std::exception& e) {
    detail::throw_error<io_error>(function, file.string(),
                                  ": damaged segmenter: ", detail::first_line(e.what()));
  }
  result.model->eval();
  return result;
}

/// The native U-Net as a segmentation_model (shares the module).
[[nodiscard]] inline segmentation_model as_segmentation_model(unet3d model,
                                                              const segmenter_metadata& metadata,
                                                              std::string name = "unet3d") {
  model->eval();
  segmentation_model result;
  result.input_channels = model->config().in_channels;
  result.spacing = metadata.spacing;
  result.normalisation = metadata.normalisation;
  result.patch = metadata.patch;
  result.name = std::move(name);
  result.predict = [model](const torch::Tensor& input) mutable { return model->forward(input); };
  return result;
}

/// Loads any segmentation model file: a native segmenter (save_segmenter) or a TorchScript
/// module (load_torchscript_segmenter); for a native one, `options` are checked against its
/// metadata as for TorchScript.
/// \throws io_error naming the file when it is neither; precondition_error as
///         load_torchscript_segmenter for a spacing or channel mismatch
[[nodiscard]] inline segmentation_model load_segmentation_model(
    const std::filesystem::path& file, const torchscript_segmenter_options& options = {}) {
  if (!is_native_segmenter(file))
    return load_torchscript_segmenter(file, options);
  auto loaded = load_segmenter(file);
  auto model = as_segmentation_model(loaded.model, loaded.metadata, file.string());
  if (options.spacing) {
    for (std::size_t d = 0; d < 3; ++d)
      DISCGEOM_PRECONDITION(std::abs((*options.spacing)[d] - (*model.spacing)[d]) <= 1e-3,
                            "load_segmentation_model", "model ", file.string(),
                            " works at spacing ", *model.spacing, " mm, but spacing ",
                            *options.spacing, " mm was asked for");
  }
  if (options.input_channels)
    DISCGEOM_PRECONDITION(*options.input_channels == model.input_channels,
                          "load_segmentation_model", "model ", file.string(), " expects ",
                          model.input_channels, " input channels, the input has ",
                          *options.input_channels);
  return model;
}

}  // namespace discgeom
