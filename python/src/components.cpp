// SPDX-License-Identifier: MIT
// discgeom.connected_components, the clean-ups (keep_largest_component,
// remove_small_components, fill_holes) and the one-step post-processing (postprocess) on numpy
// label maps viewed in place (discgeom/mask/connected_components.hpp, discgeom/mask/cleanup.hpp,
// discgeom/mask/postprocess.hpp).

#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <utility>

#include "arrays.hpp"
#include "discgeom/mask/cleanup.hpp"
#include "discgeom/mask/connected_components.hpp"
#include "discgeom/mask/postprocess.hpp"

namespace discgeom_python {

namespace {

using namespace discgeom;

connectivity3 connectivity_of(int connectivity, py::ssize_t ndim, const char* function) {
  switch (connectivity) {
    case 6:
      return connectivity3::faces;
    case 18:
      return connectivity3::edges;
    case 26:
      return connectivity3::corners;
    case 4:  // in a one-slice volume, faces are the slice's edges
      if (ndim == 2)
        return connectivity3::faces;
      break;
    case 8:  // and edges its edges and corners
      if (ndim == 2)
        return connectivity3::edges;
      break;
    default:
      break;
  }
  throw py::value_error(std::string(function) + "(): connectivity " + std::to_string(connectivity) +
                        " must be " +
                        (ndim == 2 ? "4 or 8 for a 2D slice" : "6, 18 or 26 for a 3D volume"));
}

/// `value` (a Python int or float) as a voxel of type T, exactly. Integers are compared with
/// T's range as Python integers, so 2**53 + 1 is neither rounded through a double nor cast out
/// of range. \throws py::value_error when T cannot hold the value exactly
template <class T>
T voxel_value(const py::object& value, const char* function, const char* argument) {
  const auto refuse = [&]() -> T {
    throw py::value_error(std::string(function) + "(): " + argument + " " +
                          py::repr(value).cast<std::string>() +
                          " is not a value of the array's dtype");
  };
  // numpy's scalars: integers through __index__, floats through __float__.
  py::object number = value;
  if (!py::isinstance<py::int_>(number) && !py::isinstance<py::float_>(number)) {
    if (PyObject* index = PyNumber_Index(value.ptr()))
      number = py::reinterpret_steal<py::object>(index);
    else if (PyErr_Clear(), py::hasattr(value, "__float__") && !py::isinstance<py::str>(value))
      number = py::float_(value);
    else
      return refuse();
  }
  if (py::isinstance<py::float_>(number)) {
    const double d = number.cast<double>();
    if constexpr (std::is_floating_point_v<T>) {
      const T voxel = static_cast<T>(d);
      return std::isfinite(d) && static_cast<double>(voxel) == d ? voxel : refuse();
    } else if (!std::isfinite(d) || std::floor(d) != d) {
      return refuse();
    }
  }
  const py::int_ whole(number);  // a whole float as a Python int
  if constexpr (std::is_floating_point_v<T>) {
    const T voxel = whole.cast<T>();
    return py::int_(py::float_(static_cast<double>(voxel))).equal(whole) ? voxel : refuse();
  } else if constexpr (std::is_same_v<T, bool>) {
    return whole.equal(py::int_(0)) ? false : whole.equal(py::int_(1)) ? true : refuse();
  } else {
    if (whole < py::int_(std::numeric_limits<T>::min()) ||
        whole > py::int_(std::numeric_limits<T>::max()))
      return refuse();
    return whole.cast<T>();
  }
}

py::dict report_of(const cleanup_report& report) {
  py::dict d;
  d["components_removed"] = report.components_removed;
  d["voxels_changed"] = report.voxels_changed;
  return d;
}

py::tuple components(const py::array& labels, const py::object& geometry_object, int connectivity) {
  const auto c = connectivity_of(connectivity, labels.ndim(), "connected_components");
  const image_geometry geometry = geometry_of(geometry_object);
  auto result = std::make_unique<connected_components_result>();
  with_voxel_type(labels, "connected_components", "labels", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const auto view = label_view<T>(labels, "connected_components", "labels");
    py::gil_scoped_release release;
    if constexpr (std::is_floating_point_v<T>)
      check_whole_labels(view, "connected_components", "labels");
    *result = connected_components(view, geometry, c);
  });

