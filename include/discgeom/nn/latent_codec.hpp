// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// A trained autoencoder as the encoder and decoder of the latent-space analysis
/// (latent/decode_and_measure.hpp): masks to latent feature columns, and a latent code to a
/// decoded mask with the geometry of the crops it was trained on. Part of `discgeom::torch`.

#include <cstdint>
#include <span>
#include <vector>

#include <torch/nn.h>

#include "discgeom/adapters/torch.hpp"
#include "discgeom/error.hpp"
#include "discgeom/image.hpp"
#include "discgeom/image_geometry.hpp"
#include "discgeom/nn/autoencoder.hpp"
#include "discgeom/nn/autoencoder_serialisation.hpp"

namespace discgeom {

/// The latent codes of masks ((N, 1, S, S, S) float), as B feature columns of N values each
/// (column f = feature z_f of every mask), the layout correlation_matrix and
/// study_traversal take. Eval mode, no gradients, in batches of `batch_size`.
/// \throws precondition_error as autoencoder3d_impl::encode, or for batch_size < 1
inline std::vector<std::vector<double>> encode_masks(autoencoder3d& model,
                                                     const torch::Tensor& masks,
                                                     std::int64_t batch_size = 16) {
  DISCGEOM_PRECONDITION(batch_size >= 1, "encode_masks", "batch_size must be >= 1, got ",
                        batch_size);
  const bool was_training = model->is_training();
  model->eval();
  c10::InferenceMode inference;  // no autograd bookkeeping at all (faster than NoGradGuard)
  std::vector<std::vector<double>> columns(static_cast<std::size_t>(model->config().bottleneck));
  for (std::int64_t start = 0; start < masks.size(0); start += batch_size) {
    const auto codes =
        model
            ->encode(masks.slice(0, start, std::min(masks.size(0), start + batch_size))
                         .to(detail::model_device(model)))
            .to(torch::kCPU, torch::kDouble)
            .contiguous();
    const auto access = codes.accessor<double, 2>();
    for (std::int64_t n = 0; n < codes.size(0); ++n) {
      for (std::int64_t f = 0; f < codes.size(1); ++f) {
        columns[static_cast<std::size_t>(f)].push_back(access[n][f]);
      }
    }
  }
  model->train(was_training);
  return columns;
}

/// A latent_decoder from a trained autoencoder: a code of B values -> the decoded mask (one
/// sigmoid, thresholded at 0.5: logit > 0) as a discgeom::image<std::uint8_t> whose array axes
/// are the tensor's (S, S, S) axes and whose geometry is the crops' (`crop_geometry`: the
/// spacing the crops were resampled to, and their direction), so the geometry measured on it is
/// in millimetres.
class autoencoder_decoder {
 public:
  autoencoder_decoder(autoencoder3d model, image_geometry crop_geometry)
      : model_(std::move(model)), geometry_(crop_geometry) {
    geometry_.validate("autoencoder_decoder");
    model_->eval();
  }

  /// \throws precondition_error when the code does not have B finite values
  [[nodiscard]] image<std::uint8_t> operator()(std::span<const double> code) {
    const std::int64_t b = model_->config().bottleneck;
    DISCGEOM_PRECONDITION(static_cast<std::int64_t>(code.size()) == b, "autoencoder_decoder",
                          "the code has ", code.size(), " values, the model's bottleneck ", b);
    for (std::size_t f = 0; f < code.size(); ++f) {
      DISCGEOM_PRECONDITION(std::isfinite(code[f]), "autoencoder_decoder", "code[", f,
                            "] is not finite: ", code[f]);
    }
    c10::InferenceMode inference;  // no autograd bookkeeping at all (faster than NoGradGuard)
    const auto codes = torch::tensor(std::vector<double>(code.begin(), code.end()), torch::kDouble)
                           .to(detail::model_device(model_), torch::kFloat)
                           .view({1, b});
    const auto decoded =
        (model_->decode(codes)[0][0] > 0).to(torch::kCPU, torch::kUInt8).contiguous();
    const auto size = static_cast<std::size_t>(model_->config().input_size);
    auto mask = image<std::uint8_t>::filled({size, size, size}, geometry_, 0);
    const auto source = as_volume<const std::uint8_t, 3>(decoded);
    auto target = mask.view();
    for_each_voxel(source, [&](const auto& index, std::uint8_t value) { target[index] = value; });
    return mask;
  }

  [[nodiscard]] const image_geometry& geometry() const noexcept { return geometry_; }

 private:
  autoencoder3d model_;
  image_geometry geometry_;
};

}  // namespace discgeom
