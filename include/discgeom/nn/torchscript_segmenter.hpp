// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Any TorchScript segmentation network (a MONAI SwinUNETR or UNet traced or scripted in Python,
/// or one's own) as a `segmentation_model`. The model's expectations are read from attributes
/// the exporting script sets on the module (docs/segmentation.md shows how):
///   - `discgeom_spacing`: List[float] of 3, the spacing in mm per array axis the model works at;
///   - `discgeom_in_channels`: int, the input channels;
///   - `discgeom_normalisation`: str, "zscore" or "percentile" (optional);
///   - `discgeom_slice_plane`: str, a 2D model's slices: "sagittal", "coronal", "axial" or an
///     array axis "0", "1", "2" (optional; else options.slices of segment).
/// A model is 2D (forward maps (N, C, H, W) to (N, K, H, W), applied slice by slice) when its
/// first 4-D or 5-D weight is 4-D (a Conv2d), or, without such weights, when it names a slice
/// plane; a 2D model's `discgeom_spacing` has 2 values, the mm of H and W. Without
/// `discgeom_in_channels` the input channels are those of that first weight (a Conv3d is (out,
/// in, k, k, k)); without `discgeom_spacing` the spacing must be given. Part of
/// `discgeom::torch`.

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <torch/script.h>

#include "discgeom/error.hpp"
#include "discgeom/nn/archive_file.hpp"
#include "discgeom/nn/segmenter.hpp"

