// SPDX-License-Identifier: MIT
// discgeom-torch: the LibTorch commands (autoencoder and segmenter). Built without LibTorch,
// each says so and exits 1. Run through `discgeom` (front.cpp).
#include "autoencoder_commands.hpp"
#include "command_main.hpp"
#include "segment_commands.hpp"

namespace {
const discgeom::cli::hosted_command commands[] = {
    {"train-ae", discgeom::cli::train_ae_usage, discgeom::cli::run_train_ae},
    {"encode", discgeom::cli::encode_usage, discgeom::cli::run_encode},
    {"traverse", discgeom::cli::traverse_usage, discgeom::cli::run_traverse},
    {"segment", discgeom::cli::segment_usage, discgeom::cli::run_segment},
    {"train-seg", discgeom::cli::train_seg_usage, discgeom::cli::run_train_seg},
};
}  // namespace

int main(int argc, char** argv) {
  return discgeom::cli::run_hosted_command(argc, argv, commands);
}
