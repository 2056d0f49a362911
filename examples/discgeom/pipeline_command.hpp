// SPDX-License-Identifier: MIT
#pragma once
// `discgeom pipeline --out DIR [--phantom N | --data DIR] [--config FILE] [--paper] [--resume]`:
// the Perrone et al. pipeline end to end (docs/pipeline.md). Defined in pipeline_command.cpp.

#include <string>
#include <vector>

namespace discgeom::cli {

inline constexpr const char* pipeline_usage =
    "usage: discgeom pipeline --out DIR [--phantom N | --data DIR] [--config FILE] [--paper]\n"
    "                         [--resume] [--stop-after STAGE] [--quiet]\n"
    "Runs (segment) -> discs -> crops -> autoencoder -> latents -> traversal -> correlations ->\n"
    "narrowing classification -> DIR/report.html on a phantom cohort of N spines (default 40)\n"
    "or on DIR's masks (a SPIDER-layout folder or any folder of masks). --paper takes the\n"
    "paper's configuration instead of the reduced one; --config FILE changes settings\n"
    "(docs/pipeline.md lists them). --resume skips stages whose inputs have not changed.\n"
    "Failed cases are listed in DIR/failures.csv and in the report. Started with mpirun, the\n"
    "per-case stages are shared among the ranks.\n"
    "Stages: phantom, cases, autoencoder, sweep, encode, traverse, correlate, classify, report.\n";

int run_pipeline(const std::vector<std::string>& argv);

}  // namespace discgeom::cli
