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

#include "command_line.hpp"
#include "discgeom/image_geometry.hpp"
#include "discgeom/nn/intensity_normalisation.hpp"
#include "table.hpp"

namespace discgeom::cli {

/// What `segment` writes: SPIDER disc labels, or the model's classes.
enum class segment_labels { spider, classes };

}  // namespace discgeom::cli

template <>
struct discgeom::enum_names<discgeom::cli::segment_labels> {
  static constexpr std::array<enum_name<cli::segment_labels>, 2> table{{
      {cli::segment_labels::spider, "spider"},
      {cli::segment_labels::classes, "classes"},
  }};
};

namespace discgeom::cli {

/// Options of `segment` (and segment_file).
struct segment_cli_options {
  std::optional<std::array<std::int64_t, 3>> patch{};  ///< empty: the model's, else 96^3
  double overlap = 0.5;                                ///< of the sliding windows, in [0, 0.95]
  /// Empty: the model's normalisation, else percentile.
  std::optional<intensity_normalisation> normalise{};
  int threads = 0;                      ///< > 0: LibTorch's threads
  std::optional<vec3> model_spacing{};  ///< checked against the model's; needed when it has none
  segment_labels labels = segment_labels::spider;
  std::size_t min_disc_voxels = 0;  ///< spider: smaller disc components are dropped
  bool cleanup = true;              ///< classes: keep each label's largest component; fill holes
  double smooth_mm = 0.0;           ///< edge smoothing: opening then closing, ball radius mm
  /// 2D models: sagittal, coronal, axial or an array axis 0, 1, 2; empty: the model's.
  std::string slice_plane{};
  geometry_overrides overrides{};  ///< override the image header's spacing and direction
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

/// "N" or "N,N,N": a patch edge or three, each in [4, 1024].
inline std::array<std::int64_t, 3> parse_patch(const std::string& option, const std::string& text) {
  const auto parts = split_commas(text);
  if (parts.size() != 1 && parts.size() != 3)
    throw usage_error(option + " '" + text + "' must be N or N,N,N");
  std::array<std::int64_t, 3> patch{};
  for (std::size_t d = 0; d < 3; ++d) {
    const std::size_t value = parse_count(option, parts[parts.size() == 1 ? 0 : d]);
    if (value < 4 || value > 1024)
      throw usage_error(option + " '" + text + "': each edge must be in [4, 1024]");
    patch[d] = static_cast<std::int64_t>(value);
  }
  return patch;
}

/// "W,W,...": U-Net widths, each at least 1, at most 6 levels.
inline std::vector<std::int64_t> parse_unet_widths(const std::string& option,
                                                   const std::string& text) {
  std::vector<std::int64_t> widths;
  for (const std::string& part : split_commas(text)) {
    const std::size_t value = parse_count(option, part);
    if (value == 0)
      throw usage_error(option + " '" + text + "': a width must be at least 1");
    widths.push_back(static_cast<std::int64_t>(value));
  }
  if (widths.size() > 6)
    throw usage_error(option + ": at most 6 levels");
  return widths;
}

/// --threads of segment and train-seg: LibTorch's threads, in [1, max_threads()].
inline int parse_torch_threads(const std::string& option, const std::string& text) {
  return static_cast<int>(parse_threads(option, text));
}

/// --slice-plane: sagittal, coronal, axial or an array axis 0, 1, 2.
inline void add_slice_plane(CLI::App& app, std::string& target, const std::string& help) {
  add_parsed(
      app, "--slice-plane", target,
      [](const std::string& option, const std::string& text) {
        if (text != "sagittal" && text != "coronal" && text != "axial" && text != "0" &&
            text != "1" && text != "2")
          throw usage_error(option + " '" + text +
                            "' must be sagittal, coronal, axial or an array axis 0, 1, 2");
        return text;
      },
      help, "sagittal|coronal|axial|0|1|2");
}

/// --model-spacing SX,SY,SZ.
inline void add_model_spacing(CLI::App& app, std::optional<vec3>& spacing,
                              const std::string& help) {
  add_parsed(
      app, "--model-spacing", spacing,
      [](const std::string& option, const std::string& text) {
        return std::optional<vec3>(parse_spacing(text, option));
      },
      help, "SX,SY,SZ");
}

// ---------------------------------------------------------------------------------------------
// segment

/// The settings of `discgeom segment`.
struct segment_settings {
  std::string model;                ///< a TorchScript file or a native U-Net of `train-seg`
  std::vector<std::string> images;  ///< the images to segment
  std::string out;                  ///< the folder of the label images
  /// How each image is segmented; threads 0: one per online processor.
  segment_cli_options options;
  std::string image_suffix = "_t1";  ///< dropped from an image's name to give its case
  table_format format = table_format::csv;
  bool quiet = false;
};

inline void add_segment_options(CLI::App& app, segment_settings& s) {
  add_text(app, "--model", s.model, "a TorchScript file or a native U-Net of `train-seg`", "MODEL")
      ->required();
  add_inputs(app, "IMAGE", s.images, "the images to segment (NIfTI, MetaImage or NRRD)");
  add_text(app, "--out", s.out, "the folder of the label images (made if missing)", "DIR")
      ->required();
  segment_cli_options& o = s.options;
  add_parsed(
      app, "--patch", o.patch,
      [](const std::string& option, const std::string& text) {
        return std::optional<std::array<std::int64_t, 3>>(parse_patch(option, text));
      },
      "sliding-window patch in voxels (default: the model's, else 96)", "N,N,N");
  add_number(app, "--overlap", o.overlap, "overlap of the sliding windows", 0.0, 0.95);
  add_parsed(
      app, "--normalise", o.normalise,
      [](const std::string& option, const std::string& text) {
        return std::optional<intensity_normalisation>(
            parse_choice<intensity_normalisation>(option, text));
      },
      "intensity normalisation (default: the model's, else percentile)",
      enum_choices<intensity_normalisation>());
  add_parsed(app, "--threads", o.threads, parse_torch_threads,
             "LibTorch's threads, at most 4 per core (default: all cores)", "N");
  add_model_spacing(app, o.model_spacing,
                    "the spacing the model works at (needed when the model carries none)");
  add_choice(app, "--labels", o.labels, "SPIDER disc labels, or the model's classes");
  add_count(app, "--min-disc-voxels", o.min_disc_voxels,
            "spider labels: smaller disc components are dropped");
  add_text(app, "--image-suffix", s.image_suffix,
           "dropped from the end of an image's name to give its case", "TEXT");
  add_geometry_overrides(app, o.overrides);
  app.add_flag_callback(
      "--no-cleanup", [&o] { o.cleanup = false; },
      "classes: the raw decision (no largest component, no hole filling)");
  add_slice_plane(app, o.slice_plane,
                  "2D models: the slices to segment (default: the model's own plane)");
  add_number(app, "--smooth-mm", o.smooth_mm,
             "edge smoothing: opening then closing with a ball of R mm, per label (0: off)", 0.0,
             50.0);
  add_choice(app, "--format", s.format, "the table's format");
  add_quiet(app, s.quiet);
  app.footer(
      "Segments each image with MODEL (a TorchScript file or a native U-Net of `train-seg`) and\n"
      "writes DIR/<case>.nii.gz, <case> the image's name without extensions and without the\n"
      "--image-suffix (X_t1.nii.gz -> X.nii.gz). --labels spider (default): the disc class as\n"
      "SPIDER disc labels 201, 202, ... from the lowest disc, ready for `discgeom discs`; "
      "classes:\nthe model's classes, each label's largest component kept and its holes filled "
      "unless\n--no-cleanup. --smooth-mm R: each label's edges first smoothed (opening, then "
      "closing,\nwith a ball of R mm). A 2D model runs slice by slice in its plane (--slice-plane "
      "when "
      "it\nnames none). One row per image on stdout: case,image,output,labels,"
      "discs,\nforeground_voxels,windows,status.");
}

/// `discgeom segment`: 0, or 1 when the model cannot be loaded or an image failed (its row
/// says so).
int run_segment(const segment_settings& s);

// ---------------------------------------------------------------------------------------------
// train-seg

/// The settings of `discgeom train-seg`.
struct train_seg_settings {
  std::string images;  ///< the folder of the images
  std::string masks;   ///< the folder of the masks (may be the images' folder)
  std::string out;     ///< the model file
  /// Share of the pairs that validate (drawn from the seed; at least one in each set).
  double validation_fraction = 0.2;
  std::int64_t epochs = 100;   ///< at most this many epochs
  std::int64_t patience = 15;  ///< stop after this many epochs without a better validation IoU
  std::uint64_t seed = 0;      ///< the split, the initial weights and the patches
  std::optional<vec3> model_spacing{};            ///< empty: the first image's spacing
  std::array<std::int64_t, 3> patch{32, 32, 32};  ///< training patch, voxels
  std::vector<std::int64_t> channels{8, 16, 32};  ///< U-Net widths, one per level (<= 6)
  std::int64_t dims = 3;    ///< 3: a 3D U-Net; 2: a 2D U-Net on the slices of slice_plane
  std::string slice_plane;  ///< dims 2: sagittal, coronal, axial or an array axis 0, 1, 2
  std::int64_t batch = 2;
  std::int64_t batches_per_epoch = 8;
  double learning_rate = 1e-3;
  intensity_normalisation normalise = intensity_normalisation::percentile;
  std::string image_suffix = "_t1";  ///< an image's name is its case's with this suffix
  int threads = 0;                   ///< LibTorch's threads; 0: one per online processor
  bool quiet = false;
};

/// \throws usage_error for settings train-seg cannot train with, however they were filled
inline void check_train_seg_settings(const train_seg_settings& s) {
  if (s.epochs < 1 || s.patience < 1)
    throw usage_error("--epochs and --patience must be at least 1");
  if (s.batch < 1 || s.batches_per_epoch < 1)
    throw usage_error("--batch and --batches-per-epoch must be at least 1");
  if (s.channels.empty())
    throw usage_error("--channels: at least 1 level");
  if (s.channels.size() > 6)
    throw usage_error("--channels: at most 6 levels");
  if (s.dims != 2 && s.dims != 3)
    throw usage_error("--dims must be 2 or 3");
  if (s.dims == 2 && s.slice_plane.empty())
    throw usage_error("--dims 2 needs --slice-plane sagittal|coronal|axial|0|1|2");
  if (s.dims == 3 && !s.slice_plane.empty())
    throw usage_error("--slice-plane needs --dims 2");
  if (s.threads < 0 || static_cast<std::size_t>(s.threads) > max_threads())
    throw usage_error("--threads must be in [1, " + std::to_string(max_threads()) +
                      "] (0: all cores)");
}

inline void add_train_seg_options(CLI::App& app, train_seg_settings& s) {
  add_text(app, "--images", s.images, "the folder of the images", "DIR")->required();
  add_text(app, "--masks", s.masks, "the folder of the masks (may be the images' folder)", "DIR")
      ->required();
  add_text(app, "--out", s.out, "the model file", "MODEL")->required();
  add_number(app, "--validation-fraction", s.validation_fraction,
             "share of the pairs that validate", 0.01, 0.9);
  add_count(app, "--epochs", s.epochs, "at most N epochs", 1);
  add_count(app, "--patience", s.patience, "stop after N epochs without a better validation IoU",
            1);
  add_count(app, "--seed", s.seed, "the split, the initial weights and the patches");
  add_model_spacing(app, s.model_spacing, "the spacing to train at (default: the first image's)");
  add_parsed(app, "--patch", s.patch, parse_patch, "training patch in voxels", "N,N,N")
      ->default_str(std::to_string(s.patch[0]) + "," + std::to_string(s.patch[1]) + "," +
                    std::to_string(s.patch[2]));
  add_parsed(app, "--channels", s.channels, parse_unet_widths,
             "U-Net widths, one per level (at most 6)", "W,W,...")
      ->default_str(join_sizes(s.channels));
  add_count(app, "--dims", s.dims, "3: a 3D U-Net; 2: a 2D U-Net, slice by slice", 2);
  add_slice_plane(app, s.slice_plane,
                  "--dims 2: the slices to train on (and the model's plane for segment)");
  add_count(app, "--batch", s.batch, "patches per batch", 1);
  add_count(app, "--batches-per-epoch", s.batches_per_epoch, "batches per epoch", 1);
  add_number(app, "--learning-rate", s.learning_rate, "Adam's learning rate", 1e-9, 1.0);
  add_choice(app, "--normalise", s.normalise, "intensity normalisation");
  add_text(app, "--image-suffix", s.image_suffix, "an image's name is its case's with this suffix",
           "TEXT");
  add_parsed(app, "--threads", s.threads, parse_torch_threads,
             "LibTorch's threads, at most 4 per core (default: all cores)", "N");
  add_quiet(app, s.quiet);
  app.footer(
      "Trains the native 3D U-Net on image/mask pairs (BCE + Dice, Adam, early stopping on the\n"
      "validation IoU, the best epoch kept); --dims 2 --slice-plane P: a 2D U-Net on the slices\n"
      "of P (patches 1 slice x the last two --patch edges), which segment runs slice by slice. "
      "Pairs: IMAGES/<case><suffix>.<ext> (or\n"
      "IMAGES/<case>.<ext> when the folders differ) with MASKS/<case>.<ext>; the foreground is "
      "the\nSPIDER discs (labels 201-225). Writes MODEL, MODEL.training.csv (one row per epoch) "
      "and\nMODEL.split.csv (case,set).");
}

/// `discgeom train-seg`: 0, or 1 when the pairs cannot be found or read.
/// \throws usage_error for settings check_train_seg_settings refuses
int run_train_seg(const train_seg_settings& s);

}  // namespace discgeom::cli
