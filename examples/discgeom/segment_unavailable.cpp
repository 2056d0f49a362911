// SPDX-License-Identifier: MIT
// The segmentation commands when the program is built without LibTorch.
#include <cstdio>

#include "discgeom/error.hpp"
#include "segment_commands.hpp"

namespace discgeom::cli {

namespace {
int unavailable(const char* command) {
  std::fprintf(stderr, "discgeom %s: this discgeom was built without LibTorch (discgeom::torch)\n",
               command);
  return 1;
}
}  // namespace

segment_summary segment_file(const std::filesystem::path&, const std::filesystem::path& image,
                             const std::filesystem::path&, const segment_cli_options&) {
  throw io_error(
      image.string() +
      ": cannot be segmented: this discgeom was built without LibTorch (discgeom::torch)");
}

int run_segment(const segment_settings&) {
  return unavailable("segment");
}
int run_train_seg(const train_seg_settings&) {
  return unavailable("train-seg");
}

}  // namespace discgeom::cli
