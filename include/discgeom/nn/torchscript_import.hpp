// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Using an autoencoder trained in Python: a TorchScript file of a PyTorch module laid out as
/// discgeom::autoencoder3d (submodules encoder / to_latent / from_latent / decoder, the encoder
/// and decoder nn.Sequential stages of Conv3d + BatchNorm3d + ReLU and ConvTranspose3d; see
/// tests/golden/make_torchscript_golden.py for such a module) is read, its architecture
/// inferred from the weights' shapes, and its parameters and BatchNorm statistics copied by name
/// into an autoencoder3d, so that every discgeom tool (encode_masks, autoencoder_decoder,
/// study_traversal, the CLI) works with it. Part of `discgeom::torch`.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <torch/script.h>

#include "discgeom/error.hpp"
#include "discgeom/nn/archive_file.hpp"
#include "discgeom/nn/autoencoder.hpp"

namespace discgeom {

/// Reads a TorchScript autoencoder (see the file comment) into an autoencoder3d in eval mode.
///
/// The architecture comes from the weights: the encoder's Conv3d weights (out, in, 3, 3, 3) give
/// the channels, to_latent's weight (B, C s^3) the bottleneck and the encoded edge s, so the
/// input edge is s 2^stages.
/// \throws io_error naming the file when it is damaged (zip structure or an entry's CRC-32, the
///         entry named), cannot be loaded as TorchScript, lacks a parameter
///         or buffer of autoencoder3d, or holds one of another shape (both shapes named)
inline autoencoder3d import_torchscript_autoencoder(const std::filesystem::path& file) {
  constexpr const char* function = "import_torchscript_autoencoder";
  if (!std::filesystem::is_regular_file(file))
    detail::throw_error<io_error>(function, file.string(), ": no such file");
  const std::string bytes = detail::read_checked_archive(file, function, "TorchScript file");
  torch::jit::script::Module scripted;
  try {
    scripted = torch::jit::load(std::make_shared<caffe2::serialize::MemoryReadAdapter>(
                                    bytes.data(), static_cast<off_t>(bytes.size())),
                                torch::kCPU);
  } catch (const std::exception& e) {
    detail::throw_error<io_error>(function, file.string(),
                                  ": not a TorchScript file: ", detail::torch_error_message(e));
  }
  std::map<std::string, torch::Tensor> tensors;
  for (const auto& p : scripted.named_parameters(/*recurse=*/true)) {
    tensors[p.name] = p.value;
  }
  for (const auto& b : scripted.named_buffers(/*recurse=*/true)) {
    tensors[b.name] = b.value;
  }
  autoencoder_config config;
  config.channels.clear();
  for (std::int64_t index = 0;; index += 3) {  // Conv3d, BatchNorm3d, ReLU per stage
    const auto found = tensors.find("encoder." + std::to_string(index) + ".weight");
    if (found == tensors.end() || found->second.dim() != 5) {
      break;
    }
    config.channels.push_back(found->second.size(0));
  }
  const auto latent = tensors.find("to_latent.weight");
  if (config.channels.empty() || latent == tensors.end() || latent->second.dim() != 2) {
    detail::throw_error<io_error>("import_torchscript_autoencoder", file.string(),
                                  ": not laid out as discgeom::autoencoder3d (no encoder.0.weight "
                                  "or to_latent.weight)");
  }
  config.bottleneck = latent->second.size(0);
  const std::int64_t width = config.channels.back();
  const std::int64_t cube = width > 0 ? latent->second.size(1) / width : 0;
  std::int64_t edge = 1;
  while (edge * edge * edge < cube) {
    ++edge;
  }
  if (width < 1 || config.bottleneck < 1 || edge * edge * edge != cube ||
      cube * width != latent->second.size(1) || config.channels.size() >= 31) {
    detail::throw_error<io_error>(function, file.string(), ": to_latent.weight is ",
                                  autoencoder3d_impl::shape_text(latent->second),
                                  ", not (bottleneck, channels x edge^3) of a model whose last "
                                  "encoder stage has ",
                                  width, " channels");
  }
  config.input_size = edge << static_cast<std::int64_t>(config.channels.size());
  autoencoder3d model{nullptr};
  try {
    model = autoencoder3d(config);
  } catch (const std::exception& e) {
    detail::throw_error<io_error>(function, file.string(),
                                  ": holds no valid architecture: ", e.what());
  }
  torch::NoGradGuard no_grad;
  const auto copy_into = [&](const std::string& name, torch::Tensor& target) {
    const auto found = tensors.find(name);
    if (found == tensors.end()) {
      detail::throw_error<io_error>("import_torchscript_autoencoder", file.string(), ": lacks ",
                                    name, " of a model of ", config.describe());
    }
    if (found->second.sizes() != target.sizes()) {
      detail::throw_error<io_error>("import_torchscript_autoencoder", file.string(), ": ", name,
                                    " is ", autoencoder3d_impl::shape_text(found->second),
                                    ", a model of ", config.describe(), " has ",
                                    autoencoder3d_impl::shape_text(target));
    }
    target.copy_(found->second);
  };
  for (auto& p : model->named_parameters()) {
    copy_into(p.key(), p.value());
  }
  for (auto& b : model->named_buffers()) {
    copy_into(b.key(), b.value());
  }
  model->eval();
  return model;
}

}  // namespace discgeom
