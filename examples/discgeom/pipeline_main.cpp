// SPDX-License-Identifier: MIT
// discgeom-pipeline: the whole pipeline in one process (LibTorch, XGBoost and, when built with
// it, MPI). Run through `discgeom` (front.cpp), also under mpirun.
#include "command_main.hpp"
#include "pipeline_command.hpp"

namespace {
const discgeom::cli::hosted_command commands[] = {
    {"pipeline", discgeom::cli::pipeline_usage, discgeom::cli::run_pipeline},
};
}  // namespace

int main(int argc, char** argv) {
  return discgeom::cli::run_hosted_command(argc, argv, commands);
}
