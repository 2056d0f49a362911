// SPDX-License-Identifier: MIT
#pragma once
// The table of BianqueNet's disc indices, `discgeom indices` (docs/cli.md) and discgeom.indices
// (docs/python.md): its columns and the row of each disc, with the comparison with BianqueNet's
// baselines when the patient's age and sex are given. The program puts a "case" column in front
// (cli::case_columns, cli::case_row); the module returns them as they are.

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cells.hpp"
#include "discgeom/enum_names.hpp"
#include "discgeom/geometry/bianquenet.hpp"
#include "discgeom/geometry/bianquenet_baselines.hpp"

namespace discgeom::rows {

/// A patient's age (years) and sex, for the comparison with BianqueNet's baselines.
struct demographics {
  double age = 0.0;
  patient_sex sex = patient_sex::female;
};

/// The columns: the contract's (mm), BianqueNet's own numbers in pixels of the slice's grid and
/// more of its steps; with_demographics: the age, the sex, each index's percentile and z-score
/// against the baselines (compare_with_bianquenet), and the baselines' status.
inline std::vector<std::string> indices_columns(bool with_demographics) {
  std::vector<std::string> columns{"level",       "label",       "slice",         "dh_mm",
                                   "hv_above_mm", "hv_below_mm", "dhi",           "hdr",
                                   "ap_width_mm", "delta_si",    "status",        "mid_width_mm",
                                   "dh_px",       "hv_above_px", "hv_below_px",   "dhi_px",
                                   "hdr_px",      "ap_width_px", "mid_width_px",  "central_pixels",
                                   "si_disc",     "si_grade",    "reference_mode"};
  if (with_demographics) {
    for (const char* c :
         {"age", "sex", "dh_percentile", "dh_z", "dhi_percentile", "dhi_z", "hdr_percentile",
          "hdr_z", "delta_si_percentile", "delta_si_z", "baseline_status"})
      columns.push_back(c);
  }
  return columns;
}

/// The row of one disc, in indices_columns(with_demographics)'s order. With demographics and
/// without `who`, the demographic cells are missing and baseline_status says so; the baselines'
/// status joins the distinct reasons of DHI, HDR and delta SI ("ok" when none).
inline row indices_row(const bianquenet_indices& r, bool with_demographics,
                       const std::optional<demographics>& who) {
  const auto& d = r.disc;
  row out{text(r.level), number(static_cast<double>(r.label)), r.slice ? count(*r.slice) : cell{}};
  for (const auto& value :
       {d.dh_mm, r.above.hv_mm, r.below.hv_mm, d.dhi, d.hdr, d.full_width_mm, d.delta_si})
    out.push_back(number(value));
  out.push_back(text(r.status));
  for (const auto& value : {d.mid_width_mm, d.dh_px, r.above.hv_px, r.below.hv_px, d.dhi_px,
                            d.hdr_px, d.full_width_px, d.mid_width_px})
    out.push_back(number(value));
  out.push_back(d.cut ? count(d.central_pixels) : cell{});
  out.push_back(d.si_disc ? number(static_cast<double>(*d.si_disc)) : cell{});
  out.push_back(d.delta_si ? number(static_cast<double>(bianquenet_si_grade(*d.delta_si)))
                           : cell{});
  out.push_back(r.reference ? number(static_cast<double>(r.reference->mode)) : cell{});
  if (!with_demographics)
    return out;
  if (!who) {
    out.insert(out.end(), 10, cell{});
    out.push_back(text("no demographics for the case"));
    return out;
  }
  out.push_back(number(who->age));
  out.push_back(text(std::string(to_string(who->sex))));
  std::vector<std::string> reasons;
  for (const auto& [metric, value] :
       std::vector<std::pair<bianquenet_metric, std::optional<double>>>{
           {bianquenet_metric::dh, d.dh_mm},
           {bianquenet_metric::dhi, d.dhi},
           {bianquenet_metric::hdr, d.hdr},
           {bianquenet_metric::delta_si, d.delta_si}}) {
    const auto c = compare_with_bianquenet(metric, r.level, who->sex, who->age, value);
    out.push_back(number(c.percentile));
    out.push_back(number(c.z));
    if (metric != bianquenet_metric::dh && c.status != "ok" && c.status != "not measured" &&
        std::find(reasons.begin(), reasons.end(), c.status) == reasons.end())
      reasons.push_back(c.status);
  }
  std::string joined = reasons.empty() ? "ok" : reasons.front();
  for (std::size_t k = 1; k < reasons.size(); ++k)
    joined += "; " + reasons[k];
  out.push_back(text(joined));
  return out;
}

}  // namespace discgeom::rows
