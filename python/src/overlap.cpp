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

namespace discgeom_python {

namespace {

using namespace discgeom;

/// The columns of `discgeom overlap` for one pair (overlap_columns in the program).
const std::vector<std::string> per_label_columns{"label",
                                                 "reference_voxels",
                                                 "prediction_voxels",
                                                 "tp",
                                                 "fp",
                                                 "fn",
                                                 "dice",
                                                 "iou",
                                                 "precision",
                                                 "recall",
                                                 "hd_mm",
                                                 "hd95_mm",
                                                 "assd_mm",
                                                 "masd_mm",
                                                 "nsd",
                                                 "status"};

std::vector<cell> overlap_row(const label_evaluation& e, const std::optional<structure_match>& m,
                              bool with_match) {
  const auto& c = e.overlap.counts;
  std::vector<cell> row{count(e.label),
                        count(c.reference_voxels()),
                        count(c.prediction_voxels()),
                        count(c.tp),
                        count(c.fp),
                        count(c.fn),
                        number(e.overlap.dice),
                        number(e.overlap.iou),
                        number(e.overlap.precision),
                        number(e.overlap.recall),
                        number(e.surface.hausdorff_mm),
                        number(e.surface.hausdorff_percentile_mm),
                        number(e.surface.assd_mm),
                        number(e.surface.masd_mm),
                        number(e.surface.nsd),
                        text(std::string(to_string(e.overlap.status)))};
  if (with_match) {
    if (m) {
      row.push_back(m->prediction == 0 ? cell{} : count(m->prediction));
      row.push_back(number(m->dice));
      row.push_back(number(m->detected ? 1.0 : 0.0));
    } else {
      row.insert(row.end(), 3, cell{});
    }
  }
  return row;
}

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
    table t;
    std::vector<cell> row;
    for (const auto& key : enum_names<spider_challenge_key>::table) {
      t.columns.emplace_back(key.name);
      row.push_back(number(scores[key.value]));
    }
    t.columns.emplace_back("status");
    row.push_back(text(std::string(to_string(scores.status))));
    t.rows.push_back(std::move(row));
    return t;
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
  table t{per_label_columns, {}};
  if (with_match)
    t.columns.insert(t.columns.end(), {"matched_label", "matched_dice", "detected"});
  for (const auto& e : evaluations) {
    std::optional<structure_match> found;
    if (matches)
      for (const auto& m : matches->matches)
        if (m.reference == e.label)
          found = m;
    t.rows.push_back(overlap_row(e, found, with_match));
  }
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
