// SPDX-License-Identifier: MIT
// discgeom.shape: the IBSI / pyradiomics shape table of `discgeom shape`
// (examples/discgeom/shape_command.hpp), 3D or 2D, from a numpy label map viewed in place.

#include <string>
#include <vector>

#include "arrays.hpp"
#include "discgeom/geometry/shape_features.hpp"
#include "rows/shape.hpp"

namespace discgeom_python {

namespace {

using namespace discgeom;

py::dict shape(const py::array& labels, const py::object& geometry_object,
               const std::vector<std::int64_t>& wanted, const std::string& dimensions) {
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    if (wanted[i] == 0)
      throw py::value_error("shape(): labels: 0 is not a label (a non-zero whole number)");
    for (std::size_t j = 0; j < i; ++j)
      if (wanted[j] == wanted[i])
        throw py::value_error("shape(): labels: label " + std::to_string(wanted[i]) +
                              " is given twice");
  }
  if (dimensions != "auto" && dimensions != "2d" && dimensions != "3d")
    throw py::value_error("shape(): dimensions '" + dimensions + "' must be auto, 2d or 3d");
  const image_geometry geometry = geometry_of(geometry_object);
  const shape_options options{.labels = wanted};
  table t;
  with_voxel_type(labels, "shape", "labels", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const auto view = label_view<T>(labels, "shape", "labels");
    const auto extents = view.shape();
    const bool one_slice = extents[0] == 1 || extents[1] == 1 || extents[2] == 1;
    if (dimensions == "2d" && !one_slice)
      throw py::value_error(
          "shape(): dimensions='2d' needs a 2D array or a volume of one slice; this one is " +
          std::to_string(extents[0]) + "x" + std::to_string(extents[1]) + "x" +
          std::to_string(extents[2]));
    const bool planar = dimensions == "2d" || (dimensions == "auto" && one_slice);
    t.columns = planar ? rows::shape_columns_2d() : rows::shape_columns_3d();
    py::gil_scoped_release release;
    if constexpr (std::is_floating_point_v<T>)
      check_whole_labels(view, "shape", "labels");
    if (planar) {
      for (const auto& f : label_shapes_2d(view, geometry, options))
        t.rows.push_back(rows::shape_row(f));
    } else {
      for (const auto& f : label_shapes_3d(view, geometry, options))
        t.rows.push_back(rows::shape_row(f));
    }
  });
  if (t.rows.empty())  // as the program: a row saying so
    t.rows.push_back(rows::status_row(t.columns, "no labels"));
  return to_columns(t);
}

}  // namespace

void register_shape(py::module_& m) {
  m.def("shape", &shape, py::arg("labels"), py::arg("geometry"), py::arg("wanted"),
        py::arg("dimensions"),
        "The shape table of `discgeom shape`: IBSI / pyradiomics features of every label.");
}

}  // namespace discgeom_python
