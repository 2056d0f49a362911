// SPDX-License-Identifier: MIT
#pragma once
// The cases of a `discgeom pipeline` run and their narrowing labels: a phantom folder (masks,
// <case>_t1 images and truth.csv), a SPIDER-layout folder (images/, masks/,
// radiological_gradings.csv) or any folder of masks (docs/pipeline.md).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "discgeom/error.hpp"
#include "discgeom/io/csv.hpp"
#include "inputs.hpp"

namespace discgeom::cli {

/// One case: its mask and/or its image (a path is empty when absent).
struct cohort_case {
  std::string name;
  std::filesystem::path mask;
  std::filesystem::path image;
};

/// A case or a stage that failed, and why.
struct pipeline_failure {
  std::string case_name;  ///< empty for a whole stage
  std::string stage;
  std::string reason;
};

/// The narrowing label of each disc, keyed by (case, disc label).
struct narrowing_labels {
  std::string source;  ///< the table they come from; empty when there is none
  std::map<std::pair<std::string, std::int64_t>, int> by_disc;
};

struct cohort {
  std::string layout;  ///< "phantom", "spider" or "masks"
  std::vector<cohort_case> cases;
  std::vector<pipeline_failure> unusable;  ///< files that cannot form a case
  narrowing_labels labels;
};

inline bool is_image_file(const std::filesystem::path& path) {
  return std::filesystem::is_regular_file(path) && case_name(path) != path.filename().string();
}

/// The image files directly inside `folder`, by case name.
/// \throws io_error naming both files when two are the same case (a.nii.gz and a.mha): their
///         outputs (segmentations/<case>.nii.gz, the case's crops) would have the same names
inline std::map<std::string, std::filesystem::path> image_files(
    const std::filesystem::path& folder) {
  std::map<std::string, std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (!is_image_file(entry.path()))
      continue;
    const auto [first, fresh] = files.emplace(case_name(entry.path()), entry.path());
    if (!fresh) {
      const auto [a, b] = std::minmax(first->second, entry.path());
      throw io_error(a.string() + " and " + b.string() + " are both case '" + first->first +
                     "': their outputs would have the same names; keep one of them");
    }
  }
  return files;
}

/// Labels of phantoms: truth.csv's case, label and narrowed columns.
inline narrowing_labels read_truth_labels(const std::filesystem::path& file) {
  const csv_table truth = read_csv(file);
  const auto cases = truth.column("case");
  const auto labels = truth.numeric_column("label");
  const auto narrowed = truth.numeric_column("narrowed");
  narrowing_labels result{file.string(), {}};
  for (std::size_t r = 0; r < truth.rows.size(); ++r) {
    if (std::isfinite(labels[r]) && std::isfinite(narrowed[r]))
      result.by_disc[{truth.rows[r][cases], static_cast<std::int64_t>(labels[r])}] =
          narrowed[r] != 0.0 ? 1 : 0;
  }
  return result;
}

/// Labels of SPIDER: radiological_gradings.csv, "Disc narrowing" per "Patient" and "IVD label".
/// SPIDER's IVD label k is the disc of mask label 200 + k (201 = the lowest disc); the case
/// whose name is the patient number followed by '_' (1_t1, 1_t2) takes that patient's labels.
/// A disc is narrowed when its grade is 1 or more.
inline narrowing_labels read_spider_labels(const std::filesystem::path& file,
                                           const std::vector<cohort_case>& cases) {
  const csv_table gradings = read_csv(file);
  const auto patient = gradings.column("Patient");
  const auto disc = gradings.numeric_column("IVD label");
  const auto narrowing = gradings.numeric_column("Disc narrowing");
  std::map<std::string, std::vector<std::pair<std::int64_t, int>>> by_patient;
  for (std::size_t r = 0; r < gradings.rows.size(); ++r) {
    if (std::isfinite(disc[r]) && std::isfinite(narrowing[r]))
      by_patient[gradings.rows[r][patient]].emplace_back(200 + static_cast<std::int64_t>(disc[r]),
                                                         narrowing[r] >= 1.0 ? 1 : 0);
  }
  narrowing_labels result{file.string(), {}};
  for (const auto& c : cases) {
    const auto found = by_patient.find(c.name.substr(0, c.name.find('_')));
    if (found == by_patient.end())
      continue;
    for (const auto& [label, narrowed] : found->second)
      result.by_disc[{c.name, label}] = narrowed;
  }
  return result;
}

/// The cases of `folder`.
/// - SPIDER layout (images/ and masks/ inside): cases are the names in either folder; a mask
///   without an image is fine, an image without a mask needs a segmenter (else unusable);
///   labels from radiological_gradings.csv when present.
/// - Otherwise every image file is a mask, except `<case>_t1.<ext>` beside a `<case>.<ext>`,
///   which is that case's image (the phantom layout); labels from truth.csv when present.
/// \throws io_error when the folder does not exist or holds no image file
inline cohort find_cohort(const std::filesystem::path& folder, bool have_segmenter) {
  if (!std::filesystem::is_directory(folder))
    throw io_error("--data " + folder.string() + ": no such folder");
  cohort result;
  if (std::filesystem::is_directory(folder / "images") &&
      std::filesystem::is_directory(folder / "masks")) {
    result.layout = "spider";
    const auto images = image_files(folder / "images");
    const auto masks = image_files(folder / "masks");
    std::set<std::string> names;
    for (const auto& [name, path] : images)
      names.insert(name);
    for (const auto& [name, path] : masks)
      names.insert(name);
    for (const auto& name : names) {
      cohort_case c{name, {}, {}};
      if (const auto m = masks.find(name); m != masks.end())
        c.mask = m->second;
      if (const auto i = images.find(name); i != images.end())
        c.image = i->second;
      if (c.mask.empty() && !have_segmenter) {
        result.unusable.push_back(
            {name, "inputs", "an image without a mask, and no segmenter_model to segment it"});
        continue;
      }
      result.cases.push_back(std::move(c));
    }
    if (std::filesystem::is_regular_file(folder / "radiological_gradings.csv"))
      result.labels = read_spider_labels(folder / "radiological_gradings.csv", result.cases);
  } else {
    const auto files = image_files(folder);
    result.layout = std::filesystem::is_regular_file(folder / "truth.csv") ? "phantom" : "masks";
    for (const auto& [name, path] : files) {
      if (const std::string stem = image_case(path); stem != name && files.count(stem))
        continue;  // the image of case `stem`
      cohort_case c{name, path, {}};
      if (const auto image = files.find(name + "_t1"); image != files.end())
        c.image = image->second;
      result.cases.push_back(std::move(c));
    }
    if (result.layout == "phantom")
      result.labels = read_truth_labels(folder / "truth.csv");
  }
  if (result.cases.empty() && result.unusable.empty())
    throw io_error("--data " + folder.string() + ": holds no image file (.nii.gz, .nii, .mha, " +
                   ".mhd, .nrrd, .nhdr)");
  return result;
}

}  // namespace discgeom::cli
