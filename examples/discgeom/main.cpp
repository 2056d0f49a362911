// SPDX-License-Identifier: MIT
// The discgeom program: cohort-scale access to the toolkit (../shared/cli-contract.md).
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "arguments.hpp"
#include "autoencoder_commands.hpp"
#include "classify_command.hpp"
#include "correlate_command.hpp"
#include "crop_command.hpp"
#include "discs_command.hpp"
#include "overlap_command.hpp"
#include "phantom_command.hpp"
#include "pipeline_command.hpp"
#include "segment_commands.hpp"

namespace {

constexpr const char* usage =
    "usage: discgeom COMMAND [ARGS...]\n"
    "commands:\n"
    "  discs     per-disc geometry in mm of segmented spines (one row per disc)\n"
    "  overlap   overlap and surface-distance metrics of predictions against references\n"
    "  correlate correlations with p-values and intervals between columns of a CSV table\n"
    "  crop      every disc resampled and centred in a cube: the autoencoder's input\n"
    "  train-ae  train the 3D autoencoder of disc shape on the crops\n"
    "  encode    the latent code of every crop\n"
    "  traverse  latent traversal: decoded geometry, montage, latent-geometry correlations\n"
    "  classify  gradient boosting of a binary label: cross-validated F1 and ROC AUC per set\n"
    "  phantom   synthetic lumbar spines in SPIDER labels with the truth of every disc\n"
    "  segment   segment images with a TorchScript or native U-Net model (SPIDER disc labels)\n"
    "  train-seg train the native 3D U-Net segmenter on image/mask pairs\n"
    "  pipeline  the whole pipeline on a cohort (phantoms or your data) with an HTML report\n"
    "run 'discgeom COMMAND --help' for its options\n";

struct subcommand {
  const char* name;
  const char* usage;
  int (*run)(const std::vector<std::string>&);
};

const subcommand commands[] = {
    {"discs", discgeom::cli::discs_usage, discgeom::cli::run_discs},
    {"overlap", discgeom::cli::overlap_usage, discgeom::cli::run_overlap},
    {"correlate", discgeom::cli::correlate_usage, discgeom::cli::run_correlate},
    {"crop", discgeom::cli::crop_usage, discgeom::cli::run_crop},
    {"train-ae", discgeom::cli::train_ae_usage, discgeom::cli::run_train_ae},
    {"encode", discgeom::cli::encode_usage, discgeom::cli::run_encode},
    {"traverse", discgeom::cli::traverse_usage, discgeom::cli::run_traverse},
    {"classify", discgeom::cli::classify_usage, discgeom::cli::run_classify},
    {"phantom", discgeom::cli::phantom_usage, discgeom::cli::run_phantom},
    {"segment", discgeom::cli::segment_usage, discgeom::cli::run_segment},
    {"train-seg", discgeom::cli::train_seg_usage, discgeom::cli::run_train_seg},
    {"pipeline", discgeom::cli::pipeline_usage, discgeom::cli::run_pipeline},
};

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::fputs(usage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  const std::string command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  try {
    for (const auto& known : commands) {
      if (command == known.name) {
        if (!rest.empty() && (rest[0] == "--help" || rest[0] == "-h")) {
          std::fputs(known.usage, stdout);
          return 0;
        }
        return known.run(rest);
      }
    }
    std::fprintf(stderr, "discgeom: unknown command '%s'\n%s", command.c_str(), usage);
    return 2;
  } catch (const discgeom::cli::usage_error& e) {
    std::fprintf(stderr, "discgeom %s: %s\n", command.c_str(), e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "discgeom %s: %s\n", command.c_str(), e.what());
    return 1;
  }
}
