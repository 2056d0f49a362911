// SPDX-License-Identifier: MIT
// The extension module discgeom._discgeom: errors, Geometry, tables as numpy columns, and the
// registration of each measure family (one translation unit each, docs/python.md).

#include <Python.h>

#include <algorithm>
#include <set>
#include <sstream>
#include <string>

#include "arrays.hpp"

namespace discgeom_python {

namespace {

/// A new exception class discgeom.NAME with the given bases (a tuple), kept alive by the module.
py::object new_exception(py::module_& m, const char* name, const py::tuple& bases,
                         const char* doc) {
  const std::string qualified = std::string("discgeom.") + name;
  PyObject* type = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, bases.ptr(), nullptr);
  if (type == nullptr)
    throw py::error_already_set();
  auto object = py::reinterpret_steal<py::object>(type);
  m.attr(name) = object;
  return object;
}

}  // namespace

void register_errors(py::module_& m) {
  static py::object error, precondition, io, numerical, internal;
  error =
      new_exception(m, "Error", py::make_tuple(py::handle(PyExc_Exception)),
                    "Base of discgeom's errors: a broken contract, carrying discgeom's message.");
  precondition =
      new_exception(m, "PreconditionError", py::make_tuple(error, py::handle(PyExc_ValueError)),
                    "An argument breaks a function's contract (shape, geometry, value); also a "
                    "ValueError.");
  io = new_exception(m, "IoError", py::make_tuple(error, py::handle(PyExc_OSError)),
                     "Reading or writing failed; also an OSError.");
  numerical = new_exception(m, "NumericalError", py::make_tuple(error),
                            "A computation could not be carried out (e.g. did not converge).");
  internal = new_exception(m, "InternalError", py::make_tuple(error),
                           "A broken internal invariant: a bug in discgeom.");
  py::register_exception_translator([](std::exception_ptr pointer) {
    if (!pointer)
      return;
    try {
      std::rethrow_exception(pointer);
    } catch (const discgeom::precondition_error& e) {
      PyErr_SetString(precondition.ptr(), e.what());
    } catch (const discgeom::io_error& e) {
      PyErr_SetString(io.ptr(), e.what());
    } catch (const discgeom::numerical_error& e) {
      PyErr_SetString(numerical.ptr(), e.what());
    } catch (const discgeom::internal_error& e) {
      PyErr_SetString(internal.ptr(), e.what());
    } catch (const discgeom::error& e) {
      PyErr_SetString(error.ptr(), e.what());
    }
  });
}

namespace {

discgeom::vec3 three(const std::vector<double>& values, const char* argument, double third) {
  if (values.size() != 2 && values.size() != 3) {
    throw py::value_error(std::string("Geometry(): ") + argument + " has " +
                          std::to_string(values.size()) + " values; give 3 (or 2 for a 2D slice)");
  }
  return {values[0], values[1], values.size() == 3 ? values[2] : third};
}

discgeom::mat3 direction_of(const py::object& object) {
  discgeom::mat3 direction = discgeom::identity_matrix();
  if (object.is_none())
    return direction;
  const auto matrix = py::array_t<double, py::array::forcecast>::ensure(object);
  if (!matrix || matrix.ndim() != 2 || matrix.shape(0) != matrix.shape(1) ||
      (matrix.shape(0) != 3 && matrix.shape(0) != 2)) {
    throw py::value_error(
        "Geometry(): direction must be a 3x3 matrix (2x2 for a 2D slice) whose column c is the "
        "LPS unit vector of array axis c");
  }
  const auto n = static_cast<std::size_t>(matrix.shape(0));
  const auto r = matrix.unchecked<2>();
  for (std::size_t row = 0; row < n; ++row)
    for (std::size_t column = 0; column < n; ++column)
      direction[row][column] = r(static_cast<py::ssize_t>(row), static_cast<py::ssize_t>(column));
  return direction;
}

std::string format_vector(const discgeom::vec3& v) {
  std::ostringstream out;
  out.precision(17);
  out << "(" << v[0] << ", " << v[1] << ", " << v[2] << ")";
  return out.str();
}

}  // namespace

discgeom::image_geometry geometry_of(const py::object& geometry) {
  if (geometry.is_none())
    return {};
  return geometry.cast<discgeom::image_geometry>();
}

void register_geometry(py::module_& m) {
  using discgeom::image_geometry;
  py::class_<image_geometry>(m, "Geometry", R"doc(
Physical space of a voxel grid, as ITK reads it: spacing (mm) along each array axis, origin
(LPS mm of the centre of voxel (0, 0, 0)) and direction (3x3, column c the LPS unit vector of
array axis c). Array axis d is numpy axis d of the labels (nibabel's i, j, k).

A 2D slice may give 2 spacings, 2 origin values and a 2x2 direction; the third axis then has
spacing 1 mm. Validated on construction: spacing finite and > 0, origin finite, direction finite
and orthonormal within 1e-4 (discgeom.PreconditionError otherwise).)doc")
      .def(py::init([](const std::vector<double>& spacing, const std::vector<double>& origin,
                       const py::object& direction) {
             image_geometry g;
             g.spacing = three(spacing, "spacing", 1.0);
             g.origin = three(origin, "origin", 0.0);
             g.direction = direction_of(direction);
             g.validate("Geometry");
             return g;
           }),
           py::arg("spacing") = std::vector<double>{1.0, 1.0, 1.0},
           py::arg("origin") = std::vector<double>{0.0, 0.0, 0.0},
           py::arg("direction") = py::none())
      .def_property_readonly("spacing",
                             [](const image_geometry& g) {
                               return py::make_tuple(g.spacing[0], g.spacing[1], g.spacing[2]);
                             })
      .def_property_readonly("origin",
                             [](const image_geometry& g) {
                               return py::make_tuple(g.origin[0], g.origin[1], g.origin[2]);
                             })
      .def_property_readonly(
          "direction",
          [](const image_geometry& g) {
            py::array_t<double> d({3, 3});
            auto w = d.mutable_unchecked<2>();
            for (py::ssize_t r = 0; r < 3; ++r)
              for (py::ssize_t c = 0; c < 3; ++c)
                w(r, c) = g.direction[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)];
            return d;
          })
      .def(
          "index_to_physical",
          [](const image_geometry& g, double i, double j, double k) {
            const auto p = g.index_to_physical(discgeom::vec3{i, j, k});
            return py::make_tuple(p[0], p[1], p[2]);
          },
          py::arg("i"), py::arg("j"), py::arg("k") = 0.0,
          "LPS position (mm) of the (possibly fractional) index (i, j, k).")
      .def("__repr__", [](const image_geometry& g) {
        std::ostringstream out;
        out.precision(17);
        out << "discgeom.Geometry(spacing=" << format_vector(g.spacing)
            << ", origin=" << format_vector(g.origin) << ", direction=[";
        for (std::size_t r = 0; r < 3; ++r)
          out << (r ? ", " : "") << format_vector(g.direction[r]);
        out << "])";
        return out.str();
      });
}

