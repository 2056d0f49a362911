// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Overlap scores of a predicted segmentation against a reference: Dice, IoU, precision, recall,
/// specificity, false discovery rate, volume similarity and relative volume errors, per label
/// from one pass (`count_label_pairs`), with micro and macro aggregates and a status for empty
/// masks. Definitions: docs/metrics.md; Taha & Hanbury, BMC Med Imaging 15:29 (2015) for the
/// names; Maier-Hein et al., Nat Methods 21:195 (2024) for the empty-mask pitfalls.

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "discgeom/enum_names.hpp"
#include "discgeom/error.hpp"
#include "discgeom/metrics/label_pairs.hpp"

namespace discgeom {

/// Which of the two masks of a label hold voxels.
enum class overlap_status {
  ok,                ///< both hold voxels
  both_empty,        ///< neither holds the label
  reference_empty,   ///< only the prediction holds it (a false detection)
  prediction_empty,  ///< only the reference holds it (a missed structure)
};

/// "ok", "both_empty", "reference_empty", "prediction_empty".
template <>
struct enum_names<overlap_status> {
  static constexpr std::array<enum_name<overlap_status>, 4> table{{
      {overlap_status::ok, "ok"},
      {overlap_status::both_empty, "both_empty"},
      {overlap_status::reference_empty, "reference_empty"},
      {overlap_status::prediction_empty, "prediction_empty"},
  }};
};

/// The status of a label whose masks hold `reference_voxels` and `prediction_voxels` voxels.
[[nodiscard]] constexpr overlap_status overlap_status_of(std::uint64_t reference_voxels,
                                                         std::uint64_t prediction_voxels) noexcept {
  if (reference_voxels == 0 && prediction_voxels == 0) {
    return overlap_status::both_empty;
  }
  if (reference_voxels == 0) {
    return overlap_status::reference_empty;
  }
  if (prediction_voxels == 0) {
    return overlap_status::prediction_empty;
  }
  return overlap_status::ok;
}

/// What the agreement scores (Dice, IoU, precision, recall, volume similarity) take when a mask
/// is empty. Defaults: 1 when both masks are empty (nothing to find, nothing found), 0 when only
/// one is, so a missed structure never scores best. MONAI's `ignore_empty=True` (its default)
/// is {NaN, NaN, 0}: any case with an empty reference is NaN (monai/metrics/meandice.py,
/// DiceHelper.compute_channel).
struct overlap_fill {
  double both_empty = 1.0;
  double reference_empty = 0.0;   ///< only the prediction holds the label: a false detection
  double prediction_empty = 0.0;  ///< only the reference holds it: a missed structure
};

struct overlap_options {
  overlap_fill fill{};
};

/// The overlap scores of one label. With |R| = TP + FN and |P| = TP + FP voxels:
struct overlap_scores {
  confusion_counts counts{};
  overlap_status status = overlap_status::both_empty;
  double dice = 0.0;                  ///< 2 TP / (2 TP + FP + FN)
  double iou = 0.0;                   ///< Jaccard: TP / (TP + FP + FN)
  double precision = 0.0;             ///< positive predictive value: TP / (TP + FP)
  double recall = 0.0;                ///< sensitivity: TP / (TP + FN)
  double specificity = 0.0;           ///< TN / (TN + FP); NaN when the reference fills the volume
  double false_discovery_rate = 0.0;  ///< FP / (TP + FP); NaN when the prediction is empty
  /// Volume similarity (Taha & Hanbury): 1 - |FN - FP| / (2 TP + FP + FN).
  double volume_similarity = 0.0;
  /// Signed relative volume error (|P| - |R|) / |R| (MedPy's ravd); NaN when |R| = 0.
  double relative_volume_error = 0.0;
  /// |(|P| - |R|)| / |R|; NaN when |R| = 0.
  double absolute_relative_volume_error = 0.0;
};

namespace detail {

[[nodiscard]] inline double ratio_or(double numerator, double denominator, double fill) noexcept {
  return denominator == 0.0 ? fill : numerator / denominator;
}

}  // namespace detail

/// The overlap scores of one label from its counts (formulas on the fields of overlap_scores).
///
/// When a mask is empty, the agreement scores (Dice, IoU, precision, recall, volume similarity)
/// take `options.fill` (both_empty, reference_empty or prediction_empty: by default 0 for one
/// empty mask, the value the formulas give
/// where they are defined, so a missed structure never scores best); error scores (false discovery
/// rate, relative volume errors) are 0 when both masks are empty and NaN when their denominator
/// alone is empty; specificity is NaN when TN + FP = 0. `status` says which case applies.
///
/// Complexity: O(1).
///
///   const auto s = discgeom::score_overlap(pairs.confusion(201));
[[nodiscard]] inline overlap_scores score_overlap(const confusion_counts& counts,
                                                  const overlap_options& options = {}) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double tp = static_cast<double>(counts.tp);
  const double fp = static_cast<double>(counts.fp);
  const double fn = static_cast<double>(counts.fn);
  const double tn = static_cast<double>(counts.tn);
  const double reference = tp + fn;
  const double prediction = tp + fp;

