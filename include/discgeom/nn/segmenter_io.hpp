// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Saving and loading the native U-Net segmenter with the spacing and normalisation it was
/// trained with (one file, written atomically), and loading any segmentation model file: a
/// native one or a TorchScript one (torchscript_segmenter.hpp), told apart by the key
/// `segmenter_format` that only native files hold. Part of `discgeom::torch`.

#include <array>
#include <cmath>
#include <cstddef>
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
  /// mm per array axis the model works at; for a 2D U-Net per axis of its (D, H, W): the
  /// training slices' spacing, then the in-plane spacing it works at.
  vec3 spacing{1.0, 1.0, 1.0};
  normalisation_options normalisation{};
  /// The patch it was trained on (voxels; a 2D U-Net's in its (D, H, W), D = 1).
  std::array<std::int64_t, 3> patch{32, 32, 32};
  /// A 2D U-Net: the slices it was trained on (segment's default for it).
  std::optional<slice_orientation> slices{};
};

namespace detail {

/// A slice orientation as a number of a file: 0 sagittal, 1 coronal, 2 axial, 3 + N array axis N.
inline std::int64_t slice_code(const slice_orientation& slices) {
  if (!slices.plane)
    return 3 + static_cast<std::int64_t>(slices.array_axis);
  return *slices.plane == anatomical_plane::sagittal  ? 0
         : *slices.plane == anatomical_plane::coronal ? 1
                                                      : 2;
}

}  // namespace detail

/// Writes the U-Net's architecture, weights, spacing and normalisation to `file` (through a
/// temporary name and a rename: a crash never leaves a truncated file under the real name).
/// \throws io_error naming the file when it cannot be written; precondition_error for a spacing
///         that is not three positive finite values
inline void save_segmenter(unet3d& model, const std::filesystem::path& file,
                           const segmenter_metadata& metadata) {
  const auto& sp = metadata.spacing;
  DISCGEOM_PRECONDITION(std::isfinite(sp[0]) && std::isfinite(sp[1]) && std::isfinite(sp[2]) &&
                            sp[0] > 0.0 && sp[1] > 0.0 && sp[2] > 0.0,
                        "save_segmenter", "metadata.spacing must be positive, got ", sp, " mm for ",
                        file.string());
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
  if (config.dimensions == 2) {  // absent: 3D, as files written before 2D U-Nets
    archive.write("dimensions", torch::tensor(std::int64_t{2}, torch::kLong));
    if (metadata.slices)
      archive.write("slice_plane",
                    torch::tensor(detail::slice_code(*metadata.slices), torch::kLong));
  }
  detail::save_archive_atomically(archive, file, "save_segmenter");
}

/// A native segmenter file: the model (eval mode) and its metadata.
struct segmenter_file {
  unet3d model{nullptr};
  segmenter_metadata metadata;
};