namespace discgeom {

struct torchscript_segmenter_options {
  /// The spacing to use; required when the module has no `discgeom_spacing`, checked against it
  /// (to 1e-3 mm) otherwise.
  std::optional<vec3> spacing{};
  /// The input channels the caller will give; checked against the module's when set.
  std::optional<std::int64_t> input_channels{};
};

namespace detail {

/// The TorchScript segmentation model in `bytes` (a file's content, already checked by
/// read_checked_archive), named `file` in messages (see load_torchscript_segmenter).
[[nodiscard]] inline segmentation_model torchscript_segmenter_from_bytes(
    const std::string& bytes, const std::string& file,
    const torchscript_segmenter_options& options) {
  constexpr const char* function = "load_torchscript_segmenter";
  auto module = std::make_shared<torch::jit::script::Module>();
  try {
    *module = torch::jit::load(std::make_shared<caffe2::serialize::MemoryReadAdapter>(
                                   bytes.data(), static_cast<off_t>(bytes.size())),
                               torch::kCPU);
  } catch (const std::exception& e) {
    throw_error<io_error>(function, file, ": not a TorchScript file: ", torch_error_message(e));
  }
  module->eval();
  segmentation_model model;
  model.name = file;
  try {
    // 2D or 3D: the first convolution weight's rank (Conv2d 4, Conv3d 5), else the metadata.
    std::int64_t weight_channels = 0;
    std::size_t weight_dimensions = 0;
    for (const auto& p : module->named_parameters(/*recurse=*/true))
      if (p.value.dim() == 4 || p.value.dim() == 5) {
        weight_dimensions = static_cast<std::size_t>(p.value.dim()) - 2;
        weight_channels = p.value.size(1);
        break;
      }
    const bool has_plane = module->hasattr("discgeom_slice_plane");
    if (has_plane) {
      const std::string plane = module->attr("discgeom_slice_plane").toStringRef();
      try {
        model.slices = parse_slice_orientation(plane, function);
      } catch (const precondition_error&) {
        throw_error<io_error>(function, file, ": discgeom_slice_plane is '", plane,
                              "', not sagittal, coronal, axial or an array axis 0, 1, 2");
      }
    }
    if (weight_dimensions == 3 && has_plane)
      throw_error<io_error>(function, file,
                            ": discgeom_slice_plane is set, but the first convolution is 3D (a "
                            "5-D weight)");
    model.dimensions = weight_dimensions != 0 ? weight_dimensions : has_plane ? 2 : 3;
    if (module->hasattr("discgeom_spacing")) {
      const auto values = module->attr("discgeom_spacing").toDoubleList();
      const std::size_t wanted = model.dimensions;
      if (values.size() != wanted)
        throw_error<io_error>(function, file, ": discgeom_spacing has ", values.size(),
                              " values, not ", wanted, " (a ", model.dimensions, "D model)");
      for (const double v : values)
        if (!(std::isfinite(v) && v > 0.0))
          throw_error<io_error>(function, file, ": discgeom_spacing has ", v,
                                " mm, not a positive spacing");
      if (wanted == 3)
        model.spacing = vec3{values[0], values[1], values[2]};
      else
        model.slice_spacing = std::array<double, 2>{values[0], values[1]};
    }
    if (module->hasattr("discgeom_in_channels")) {
      model.input_channels = module->attr("discgeom_in_channels").toInt();
    } else if (weight_channels > 0) {
      model.input_channels = weight_channels;
    }
    if (model.input_channels < 1)
      throw_error<io_error>(function, file, ": discgeom_in_channels is ", model.input_channels,
                            ", not a channel count >= 1");
    if (module->hasattr("discgeom_normalisation")) {
      model.normalisation =
          normalisation_options{.method = parse_intensity_normalisation(
                                    module->attr("discgeom_normalisation").toStringRef())};
    }
  } catch (const io_error&) {
    throw;
  } catch (const std::exception& e) {
    throw_error<io_error>(function, file,
                          ": unreadable discgeom_ metadata: ", torch_error_message(e));
  }
  if (model.dimensions == 2) {  // in-plane spacing: checked by segment, once the axis is known
    if (options.spacing)
      model.spacing = options.spacing;
    DISCGEOM_PRECONDITION(options.spacing || model.slice_spacing, function, "model ", file,
                          " carries no discgeom_spacing; give the spacing it works at");
  }
  if (model.dimensions == 3 && options.spacing && model.spacing) {
    for (std::size_t d = 0; d < 3; ++d)
      DISCGEOM_PRECONDITION(std::abs((*options.spacing)[d] - (*model.spacing)[d]) <= 1e-3, function,
                            "model ", file, " works at spacing ", *model.spacing,
                            " mm, but spacing ", *options.spacing, " mm was asked for");
  }
  DISCGEOM_PRECONDITION(model.dimensions == 2 || options.spacing || model.spacing, function,
                        "model ", file,
                        " carries no discgeom_spacing; give the spacing it works at");
  if (options.spacing)
    model.spacing = options.spacing;
  if (options.input_channels)
    DISCGEOM_PRECONDITION(*options.input_channels == model.input_channels, function, "model ", file,
                          " expects ", model.input_channels, " input channels, the input has ",
                          *options.input_channels);
  model.predict = [module, name = file](const torch::Tensor& input) {
    const auto output = module->forward({input});
    if (!output.isTensor())
      throw_error<precondition_error>("segment", "model ", name, " returned a ", output.tagKind(),
                                      ", not a tensor of logits");
    return output.toTensor();
  };
  return model;
}

}  // namespace detail

/// Loads a TorchScript segmentation model for `segment`.
///
/// \param file     a TorchScript archive (torch.jit.save of a traced or scripted module);
///                 forward maps (N, C, D, H, W) float to (N, K, D, H, W) logits
/// \returns the model in eval mode on the CPU, with its spacing, channels and normalisation
/// \throws io_error naming the file when it is missing, not TorchScript or damaged (read once and
///         checked before LibTorch loads it: the zip structure and every entry's CRC-32, the
///         entry named), or a metadata attribute has the wrong type or value; precondition_error
///         naming both values when options.spacing or options.input_channels disagree with the
///         module's, or when neither gives a spacing
/// Complexity: one load.
///
///   auto model = discgeom::load_torchscript_segmenter("swin_unetr.pt");
///   auto seg = discgeom::segment(t1, model);
[[nodiscard]] inline segmentation_model load_torchscript_segmenter(
    const std::filesystem::path& file, const torchscript_segmenter_options& options = {}) {
  constexpr const char* function = "load_torchscript_segmenter";
  if (!std::filesystem::is_regular_file(file))
    detail::throw_error<io_error>(function, file.string(), ": no such file");
  const std::string bytes = detail::read_checked_archive(file, function, "TorchScript file");
  return detail::torchscript_segmenter_from_bytes(bytes, file.string(), options);
}

}  // namespace discgeom
