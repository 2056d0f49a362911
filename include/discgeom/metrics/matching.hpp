// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Instance matching in the style of the SPIDER challenge evaluation (van der Graaf et al.,
/// Sci Data 11:264, 2024): each reference structure is matched to the prediction label that
/// overlaps it most; a match with Dice below a threshold (0.1) counts the structure as missed;
/// the detection rate is the fraction of reference structures detected.

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "discgeom/error.hpp"
#include "discgeom/metrics/label_pairs.hpp"

namespace discgeom {

struct match_options {
  double min_dice = 0.1;  ///< a match below this Dice is a missed structure; in [0, 1]
};

/// The match of one reference structure.
struct structure_match {
  label_value reference = 0;
  label_value prediction = 0;        ///< the best-overlapping prediction label; 0: none overlaps
  std::uint64_t overlap_voxels = 0;  ///< |R_r and P_p|
  double dice = 0.0;                 ///< 2 |R_r and P_p| / (|R_r| + |P_p|); 0 without a match
  bool detected = false;             ///< dice >= min_dice (and a prediction overlaps)
};

struct matching {
  std::vector<structure_match> matches{};  ///< one per reference label, increasing
  std::size_t detected = 0;
  /// detected / reference structures; NaN when the reference holds no structure.
  double detection_rate = std::numeric_limits<double>::quiet_NaN();
  /// Prediction labels that are no detected structure's match (false detections).
  std::vector<label_value> unmatched_predictions{};
};

/// Matches every reference structure (non-zero label) to the prediction label with the largest
/// overlap (ties: the smaller label); Dice of the pair; detected when Dice >= options.min_dice.
///
/// \param pairs  the joint histogram of the two label maps (count_label_pairs)
/// \throws precondition_error when min_dice is outside [0, 1]
/// Complexity: O(pairs).
///
///   const auto m = discgeom::match_structures(discgeom::count_label_pairs(reference, prediction));
///   std::cout << "detection rate " << m.detection_rate << '\n';
[[nodiscard]] inline matching match_structures(const label_pair_counts& pairs,
                                               const match_options& options = {}) {
  DISCGEOM_PRECONDITION(options.min_dice >= 0.0 && options.min_dice <= 1.0, "match_structures",
                        "options.min_dice must be in [0, 1], got ", options.min_dice);
  matching result;
  for (label_value reference : pairs.reference_labels()) {
    structure_match match;
    match.reference = reference;
    for (const label_pair& pair : pairs.pairs()) {
      if (pair.reference == reference && pair.prediction != 0 &&
          pair.voxels > match.overlap_voxels) {  // pairs are sorted: ties keep the smaller label
        match.prediction = pair.prediction;
        match.overlap_voxels = pair.voxels;
      }
    }
    if (match.prediction != 0) {
      match.dice = 2.0 * static_cast<double>(match.overlap_voxels) /
                   static_cast<double>(pairs.reference_voxels(reference) +
                                       pairs.prediction_voxels(match.prediction));
      match.detected = match.dice >= options.min_dice;
    }
    result.detected += match.detected ? 1 : 0;
    result.matches.push_back(match);
  }
  if (!result.matches.empty()) {
    result.detection_rate =
        static_cast<double>(result.detected) / static_cast<double>(result.matches.size());
  }
  for (label_value label : pairs.labels()) {
    if (pairs.prediction_voxels(label) == 0) {
      continue;
    }
    bool matched = false;
    for (const structure_match& match : result.matches) {
      matched = matched || (match.detected && match.prediction == label);
    }
    if (!matched) {
      result.unmatched_predictions.push_back(label);
    }
  }
  return result;
}

}  // namespace discgeom
