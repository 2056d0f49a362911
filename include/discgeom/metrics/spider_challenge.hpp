// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The scores of the SPIDER lumbar spine segmentation challenge (spider.grand-challenge.org;
/// van der Graaf et al., Sci Data 11:264, 2024) as its own evaluation computes them
/// (DIAGNijmegen/SPIDER-Evaluation, evaluation.py, commit 052300b): Dice and average surface
/// distance of vertebrae, discs and spinal canal after matching each reference structure to the
/// predicted label that covers most of it, detection rates, and their mean and standard deviation
/// over cases. The released code hands SimpleITK's (x, y, z) spacing to (z, y, x) arrays; that
/// is reproduced behind `challenge_spacing::as_released`, the correct order is the default.
/// Definitions: docs/metrics.md, "SPIDER challenge scores".

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "discgeom/as_volume.hpp"
#include "discgeom/concepts.hpp"
#include "discgeom/enum_names.hpp"
#include "discgeom/error.hpp"
#include "discgeom/image_geometry.hpp"
#include "discgeom/metrics/label_pairs.hpp"
#include "discgeom/metrics/matching.hpp"
#include "discgeom/metrics/surface.hpp"
#include "discgeom/metrics/surface_distance.hpp"
#include "discgeom/spatial/point_cloud.hpp"

