// SPDX-License-Identifier: MIT
// discgeom.indices: BianqueNet's disc indices, the table of `discgeom indices`
// (examples/discgeom/indices_command.hpp), from numpy label maps (and images) viewed in place.

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "arrays.hpp"
#include "discgeom/enum_names.hpp"
#include "discgeom/geometry/bianquenet.hpp"
#include "discgeom/geometry/bianquenet_baselines.hpp"
#include "discgeom/geometry/disc_measures.hpp"
#include "rows/indices.hpp"

namespace discgeom_python {

void register_indices(py::module_& m);

namespace {

using namespace discgeom;

/// The settings of one call, as `discgeom indices`' options.
struct indices_request {
  bool bianquenet_codes = false;  ///< labels in BianqueNet's codes, else SPIDER's
  disc_table_options discs;
  std::optional<std::int64_t> sacrum;
  bianquenet_options options;
};

/// \throws precondition_error when the slices are not sagittal (as the program's
/// check_sagittal_axes, without its proposed orientation)
template <class View>
std::vector<bianquenet_indices> measure(const View& labels, const auto* grey,
                                        const image_geometry& geometry, const indices_request& r) {
  const auto levels = r.bianquenet_codes ? bianquenet_code_levels()
                                         : spider_bianquenet_levels(
                                               find_discs(labels, geometry, r.discs), r.sacrum);
  std::optional<std::string> problem;
  if (labels.shape(2) == 1 && geometry.array_axis(anatomical_axis::lr) != 2)
    problem = "the slice is not sagittal by its geometry (orientation " +
              geometry.orientation_code().substr(0, 2) + ")";
  else
    problem = bianquenet_axes_problem(labels, geometry, levels);
  if (problem)
    throw precondition_error("indices(): " + *problem +
                             "; if the geometry is wrong, fix its "
                             "direction");
  if (grey)
    return measure_bianquenet(labels, *grey, geometry, levels, r.options);
  return measure_bianquenet(labels, geometry, levels, r.options);
}

py::dict indices(const py::array& labels, const py::object& image,
                 const py::object& geometry_object, const std::string& scheme,
                 const std::string& lowest_level, std::optional<std::size_t> min_voxels,
                 std::optional<std::int64_t> sacrum_label, bool clean,
                 std::optional<std::size_t> slice, std::optional<std::int64_t> reference_label,
                 std::optional<double> age, std::optional<std::string> sex) {
  indices_request r;
  if (scheme != "spider" && scheme != "bianquenet")
    throw py::value_error("indices(): scheme '" + scheme + "' must be spider or bianquenet");
  r.bianquenet_codes = scheme == "bianquenet";
  r.discs.scheme = disc_label_scheme::spider;
  r.discs.lowest_level = lowest_level;
  r.discs.min_voxels = min_voxels;
  r.sacrum = sacrum_label;
  r.options = {
      .clean_masks = clean,
      .slice = slice,
      .reference_label = reference_label.value_or(r.bianquenet_codes ? bianquenet_csf : 100)};
  if (age.has_value() != sex.has_value())
    throw py::value_error("indices(): age and sex go together");
  std::optional<rows::demographics> who;
  if (age)
    who = rows::demographics{*age, parse_enum<patient_sex>(*sex, "indices", "sex")};
  const image_geometry geometry = geometry_of(geometry_object);
  std::vector<bianquenet_indices> measured;
  with_voxel_type(labels, "indices", "labels", [&](auto tag) {
    using T = typename decltype(tag)::type;
    const auto view = label_view<T>(labels, "indices", "labels");
    if (image.is_none()) {
      py::gil_scoped_release release;
      if constexpr (std::is_floating_point_v<T>)
        check_whole_labels(view, "indices", "labels");
      measured = measure(view, static_cast<const decltype(view)*>(nullptr), geometry, r);
      return;
    }
    if (!py::isinstance<py::array>(image))
      throw py::type_error("indices(): image must be a numpy array");
    const auto grey_array = py::reinterpret_borrow<py::array>(image);
    if (grey_array.ndim() != labels.ndim())
      throw py::value_error("indices(): image and labels differ in dimensions");
    const char kind = grey_array.dtype().kind();
    const auto size = grey_array.itemsize();
    const auto with_grey = [&](auto grey_tag) {
      using G = typename decltype(grey_tag)::type;
      const auto grey = view_3d<const G>(grey_array, "indices", "image");
      py::gil_scoped_release release;
      if constexpr (std::is_floating_point_v<T>)
        check_whole_labels(view, "indices", "labels");
      measured = measure(view, &grey, geometry, r);
    };
    if (!grey_array.dtype().attr("isnative").cast<bool>())
      throw py::value_error("indices(): image is not in this machine's byte order");
    if (kind == 'u' && size == 1)
      with_grey(type_tag<std::uint8_t>{});
    else if (kind == 'i' && size == 2)
      with_grey(type_tag<std::int16_t>{});
    else if (kind == 'u' && size == 2)
      with_grey(type_tag<std::uint16_t>{});
    else if (kind == 'f' && size == 4)
      with_grey(type_tag<float>{});
    else if (kind == 'f' && size == 8)
      with_grey(type_tag<double>{});
    else
      throw py::value_error("indices(): image has dtype " + dtype_name(grey_array) +
                            "; give uint8, int16, uint16, float32 or float64 (e.g. "
                            "image.astype(np.float32))");
  });
  table t{rows::indices_columns(who.has_value()), {}};
  for (const auto& disc : measured)
    t.rows.push_back(rows::indices_row(disc, who.has_value(), who));
  if (measured.empty())
    t.rows.push_back(rows::status_row(t.columns, "no discs"));
  return to_columns(t);
}

}  // namespace

void register_indices(py::module_& m) {
  m.def("indices", &indices, py::arg("labels"), py::arg("image"), py::arg("geometry"),
        py::arg("scheme"), py::arg("lowest_level"), py::arg("min_voxels"), py::arg("sacrum_label"),
        py::arg("clean"), py::arg("slice"), py::arg("reference_label"), py::arg("age"),
        py::arg("sex"), "The table of `discgeom indices`: BianqueNet's disc indices per disc.");
}

}  // namespace discgeom_python