  table t{{"id", "label", "voxels", "volume_mm3", "centroid_x_mm", "centroid_y_mm", "centroid_z_mm",
           "lower_i", "lower_j", "lower_k", "upper_i", "upper_j", "upper_k"},
          {}};
  for (const auto& s : result->components) {
    const vec3 centroid = geometry.index_to_physical(s.centroid_index);
    std::vector<cell> row{count(s.id),         number(static_cast<double>(s.label)),
                          count(s.voxels),     number(s.volume_mm3),
                          number(centroid[0]), number(centroid[1]),
                          number(centroid[2])};
    for (const auto& bound : {s.lower, s.upper})
      for (std::size_t axis = 0; axis < 3; ++axis)
        row.push_back(count(bound[axis]));
    t.rows.push_back(std::move(row));
  }
  py::dict columns = to_columns(t);

  // The ids, column-major as computed, handed to numpy without a copy: the array owns them.
  auto* ids =
      new xt::xtensor<std::uint32_t, 3, xt::layout_type::column_major>(std::move(result->ids));
  py::capsule owner(ids, [](void* p) {
    delete static_cast<xt::xtensor<std::uint32_t, 3, xt::layout_type::column_major>*>(p);
  });
  const auto item = static_cast<py::ssize_t>(sizeof(std::uint32_t));
  const auto n0 = static_cast<py::ssize_t>(ids->shape(0));
  const auto n1 = static_cast<py::ssize_t>(ids->shape(1));
  const auto n2 = static_cast<py::ssize_t>(ids->shape(2));
  py::array out = labels.ndim() == 2
                      ? py::array_t<std::uint32_t>({n0, n1}, {item, item * n0}, ids->data(), owner)
                      : py::array_t<std::uint32_t>({n0, n1, n2}, {item, item * n0, item * n0 * n1},
                                                   ids->data(), owner);
  return py::make_tuple(out, columns);
}

/// Runs a component clean-up in place: `clean(view, geometry, connectivity, fill)` on the labels
/// viewed as writable label voxels (float labels checked to be whole), `background` the fill.
template <class Clean>
py::dict clean_components(const char* function, const py::array& labels,
                          const py::object& geometry_object, int connectivity,
                          const py::object& background, Clean&& clean) {
  const auto c = connectivity_of(connectivity, labels.ndim(), function);
  const image_geometry geometry = geometry_of(geometry_object);
  cleanup_report report;
  with_voxel_type(labels, function, "labels", [&](auto tag) {
    using T = typename decltype(tag)::type;
    using V = label_voxel_of<T>;
    const auto view = view_3d<V>(labels, function, "labels");
    const V fill{voxel_value<T>(background, function, "background")};
    py::gil_scoped_release release;
    if constexpr (std::is_floating_point_v<T>)
      check_whole_labels(volume_view<const V, 3>(view), function, "labels");
    report = clean(view, geometry, c, fill);
  });
  return report_of(report);
}

py::dict keep_largest(const py::array& labels, const py::object& geometry_object, int connectivity,
                      const py::object& background) {
  return clean_components("keep_largest_component", labels, geometry_object, connectivity,
                          background,
                          [](const auto& view, const auto& geometry, auto c, auto fill) {
                            return keep_largest_component(view, geometry, c, fill);
                          });
}

py::dict remove_small(const py::array& labels, const py::object& geometry_object,
                      std::size_t min_voxels, double min_volume_mm3, int connectivity,
                      const py::object& background) {
  return clean_components(
      "remove_small_components", labels, geometry_object, connectivity, background,
      [&](const auto& view, const auto& geometry, auto c, auto fill) {
        return remove_small_components(
            view, geometry, {.voxels = min_voxels, .volume_mm3 = min_volume_mm3}, c, fill);
      });
}

py::dict fill(const py::array& mask, const py::object& value, std::optional<std::size_t> axis) {
  cleanup_report report;
  with_voxel_type(mask, "fill_holes", "mask", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const auto view = view_3d<T>(mask, "fill_holes", "mask");
    const T fill_value = voxel_value<T>(value, "fill_holes", "fill");
    if (axis && *axis >= static_cast<std::size_t>(mask.ndim()))
      throw py::value_error("fill_holes(): axis " + std::to_string(*axis) +
                            " is not an axis of a " + std::to_string(mask.ndim()) + "D array");
    py::gil_scoped_release release;
    report = axis ? fill_holes_slicewise(view, *axis, fill_value) : fill_holes(view, fill_value);
  });
  return report_of(report);
}

