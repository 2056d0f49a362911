// SPDX-License-Identifier: MIT
#pragma once
// The segmentation commands of the discgeom program: `segment` and `train-seg`
// (docs/cli.md, docs/segmentation.md), and `segment_file` for other commands (the pipeline).
// Declared here without LibTorch, so that only segment_commands.cpp compiles against it; built
// without LibTorch, they say so and exit 1 (segment_unavailable.cpp).

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "discgeom/image_geometry.hpp"

namespace discgeom::cli {

inline constexpr const char* segment_usage =
    "usage: discgeom segment --model MODEL IMAGE... --out DIR [--patch N,N,N] [--overlap 0.5]\n"
    "                        [--normalise zscore|percentile] [--threads N]\n"
    "                        [--model-spacing SX,SY,SZ] [--labels spider|classes]\n"
    "                        [--min-disc-voxels N] [--image-suffix _t1] [--spacing SX,SY,SZ]\n"
    "                        [--orientation CODE] [--no-cleanup] [--format csv|json] [--quiet]\n"
    "Segments each image with MODEL (a TorchScript file or a native U-Net of `train-seg`) and\n"
    "writes DIR/<case>.nii.gz, <case> the image's name without extensions and without the\n"
    "--image-suffix (X_t1.nii.gz -> X.nii.gz). --labels spider (default): the disc class as\n"
    "SPIDER disc labels 201, 202, ... from the lowest disc, ready for `discgeom discs`; classes:\n"
    "the model's classes, each label's largest component kept and its holes filled unless\n"
    "--no-cleanup. One row per image on stdout: case,image,output,labels,discs,\n"
    "foreground_voxels,windows,status.\n";

inline constexpr const char* train_seg_usage =
    "usage: discgeom train-seg --images DIR --masks DIR --out MODEL\n"
    "                          [--validation-fraction 0.2] [--epochs 100] [--patience 15]\n"
    "                          [--seed S] [--model-spacing SX,SY,SZ] [--patch 32,32,32]\n"
    "                          [--channels 8,16,32] [--batch 2] [--batches-per-epoch 8]\n"
    "                          [--learning-rate 0.001] [--normalise zscore|percentile]\n"
    "                          [--image-suffix _t1] [--threads N] [--quiet]\n"
    "Trains the native 3D U-Net on image/mask pairs (BCE + Dice, Adam, early stopping on the\n"
    "validation IoU, the best epoch kept). Pairs: IMAGES/<case><suffix>.<ext> (or\n"
    "IMAGES/<case>.<ext> when the folders differ) with MASKS/<case>.<ext>; the foreground is the\n"
    "SPIDER discs (labels 201-225). Writes MODEL, MODEL.training.csv (one row per epoch) and\n"
    "MODEL.split.csv (case,set).\n";

/// Options of `segment` (and segment_file).
struct segment_cli_options {
  std::optional<std::array<std::int64_t, 3>> patch{};  ///< empty: the model's, else 96^3
  double overlap = 0.5;
  std::string normalise{};  ///< "zscore", "percentile" or empty: the model's (else percentile)
  int threads = 0;          ///< > 0: LibTorch's threads
  std::optional<vec3> model_spacing{};  ///< checked against the model's; needed when it has none
  std::string labels = "spider";        ///< "spider" or "classes"
  std::size_t min_disc_voxels = 0;      ///< spider: smaller disc components are dropped
  bool cleanup = true;              ///< classes: keep each label's largest component; fill holes
  std::optional<vec3> spacing{};    ///< overrides the image header's spacing
  std::optional<mat3> direction{};  ///< overrides the image header's direction
};

/// What segment_file did.
struct segment_summary {
  std::size_t discs = 0;              ///< spider labels: discs written
  std::size_t foreground_voxels = 0;  ///< non-zero voxels written
  std::int64_t windows = 0;
  std::string status = "ok";  ///< ok, empty, too_many_discs
};

/// Segments one image file with a model file and writes the labels to `output` (any image
/// format by its extension; written atomically through a temporary name in the same folder).
/// \throws discgeom::io_error naming the file when the model or image cannot be read or the
///         output cannot be written; discgeom::precondition_error for a channel or spacing
///         mismatch or NaN voxels (messages name the model or image)
segment_summary segment_file(const std::filesystem::path& model, const std::filesystem::path& image,
                             const std::filesystem::path& output,
                             const segment_cli_options& options = {});

int run_segment(const std::vector<std::string>& argv);
int run_train_seg(const std::vector<std::string>& argv);

}  // namespace discgeom::cli
