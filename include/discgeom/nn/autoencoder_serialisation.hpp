// SPDX-License-Identifier: MIT
#pragma once
/// \file
/// What the autoencoder's archives (a saved model, a training checkpoint) hold besides the
/// weights: the architecture as a tensor, its comparison, and the device a model lives on.
/// Shared by nn/autoencoder_io.hpp, nn/latent_codec.hpp and nn/train_autoencoder.hpp, so that
/// reading a model does not bring in the training (Adam, CUDA options). Part of `discgeom::torch`.

#include <cstdint>
#include <vector>

#include <torch/torch.h>

#include "discgeom/nn/autoencoder.hpp"

namespace discgeom::detail {

/// The device the model's parameters are on.
inline torch::Device model_device(autoencoder3d& model) {
  const auto parameters = model->parameters();
  return parameters.empty() ? torch::Device(torch::kCPU) : parameters.front().device();
}

/// The architecture as a 1D int64 tensor: input size, bottleneck, then the channel widths.
inline torch::Tensor config_tensor(const autoencoder_config& config) {
  std::vector<std::int64_t> values{config.input_size, config.bottleneck};
  values.insert(values.end(), config.channels.begin(), config.channels.end());
  return torch::tensor(values, torch::kLong);
}

inline autoencoder_config config_from_tensor(const torch::Tensor& values) {
  autoencoder_config config;
  const auto v = values.to(torch::kLong);
  config.input_size = v[0].item<std::int64_t>();
  config.bottleneck = v[1].item<std::int64_t>();
  config.channels.clear();
  for (std::int64_t i = 2; i < v.size(0); ++i) {
    config.channels.push_back(v[i].item<std::int64_t>());
  }
  return config;
}

/// Same input size, bottleneck and channel widths.
inline bool same_architecture(const autoencoder_config& a, const autoencoder_config& b) {
  return a.input_size == b.input_size && a.bottleneck == b.bottleneck && a.channels == b.channels;
}

}  // namespace discgeom::detail
