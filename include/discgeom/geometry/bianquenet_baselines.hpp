// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Where a disc's BianqueNet indices lie among BianqueNet's published population (Zheng et al.,
/// Nat. Commun. 13, 841 (2022), doi:10.1038/s41467-022-28387-5; the tables and constants of its
/// released code, geometry/bianquenet_baseline_data.hpp): percentile and z-score by level, sex
/// and age group, and BianqueNet's signal-intensity grade.
///
/// - DHI and HDR (their DWR) are ratios, and Delta SI is normalised by the CSF: comparable with
///   ours. DH is in pixels of BianqueNet's 512 x 512 images, whose pixel size is unknown: it is
///   not compared (empty, with the reason in the status).
/// - Sex: the population tables' folder 0 holds rows that say "female", folder 1 "male"; their
///   code's constants are named the other way round (DHI_male_mean matches folder 0) and applied
///   to sex 0. We follow the tables: F = folder 0, M = folder 1 (docs/geometry.md).
/// - Age groups 20-30, 30-40, 40-50, 50-60, 60-70, 70-90 years, read as [20, 30), ..., [60, 70),
///   [70, 90] (the tables do not say which side a boundary falls on). Delta SI's tables have no
///   sex: both sexes pooled.
/// - Percentile: piecewise linear between the tabulated 2.5th ... 97.5th percentiles of the group;
///   beyond them the normal tail of the group's mean and sd, 100 Phi(z), kept at most 2.5 (or at
///   least 97.5) so that it never crosses the tabulated end. z = (x - mean) / sd of the group.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "discgeom/enum_names.hpp"
#include "discgeom/geometry/bianquenet_baseline_data.hpp"