namespace discgeom {

/// Which spacing the surface distances see.
enum class challenge_spacing {
  /// Each array axis its own spacing: distances in millimetres (the default).
  corrected,
  /// As the released evaluation.py: SimpleITK's GetSpacing() (x, y, z) is passed as the sampling
  /// of the (z, y, x) array of GetArrayFromImage(), so array axis k (ITK index order) gets the
  /// spacing of axis 2 - k. Only for reproducing published challenge numbers.
  as_released,
};

/// "corrected", "as-released".
template <>
struct enum_names<challenge_spacing> {
  static constexpr std::array<enum_name<challenge_spacing>, 2> table{{
      {challenge_spacing::corrected, "corrected"},
      {challenge_spacing::as_released, "as-released"},
  }};
};

/// The challenge's group of a reference label (its own rule, wider than SPIDER's label scheme of
/// mask/label_scheme.hpp: every label below 100 is a vertebra, every label above 200 a disc).
enum class spider_challenge_group {
  vertebra,      ///< 0 < label < 100
  spinal_canal,  ///< label 100
  other,         ///< 100 < label <= 200 (partially visible vertebrae): overall scores only
  disc,          ///< label > 200
};

/// "vertebra", "spinal_canal", "other", "disc".
template <>
struct enum_names<spider_challenge_group> {
  static constexpr std::array<enum_name<spider_challenge_group>, 4> table{{
      {spider_challenge_group::vertebra, "vertebra"},
      {spider_challenge_group::spinal_canal, "spinal_canal"},
      {spider_challenge_group::other, "other"},
      {spider_challenge_group::disc, "disc"},
  }};
};

/// The challenge's group of a non-zero label.
[[nodiscard]] constexpr spider_challenge_group spider_challenge_group_of(
    label_value label) noexcept {
  if (label < 100) {
    return spider_challenge_group::vertebra;
  }
  if (label == 100) {
    return spider_challenge_group::spinal_canal;
  }
  return label > 200 ? spider_challenge_group::disc : spider_challenge_group::other;
}

/// The ten keys of the challenge's output, in its order; their names are the challenge's own
/// spellings ("Overal" included).
enum class spider_challenge_key {
  dice_vertebrae,
  dice_discs,
  dice_spinal_canal,
  overall_dice,
  detection_rate_vertebrae,
  detection_rate_discs,
  asd_vertebrae,
  asd_discs,
  asd_spinal_canal,
  overall_asd,
};

/// "DiceScoreVertebrae", "DiceScoreDiscs", "DiceScoreSpinalCanal", "OveralDiceScore",
/// "DetectionRateVertebrae", "DetectionRateDiscs", "ASDVertebrae", "ASDDiscs", "ASDSpinalCanal",
/// "OveralASD".
template <>
struct enum_names<spider_challenge_key> {
  static constexpr std::array<enum_name<spider_challenge_key>, 10> table{{
      {spider_challenge_key::dice_vertebrae, "DiceScoreVertebrae"},
      {spider_challenge_key::dice_discs, "DiceScoreDiscs"},
      {spider_challenge_key::dice_spinal_canal, "DiceScoreSpinalCanal"},
      {spider_challenge_key::overall_dice, "OveralDiceScore"},
      {spider_challenge_key::detection_rate_vertebrae, "DetectionRateVertebrae"},
      {spider_challenge_key::detection_rate_discs, "DetectionRateDiscs"},
      {spider_challenge_key::asd_vertebrae, "ASDVertebrae"},
      {spider_challenge_key::asd_discs, "ASDDiscs"},
      {spider_challenge_key::asd_spinal_canal, "ASDSpinalCanal"},
      {spider_challenge_key::overall_asd, "OveralASD"},
  }};
};

/// What a case's reference lacks for the challenge's scores. The released evaluation stops with
/// ZeroDivisionError on such a case; here the detection rate of the missing group is NaN (and so
/// are its Dice and ASD means) and the other keys are scored.
enum class spider_challenge_status {
  ok,
  no_vertebrae,           ///< the reference holds no label in 1..99
  no_discs,               ///< the reference holds no label above 200
  no_vertebrae_no_discs,  ///< neither (an empty reference included)
};

/// "ok", "no_vertebrae", "no_discs", "no_vertebrae_no_discs".
template <>
struct enum_names<spider_challenge_status> {
  static constexpr std::array<enum_name<spider_challenge_status>, 4> table{{
      {spider_challenge_status::ok, "ok"},
      {spider_challenge_status::no_vertebrae, "no_vertebrae"},
      {spider_challenge_status::no_discs, "no_discs"},
      {spider_challenge_status::no_vertebrae_no_discs, "no_vertebrae_no_discs"},
  }};
};

/// Options of `spider_challenge_score`.
struct spider_challenge_options {
  challenge_spacing spacing = challenge_spacing::corrected;
  /// How nearest surface voxels are found; both engines are exact (surface_distance.hpp).
  distance_engine engine = distance_engine::automatic;
};

/// One reference label of a case, as the challenge scored it.
struct spider_challenge_label {
  label_value reference = 0;
  /// The prediction label most frequent among the reference label's voxels (ties: the smaller);
  /// 0 when none of them is predicted foreground.
  label_value prediction = 0;
  spider_challenge_group group = spider_challenge_group::vertebra;
  std::uint64_t reference_voxels = 0;
  std::uint64_t prediction_voxels = 0;  ///< of the matched label, in the whole image
  std::uint64_t overlap_voxels = 0;
  double dice = 0.0;  ///< 2 |R and P| / (|R| + |P|) with the matched label; 0 when unmatched
  /// Pooled average surface distance to the matched label (mm, or the swapped spacing's units);
  /// NaN when unmatched.
  double asd_mm = std::numeric_limits<double>::quiet_NaN();
  /// Vertebrae and discs with Dice below 0.1 (unmatched ones included): counted against the
  /// detection rate and left out of their group's Dice mean. Never set for canal and `other`.
  bool missed = false;
};

/// The challenge's ten scores of one case, with the per-label detail they come from.
struct spider_challenge_scores {
  static constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  double dice_vertebrae = nan;            ///< DiceScoreVertebrae
  double dice_discs = nan;                ///< DiceScoreDiscs
  double dice_spinal_canal = nan;         ///< DiceScoreSpinalCanal (999: no canal)
  double overall_dice = nan;              ///< OveralDiceScore
  double detection_rate_vertebrae = nan;  ///< DetectionRateVertebrae
  double detection_rate_discs = nan;      ///< DetectionRateDiscs
  double asd_vertebrae = nan;             ///< ASDVertebrae
  double asd_discs = nan;                 ///< ASDDiscs
  double asd_spinal_canal = nan;          ///< ASDSpinalCanal (999: no canal)
  double overall_asd = nan;               ///< OveralASD
  spider_challenge_status status = spider_challenge_status::ok;
  std::vector<spider_challenge_label> labels{};  ///< one per reference label, increasing

