// SPDX-License-Identifier: MIT
#pragma once
// What every translation unit of the Python module shares: numpy arrays seen as volume_views
// (never copied), the dtype dispatch, float label maps as whole labels, discgeom.Geometry, and
// tables returned as dicts of numpy columns.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <array>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "discgeom/error.hpp"
#include "discgeom/image_geometry.hpp"
#include "discgeom/traits.hpp"
#include "discgeom/volume_view.hpp"
#include "rows/cells.hpp"

namespace py = pybind11;

namespace discgeom_python {

/// A label map stored as floating-point numbers (nibabel's get_fdata(), a network's argmax as
/// float): each value a whole number, checked once by check_whole_labels before any kernel runs.
/// Same size and alignment as F, so a float array is viewed as an array of whole_label<F>.
template <std::floating_point F>
struct whole_label {
  F value;
  /// The number (kernels that may also read a label map as intensities cast it).
  explicit constexpr operator double() const noexcept { return static_cast<double>(value); }
};
static_assert(sizeof(whole_label<float>) == sizeof(float) &&
              alignof(whole_label<double>) == alignof(double));

}  // namespace discgeom_python

/// Float label maps as labels: the label is the (whole) value as int64, foreground when non-zero.
template <std::floating_point F>
struct discgeom::voxel_traits<discgeom_python::whole_label<F>> {
  using value_type = discgeom_python::whole_label<F>;
  using label_type = std::int64_t;
  static constexpr bool is_foreground(const value_type& v) noexcept { return v.value != F{}; }
  static constexpr label_type label(const value_type& v) noexcept {
    return static_cast<label_type>(v.value);
  }
};