namespace discgeom {

/// The indices with BianqueNet baselines.
enum class bianquenet_metric {
  dh,        ///< disc height (baselines in pixels: not compared)
  dhi,       ///< disc height index
  hdr,       ///< height-to-width ratio (their DWR)
  delta_si,  ///< signal-intensity difference
};

template <>
struct enum_names<bianquenet_metric> {
  static constexpr std::array<enum_name<bianquenet_metric>, 4> table{{
      {bianquenet_metric::dh, "dh"},
      {bianquenet_metric::dhi, "dhi"},
      {bianquenet_metric::hdr, "hdr"},
      {bianquenet_metric::delta_si, "delta_si"},
  }};
};

enum class patient_sex { female, male };

template <>
struct enum_names<patient_sex> {
  static constexpr std::array<enum_name<patient_sex>, 2> table{
      {{patient_sex::female, "F"}, {patient_sex::male, "M"}}};
};

/// A value against its group of BianqueNet's population.
struct bianquenet_comparison {
  std::optional<double> percentile;  ///< 0-100
  std::optional<double> z;           ///< (x - mean) / sd
  std::string group;                 ///< "DHI L4/L5 F 40-50 (n 68)"; empty without one
  std::string status = "ok";         ///< ok, or why there is no comparison
};

/// The age group (0 = 20-30 ... 5 = 70-90) of an age in years, or nothing outside [20, 90].
[[nodiscard]] inline std::optional<std::size_t> bianquenet_age_group(double age) {
  if (!(age >= 20.0 && age <= 90.0))
    return std::nullopt;
  return age >= 70.0 ? std::size_t{5} : static_cast<std::size_t>((age - 20.0) / 10.0);
}

/// The level index (0 = L1/L2 ... 4 = L5/S1) of a level name, or nothing.
[[nodiscard]] inline std::optional<std::size_t> bianquenet_level_index(std::string_view level) {
  static constexpr std::array<std::string_view, 5> names{"L1/L2", "L2/L3", "L3/L4", "L4/L5",
                                                         "L5/S1"};
  for (std::size_t k = 0; k < names.size(); ++k)
    if (names[k] == level)
      return k;
  return std::nullopt;
}

namespace detail {

inline double normal_cdf(double z) {
  return 0.5 * std::erfc(-z / std::sqrt(2.0));
}

/// The percentile of x in a tabulated distribution (see the file comment).
inline double tabulated_percentile(double x, const bianquenet_data::distribution& d) {
  const auto& p = bianquenet_data::percentile_points;
  const auto& q = d.percentiles;
  const double tail = 100.0 * normal_cdf((x - d.mean) / d.sd);
  if (x < q.front())
    return std::min(p.front(), tail);
  if (x > q.back())
    return std::max(p.back(), tail);
  for (std::size_t i = 0; i + 1 < q.size(); ++i) {
    if (x <= q[i + 1]) {
      if (q[i + 1] == q[i])
        return (p[i] + p[i + 1]) / 2.0;
      return p[i] + (p[i + 1] - p[i]) * (x - q[i]) / (q[i + 1] - q[i]);
    }
  }
  return p.back();
}

}  // namespace detail

/// Percentile and z-score of `value` among BianqueNet's population of the same level, sex and
/// age group (Delta SI: both sexes). Statuses: "DH baselines are in pixels of unknown size",
/// "no baseline for level X" (BianqueNet has L1/L2 to L5/S1), "age outside 20-90", "not measured".
///   auto c = discgeom::compare_with_bianquenet(bianquenet_metric::dhi, "L4/L5", patient_sex::female, 45, 0.36);
[[nodiscard]] inline bianquenet_comparison compare_with_bianquenet(bianquenet_metric metric,
                                                                   std::string_view level,
                                                                   patient_sex s, double age,
                                                                   std::optional<double> value) {
  bianquenet_comparison out;
  if (metric == bianquenet_metric::dh) {
    out.status = "DH baselines are in pixels of unknown size";
    return out;
  }
  const auto k = bianquenet_level_index(level);
  if (!k) {
    out.status = "no baseline for level " + std::string(level.empty() ? "unknown" : level);
    return out;
  }
  const auto group = bianquenet_age_group(age);
  if (!group) {
    out.status = "age outside 20-90";
    return out;
  }
  const std::string_view name = metric == bianquenet_metric::dhi   ? "DHI"
                                : metric == bianquenet_metric::hdr ? "DWR"
                                                                   : "SI";
  const char sex_code = metric == bianquenet_metric::delta_si ? 'A'
                        : s == patient_sex::female            ? 'F'
                                                              : 'M';
  for (const auto& d : bianquenet_data::population) {
    if (d.metric != name || d.level != *k || d.sex != sex_code || d.age_group != *group)
      continue;
    out.group = std::string(name) + " " + std::string(level) + " " + sex_code + " " +
                std::string(bianquenet_data::age_groups[*group]) + " (n " + std::to_string(d.n) +
                ")";
    if (!value || !std::isfinite(*value)) {
      out.status = "not measured";
      return out;
    }
    out.z = (*value - d.mean) / d.sd;
    out.percentile = detail::tabulated_percentile(*value, d);
    return out;
  }
  out.status = "no baseline group";
  return out;
}

/// BianqueNet's signal-intensity grade (modified Pfirrmann 1, 2, 3, 4, 5 for 5-8) of a Delta SI,
/// as quantitative_analysis.py's signal_fenji decides it: above the grade-1 mean -> 1, below the
/// grade-5 mean -> 5, else of the two grades whose means are nearest, the one nearer in units of
/// its sd (ties: the nearest mean).
[[nodiscard]] inline int bianquenet_si_grade(double delta_si) {
  const auto& mean = bianquenet_data::constants[0].values;  // SI_mean
  const auto& sd = bianquenet_data::constants[1].values;    // SI_std
  if (delta_si > mean[0])
    return 1;
  if (delta_si < mean[4])
    return 5;
  std::array<double, 5> distance{};
  for (std::size_t g = 0; g < 5; ++g)
    distance[g] = std::fabs(delta_si - mean[g]);
  const auto first = static_cast<std::size_t>(std::min_element(distance.begin(), distance.end()) -
                                              distance.begin());
  distance[first] = 1000.0;
  const auto second = static_cast<std::size_t>(std::min_element(distance.begin(), distance.end()) -
                                               distance.begin());
  const double d = std::fabs(delta_si - mean[first]) / sd[first] -
                   std::fabs(delta_si - mean[second]) / sd[second];
  return static_cast<int>(d > 0.0 ? second : first) + 1;
}

}  // namespace discgeom
