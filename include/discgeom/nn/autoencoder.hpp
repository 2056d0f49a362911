// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The 3D convolutional autoencoder of disc shape (Perrone et al., step 3; docs/references.md):
/// an encoder of Conv3d(kernel 3, stride 2, padding 1) + BatchNorm + ReLU stages that halve the
/// cube at each stage (64^3 -> 2^3 with channels 1 -> 32 -> 64 -> 128 -> 256 -> 512), a linear
/// bottleneck of B features, and a mirrored ConvTranspose3d decoder without skip connections.
/// The decoder returns logits: training applies BCE-with-logits, inference one sigmoid (the
/// authors' released code applies a sigmoid twice, which we do not copy). Part of
/// `discgeom::torch`.

#include <cstdint>
#include <string>
#include <vector>

#include <torch/nn.h>

#include "discgeom/error.hpp"

namespace discgeom {

/// The architecture: cube edge, encoder widths (one stage each) and bottleneck size.
struct autoencoder_config {
  std::int64_t input_size = 64;                               ///< edge of the cubic input
  std::vector<std::int64_t> channels{32, 64, 128, 256, 512};  ///< encoder stage widths
  std::int64_t bottleneck = 4;                                ///< latent features B >= 1

  /// Edge of the cube after the encoder: input_size / 2^stages.
  [[nodiscard]] std::int64_t encoded_size() const {
    return input_size >> static_cast<std::int64_t>(channels.size());
  }

  /// \throws precondition_error when the input edge is not a multiple of 2^stages (at least 2^
  ///         stages), a width is not positive, there is no stage, or the bottleneck is < 1
  void validate(const char* function = "autoencoder_config::validate") const {
    DISCGEOM_PRECONDITION(!channels.empty(), function, "channels must name at least one stage");
    for (std::size_t i = 0; i < channels.size(); ++i) {
      DISCGEOM_PRECONDITION(channels[i] >= 1, function, "channels[", i, "] must be >= 1, got ",
                            channels[i]);
    }
    DISCGEOM_PRECONDITION(channels.size() < 31, function, "too many stages: ", channels.size());
    const std::int64_t factor = std::int64_t{1} << channels.size();
    DISCGEOM_PRECONDITION(input_size >= factor && input_size % factor == 0, function, "input_size ",
                          input_size, " must be a positive multiple of 2^", channels.size(), " = ",
                          factor, " (each stage halves the cube)");
    DISCGEOM_PRECONDITION(bottleneck >= 1, function, "bottleneck must be >= 1, got ", bottleneck);
  }

  /// "input 64, channels 32-64-128-256-512, bottleneck 4": names a model in messages.
  [[nodiscard]] std::string describe() const {
    std::string text = "input " + std::to_string(input_size) + ", channels ";
    for (std::size_t i = 0; i < channels.size(); ++i) {
      if (i > 0)
        text += '-';
      text += std::to_string(channels[i]);
    }
    return text + ", bottleneck " + std::to_string(bottleneck);
  }
};

/// The autoencoder module (use the holder `autoencoder3d`).
///
/// Input: (N, 1, S, S, S) float masks in {0, 1}, S = config.input_size. encode: (N, B) latent
/// codes; decode: (N, 1, S, S, S) logits; forward = decode(encode(x)).
///
/// \throws precondition_error from the constructor for an invalid config, and from encode and
///         forward for an input of another shape (the shape and the expected one named)
class autoencoder3d_impl : public torch::nn::Module {
 public:
  explicit autoencoder3d_impl(autoencoder_config config) : config_(std::move(config)) {
    config_.validate("autoencoder3d");
    const auto& widths = config_.channels;
    std::int64_t in = 1;
    for (const std::int64_t out : widths) {
      encoder_->push_back(
          torch::nn::Conv3d(torch::nn::Conv3dOptions(in, out, 3).stride(2).padding(1)));
      encoder_->push_back(torch::nn::BatchNorm3d(out));
      encoder_->push_back(torch::nn::ReLU());
      in = out;
    }
    const std::int64_t s = config_.encoded_size();
    const std::int64_t flat = widths.back() * s * s * s;
    to_latent_ = torch::nn::Linear(flat, config_.bottleneck);
    from_latent_ = torch::nn::Linear(config_.bottleneck, flat);
    for (std::size_t i = widths.size(); i-- > 0;) {
      const std::int64_t out = i == 0 ? 1 : widths[i - 1];
      decoder_->push_back(
          torch::nn::ConvTranspose3d(torch::nn::ConvTranspose3dOptions(widths[i], out, 3)
                                         .stride(2)
                                         .padding(1)
                                         .output_padding(1)));
      if (i != 0) {  // the last stage gives the logits: no normalisation, no activation
        decoder_->push_back(torch::nn::BatchNorm3d(out));
        decoder_->push_back(torch::nn::ReLU());
      }
    }
    register_module("encoder", encoder_);
    register_module("to_latent", to_latent_);
    register_module("from_latent", from_latent_);
    register_module("decoder", decoder_);
  }

  [[nodiscard]] const autoencoder_config& config() const noexcept { return config_; }

  /// (N, 1, S, S, S) -> (N, B).
  torch::Tensor encode(const torch::Tensor& masks) {
    check_input(masks, "autoencoder3d::encode");
    return to_latent_(encoder_->forward(masks).flatten(1));
  }

  /// (N, B) -> (N, 1, S, S, S) logits.
  torch::Tensor decode(const torch::Tensor& codes) {
    DISCGEOM_PRECONDITION(codes.dim() == 2 && codes.size(1) == config_.bottleneck,
                          "autoencoder3d::decode", "codes must be (N, ", config_.bottleneck,
                          "), got ", shape_text(codes));
    const std::int64_t s = config_.encoded_size();
    auto features =
        torch::relu(from_latent_(codes)).view({codes.size(0), config_.channels.back(), s, s, s});
    return decoder_->forward(features);
  }

  torch::Tensor forward(const torch::Tensor& masks) { return decode(encode(masks)); }

  /// "[4, 1, 32, 32, 32]".
  [[nodiscard]] static std::string shape_text(const torch::Tensor& tensor) {
    std::string text = "[";
    for (std::int64_t d = 0; d < tensor.dim(); ++d) {
      text += (d ? ", " : "") + std::to_string(tensor.size(d));
    }
    return text + "]";
  }

 private:
  void check_input(const torch::Tensor& masks, const char* function) const {
    const std::int64_t s = config_.input_size;
    DISCGEOM_PRECONDITION(masks.defined() && masks.dim() == 5 && masks.size(1) == 1 &&
                              masks.size(2) == s && masks.size(3) == s && masks.size(4) == s,
                          function, "masks must be (N, 1, ", s, ", ", s, ", ", s, "), got ",
                          masks.defined() ? shape_text(masks) : std::string("undefined"));
    DISCGEOM_PRECONDITION(masks.scalar_type() == torch::kFloat, function,
                          "masks must be float32, got ",
                          std::string(c10::toString(masks.scalar_type())));
  }

  autoencoder_config config_;
  torch::nn::Sequential encoder_;
  torch::nn::Linear to_latent_{nullptr};
  torch::nn::Linear from_latent_{nullptr};
  torch::nn::Sequential decoder_;
};

TORCH_MODULE_IMPL(autoencoder3d, autoencoder3d_impl);

}  // namespace discgeom
