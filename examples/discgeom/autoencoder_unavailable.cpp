// SPDX-License-Identifier: MIT
// The autoencoder commands when the program is built without LibTorch.
#include <cstdio>

#include "autoencoder_commands.hpp"

namespace discgeom::cli {

namespace {
int unavailable(const char* command) {
  std::fprintf(stderr, "discgeom %s: this discgeom was built without LibTorch (discgeom::torch)\n",
               command);
  return 1;
}
}  // namespace

int run_train_ae(const std::vector<std::string>&) {
  return unavailable("train-ae");
}
int run_encode(const std::vector<std::string>&) {
  return unavailable("encode");
}
int run_traverse(const std::vector<std::string>&) {
  return unavailable("traverse");
}

}  // namespace discgeom::cli