  /// The value of one key.
  [[nodiscard]] constexpr double operator[](spider_challenge_key key) const noexcept {
    switch (key) {
      case spider_challenge_key::dice_vertebrae:
        return dice_vertebrae;
      case spider_challenge_key::dice_discs:
        return dice_discs;
      case spider_challenge_key::dice_spinal_canal:
        return dice_spinal_canal;
      case spider_challenge_key::overall_dice:
        return overall_dice;
      case spider_challenge_key::detection_rate_vertebrae:
        return detection_rate_vertebrae;
      case spider_challenge_key::detection_rate_discs:
        return detection_rate_discs;
      case spider_challenge_key::asd_vertebrae:
        return asd_vertebrae;
      case spider_challenge_key::asd_discs:
        return asd_discs;
      case spider_challenge_key::asd_spinal_canal:
        return asd_spinal_canal;
      case spider_challenge_key::overall_asd:
        return overall_asd;
    }
    return nan;
  }
};

/// One key over a set of cases.
struct spider_challenge_statistic {
  spider_challenge_key key = spider_challenge_key::dice_vertebrae;
  std::size_t n = 0;  ///< cases with a value (NaN left out)
  double mean = std::numeric_limits<double>::quiet_NaN();
  /// Sample standard deviation (ddof 1); NaN with fewer than two values.
  double sd = std::numeric_limits<double>::quiet_NaN();
};

namespace detail {

/// The challenge's detection threshold: a vertebra or disc with Dice below it is missed.
inline constexpr double spider_challenge_min_dice = 0.1;
/// The challenge's value of DiceScoreSpinalCanal and ASDSpinalCanal without a reference canal.
inline constexpr double spider_challenge_no_canal = 999.0;

/// Mean of the values; NaN for none (numpy's mean of an empty list) or when one is NaN.
[[nodiscard]] inline double spider_challenge_mean(const std::vector<double>& values) noexcept {
  if (values.empty()) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  double sum = 0.0;
  for (double value : values) {
    sum += value;
  }
  return sum / static_cast<double>(values.size());
}

/// The pooled average surface distance between label `reference_label` of the reference and
/// label `prediction_label` of the prediction: surface voxels with a 26-neighbour outside the
/// mask (the image border outside), each surface's distances to the nearest voxel of the other
/// at `spacing`, all of them averaged together.
template <class R, class P>
[[nodiscard]] double spider_challenge_asd(const volume_view<R, 3>& reference,
                                          label_value reference_label,
                                          const voxel_window& reference_box,
                                          const volume_view<P, 3>& prediction,
                                          label_value prediction_label,
                                          const voxel_window& prediction_box, const vec3& spacing,
                                          distance_engine requested) {
  const voxel_window box = reference_box.united(prediction_box);
  const surface_cells from_reference = find_surface_cells(
      make_padded_mask(reference, reference_label, box), surface_kind::fully_connected, spacing);
  const surface_cells from_prediction = find_surface_cells(
      make_padded_mask(prediction, prediction_label, box), surface_kind::fully_connected, spacing);
  const auto& grid = from_reference.grid_shape;
  const distance_engine engine =
      choose_engine(requested, grid[0] * grid[1] * grid[2],
                    from_reference.cells.size() + from_prediction.cells.size());
  std::vector<double> forward;
  std::vector<double> backward;
  if (engine == distance_engine::distance_transform) {
    forward = distances_by_transform(from_reference, from_prediction, spacing);
    backward = distances_by_transform(from_prediction, from_reference, spacing);
  } else {
    const auto reference_points = surface_points_scaled(from_reference, spacing);
    const auto prediction_points = surface_points_scaled(from_prediction, spacing);
    forward = distances_by_tree(reference_points, point_cloud_index(prediction_points));
    backward = distances_by_tree(prediction_points, point_cloud_index(reference_points));
  }
  double sum = 0.0;
  for (double d : forward) {
    sum += d;
  }
  for (double d : backward) {
    sum += d;
  }
  return sum / static_cast<double>(forward.size() + backward.size());
}

}  // namespace detail

/// The SPIDER challenge's scores of one case, as its evaluation.py computes them.
///
/// Each reference label L (non-zero, increasing) is matched to the prediction label most frequent
/// among L's voxels, background left out (ties: the smaller label); L is unmatched when no voxel
/// of it is predicted foreground. Dice(L) = 2 |R_L and P_M| / (|R_L| + |P_M|) with M the match
/// (0 when unmatched). ASD(L) = the mean of all distances from each surface voxel of R_L to the
/// nearest surface voxel of P_M and back, pooled (surface voxels: a 26-neighbour outside the
/// mask, the image border outside; NaN when unmatched). Groups: vertebrae 0 < L < 100, canal
/// L = 100, discs L > 200; labels 101-200 count only in the two overall scores. A vertebra or disc
/// with Dice < 0.1 is missed: it lowers the detection rate (total - missed) / total and is left
/// out of its group's Dice mean, but keeps its Dice in OveralDiceScore and its ASD everywhere.
/// Group ASD = mean over every label of the group, NaN if one is NaN. DiceScoreSpinalCanal and
/// ASDSpinalCanal are the canal's own values, 999 without a reference canal.
///
/// \tparam Reference, Prediction  rank-3 volume_like label maps (integer or user label voxels,
///         or floats holding whole labels) of one shape
/// \param geometry  the reference's grid: only its spacing is used, as by the challenge (the
///        prediction's header and the direction cosines are not read)
/// \param options  challenge_spacing::as_released gives array axis k the spacing of axis 2 - k,
///        as the released code does; distance engine
/// \returns the ten keys (mm for the ASD keys), the status, and per reference label its match,
///          Dice, ASD and whether it was missed. A group without any label has NaN detection
///          rate, Dice and ASD means, and the status says so (the released code crashes there);
///          a group whose labels are all missed has NaN Dice mean (as released)
/// \throws precondition_error when the shapes differ ("spider_challenge_score(): reference and
///         prediction differ in shape: reference [..] vs prediction [..]"), the volumes are empty,
///         the geometry is invalid, or a value is not a label
/// Complexity: one pass for the label counts, one per volume for the bounding boxes, then per
/// reference label the surface distance work of directed_surface_distances over the union box
/// of the label and its match.
///
///   const auto s = discgeom::spider_challenge_score(reference, prediction, geometry);
///   std::cout << "DiceScoreDiscs " << s.dice_discs << " ASDDiscs " << s.asd_discs << '\n';
///
/// See also: summarise_spider_challenge, match_structures, directed_surface_distances.
template <volume_like Reference, volume_like Prediction>
[[nodiscard]] spider_challenge_scores spider_challenge_score(
    Reference&& reference, Prediction&& prediction, const image_geometry& geometry,
    const spider_challenge_options& options = {}) {
  const auto r = as_volume(reference);
  const auto p = as_volume(prediction);
  using r_voxel = typename decltype(r)::value_type;
  using p_voxel = typename decltype(p)::value_type;
  static_assert(detail::is_metric_label_voxel<r_voxel> && detail::is_metric_label_voxel<p_voxel>,
                "spider_challenge_score(): a voxel type is not a label; specialise "
                "discgeom::voxel_traits with label() for it (docs/customisation.md)");
  static_assert(decltype(r)::rank() == 3 && decltype(p)::rank() == 3,
                "spider_challenge_score(): the volumes must have rank 3");
  constexpr const char* function = "spider_challenge_score";
  detail::check_same_shape(function, r.shape(), p.shape());
  geometry.validate(function);
  const vec3 spacing = options.spacing == challenge_spacing::as_released
                           ? vec3{geometry.spacing[2], geometry.spacing[1], geometry.spacing[0]}
                           : geometry.spacing;

  const label_pair_counts pairs = detail::count_label_pairs_kernel(function, r, p);
  const matching matches = match_structures(pairs, {.min_dice = detail::spider_challenge_min_dice});
  const auto reference_boxes = detail::label_boxes(function, "reference", r);
  const auto prediction_boxes = detail::label_boxes(function, "prediction", p);

  spider_challenge_scores result;
  std::vector<double> dice_vertebrae;
  std::vector<double> dice_discs;
  std::vector<double> dice_all;
  std::vector<double> asd_vertebrae;
  std::vector<double> asd_discs;
  std::vector<double> asd_all;
  std::size_t vertebrae = 0;
  std::size_t discs = 0;
  std::size_t missed_vertebrae = 0;
  std::size_t missed_discs = 0;
  result.dice_spinal_canal = detail::spider_challenge_no_canal;
  result.asd_spinal_canal = detail::spider_challenge_no_canal;
  for (const structure_match& match : matches.matches) {
    spider_challenge_label entry;
    entry.reference = match.reference;
    entry.prediction = match.prediction;
    entry.group = spider_challenge_group_of(match.reference);
    entry.reference_voxels = pairs.reference_voxels(match.reference);
    entry.overlap_voxels = match.overlap_voxels;
    entry.dice = match.dice;
    if (match.prediction != 0) {
      entry.prediction_voxels = pairs.prediction_voxels(match.prediction);
      entry.asd_mm = detail::spider_challenge_asd(
          r, match.reference, reference_boxes.at(match.reference), p, match.prediction,
          prediction_boxes.at(match.prediction), spacing, options.engine);
    }
    const bool missed = !match.detected;  // Dice < 0.1, or unmatched
    switch (entry.group) {
      case spider_challenge_group::vertebra:
        ++vertebrae;
        entry.missed = missed;
        missed_vertebrae += missed ? 1 : 0;
        if (!missed) {
          dice_vertebrae.push_back(entry.dice);
        }
        asd_vertebrae.push_back(entry.asd_mm);
        break;
      case spider_challenge_group::disc:
        ++discs;
        entry.missed = missed;
        missed_discs += missed ? 1 : 0;
        if (!missed) {
          dice_discs.push_back(entry.dice);
        }
        asd_discs.push_back(entry.asd_mm);
        break;
      case spider_challenge_group::spinal_canal:
        result.dice_spinal_canal = entry.dice;
        result.asd_spinal_canal = entry.asd_mm;
        break;
      case spider_challenge_group::other:
        break;
    }
    dice_all.push_back(entry.dice);
    asd_all.push_back(entry.asd_mm);
    result.labels.push_back(entry);
  }
  result.dice_vertebrae = detail::spider_challenge_mean(dice_vertebrae);
  result.dice_discs = detail::spider_challenge_mean(dice_discs);
  result.overall_dice = detail::spider_challenge_mean(dice_all);
  result.asd_vertebrae = detail::spider_challenge_mean(asd_vertebrae);
  result.asd_discs = detail::spider_challenge_mean(asd_discs);
  result.overall_asd = detail::spider_challenge_mean(asd_all);
  if (vertebrae > 0) {
    result.detection_rate_vertebrae =
        static_cast<double>(vertebrae - missed_vertebrae) / static_cast<double>(vertebrae);
  }
  if (discs > 0) {
    result.detection_rate_discs =
        static_cast<double>(discs - missed_discs) / static_cast<double>(discs);
  }
  result.status = vertebrae == 0 ? (discs == 0 ? spider_challenge_status::no_vertebrae_no_discs
                                               : spider_challenge_status::no_vertebrae)
                                 : (discs == 0 ? spider_challenge_status::no_discs
                                               : spider_challenge_status::ok);
  return result;
}

/// The challenge's aggregate over cases (what compute_metrics writes to metrics.json): per key,
/// the mean and the sample standard deviation (ddof 1) of the cases' values, NaN left out, as
/// pandas' DataFrame.mean() and .std() compute them. The 999 of a case without a canal is
/// averaged in, as by the challenge.
///
/// \returns one statistic per key, in spider_challenge_key order; mean NaN without any value,
///          sd NaN with fewer than two
/// Complexity: O(cases).
///
///   const auto summary = discgeom::summarise_spider_challenge(all_cases);
///   std::cout << to_string(summary[0].key) << ' ' << summary[0].mean << '\n';
[[nodiscard]] inline std::array<spider_challenge_statistic, 10> summarise_spider_challenge(
    std::span<const spider_challenge_scores> cases) {
  std::array<spider_challenge_statistic, 10> result{};
  for (std::size_t k = 0; k < result.size(); ++k) {
    const auto key = enum_names<spider_challenge_key>::table[k].value;
    spider_challenge_statistic& statistic = result[k];
    statistic.key = key;
    double sum = 0.0;
    for (const spider_challenge_scores& scores : cases) {
      if (!std::isnan(scores[key])) {
        sum += scores[key];
        ++statistic.n;
      }
    }
    if (statistic.n == 0) {
      continue;
    }
    const double n = static_cast<double>(statistic.n);
    statistic.mean = sum / n;
    if (statistic.n < 2) {
      continue;
    }
    double squares = 0.0;
    for (const spider_challenge_scores& scores : cases) {
      if (!std::isnan(scores[key])) {
        const double deviation = scores[key] - statistic.mean;
        squares += deviation * deviation;
      }
    }
    statistic.sd = std::sqrt(squares / (n - 1.0));
  }
  return result;
}

}  // namespace discgeom
