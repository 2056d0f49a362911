// SPDX-License-Identifier: MIT
// discgeom-classify: gradient boosting through XGBoost's C API. Built without XGBoost, it says
// so and exits 1. Run through `discgeom` (front.cpp).
#include "classify_command.hpp"
#include "command_main.hpp"

namespace {
using namespace discgeom::cli;

// The command: its settings, the function binding its options to them, and its run function.
constexpr discgeom::cli::hosted_command commands[] = {
    {"classify", parse_and_run<classify_command_settings, add_classify_options, run_classify>},
};
// The same commands as command_list.hpp gives discgeom-classify, no more and no fewer.
static_assert(discgeom::cli::hosts_its_commands(commands, "discgeom-classify"));
}  // namespace

int main(int argc, char** argv) {
  return discgeom::cli::run_hosted_command(argc, argv, commands);
}
