// SPDX-License-Identifier: MIT
// discgeom.muscles: Hess et al.'s muscle cross-sections per axial slice, the table of
// `discgeom muscles` (examples/discgeom/muscles_command.hpp), from a numpy label map viewed in
// place.

#include <algorithm>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "arrays.hpp"
#include "discgeom/geometry/muscle_sections.hpp"
#include "rows/muscles.hpp"

namespace discgeom_python {

namespace {

using namespace discgeom;

std::vector<muscle_label> scheme_of(const py::object& scheme) {
  if (py::isinstance<py::str>(scheme)) {
    const auto name = scheme.cast<std::string>();
    if (name == "totalsegmentator-mr")
      return totalsegmentator_mr_muscles();
    if (name == "phantom")
      return phantom_muscles();
    throw py::value_error("muscles(): scheme '" + name +
                          "' must be totalsegmentator-mr, phantom, or a list of (label, muscle, "
                          "side) triples");
  }
  std::vector<muscle_label> labels;
  for (const auto& entry :
       scheme.cast<std::vector<std::tuple<std::int64_t, std::string, std::string>>>()) {
    const auto& [label, muscle, side] = entry;
    if (label == 0 || muscle.empty() || !(side.empty() || side == "L" || side == "R")) {
      throw py::value_error("muscles(): scheme entry (" + std::to_string(label) + ", '" + muscle +
                            "', '" + side +
                            "') must have a non-zero label, a muscle name and side L, R or ''");
    }
    labels.push_back({label, muscle, side.empty() ? '\0' : side.front()});
  }
  return labels;
}

py::tuple muscles(const py::array& labels, const py::object& geometry_object,
                  const py::object& scheme_object,
                  const std::vector<std::tuple<std::string, double, double, double>>& disc_rows) {
  const image_geometry geometry = geometry_of(geometry_object);
  geometry.validate("muscles");
  const auto scheme = scheme_of(scheme_object);
  std::vector<disc_position> discs;  // as read_disc_positions: rows with a level and a centroid
  for (const auto& [level, x, y, z] : disc_rows)
    if (!level.empty() && !std::isnan(x) && !std::isnan(y) && !std::isnan(z))
      discs.push_back({level, vec3{x, y, z}});
  std::vector<std::int64_t> wanted;
  for (const auto& m : scheme)
    wanted.push_back(m.label);

  std::vector<muscle_section> sections;
  std::array<std::size_t, 3> shape{};
  with_voxel_type(labels, "muscles", "labels", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const auto view = view_3d<const T>(labels, "muscles", "labels");
    shape = view.shape();
    if (const auto reason = not_axial_reason(geometry, shape))
      throw precondition_error("muscles(): " + *reason);
    // Every view is taken while the GIL is held.
    [[maybe_unused]] const auto labels_view = label_view<T>(labels, "muscles", "labels");
    py::gil_scoped_release release;
    if constexpr (std::is_floating_point_v<T>)
      check_whole_labels(labels_view, "muscles", "labels");
    sections = muscle_sections(view, geometry, wanted);
  });

  const auto swapped = swapped_sides(sections, scheme);
  std::size_t outside = 0;
  for (const auto& d : discs)
    outside += inside_image(geometry, shape, d.centroid_mm) ? 0 : 1;
  table t{rows::muscles_columns(),
          rows::muscle_rows(sections, scheme, swapped, geometry, shape, discs)};
  if (sections.empty())
    t.rows.push_back(rows::status_row(t.columns, "no muscles"));
  py::list warnings;
  for (const auto& muscle : swapped)
    warnings.append(muscle +
                    ": the left label lies to the patient's right of the right label: "
                    "left and right swapped in the labels or the header");
  if (outside > 0)
    warnings.append(std::to_string(outside) + " of " + std::to_string(discs.size()) +
                    " disc centroids lie outside the image: is the discs table from another "
                    "patient space?");
  return py::make_tuple(to_columns(t), warnings);
}

}  // namespace

void register_muscles(py::module_& m) {
  m.def("muscles", &muscles, py::arg("labels"), py::arg("geometry"), py::arg("scheme"),
        py::arg("discs"),
        "(table of `discgeom muscles`, warnings): muscle cross-sections per axial slice.");
}

}  // namespace discgeom_python
