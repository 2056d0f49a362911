// SPDX-License-Identifier: MIT
#pragma once
/// \file
/// What the autoencoder's archives (a saved model, a training checkpoint) hold besides the
/// weights: the architecture as a tensor, its comparison, and the device a model lives on.
/// Shared by nn/autoencoder_io.hpp, nn/latent_codec.hpp and nn/train_autoencoder.hpp, so that
/// reading a model does not bring in the training (Adam, CUDA options). Part of `discgeom::torch`.

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "discgeom/error.hpp"
#include "discgeom/nn/archive_file.hpp"
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

/// The architecture of a config tensor read back from `file`: 1D, at least three whole numbers
/// (input size, bottleneck, one channel width or more), each in [1, 2^31).
/// \throws io_error naming the file and what the tensor holds
inline autoencoder_config config_from_tensor(const torch::Tensor& values, const std::string& file,
                                             const char* function) {
  const auto v = metadata_values(values, 0, file, function, "config");
  if (v.size() < 3) {
    throw_error<io_error>(function, file, ": 'config' holds ", v,
                          ", not an input size, a bottleneck and channel widths");
  }
  autoencoder_config config;
  config.channels.clear();
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!(v[i] >= 1.0 && v[i] < 2147483648.0 && v[i] == std::floor(v[i]))) {
      throw_error<io_error>(function, file, ": 'config' holds ", v, ": value ", i,
                            " is not a whole number >= 1");
    }
    const auto n = static_cast<std::int64_t>(v[i]);
    if (i == 0)
      config.input_size = n;
    else if (i == 1)
      config.bottleneck = n;
    else
      config.channels.push_back(n);
  }
  return config;
}

/// A lower bound on the number of weights of a model of `config` (its convolution kernels and
/// the two linear maps of the bottleneck), in floating point so that no config overflows it:
/// a file must hold at least four bytes for each, or its config is damaged.
[[nodiscard]] inline double minimum_weight_count(const autoencoder_config& config) {
  double kernels = 0.0;
  double in = 1.0;
  for (const std::int64_t out : config.channels) {
    kernels += 27.0 * in * static_cast<double>(out);
    in = static_cast<double>(out);
  }
  const double s = static_cast<double>(config.encoded_size());
  return 2.0 * kernels + 2.0 * in * s * s * s * static_cast<double>(config.bottleneck);
}

/// Same input size, bottleneck and channel widths.
inline bool same_architecture(const autoencoder_config& a, const autoencoder_config& b) {
  return a.input_size == b.input_size && a.bottleneck == b.bottleneck && a.channels == b.channels;
}

}  // namespace discgeom::detail
