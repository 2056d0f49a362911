// SPDX-License-Identifier: MIT
// discgeom.discs: the per-disc table of `discgeom discs` (examples/discgeom/discs_command.hpp),
// its columns and values, from a numpy label map viewed in place.

#include <cstdio>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "arrays.hpp"
#include "discgeom/enum_names.hpp"
#include "discgeom/geometry/disc_measures.hpp"
#include "discgeom/geometry/perrone.hpp"
#include "discgeom/geometry/plausibility.hpp"
#include "discgeom/image.hpp"
#include "rows/discs.hpp"

namespace discgeom_python {

namespace {

using namespace discgeom;

disc_label_scheme scheme_of(const std::string& name) {
  if (name == "spider")
    return disc_label_scheme::spider;
  if (name == "ordinal")
    return disc_label_scheme::ordinal;
  if (name == "components")
    return disc_label_scheme::components;
  throw py::value_error("discs(): scheme '" + name + "' must be spider, ordinal or components");
}

/// The program's warning of an implausible spacing, in the module's words; empty when plausible.
std::string spacing_warning(const spacing_advice& advice, const image_geometry& geometry) {
  if (advice.plausible)
    return {};
  const auto short_number = [](double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.7g", v);
    return std::string(b);
  };
  std::ostringstream out;
  out << "implausible spacing " << short_number(geometry.spacing[0]) << ","
      << short_number(geometry.spacing[1]) << "," << short_number(geometry.spacing[2]) << ": "
      << advice.reason;
  if (advice.spacing)
    out << "; try spacing=(" << short_number((*advice.spacing)[0]) << ", "
        << short_number((*advice.spacing)[1]) << ", " << short_number((*advice.spacing)[2]) << ")";
  if (advice.orientation)
    out << "; the axes look like orientation " << *advice.orientation << " ("
        << advice.orientation_basis << ")";
  return out.str();
}

py::tuple discs(const py::array& labels, const py::object& geometry_object,
                const std::string& convention, const std::string& scheme,
                const std::string& lowest_level, const std::optional<std::size_t>& min_voxels,
                bool largest_component) {
  const bool perrone = convention == "perrone";
  if (!perrone && convention != "discgeom")
    throw py::value_error("discs(): convention '" + convention + "' must be discgeom or perrone");
  if (perrone && largest_component) {
    throw py::value_error(
        "discs(): largest_component does not apply to convention='perrone' (its row is already "
        "the disc's largest 26-connected blob in the resampled grid)");
  }
  disc_table_options options;
  options.scheme = scheme_of(scheme);
  options.lowest_level = lowest_level;
  options.min_voxels = min_voxels;
  options.largest_component = largest_component;
  const image_geometry geometry = geometry_of(geometry_object);

  table result{perrone ? rows::perrone_discs_columns() : rows::discs_columns(largest_component),
               {}};
  std::string warning;
  with_voxel_type(labels, "discs", "labels", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const auto view = label_view<T>(labels, "discs", "labels");
    py::gil_scoped_release release;
    if constexpr (std::is_floating_point_v<T>)
      check_whole_labels(view, "discs", "labels");
    const auto found = find_discs(view, geometry, options);
    const auto measured = measure_found_discs(found, options);
    if (measured.empty()) {
      result.rows.push_back(rows::status_row(result.columns, "no discs"));  // as the program
    } else if (perrone) {
      result.rows = rows::perrone_disc_rows(view.shape(), geometry, found, options.scheme);
    } else {
      for (const auto& d : measured)
        result.rows.push_back(rows::disc_row(d, largest_component));
    }
    spine_landmarks landmarks;  // as the program: the canal tells posterior from anterior
    if (options.scheme == disc_label_scheme::spider)
      landmarks.canal_centroid_mm = rows::label_centroid_mm(view, geometry, 100);
    warning = spacing_warning(check_disc_spacing(measured, view.shape(), geometry, {}, landmarks),
                              geometry);
  });
  return py::make_tuple(to_columns(result), warning);
}

}  // namespace

void register_discs(py::module_& m) {
  m.def("discs", &discs, py::arg("labels"), py::arg("geometry"), py::arg("convention"),
        py::arg("scheme"), py::arg("lowest_level"), py::arg("min_voxels"),
        py::arg("largest_component"),
        "(discs table of `discgeom discs`, one row per disc, lowest first; the program's "
        "warning of an implausible spacing, or '').");
}

}  // namespace discgeom_python