namespace detail {

/// Whole numbers >= 1 of a metadata tensor (see metadata_values), each below 2^31.
[[nodiscard]] inline std::vector<std::int64_t> positive_whole_numbers(const torch::Tensor& tensor,
                                                                      std::int64_t count,
                                                                      const std::string& file,
                                                                      const char* function,
                                                                      const char* key) {
  const auto v = metadata_values(tensor, count, file, function, key);
  std::vector<std::int64_t> result;
  for (const double x : v) {
    if (!(x >= 1.0 && x < 2147483648.0 && x == std::floor(x)))
      throw_error<io_error>(function, file, ": '", key, "' holds ", v, ", not whole numbers >= 1");
    result.push_back(static_cast<std::int64_t>(x));
  }
  return result;
}

/// A lower bound on the weights of a U-Net of `config` (its 3x3x3 kernels), in floating point.
[[nodiscard]] inline double minimum_weight_count(const unet3d_config& config) {
  double count = 0.0;
  double in = static_cast<double>(config.in_channels);
  for (const std::int64_t width : config.channels) {
    const double w = static_cast<double>(width);
    count += (config.dimensions == 2 ? 9.0 : 27.0) * (in * w + w * w);
    in = w;
  }
  return count;
}

/// The native segmenter in `archive`, loaded from the checked bytes of `file` (`size` of them),
/// its metadata checked: format 1, a valid architecture whose weights fit in the file, every
/// weight of its shape and finite, spacing and patch positive, a known normalisation.
/// \throws io_error naming the file and the key or tensor
[[nodiscard]] inline segmenter_file segmenter_from_archive(torch::serialize::InputArchive& archive,
                                                           const std::string& file,
                                                           std::size_t size, const char* function) {
  torch::Tensor format, architecture, spacing, normalisation, patch;  // fresh: reads keep no dtype
  torch::Tensor dimensions, slice_plane;
  bool has_patch = false, has_dimensions = false, has_slice_plane = false;
  try {
    if (!archive.try_read("segmenter_format", format))
      throw_error<io_error>(function, file,
                            ": not a native discgeom segmenter (no segmenter_format)");
    archive.read("architecture", architecture);
    archive.read("spacing", spacing);
    archive.read("normalisation", normalisation);
    has_patch = archive.try_read("patch", patch);
    has_dimensions = archive.try_read("dimensions", dimensions);
    has_slice_plane = archive.try_read("slice_plane", slice_plane);
  } catch (const io_error&) {
    throw;
  } catch (const std::exception& e) {
    throw_error<io_error>(function, file, ": damaged segmenter: ", torch_error_message(e));
  }
  if (positive_whole_numbers(format, 1, file, function, "segmenter_format")[0] != 1)
    throw_error<io_error>(function, file, ": segmenter_format is not 1, the one this reads");
  const auto a = positive_whole_numbers(architecture, 0, file, function, "architecture");
  if (a.size() < 3)
    throw_error<io_error>(function, file, ": 'architecture' holds ", a,
                          ", not in and out channels and the level widths");
  unet3d_config config;
  config.in_channels = a[0];
  config.out_channels = a[1];
  config.channels.assign(a.begin() + 2, a.end());
  if (has_dimensions) {
    config.dimensions = positive_whole_numbers(dimensions, 1, file, function, "dimensions")[0];
    if (config.dimensions != 2 && config.dimensions != 3)
      throw_error<io_error>(function, file, ": 'dimensions' is ", config.dimensions,
                            ", not 2 or 3");
  }
  try {
    config.validate(function);
  } catch (const std::exception& e) {
    throw_error<io_error>(function, file, ": holds no valid architecture: ", e.what());
  }
  if (4.0 * minimum_weight_count(config) > static_cast<double>(size))
    throw_error<io_error>(function, file, ": 'architecture' describes a U-Net of ",
                          config.describe(), ", whose weights the file's ", size,
                          " bytes cannot hold");
  segmenter_file result;
  result.model = unet3d(config);
  const auto signatures = tensor_signatures(*result.model);
  try {
    torch::serialize::InputArchive weights;
    archive.read("model", weights);
    result.model->load(weights);
  } catch (const std::exception& e) {
    throw_error<io_error>(function, file, ": damaged segmenter: ", torch_error_message(e));
  }
  check_loaded_tensors(signatures, *result.model, file, function, "model");
  const auto s = metadata_values(spacing, 3, file, function, "spacing");
  if (!(s[0] > 0.0 && s[1] > 0.0 && s[2] > 0.0))
    throw_error<io_error>(function, file, ": 'spacing' is ", s, " mm, not three positive values");
  result.metadata.spacing = {s[0], s[1], s[2]};
  const auto n = metadata_values(normalisation, 3, file, function, "normalisation");
  if (n[0] != 0.0 && n[0] != 1.0)
    throw_error<io_error>(function, file, ": 'normalisation' holds method ", n[0],
                          ", neither 0 (zscore) nor 1 (percentile)");
  result.metadata.normalisation.method =
      n[0] == 0.0 ? intensity_normalisation::zscore : intensity_normalisation::percentile;
  if (n[0] == 1.0 && !(0.0 <= n[1] && n[1] < n[2] && n[2] <= 100.0))
    throw_error<io_error>(function, file, ": 'normalisation' holds percentiles ", n[1], " and ",
                          n[2], ", not 0 <= lower < upper <= 100");
  result.metadata.normalisation.lower_percentile = n[1];
  result.metadata.normalisation.upper_percentile = n[2];
  if (has_patch) {
    const auto p = positive_whole_numbers(patch, 3, file, function, "patch");
    result.metadata.patch = {p[0], p[1], p[2]};
  }
  if (has_slice_plane) {
    const auto code = metadata_values(slice_plane, 1, file, function, "slice_plane")[0];
    if (!(code >= 0.0 && code <= 5.0 && code == std::floor(code)))
      throw_error<io_error>(function, file, ": 'slice_plane' is ", code, ", not 0 to 5");
    const auto c = static_cast<int>(code);
    result.metadata.slices =
        c < 3 ? slice_orientation{.plane = c == 0   ? anatomical_plane::sagittal
                                           : c == 1 ? anatomical_plane::coronal
                                                    : anatomical_plane::transverse}
              : slice_orientation{.array_axis = static_cast<std::size_t>(c - 3)};
  }
  result.model->eval();
  return result;
}

}  // namespace detail

/// Whether `file` is a native segmenter written by save_segmenter (false for TorchScript files
/// and anything unreadable or damaged).
[[nodiscard]] inline bool is_native_segmenter(const std::filesystem::path& file) {
  if (!std::filesystem::is_regular_file(file))
    return false;
  try {
    const std::string bytes =
        detail::read_checked_archive(file, "is_native_segmenter", "LibTorch archive");
    torch::serialize::InputArchive archive;
    archive.load_from(bytes.data(), bytes.size());
    torch::Tensor format;
    return archive.try_read("segmenter_format", format);
  } catch (const std::exception&) {
    return false;
  }
}

