// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// A native 3D U-Net in LibTorch (Ronneberger et al., MICCAI 2015; Cicek et al., MICCAI 2016,
/// the 3D form) of configurable depth and width, for segmenting discs from C++ without Python.
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
  }

  /// Inputs are padded to a multiple of this edge (2^(levels - 1)) inside forward.
  [[nodiscard]] std::int64_t divisor() const {
    return std::int64_t{1} << (static_cast<std::int64_t>(channels.size()) - 1);
  }

  /// "in 1, out 1, channels 8-16-32".
  [[nodiscard]] std::string describe() const {
    std::string text = "in " + std::to_string(in_channels) + ", out " +
                       std::to_string(out_channels) + ", channels ";
    for (std::size_t i = 0; i < channels.size(); ++i) {
      text += i ? "-" : "";
      text += std::to_string(channels[i]);
    }
    return text;
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
///
/// \throws precondition_error from the constructor for an invalid config, and from forward for
///         an input that is not 5D float with `in` channels (shape and expectation named)
class unet3d_impl : public torch::nn::Module {
 public:
  explicit unet3d_impl(unet3d_config config) : config_(std::move(config)) {
    config_.validate("unet3d");
    const auto& widths = config_.channels;
    std::int64_t in = config_.in_channels;
    for (std::size_t level = 0; level < widths.size(); ++level) {
      encoder_.push_back(
          register_module("encoder" + std::to_string(level), block(in, widths[level])));
      in = widths[level];
    }
    for (std::size_t level = widths.size() - 1; level-- > 0;) {
      up_.push_back(register_module(
          "up" + std::to_string(level),
          torch::nn::ConvTranspose3d(
              torch::nn::ConvTranspose3dOptions(widths[level + 1], widths[level], 2).stride(2))));
      decoder_.push_back(register_module("decoder" + std::to_string(level),
                                         block(2 * widths[level], widths[level])));
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
    const std::int64_t m = config_.divisor();
    const std::int64_t d = input.size(2), h = input.size(3), w = input.size(4);
    const auto up_to = [m](std::int64_t n) { return (n + m - 1) / m * m - n; };
    torch::Tensor x = input;
    if (up_to(d) || up_to(h) || up_to(w))
      x = torch::constant_pad_nd(input, {0, up_to(w), 0, up_to(h), 0, up_to(d)}, 0.0);
    std::vector<torch::Tensor> skips;
    for (std::size_t level = 0; level < encoder_.size(); ++level) {
      if (level > 0)
        x = torch::max_pool3d(x, 2);
      x = encoder_[level]->forward(x);
      skips.push_back(x);
    }
    for (std::size_t i = 0; i < up_.size(); ++i) {
      const std::size_t level = encoder_.size() - 2 - i;
      x = up_[i]->forward(x);
      x = decoder_[i]->forward(torch::cat({skips[level], x}, 1));
    }
    x = head_->forward(x);
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
  static torch::nn::Sequential block(std::int64_t in, std::int64_t out) {
    torch::nn::Sequential sequence;
    for (int i = 0; i < 2; ++i) {
      sequence->push_back(
          torch::nn::Conv3d(torch::nn::Conv3dOptions(i == 0 ? in : out, out, 3).padding(1)));
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
