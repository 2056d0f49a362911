// SPDX-License-Identifier: MIT
// discgeom.shape: the IBSI / pyradiomics shape table of `discgeom shape`
// (examples/discgeom/shape_command.hpp), 3D or 2D, from a numpy label map viewed in place.

#include <string>
#include <vector>

#include "arrays.hpp"
#include "discgeom/geometry/shape_features.hpp"

namespace discgeom_python {

namespace {

using namespace discgeom;

const std::vector<std::string> columns_3d{"label",
                                          "VoxelVolume",
                                          "MeshVolume",
                                          "SurfaceArea",
                                          "SurfaceVolumeRatio",
                                          "Sphericity",
                                          "Maximum3DDiameter",
                                          "MajorAxisLength",
                                          "MinorAxisLength",
                                          "LeastAxisLength",
                                          "Elongation",
                                          "Flatness",
                                          "status",
                                          "Compactness1",
                                          "Compactness2",
                                          "SphericalDisproportion",
                                          "Maximum2DDiameterSlice",
                                          "Maximum2DDiameterColumn",
                                          "Maximum2DDiameterRow",
                                          "MajorAxisLengthIBSI",
                                          "MinorAxisLengthIBSI",
                                          "LeastAxisLengthIBSI",
                                          "voxels"};

const std::vector<std::string> columns_2d{"label",
                                          "PixelSurface",
                                          "MeshSurface",
                                          "Perimeter",
                                          "PerimeterSurfaceRatio",
                                          "Sphericity",
                                          "MaximumDiameter",
                                          "MajorAxisLength",
                                          "MinorAxisLength",
                                          "Elongation",
                                          "status",
                                          "SphericalDisproportion",
                                          "MajorAxisLengthIBSI",
                                          "MinorAxisLengthIBSI",
                                          "pixels"};

std::vector<cell> row_of(const shape_features_3d& f) {
  return {number(static_cast<double>(f.label)),
          number(f.voxel_volume_mm3),
          number(f.mesh_volume_mm3),
          number(f.surface_area_mm2),
          number(f.surface_volume_ratio_per_mm),
          number(f.sphericity),
          number(f.maximum_3d_diameter_mm),
          number(f.major_axis_length_mm),
          number(f.minor_axis_length_mm),
          number(f.least_axis_length_mm),
          number(f.elongation),
          number(f.flatness),
          text(f.status),
          number(f.compactness1),
          number(f.compactness2),
          number(f.spherical_disproportion),
          number(f.maximum_2d_diameter_slice_mm),
          number(f.maximum_2d_diameter_column_mm),
          number(f.maximum_2d_diameter_row_mm),
          number(f.major_axis_length_ibsi_mm),
          number(f.minor_axis_length_ibsi_mm),
          number(f.least_axis_length_ibsi_mm),
          count(f.voxels)};
}

std::vector<cell> row_of(const shape_features_2d& f) {
  return {number(static_cast<double>(f.label)),
          number(f.pixel_surface_mm2),
          number(f.mesh_surface_mm2),
          number(f.perimeter_mm),
          number(f.perimeter_surface_ratio_per_mm),
          number(f.sphericity),
          number(f.maximum_diameter_mm),
          number(f.major_axis_length_mm),
          number(f.minor_axis_length_mm),
          number(f.elongation),
          text(f.status),
          number(f.spherical_disproportion),
          number(f.major_axis_length_ibsi_mm),
          number(f.minor_axis_length_ibsi_mm),
          count(f.pixels)};
}

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
    t.columns = planar ? columns_2d : columns_3d;
    py::gil_scoped_release release;
    if constexpr (std::is_floating_point_v<T>)
      check_whole_labels(view, "shape", "labels");
    if (planar) {
      for (const auto& f : label_shapes_2d(view, geometry, options))
        t.rows.push_back(row_of(f));
    } else {
      for (const auto& f : label_shapes_3d(view, geometry, options))
        t.rows.push_back(row_of(f));
    }
  });
  if (t.rows.empty()) {  // as the program: a row saying so
    std::vector<cell> row(t.columns.size());
    for (std::size_t c = 0; c < row.size(); ++c)
      if (t.columns[c] == "status")
        row[c] = text("no labels");
    t.rows.push_back(std::move(row));
  }
  return to_columns(t);
}

}  // namespace

void register_shape(py::module_& m) {
  m.def("shape", &shape, py::arg("labels"), py::arg("geometry"), py::arg("wanted"),
        py::arg("dimensions"),
        "The shape table of `discgeom shape`: IBSI / pyradiomics features of every label.");
}

}  // namespace discgeom_python
