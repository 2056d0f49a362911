// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// A native 3D U-Net in LibTorch (Ronneberger et al., MICCAI 2015; Cicek et al., MICCAI 2016,
/// the 3D form) of configurable depth and width, for segmenting discs from C++ without Python;
/// also in a 2D form (`dimensions` 2) that segments slice by slice, as Hess et al.'s 2D networks.
/// Part of `discgeom::torch`.

#include <cstdint>
#include <string>
#include <vector>

#include <torch/nn.h>

#include "discgeom/error.hpp"

namespace discgeom {

/// The architecture: input and output channels and the width of each level (its depth is the
/// number of levels).
struct unet3d_config {
  std::int64_t in_channels = 1;
  std::int64_t out_channels = 1;                  ///< 1: binary (sigmoid); K > 1: K classes
  std::vector<std::int64_t> channels{8, 16, 32};  ///< widths, from the top level down
  /// 3: a 3D U-Net; 2: a 2D U-Net applied to every slice along the depth axis D on its own
  /// (kernels 1 x 3 x 3, pooling and up-sampling 1 x 2 x 2: on one slice exactly Conv2d 3 x 3,
  /// MaxPool2d 2, ConvTranspose2d 2 and InstanceNorm2d).
  std::int64_t dimensions = 3;

  /// \throws precondition_error for fewer than one level, a width or channel count < 1
  void validate(const char* function = "unet3d_config::validate") const {
    DISCGEOM_PRECONDITION(!channels.empty() && channels.size() <= 8, function,
                          "channels must name 1 to 8 levels, got ", channels.size());
    for (std::size_t i = 0; i < channels.size(); ++i)
      DISCGEOM_PRECONDITION(channels[i] >= 1, function, "channels[", i, "] must be >= 1, got ",
                            channels[i]);
    DISCGEOM_PRECONDITION(in_channels >= 1, function, "in_channels must be >= 1, got ",
                          in_channels);
    DISCGEOM_PRECONDITION(out_channels >= 1, function, "out_channels must be >= 1, got ",
                          out_channels);
    DISCGEOM_PRECONDITION(dimensions == 2 || dimensions == 3, function,
                          "dimensions must be 2 or 3, got ", dimensions);
  }

  /// Inputs are padded to a multiple of this edge (2^(levels - 1)) inside forward.
  [[nodiscard]] std::int64_t divisor() const {
    return std::int64_t{1} << (static_cast<std::int64_t>(channels.size()) - 1);
  }

  /// "in 1, out 1, channels 8-16-32" (", 2D" appended for a 2D U-Net).
  [[nodiscard]] std::string describe() const {
    std::string text = "in " + std::to_string(in_channels) + ", out " +
                       std::to_string(out_channels) + ", channels ";
    for (std::size_t i = 0; i < channels.size(); ++i) {
      text += i ? "-" : "";
      text += std::to_string(channels[i]);
    }
    return dimensions == 2 ? text + ", 2D" : text;
  }
};

/// The U-Net module (use the holder `unet3d`).
///
/// Each level is two blocks of Conv3d(kernel 3, padding 1) + InstanceNorm3d(affine) +
/// LeakyReLU(0.01) (nnU-Net's block); the encoder goes down by MaxPool3d(2), the decoder up by
/// ConvTranspose3d(kernel 2, stride 2) and concatenates the encoder's features of the same level
/// (skip connection); a final Conv3d(kernel 1) gives the logits. Instance normalisation makes the
/// output of a patch independent of the batch it is in.
///
/// forward: (N, in, D, H, W) float -> (N, out, D, H, W) logits, for any D, H, W >= 1: the input
/// is zero-padded at the far end to a multiple of config.divisor() and the logits cropped back.
/// A 2D U-Net (config.dimensions 2) pads H and W only and sees each of the N D slices alone (they
/// are moved into the batch), so its logits of a slice do not depend on the other slices.
///
/// \throws precondition_error from the constructor for an invalid config, and from forward for
///         an input that is not 5D float with `in` channels (shape and expectation named)
class unet3d_impl : public torch::nn::Module {
 public:
  explicit unet3d_impl(unet3d_config config) : config_(std::move(config)) {
    config_.validate("unet3d");
    const auto& widths = config_.channels;
    const bool flat = config_.dimensions == 2;
    std::int64_t in = config_.in_channels;
    for (std::size_t level = 0; level < widths.size(); ++level) {
      encoder_.push_back(
          register_module("encoder" + std::to_string(level), block(in, widths[level], flat)));
      in = widths[level];
    }
    const auto two = flat ? std::vector<std::int64_t>{1, 2, 2} : std::vector<std::int64_t>{2, 2, 2};
    for (std::size_t level = widths.size() - 1; level-- > 0;) {
      up_.push_back(
          register_module("up" + std::to_string(level),
                          torch::nn::ConvTranspose3d(
                              torch::nn::ConvTranspose3dOptions(widths[level + 1], widths[level],
                                                                torch::ExpandingArray<3>(two))
                                  .stride(torch::ExpandingArray<3>(two)))));
      decoder_.push_back(register_module("decoder" + std::to_string(level),
                                         block(2 * widths[level], widths[level], flat)));
    }
    head_ = register_module(
        "head", torch::nn::Conv3d(torch::nn::Conv3dOptions(widths[0], config_.out_channels, 1)));
  }

