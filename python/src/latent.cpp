// SPDX-License-Identifier: MIT
// discgeom.traverse: Perrone et al.'s latent traversal (discgeom/latent/decode_and_measure.hpp)
// with a Python decoder: the grid, each point decoded by the callable (which takes the GIL) and
// measured by the C++ disc measures (without it), plausibility and traversal correlations, in
// the columns of `discgeom traverse`'s grid.csv.

#include <cmath>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "arrays.hpp"
#include "discgeom/enum_names.hpp"
#include "discgeom/image.hpp"
#include "discgeom/latent/decode_and_measure.hpp"

namespace discgeom_python {

namespace {

using namespace discgeom;

py::dict traverse(const std::vector<py::array>& code_columns, const py::function& decoder,
                  const py::object& geometry_object, std::size_t steps, const std::string& anchor,
                  const std::vector<double>& given, const std::string& method, bool plausibility,
                  std::optional<std::size_t> neighbours) {
  const image_geometry geometry = geometry_of(geometry_object);
  geometry.validate("traverse");
  traversal_study_options options;
  options.traversal.steps = steps;
  options.traversal.anchor = parse_enum<traversal_anchor>(anchor, "traverse", "anchor");
  options.traversal.given = given;
  options.correlation.method = parse_enum<correlation_method>(method, "traverse", "method");
  if (!plausibility)
    options.plausibility.reset();
  else if (neighbours)
    options.plausibility = plausibility_options{.k = *neighbours};
  std::vector<std::vector<double>> columns;
  for (std::size_t c = 0; c < code_columns.size(); ++c) {
    const auto column = py::array_t<double, py::array::forcecast>::ensure(code_columns[c]);
    if (!column || column.ndim() != 1)
      throw py::value_error("traverse(): codes column " + std::to_string(c) + " is not 1D");
    const auto r = column.unchecked<1>();
    std::vector<double> values;
    for (py::ssize_t i = 0; i < r.shape(0); ++i)
      values.push_back(r(i));
    columns.push_back(std::move(values));
  }

  // The decoder: takes the GIL, calls Python, and returns the decoded foreground as an image
  // at the given geometry (a pass over the decoded array, viewed in place).
  auto decode = [&](std::span<const double> code) {
    py::gil_scoped_acquire acquire;
    py::array_t<double> argument(static_cast<py::ssize_t>(code.size()));
    std::copy(code.begin(), code.end(), argument.mutable_data());
    const py::object result = decoder(argument);
    if (!py::isinstance<py::array>(result))
      throw py::type_error("traverse(): the decoder must return a numpy array");
    const auto decoded = py::reinterpret_borrow<py::array>(result);
    return with_voxel_type(decoded, "traverse", "the decoded mask", [&](auto tag) {
      using T = typename decltype(tag)::type;
      const auto view = view_3d<const T>(decoded, "traverse", "the decoded mask");
      auto mask = image<std::uint8_t>::filled(view.shape(), geometry, 0);
      const auto shape = view.shape();
      for (std::size_t k = 0; k < shape[2]; ++k)
        for (std::size_t j = 0; j < shape[1]; ++j)
          for (std::size_t i = 0; i < shape[0]; ++i)
            mask.voxels(i, j, k) = voxel_traits<T>::is_foreground(view(i, j, k)) ? 1 : 0;
      return mask;
    });
  };
  std::optional<traversal_study> study;
  {
    py::gil_scoped_release release;
    study = study_traversal(columns, decode, options);
  }

  table grid{{"feature", "step"}, {}};
  for (std::size_t f = 0; f < columns.size(); ++f)
    grid.columns.push_back("z" + std::to_string(f));
  for (const auto& g : disc_geometric_features)
    grid.columns.emplace_back(g.name);
  grid.columns.insert(grid.columns.end(), {"status", "plausibility"});
  for (std::size_t p = 0; p < study->traversal.points.size(); ++p) {
    const auto& point = study->traversal.points[p];
    std::vector<cell> row{count(point.feature), count(point.step)};
    for (double z : point.latent)
      row.push_back(number(z));
    for (const auto& g : disc_geometric_features)
      row.push_back(number(g.value(study->measures[p])));
    row.push_back(text(study->measures[p].status));
    row.push_back(number(study->plausibility[p]));
    grid.rows.push_back(std::move(row));
  }
  table correlations{{"x", "y", "method", "n", "n_missing", "r", "p", "ci_low", "ci_high"}, {}};
  for (const auto& c : study->correlations)
    correlations.rows.push_back({text("z" + std::to_string(c.feature)),
                                 text(std::string(c.geometric_feature)), text(method),
                                 count(c.correlation.n), count(c.correlation.n_missing),
                                 number(c.correlation.r), number(c.correlation.p),
                                 number(c.correlation.ci_low), number(c.correlation.ci_high)});
  py::dict result;
  result["grid"] = to_columns(grid);
  result["correlations"] = to_columns(correlations);
  result["typical_distance"] = study->typical_distance;
  return result;
}

}  // namespace

void register_latent(py::module_& m) {
  m.def("traverse", &traverse, py::arg("codes"), py::arg("decoder"), py::arg("geometry"),
        py::arg("steps"), py::arg("anchor"), py::arg("given"), py::arg("method"),
        py::arg("plausibility"), py::arg("neighbours"),
        "Perrone et al.'s latent traversal with a Python decoder: grid, correlations.");
}

}  // namespace discgeom_python
