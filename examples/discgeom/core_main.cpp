// SPDX-License-Identifier: MIT
// discgeom-core: the commands that need ITK's image I/O and nothing heavier (no LibTorch,
// XGBoost or MPI), so that they start in milliseconds. Run through `discgeom` (front.cpp).
#include "agree_command.hpp"
#include "command_main.hpp"
#include "correlate_command.hpp"
#include "crop_command.hpp"
#include "discs_command.hpp"
#include "indices_command.hpp"
#include "muscles_command.hpp"
#include "opensim_command.hpp"
#include "vertebrae_command.hpp"
#include "overlap_command.hpp"
#include "phantom_command.hpp"
#include "shape_command.hpp"

namespace {
using namespace discgeom::cli;

// Each command: its settings, the function binding its options to them, and its run function.
constexpr discgeom::cli::hosted_command commands[] = {
    {"discs", parse_and_run<discs_settings, add_discs_options, run_discs>},
    {"overlap", parse_and_run<overlap_settings, add_overlap_options, run_overlap>},
    {"correlate", parse_and_run<correlate_settings, add_correlate_options, run_correlate>},
    {"indices", parse_and_run<indices_settings, add_indices_options, run_indices>},
    {"agree", parse_and_run<agree_settings, add_agree_options, run_agree>},
    {"vertebrae", parse_and_run<vertebrae_settings, add_vertebrae_options, run_vertebrae>},
    {"muscles", parse_and_run<muscles_settings, add_muscles_options, run_muscles>},
    {"opensim", parse_and_run<opensim_settings, add_opensim_options, run_opensim>},
    {"shape", parse_and_run<shape_settings, add_shape_options, run_shape>},
    {"crop", parse_and_run<crop_settings, add_crop_options, run_crop>},
    {"phantom", parse_and_run<phantom_settings, add_phantom_options, run_phantom>},
};
// The same commands as command_list.hpp gives discgeom-core, no more and no fewer.
static_assert(discgeom::cli::hosts_its_commands(commands, "discgeom-core"));
}  // namespace

int main(int argc, char** argv) {
  return discgeom::cli::run_hosted_command(argc, argv, commands);
}
