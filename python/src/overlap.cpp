// SPDX-License-Identifier: MIT
// discgeom.overlap: the table of `discgeom overlap` for one pair (every --convention, the
// SPIDER challenge's scores included; examples/discgeom/overlap_command.hpp), from two numpy
// label maps viewed in place.

#include <new>
#include <optional>
#include <string>
#include <vector>

#include "arrays.hpp"
#include "discgeom/enum_names.hpp"
#include "discgeom/metrics/evaluate.hpp"
#include "discgeom/metrics/matching.hpp"
#include "discgeom/metrics/spider_challenge.hpp"
#include "rows/overlap.hpp"

namespace discgeom_python {

namespace {

using namespace discgeom;

/// The settings of one call, as `discgeom overlap`'s options.
struct overlap_request {
  metric_convention convention = metric_convention::discgeom;
  std::vector<label_value> labels;
  std::optional<double> tolerance_mm;
  std::optional<double> percentile;
  bool match = false;
  std::optional<double> min_dice;
  std::optional<challenge_spacing> spacing;
};

/// Checks the rules between the settings, as check_overlap_settings. \throws py::value_error
void check(const overlap_request& r) {
  const bool challenge = r.convention == metric_convention::spider_challenge;
  if (r.spacing && !challenge)
    throw py::value_error(
        "overlap(): challenge_spacing applies only with convention='spider-challenge'");
  if (!challenge)
    return;
  for (const auto& [given, name] :
       {std::pair{!r.labels.empty(), "labels"}, std::pair{r.match, "match"},
        std::pair{r.min_dice.has_value(), "min_dice"}}) {
    if (given) {
      throw py::value_error(std::string("overlap(): ") + name +
                            " does not apply with convention='spider-challenge' (the challenge "
                            "scores every reference label)");
    }
  }
}

template <class T>
table score(const volume_view<const T, 3>& reference, const volume_view<const T, 3>& prediction,
            const image_geometry& geometry, const overlap_request& r) {
  if (r.convention == metric_convention::spider_challenge) {
    const auto scores =
        spider_challenge_score(reference, prediction, geometry,
                               {.spacing = r.spacing.value_or(challenge_spacing::corrected)});
    return table{rows::spider_challenge_columns(), {rows::spider_challenge_row(scores)}};
  }
  evaluation_options options = conventions_of(r.convention);
  options.labels = r.labels;
  if (r.tolerance_mm)
    options.surface.tolerance_mm = *r.tolerance_mm;
  if (r.percentile)
    options.surface.percentile = *r.percentile;
  const bool with_match = r.match || r.min_dice.has_value();
  match_options matching_options;
  if (r.min_dice)
    matching_options.min_dice = *r.min_dice;

  const auto pairs = count_label_pairs(reference, prediction);
  const auto evaluations = evaluate_segmentation(pairs, reference, prediction, geometry, options);
  std::optional<matching> matches;
  if (with_match)
    matches = match_structures(pairs, matching_options);
  table t{rows::overlap_columns(), {}};
  if (with_match)
    t.columns.insert(t.columns.end(), rows::overlap_match_columns().begin(),
                     rows::overlap_match_columns().end());
  for (const auto& record : rows::overlap_records(evaluations, matches))
    t.rows.push_back(rows::overlap_row(record, with_match));
  return t;
}

py::dict overlap(const py::array& reference, const py::array& prediction,
                 const py::object& geometry_object, const std::string& convention,
                 const std::vector<std::int64_t>& labels, std::optional<double> tolerance_mm,
                 std::optional<double> percentile, bool match, std::optional<double> min_dice,
                 const std::optional<std::string>& spacing) {
  overlap_request r;
  r.convention = parse_enum<metric_convention>(convention, "overlap", "convention");
  for (const auto label : labels) {
    if (label < 1 || label > 4294967295LL) {
      throw py::value_error("overlap(): labels: " + std::to_string(label) +
                            " is not a label (a whole number in [1, 4294967295])");
    }
    r.labels.push_back(static_cast<label_value>(label));
  }
  r.tolerance_mm = tolerance_mm;
  r.percentile = percentile;
  r.match = match;
  r.min_dice = min_dice;
  if (spacing)
    r.spacing = parse_enum<challenge_spacing>(*spacing, "overlap", "challenge_spacing");
  check(r);
  if (tolerance_mm && !(*tolerance_mm >= 0.0 && *tolerance_mm < 1e300))
    throw py::value_error("overlap(): tolerance_mm must be finite and >= 0, got " +
                          std::to_string(*tolerance_mm));
  if (percentile && !(*percentile >= 0.0 && *percentile <= 100.0))
    throw py::value_error("overlap(): percentile must be in [0, 100], got " +
                          std::to_string(*percentile));
  if (min_dice && !(*min_dice >= 0.0 && *min_dice <= 1.0))
    throw py::value_error("overlap(): min_dice must be in [0, 1], got " +
                          std::to_string(*min_dice));
  const image_geometry geometry = geometry_of(geometry_object);
  if (!reference.dtype().equal(prediction.dtype())) {
    throw py::value_error(
        "overlap(): reference has dtype " + dtype_name(reference) + " and prediction " +
        dtype_name(prediction) +
        "; discgeom views arrays without copying them, so give both the same dtype (e.g. "
        "prediction.astype(reference.dtype))");
  }
  table result;
  with_voxel_type(reference, "overlap", "reference", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const auto r_view = view_3d<const T>(reference, "overlap", "reference");
    const auto p_view = view_3d<const T>(prediction, "overlap", "prediction");
    if (reference.ndim() != prediction.ndim()) {
      throw py::value_error("overlap(): reference has " + std::to_string(reference.ndim()) +
                            " dimensions and prediction " + std::to_string(prediction.ndim()));
    }
    py::gil_scoped_release release;
    result = score(r_view, p_view, geometry, r);
  });
  return to_columns(result);
}

}  // namespace

void register_overlap(py::module_& m) {
  m.def("overlap", &overlap, py::arg("reference"), py::arg("prediction"), py::arg("geometry"),
        py::arg("convention"), py::arg("labels"), py::arg("tolerance_mm"), py::arg("percentile"),
        py::arg("match"), py::arg("min_dice"), py::arg("challenge_spacing"),
        "The table of `discgeom overlap` for one reference and prediction.");
}

}  // namespace discgeom_python
