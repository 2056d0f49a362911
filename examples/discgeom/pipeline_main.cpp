// SPDX-License-Identifier: MIT
// discgeom-pipeline: the whole pipeline in one process (LibTorch, XGBoost and, when built with
// it, MPI). Run through `discgeom` (front.cpp), also under mpirun.
#include "command_main.hpp"
#include "pipeline_command.hpp"

namespace {
namespace cli = discgeom::cli;
constexpr cli::hosted_command commands[] = {
    {"pipeline",
     cli::parse_and_run<cli::pipeline_run_settings, cli::add_pipeline_options, cli::run_pipeline>},
};
static_assert(cli::hosts_its_commands(commands, "discgeom-pipeline"));
}  // namespace

int main(int argc, char** argv) {
  return cli::run_hosted_command(argc, argv, commands);
}
