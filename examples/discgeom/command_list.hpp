// SPDX-License-Identifier: MIT
#pragma once
// The commands of the discgeom program: one table, read by the front program (front.cpp: its
// command list and which program to run) and by each command program (command_main.hpp: the
// description at the top of a command's --help, and a compile-time check that the program hosts
// exactly the commands this table gives it). Needs nothing but the C++ standard library.

#include <string_view>

namespace discgeom::cli {

struct command_info {
  std::string_view name;
  std::string_view program;  ///< the command program that hosts it, beside `discgeom`
  std::string_view summary;  ///< one line: the front's command list and the top of --help
};

inline constexpr command_info program_commands[] = {
    {"discs", "discgeom-core", "per-disc geometry in mm of segmented spines (one row per disc)"},
    {"overlap", "discgeom-core",
     "overlap and surface-distance metrics of predictions against references"},
    {"correlate", "discgeom-core",
     "correlations with p-values and intervals between columns of a CSV table"},
    {"vertebrae", "discgeom-core",
     "the spine's curve: vertebral body centroids, heights and endplate inclinations"},
    {"muscles", "discgeom-core",
     "muscle cross-sectional areas and centroids per axial slice (Hess et al.)"},
    {"shape", "discgeom-core",
     "IBSI / pyradiomics shape features of every label (volumes, areas, diameters, axes)"},
    {"opensim", "discgeom-core",
     "a subject-specific OpenSim lumbar model whose joints follow the subject's discs"},
    {"indices", "discgeom-core",
     "BianqueNet's disc indices (DH, HV, DHI, HDR, Delta SI) on mid-sagittal slices, with norms"},
    {"agree", "discgeom-core",
     "agreement of two tables of the same measures: r, MAE, Bland-Altman, ICC(A,1), CCC"},
    {"crop", "discgeom-core",
     "every disc resampled and centred in a cube: the autoencoder's input"},
    {"train-ae", "discgeom-torch", "train the 3D autoencoder of disc shape on the crops"},
    {"encode", "discgeom-torch", "the latent code of every crop"},
    {"traverse", "discgeom-torch",
     "latent traversal: decoded geometry, montage, latent-geometry correlations"},
    {"classify", "discgeom-classify",
     "gradient boosting of a binary label: cross-validated F1 and ROC AUC per set"},
    {"phantom", "discgeom-core",
     "synthetic lumbar spines in SPIDER labels with the truth of every disc"},
    {"segment", "discgeom-torch",
     "segment images with a TorchScript or native U-Net model (SPIDER disc labels)"},
    {"train-seg", "discgeom-torch", "train the native 3D U-Net segmenter on image/mask pairs"},
    {"pipeline", "discgeom-pipeline",
     "the whole pipeline on a cohort (phantoms or your data) with an HTML report"},
};

/// The command called `name`; nullptr when there is none.
constexpr const command_info* find_command(std::string_view name) {
  for (const auto& command : program_commands)
    if (command.name == name)
      return &command;
  return nullptr;
}

}  // namespace discgeom::cli
