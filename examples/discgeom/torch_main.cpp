// SPDX-License-Identifier: MIT
// discgeom-torch: the LibTorch commands (autoencoder and segmenter). Built without LibTorch,
// each says so and exits 1. Run through `discgeom` (front.cpp).
#include "autoencoder_commands.hpp"
#include "command_main.hpp"
#include "segment_commands.hpp"

namespace {
using namespace discgeom::cli;

// Each command: its settings, the function binding its options to them, and its run function.
constexpr discgeom::cli::hosted_command commands[] = {
    {"train-ae", parse_and_run<train_ae_settings, add_train_ae_options, run_train_ae>},
    {"encode", parse_and_run<encode_settings, add_encode_options, run_encode>},
    {"traverse", parse_and_run<traverse_settings, add_traverse_options, run_traverse>},
    {"segment", parse_and_run<segment_settings, add_segment_options, run_segment>},
    {"train-seg", parse_and_run<train_seg_settings, add_train_seg_options, run_train_seg>},
};
// The same commands as command_list.hpp gives discgeom-torch, no more and no fewer.
static_assert(discgeom::cli::hosts_its_commands(commands, "discgeom-torch"));
}  // namespace

int main(int argc, char** argv) {
  return discgeom::cli::run_hosted_command(argc, argv, commands);
}
