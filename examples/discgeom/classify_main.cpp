// SPDX-License-Identifier: MIT
// discgeom-classify: gradient boosting through XGBoost's C API. Built without XGBoost, it says
// so and exits 1. Run through `discgeom` (front.cpp).
#include "classify_command.hpp"
#include "command_main.hpp"

namespace {
const discgeom::cli::hosted_command commands[] = {
    {"classify", discgeom::cli::classify_usage, discgeom::cli::run_classify},
};
}  // namespace

int main(int argc, char** argv) {
  return discgeom::cli::run_hosted_command(argc, argv, commands);
}