  [[nodiscard]] const unet3d_config& config() const noexcept { return config_; }

  torch::Tensor forward(const torch::Tensor& input) {
    DISCGEOM_PRECONDITION(
        input.defined() && input.dim() == 5 && input.size(1) == config_.in_channels,
        "unet3d::forward", "input must be (N, ", config_.in_channels, ", D, H, W), got ",
        shape_of(input));
    DISCGEOM_PRECONDITION(input.scalar_type() == torch::kFloat, "unet3d::forward",
                          "input must be float32, got ", c10::toString(input.scalar_type()));
    const bool flat = config_.dimensions == 2;
    const std::int64_t m = config_.divisor();
    const std::int64_t n = input.size(0), d = input.size(2), h = input.size(3), w = input.size(4);
    const auto up_to = [m](std::int64_t size) { return (size + m - 1) / m * m - size; };
    torch::Tensor x = input;
    if (flat)  // (N, C, D, H, W) -> (N D, C, 1, H, W): each slice on its own
      x = input.movedim(2, 1).reshape({n * d, input.size(1), 1, h, w});
    const std::int64_t pad_d = flat ? 0 : up_to(d);
    if (pad_d || up_to(h) || up_to(w))
      x = torch::constant_pad_nd(x, {0, up_to(w), 0, up_to(h), 0, pad_d}, 0.0);
    std::vector<torch::Tensor> skips;
    for (std::size_t level = 0; level < encoder_.size(); ++level) {
      if (level > 0)
        x = flat ? torch::max_pool3d(x, {1, 2, 2}) : torch::max_pool3d(x, 2);
      x = encoder_[level]->forward(x);
      skips.push_back(x);
    }
    for (std::size_t i = 0; i < up_.size(); ++i) {
      const std::size_t level = encoder_.size() - 2 - i;
      x = up_[i]->forward(x);
      x = decoder_[i]->forward(torch::cat({skips[level], x}, 1));
    }
    x = head_->forward(x);
    if (flat)  // (N D, K, 1, H', W') -> (N, K, D, H, W)
      return x.slice(3, 0, h).slice(4, 0, w).reshape({n, d, x.size(1), h, w}).movedim(1, 2);
    return x.slice(2, 0, d).slice(3, 0, h).slice(4, 0, w);
  }

  /// "[4, 1, 32, 32, 32]".
  [[nodiscard]] static std::string shape_of(const torch::Tensor& tensor) {
    if (!tensor.defined())
      return "undefined";
    std::string text = "[";
    for (std::int64_t i = 0; i < tensor.dim(); ++i) {
      text += i ? ", " : "";
      text += std::to_string(tensor.size(i));
    }
    return text + "]";
  }

 private:
  static torch::nn::Sequential block(std::int64_t in, std::int64_t out, bool flat) {
    torch::nn::Sequential sequence;
    const auto kernel =
        flat ? std::vector<std::int64_t>{1, 3, 3} : std::vector<std::int64_t>{3, 3, 3};
    const auto padding =
        flat ? std::vector<std::int64_t>{0, 1, 1} : std::vector<std::int64_t>{1, 1, 1};
    for (int i = 0; i < 2; ++i) {
      sequence->push_back(torch::nn::Conv3d(
          torch::nn::Conv3dOptions(i == 0 ? in : out, out, torch::ExpandingArray<3>(kernel))
              .padding(torch::ExpandingArray<3>(padding))));
      sequence->push_back(
          torch::nn::InstanceNorm3d(torch::nn::InstanceNorm3dOptions(out).affine(true)));
      sequence->push_back(torch::nn::LeakyReLU(torch::nn::LeakyReLUOptions().negative_slope(0.01)));
    }
    return sequence;
  }

  unet3d_config config_;
  std::vector<torch::nn::Sequential> encoder_, decoder_;
  std::vector<torch::nn::ConvTranspose3d> up_;
  torch::nn::Conv3d head_{nullptr};
};

TORCH_MODULE_IMPL(unet3d, unet3d_impl);

}  // namespace discgeom
