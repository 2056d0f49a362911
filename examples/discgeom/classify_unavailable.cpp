// SPDX-License-Identifier: MIT
// `discgeom classify` when the program is built without XGBoost (discgeom::xgboost).
#include <cstdio>

#include "classify_command.hpp"

namespace discgeom::cli {

xgboost::cross_validation_result classify_table(const csv_table&, const classify_settings&) {
  throw error("classify_table(): this discgeom was built without XGBoost (discgeom::xgboost)");
}

int run_classify(const classify_command_settings&) {
  std::fprintf(stderr,
               "discgeom classify: this discgeom was built without XGBoost "
               "(discgeom::xgboost)\n");
  return 1;
}

}  // namespace discgeom::cli
