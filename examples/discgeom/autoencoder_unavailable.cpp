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

int run_train_ae(const train_ae_settings&) {
  return unavailable("train-ae");
}
int run_encode(const encode_settings&) {
  return unavailable("encode");
}
int run_traverse(const traverse_settings&) {
  return unavailable("traverse");
}

}  // namespace discgeom::cli