/// The plane named `name`: sagittal, coronal, or transverse (also "axial").
anatomical_plane plane_of(const std::string& name) {
  if (name == "sagittal")
    return anatomical_plane::sagittal;
  if (name == "coronal")
    return anatomical_plane::coronal;
  if (name == "transverse" || name == "axial")
    return anatomical_plane::transverse;
  throw py::value_error("postprocess(): hole_plane '" + name +
                        "' is not sagittal, coronal, transverse or axial");
}

/// postprocess_labels on the labels in place; integer (and bool) dtypes only, as the C++ step.
py::dict postprocess(const py::array& labels, const py::object& geometry_object,
                     double smoothing_radius_mm, const std::string& holes,
                     const std::string& hole_plane, bool keep_largest, int connectivity) {
  constexpr const char* function = "postprocess";
  postprocess_settings settings;
  settings.smoothing_radius_mm = smoothing_radius_mm;
  settings.holes = parse_enum<hole_filling>(holes, function, "holes");
  settings.hole_plane = plane_of(hole_plane);
  settings.keep_largest_component = keep_largest;
  settings.connectivity = connectivity_of(connectivity, labels.ndim(), function);
  const image_geometry geometry = geometry_of(geometry_object);
  postprocess_report report;
  with_voxel_type(labels, function, "labels", [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
      const auto view = view_3d<T>(labels, function, "labels");
      py::gil_scoped_release release;
      report = postprocess_labels(view, geometry, settings);
    } else {
      throw py::value_error(std::string(function) + "(): labels has dtype " + dtype_name(labels) +
                            "; post-processing needs an integer label map (int8 ... uint64): "
                            "pass labels.astype(numpy.int32) or another integer dtype");
    }
  });
  py::dict d;
  d["labels"] = report.labels;
  d["smoothing_removed"] = report.smoothing_removed;
  d["smoothing_added"] = report.smoothing_added;
  d["holes_filled"] = report.holes_filled;
  d["components_removed"] = report.components_removed;
  d["component_voxels_removed"] = report.component_voxels_removed;
  return d;
}

}  // namespace

void register_components(py::module_& m) {
  m.def("connected_components", &components, py::arg("labels"), py::arg("geometry"),
        py::arg("connectivity"),
        "(ids, columns): component ids per voxel (uint32, 0 = background) and one row per "
        "component.");
  m.def("keep_largest_component_inplace", &keep_largest, py::arg("labels"), py::arg("geometry"),
        py::arg("connectivity"), py::arg("background"),
        "Keeps each label's largest connected component, writing into labels.");
  m.def("remove_small_components_inplace", &remove_small, py::arg("labels"), py::arg("geometry"),
        py::arg("min_voxels"), py::arg("min_volume_mm3"), py::arg("connectivity"),
        py::arg("background"), "Removes the components below a size, writing into labels.");
  m.def("fill_holes_inplace", &fill, py::arg("mask"), py::arg("fill"), py::arg("axis"),
        "Fills enclosed background (in 3D, or slice by slice normal to axis), writing into mask.");
  m.def("postprocess_inplace", &postprocess, py::arg("labels"), py::arg("geometry"),
        py::arg("smoothing_radius_mm"), py::arg("holes"), py::arg("hole_plane"),
        py::arg("keep_largest_component"), py::arg("connectivity"),
        "Smooths, fills holes and keeps the largest components (postprocess_labels), writing "
        "into labels; returns what each step changed.");
}

}  // namespace discgeom_python