  overlap_scores s;
  s.counts = counts;
  s.status = overlap_status_of(counts.reference_voxels(), counts.prediction_voxels());
  const bool both_empty = s.status == overlap_status::both_empty;
  if (s.status == overlap_status::ok) {
    s.dice = 2.0 * tp / (2.0 * tp + fp + fn);
    s.iou = tp / (tp + fp + fn);
    s.precision = tp / prediction;
    s.recall = tp / reference;
    s.volume_similarity = 1.0 - std::abs(fn - fp) / (2.0 * tp + fp + fn);
  } else {
    const double fill = both_empty ? options.fill.both_empty
                        : s.status == overlap_status::reference_empty
                            ? options.fill.reference_empty
                            : options.fill.prediction_empty;
    s.dice = s.iou = s.precision = s.recall = s.volume_similarity = fill;
  }
  s.specificity = detail::ratio_or(tn, tn + fp, nan);
  s.false_discovery_rate = detail::ratio_or(fp, prediction, both_empty ? 0.0 : nan);
  s.relative_volume_error =
      detail::ratio_or(prediction - reference, reference, both_empty ? 0.0 : nan);
  s.absolute_relative_volume_error = std::abs(s.relative_volume_error);
  return s;
}

/// The scores of one label within a multi-label evaluation.
struct label_overlap {
  label_value label = 0;
  overlap_scores scores{};
};

/// Options of `overlap_by_label`.
struct overlap_by_label_options {
  /// The labels to score; empty: every non-zero label present in either map. A listed label
  /// that neither map holds is reported with status both_empty.
  std::vector<label_value> labels{};
  overlap_options overlap{};
};

/// The overlap scores of every label from an already counted joint histogram (for callers that
/// also need the histogram itself, e.g. for `match_structures`).
///
/// \returns one label_overlap per label, in the order of `options.labels` or increasing
/// Complexity: O(log labels) per label.
[[nodiscard]] inline std::vector<label_overlap> overlap_by_label(
    const label_pair_counts& pairs, const overlap_by_label_options& options = {}) {
  const std::vector<label_value> labels = options.labels.empty() ? pairs.labels() : options.labels;
  std::vector<label_overlap> result;
  result.reserve(labels.size());
  for (label_value label : labels) {
    result.push_back({label, score_overlap(pairs.confusion(label), options.overlap)});
  }
  return result;
}

/// The overlap scores of every label of a pair of label maps, from one pass over the voxels
/// (`count_label_pairs` then `score_overlap` per label).
///
/// \returns one label_overlap per label, in the order of `options.labels` or increasing
/// \throws precondition_error as count_label_pairs
/// Complexity: one pass over both volumes, then O(pairs) per label.
///
///   for (const auto& [label, s] : discgeom::overlap_by_label(reference, prediction))
///     std::cout << label << " Dice " << s.dice << '\n';
template <volume_like Reference, volume_like Prediction>
[[nodiscard]] std::vector<label_overlap> overlap_by_label(
    Reference&& reference, Prediction&& prediction, const overlap_by_label_options& options = {}) {
  return overlap_by_label(count_label_pairs(reference, prediction), options);
}

/// Micro average: the scores of the counts summed over the given labels (every foreground voxel
/// weighs the same, so large structures dominate).
///
/// \throws precondition_error when `per_label` is empty
[[nodiscard]] inline overlap_scores micro_average(std::span<const label_overlap> per_label,
                                                  const overlap_options& options = {}) {
  DISCGEOM_PRECONDITION(!per_label.empty(), "micro_average", "per_label holds no label");
  confusion_counts sum;
  for (const label_overlap& entry : per_label) {
    sum += entry.scores.counts;
  }
  // TN summed over labels counts each voxel once per label: keep the scores' definitions on the
  // summed matrix, as scikit-learn's average='micro' does.
  return score_overlap(sum, options);
}

/// Macro average: the unweighted mean of each score over the given labels (every structure
/// weighs the same). A NaN score of any label makes that mean NaN. `counts` is the sum and
/// `status` is ok only when every label's is; otherwise the first non-ok status.
///
/// \throws precondition_error when `per_label` is empty
[[nodiscard]] inline overlap_scores macro_average(std::span<const label_overlap> per_label) {
  DISCGEOM_PRECONDITION(!per_label.empty(), "macro_average", "per_label holds no label");
  overlap_scores mean;
  mean.status = overlap_status::ok;
  const double n = static_cast<double>(per_label.size());
  for (const label_overlap& entry : per_label) {
    const overlap_scores& s = entry.scores;
    mean.counts += s.counts;
    if (mean.status == overlap_status::ok) {
      mean.status = s.status;
    }
    mean.dice += s.dice / n;
    mean.iou += s.iou / n;
    mean.precision += s.precision / n;
    mean.recall += s.recall / n;
    mean.specificity += s.specificity / n;
    mean.false_discovery_rate += s.false_discovery_rate / n;
    mean.volume_similarity += s.volume_similarity / n;
    mean.relative_volume_error += s.relative_volume_error / n;
    mean.absolute_relative_volume_error += s.absolute_relative_volume_error / n;
  }
  return mean;
}

}  // namespace discgeom