py::dict to_columns(const table& t) {
  static const std::set<std::string> integer_columns{"label",
                                                     "voxels",
                                                     "reference_voxels",
                                                     "prediction_voxels",
                                                     "tp",
                                                     "fp",
                                                     "fn",
                                                     "matched_label",
                                                     "detected",
                                                     "touches_border",
                                                     "voxels_left_out",
                                                     "pieces",
                                                     "blob_voxels",
                                                     "id",
                                                     "lower_i",
                                                     "lower_j",
                                                     "lower_k",
                                                     "upper_i",
                                                     "upper_j",
                                                     "upper_k",
                                                     "n",
                                                     "n_unpaired",
                                                     "n_missing",
                                                     "slice",
                                                     "pixels",
                                                     "feature",
                                                     "step"};
  static const std::set<std::string> text_columns{
      "level", "status", "fov_check", "measure", "group", "x", "y", "method", "muscle", "side"};
  py::dict result;
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    bool any_text = false;
    bool all_whole = true;
    for (const auto& row : t.rows) {
      const cell& value = row[c];
      if (std::holds_alternative<std::string>(value))
        any_text = true;
      else if (const double* x = std::get_if<double>(&value)) {
        all_whole = all_whole && std::isfinite(*x) && std::floor(*x) == *x &&
                    std::abs(*x) < 9007199254740992.0;
      } else {
        all_whole = false;
      }
    }
    const auto n = static_cast<py::ssize_t>(t.rows.size());
    if (any_text || text_columns.count(t.columns[c])) {
      py::array column(py::dtype("O"), std::vector<py::ssize_t>{n});
      for (py::ssize_t r = 0; r < n; ++r) {
        const cell& value = t.rows[static_cast<std::size_t>(r)][c];
        py::object item = py::none();
        if (const auto* s = std::get_if<std::string>(&value))
          item = py::str(*s);
        else if (const auto* x = std::get_if<double>(&value))
          item = py::float_(*x);
        column[py::int_(r)] = item;
      }
      result[py::str(t.columns[c])] = column;
    } else if (all_whole && integer_columns.count(t.columns[c])) {
      py::array_t<std::int64_t> column(n);
      auto w = column.mutable_unchecked<1>();
      for (py::ssize_t r = 0; r < n; ++r)
        w(r) = static_cast<std::int64_t>(std::get<double>(t.rows[static_cast<std::size_t>(r)][c]));
      result[py::str(t.columns[c])] = column;
    } else {
      py::array_t<double> column(n);
      auto w = column.mutable_unchecked<1>();
      for (py::ssize_t r = 0; r < n; ++r) {
        const cell& value = t.rows[static_cast<std::size_t>(r)][c];
        const auto* x = std::get_if<double>(&value);
        w(r) = x ? *x : std::numeric_limits<double>::quiet_NaN();
      }
      result[py::str(t.columns[c])] = column;
    }
  }
  return result;
}

}  // namespace discgeom_python

namespace discgeom_python {
void register_indices(py::module_& m);  // indices.cpp
}  // namespace discgeom_python

PYBIND11_MODULE(_discgeom, m) {
  m.doc() = "discgeom's C++ kernels on numpy arrays, viewed without copies (docs/python.md).";
  discgeom_python::register_errors(m);
  discgeom_python::register_geometry(m);
  discgeom_python::register_discs(m);
  discgeom_python::register_overlap(m);
  discgeom_python::register_components(m);
  discgeom_python::register_stats(m);
  discgeom_python::register_shape(m);
  discgeom_python::register_muscles(m);
  discgeom_python::register_latent(m);
  discgeom_python::register_indices(m);
  m.def(
      "_viewed",
      [](const py::array& array) {
        return discgeom_python::with_voxel_type(
            array, "_viewed", "array", [&](auto tag) -> py::tuple {
              using T = typename decltype(tag)::type;
              const auto view = discgeom_python::view_3d<const T>(array, "_viewed", "array");
              return py::make_tuple(reinterpret_cast<std::uintptr_t>(view.data()),
                                    py::make_tuple(view.shape(0), view.shape(1), view.shape(2)),
                                    py::make_tuple(view.stride(0), view.stride(1), view.stride(2)));
            });
      },
      py::arg("array"),
      "(data address, shape, strides in elements) of the volume_view the module takes of "
      "array: the same address as array.__array_interface__['data'][0], never a copy's.");
}
