// SPDX-License-Identifier: MIT
// discgeom-core: the commands that need ITK's image I/O and nothing heavier (no LibTorch,
// XGBoost or MPI), so that they start in milliseconds. Run through `discgeom` (front.cpp).
#include "command_main.hpp"
#include "correlate_command.hpp"
#include "crop_command.hpp"
#include "discs_command.hpp"
#include "overlap_command.hpp"
#include "phantom_command.hpp"

namespace {
const discgeom::cli::hosted_command commands[] = {
    {"discs", discgeom::cli::discs_usage, discgeom::cli::run_discs},
    {"overlap", discgeom::cli::overlap_usage, discgeom::cli::run_overlap},
    {"correlate", discgeom::cli::correlate_usage, discgeom::cli::run_correlate},
    {"crop", discgeom::cli::crop_usage, discgeom::cli::run_crop},
    {"phantom", discgeom::cli::phantom_usage, discgeom::cli::run_phantom},
};
}  // namespace

int main(int argc, char** argv) {
  return discgeom::cli::run_hosted_command(argc, argv, commands);
}