namespace discgeom_python {

/// numpy's name of the array's dtype ("int64", "complex128", ">i2" when not native).
inline std::string dtype_name(const py::array& array) {
  return py::str(array.dtype().attr("str")).cast<std::string>() + " (" +
         py::str(array.dtype().attr("name")).cast<std::string>() + ")";
}

template <class T>
struct type_tag {
  using type = T;
};

/// Calls f(type_tag<T>{}) with the C++ type of the array's dtype: bool, int8 ... uint64, float32,
/// float64 in native byte order. \throws py::value_error for any other dtype
template <class F>
decltype(auto) with_voxel_type(const py::array& array, const std::string& function,
                               const char* argument, F&& f) {
  const py::dtype dtype = array.dtype();
  const std::string name = dtype_name(array);
  if (!dtype.attr("isnative").cast<bool>()) {
    throw py::value_error(function + "(): " + argument + " has dtype " + name +
                          ", not in this machine's byte order; discgeom views arrays without "
                          "copying them: pass " +
                          argument + ".astype(" + argument + ".dtype.newbyteorder('='))");
  }
  const char kind = dtype.kind();
  const auto size = dtype.itemsize();
  if (kind == 'b' && size == 1)
    return f(type_tag<bool>{});
  if (kind == 'i') {
    if (size == 1)
      return f(type_tag<std::int8_t>{});
    if (size == 2)
      return f(type_tag<std::int16_t>{});
    if (size == 4)
      return f(type_tag<std::int32_t>{});
    if (size == 8)
      return f(type_tag<std::int64_t>{});
  }
  if (kind == 'u') {
    if (size == 1)
      return f(type_tag<std::uint8_t>{});
    if (size == 2)
      return f(type_tag<std::uint16_t>{});
    if (size == 4)
      return f(type_tag<std::uint32_t>{});
    if (size == 8)
      return f(type_tag<std::uint64_t>{});
  }
  if (kind == 'f') {
    if (size == 4)
      return f(type_tag<float>{});
    if (size == 8)
      return f(type_tag<double>{});
  }
  throw py::value_error(function + "(): " + argument + " has dtype " + name +
                        ", which discgeom cannot view; give a bool, integer (int8 ... uint64), "
                        "float32 or float64 array");
}

/// The voxel type a label kernel sees for an array of T: T itself, whole_label<T> for floats.
template <class T>
struct label_voxel_for {
  using type = T;
};
template <std::floating_point T>
struct label_voxel_for<T> {
  using type = whole_label<T>;
};
template <class T>
using label_voxel_of = typename label_voxel_for<T>::type;

/// The array as a 3D volume_view of Element (sizeof(Element) == itemsize): the array's own data
/// pointer, shape and strides (bytes / itemsize, negative ones included); a 2D array is a view
/// with one slice along axis 2. \throws py::value_error for another ndim, strides that are not a
/// whole number of elements, or misaligned data
template <class Element>
discgeom::volume_view<Element, 3> view_3d(const py::array& array, const std::string& function,
                                          const char* argument) {
  const auto ndim = array.ndim();
  if (ndim != 2 && ndim != 3) {
    throw py::value_error(function + "(): " + argument + " has " + std::to_string(ndim) +
                          " dimensions; discgeom needs a 3D volume or a 2D slice");
  }
  static_assert(sizeof(Element) == sizeof(std::remove_cv_t<Element>));
  const auto item = static_cast<py::ssize_t>(sizeof(Element));
  if (array.itemsize() != item)
    throw py::value_error(function + "(): " + argument + ": unexpected item size");
  std::array<std::size_t, 3> shape{1, 1, 1};
  std::array<std::ptrdiff_t, 3> strides{0, 0, 0};
  for (py::ssize_t axis = 0; axis < ndim; ++axis) {
    const auto stride = array.strides(axis);
    if (stride % item != 0) {
      throw py::value_error(function + "(): " + argument + ".strides[" + std::to_string(axis) +
                            "] = " + std::to_string(stride) + " bytes is not a multiple of the " +
                            std::to_string(item) + "-byte item; discgeom does not copy arrays");
    }
    shape[static_cast<std::size_t>(axis)] = static_cast<std::size_t>(array.shape(axis));
    strides[static_cast<std::size_t>(axis)] = static_cast<std::ptrdiff_t>(stride / item);
  }
  const void* data = array.data();
  if (reinterpret_cast<std::uintptr_t>(data) % alignof(Element) != 0) {
    throw py::value_error(function + "(): " + argument +
                          "'s data is not aligned for its dtype; discgeom does not copy arrays");
  }
  if constexpr (std::is_const_v<Element>) {
    return {static_cast<Element*>(data), shape, strides};
  } else {
    if (!array.writeable())
      throw py::value_error(function + "(): " + argument + " is read-only");
    return {static_cast<Element*>(const_cast<void*>(data)), shape, strides};
  }
}

/// Checks that every value of a float label map is a whole number in int64's range (NaN and
/// infinity are not). \throws discgeom::precondition_error naming the first bad voxel
template <std::floating_point F>
void check_whole_labels(const discgeom::volume_view<const whole_label<F>, 3>& view,
                        const std::string& function, const char* argument) {
  const auto shape = view.shape();
  for (std::size_t k = 0; k < shape[2]; ++k)
    for (std::size_t j = 0; j < shape[1]; ++j)
      for (std::size_t i = 0; i < shape[0]; ++i) {
        const double v = static_cast<double>(view(i, j, k).value);
        if (!(std::abs(v) < 9.2e18) || std::floor(v) != v) {
          discgeom::detail::throw_error<discgeom::precondition_error>(
              function.c_str(), argument, "[", i, ", ", j, ", ", k, "] = ", v,
              " is not a label (a float label map must hold whole numbers)");
        }
      }
}

/// The labels as a read-only view of label voxels, checked (whole numbers) when stored as floats.
/// Call without the GIL only after taking the view.
template <class T>
discgeom::volume_view<const label_voxel_of<T>, 3> label_view(const py::array& array,
                                                             const std::string& function,
                                                             const char* argument) {
  return view_3d<const label_voxel_of<T>>(array, function, argument);
}

/// One cell of a table: missing, text, or a number (rows/cells.hpp, shared with the program).
/// Unlike the program's CSV, where NaN and infinity are empty cells, a number keeps its value
/// (an infinite Hausdorff distance stays inf).
using discgeom::rows::cell;
using discgeom::rows::count;
using discgeom::rows::number;
using discgeom::rows::text;

/// A table with the program's column names, one row per record.
struct table {
  std::vector<std::string> columns;
  std::vector<std::vector<cell>> rows;
};

/// The table as {column: numpy array}: text columns as object arrays of str (None where
/// missing); number columns as float64 (NaN where missing), or int64 when the column is a count
/// or a label and every value is present.
py::dict to_columns(const table& t);

/// discgeom::image_geometry from the Geometry object (or None: unit spacing).
discgeom::image_geometry geometry_of(const py::object& geometry);

void register_errors(py::module_& m);
void register_geometry(py::module_& m);
void register_discs(py::module_& m);
void register_overlap(py::module_& m);
void register_components(py::module_& m);
void register_stats(py::module_& m);
void register_shape(py::module_& m);
void register_muscles(py::module_& m);
void register_latent(py::module_& m);

}  // namespace discgeom_python
