// SPDX-License-Identifier: MIT
#pragma once
// The autoencoder commands of the discgeom program: `train-ae`, `encode`, `traverse`
// (docs/cli.md). Declared here without LibTorch, so that only autoencoder_commands.cpp compiles
// against it; built without LibTorch, they say so and exit 1.

#include <string>
#include <vector>

namespace discgeom::cli {

inline constexpr const char* train_ae_usage =
    "usage: discgeom train-ae --crops DIR --out MODEL [--bottleneck 4] [--epochs N]\n"
    "                         [--target-iou 0.995] [--batch 4] [--seed S] [--threads T]\n"
    "                         [--resume] [--channels 32,64,128,256,512] [--learning-rate 0.001]\n"
    "                         [--checkpoint-every N] [--device cpu|cuda] [--quiet]\n"
    "Trains the autoencoder on the crops of `discgeom crop`: MODEL (architecture, weights, crop\n"
    "spacing), MODEL.checkpoint (to --resume from), MODEL.training.csv (loss and IoU per epoch).\n"
    "With several sizes (--bottleneck 64,8,4,3) it sweeps them: --out is then a folder with\n"
    "bottleneck_<B>.pt per size and sweep.csv (converged, epochs, IoU with 95% CI).\n";

inline constexpr const char* encode_usage =
    "usage: discgeom encode --model MODEL --crops DIR --out latents.csv\n"
    "One row per crop: case, level, z0 .. z{B-1}.\n";

inline constexpr const char* traverse_usage =
    "usage: discgeom traverse --model MODEL --latents latents.csv --out DIR [--steps 6]\n"
    "                         [--fix mean|median] [--crops DIR]\n"
    "                         [--method pearson|spearman|kendall]\n"
    "                         [--neighbours K]\n"
    "DIR/grid.csv (feature, step, z0.., geometry of the decoded disc, plausibility),\n"
    "DIR/traversal.png (mid-sagittal and mid-transverse slices, one row per feature) and, with\n"
    "--crops, DIR/correlations.csv (latent vs geometry over the real discs, with p-values).\n";

int run_train_ae(const std::vector<std::string>& argv);
int run_encode(const std::vector<std::string>& argv);
int run_traverse(const std::vector<std::string>& argv);

}  // namespace discgeom::cli
