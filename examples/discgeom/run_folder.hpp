// SPDX-License-Identifier: MIT
#pragma once
// The run folder of `discgeom pipeline` (docs/pipeline.md, "The run folder"): every path the
// stages, their records and the report use, named once. Paths are relative to the folder, as
// the stage table (pipeline_command.cpp) and the records (records/<stage>.json) give them.

#include <filesystem>
#include <string>
#include <string_view>

namespace discgeom::cli::run_paths {

inline constexpr std::string_view phantom = "phantom";  ///< the generated cohort (--phantom)
inline constexpr std::string_view phantom_muscles =
    "phantom_muscles";  ///< axial muscle phantoms (the muscles stage, --phantom N --muscles)
inline constexpr std::string_view segmentations = "segmentations";  ///< masks of segmenter_model
inline constexpr std::string_view discs = "discs.csv";
inline constexpr std::string_view indices =
    "indices.csv";                                  ///< BianqueNet's, where bodies are labelled
inline constexpr std::string_view crops = "crops";  ///< one crop per disc and index.csv
inline constexpr std::string_view crop_index = "crops/index.csv";
inline constexpr std::string_view case_failures = "case_failures.csv";
inline constexpr std::string_view muscles = "muscles.csv";  ///< manual and automatic sections
inline constexpr std::string_view muscle_agreement = "muscle_agreement.csv";
inline constexpr std::string_view muscles_automatic =
    "muscles_automatic";  ///< the simulated second rater's label maps
inline constexpr std::string_view model = "autoencoder/model.pt";
inline constexpr std::string_view training_curve = "autoencoder/model.pt.training.csv";
inline constexpr std::string_view training_started = "records/autoencoder.started";
inline constexpr std::string_view sweep = "autoencoder/sweep";
inline constexpr std::string_view sweep_table = "autoencoder/sweep/sweep.csv";
inline constexpr std::string_view latents = "latents.csv";
inline constexpr std::string_view traversal = "traversal";
inline constexpr std::string_view traversal_montage = "traversal/traversal.png";
inline constexpr std::string_view geometry_latents = "geometry_latents.csv";
inline constexpr std::string_view features = "features.csv";
inline constexpr std::string_view correlations = "correlations.csv";
inline constexpr std::string_view classification = "classification.csv";
inline constexpr std::string_view classification_summary = "classification.summary.csv";
inline constexpr std::string_view failures = "failures.csv";
inline constexpr std::string_view records = "records";
inline constexpr std::string_view report = "report.html";

}  // namespace discgeom::cli::run_paths

namespace discgeom::cli {

/// A run folder: `folder / run_paths::discs` and friends.
class run_folder {
 public:
  explicit run_folder(std::filesystem::path root) : root_(std::move(root)) {}
  [[nodiscard]] const std::filesystem::path& root() const { return root_; }
  [[nodiscard]] std::filesystem::path operator/(std::string_view relative) const {
    return root_ / std::filesystem::path(std::string(relative));
  }

 private:
  std::filesystem::path root_;
};

}  // namespace discgeom::cli