/// Reads a file written by save_segmenter. The file is read once and checked before LibTorch
/// loads it (detail::read_checked_archive: the zip structure and every entry's CRC-32), and its
/// weights and metadata after (see detail::segmenter_from_archive).
/// \throws io_error naming the file when it is missing, unreadable, not a native segmenter or
///         damaged (the zip entry, key or tensor named)
[[nodiscard]] inline segmenter_file load_segmenter(const std::filesystem::path& file) {
  constexpr const char* function = "load_segmenter";
  const std::string name = file.string();
  if (!std::filesystem::is_regular_file(file))
    detail::throw_error<io_error>(function, name, ": no such file");
  const std::string bytes = detail::read_checked_archive(file, function, "discgeom segmenter");
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(bytes.data(), bytes.size());
  } catch (const std::exception& e) {
    detail::throw_error<io_error>(function, name,
                                  ": not a discgeom segmenter (truncated or another format): ",
                                  detail::torch_error_message(e));
  }
  return detail::segmenter_from_archive(archive, name, bytes.size(), function);
}

/// The native U-Net as a segmentation_model (shares the module).
[[nodiscard]] inline segmentation_model as_segmentation_model(unet3d model,
                                                              const segmenter_metadata& metadata,
                                                              std::string name = "unet3d") {
  model->eval();
  segmentation_model result;
  result.input_channels = model->config().in_channels;
  result.normalisation = metadata.normalisation;
  result.patch = metadata.patch;
  result.name = std::move(name);
  if (model->config().dimensions == 2) {  // (N, C, H, W) slices, as a 2D TorchScript model
    result.dimensions = 2;
    result.slices = metadata.slices;
    result.slice_spacing = std::array<double, 2>{metadata.spacing[1], metadata.spacing[2]};
    result.predict = [model](const torch::Tensor& input) mutable {
      DISCGEOM_PRECONDITION(input.dim() == 4, "segment", "a 2D U-Net takes (N, C, H, W), got ",
                            detail::shape_string(input));
      return model->forward(input.unsqueeze(2)).squeeze(2);
    };
    return result;
  }
  result.spacing = metadata.spacing;
  result.predict = [model](const torch::Tensor& input) mutable { return model->forward(input); };
  return result;
}

/// Loads any segmentation model file: a native segmenter (save_segmenter) or a TorchScript
/// module (load_torchscript_segmenter); for a native one, `options` are checked against its
/// metadata as for TorchScript. The file is read once and checked (zip structure, every
/// entry's CRC-32) before LibTorch loads it.
/// \throws io_error naming the file when it is neither, or damaged (the zip entry, key or tensor
///         named); precondition_error as
///         load_torchscript_segmenter for a spacing or channel mismatch
[[nodiscard]] inline segmentation_model load_segmentation_model(
    const std::filesystem::path& file, const torchscript_segmenter_options& options = {}) {
  constexpr const char* function = "load_segmentation_model";
  const std::string name = file.string();
  if (!std::filesystem::is_regular_file(file))
    detail::throw_error<io_error>(function, name, ": no such file");
  const std::string bytes =
      detail::read_checked_archive(file, function, "TorchScript file or native discgeom segmenter");
  torch::serialize::InputArchive archive;
  torch::Tensor format;
  bool native = false;
  try {
    archive.load_from(bytes.data(), bytes.size());
    native = archive.try_read("segmenter_format", format);
  } catch (const std::exception&) {
    native = false;  // the TorchScript reader says why
  }
  if (!native)
    return detail::torchscript_segmenter_from_bytes(bytes, name, options);
  auto loaded = detail::segmenter_from_archive(archive, name, bytes.size(), "load_segmenter");
  auto model = as_segmentation_model(loaded.model, loaded.metadata, name);
  if (options.spacing && model.dimensions == 2) {
    model.spacing = options.spacing;  // in plane, checked by segment once the slice axis is known
  } else if (options.spacing) {
    for (std::size_t d = 0; d < 3; ++d)
      DISCGEOM_PRECONDITION(std::abs((*options.spacing)[d] - (*model.spacing)[d]) <= 1e-3,
                            "load_segmentation_model", "model ", name, " works at spacing ",
                            *model.spacing, " mm, but spacing ", *options.spacing,
                            " mm was asked for");
  }
  if (options.input_channels)
    DISCGEOM_PRECONDITION(*options.input_channels == model.input_channels,
                          "load_segmentation_model", "model ", name, " expects ",
                          model.input_channels, " input channels, the input has ",
                          *options.input_channels);
  return model;
}

}  // namespace discgeom
