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

namespace discgeom_python {

namespace {

using namespace discgeom;

/// The columns of `discgeom discs` (discs_columns in the program).
std::vector<std::string> disc_columns(bool largest_component) {
  std::vector<std::string> columns{"level",
                                   "label",
                                   "voxels",
                                   "volume_mm3",
                                   "centroid_x_mm",
                                   "centroid_y_mm",
                                   "centroid_z_mm",
                                   "height_mm",
                                   "ap_width_mm",
                                   "lateral_width_mm",
                                   "sagittal_angle_deg",
                                   "coronal_angle_deg",
                                   "transverse_angle_deg",
                                   "minrect_height_mm",
                                   "touches_border",
                                   "status"};
  if (largest_component)
    columns.push_back("voxels_left_out");
  return columns;
}

/// The columns of `discgeom discs --convention perrone` (perrone_discs_columns in the program).
std::vector<std::string> perrone_columns() {
  std::vector<std::string> columns{"level", "label", "voxels", "pieces", "blob_voxels"};
  for (const auto name : perrone_column_names)
    columns.emplace_back(name);
  columns.insert(columns.end(), {"fov_check", "status"});
  return columns;
}

std::vector<cell> disc_row(const disc_measures& d, bool largest_component) {
  std::vector<cell> row{text(d.level), count(static_cast<std::uint64_t>(d.label)), count(d.voxels),
                        number(d.volume_mm3)};
  for (std::size_t axis = 0; axis < 3; ++axis)
    row.push_back(d.centroid_mm ? number((*d.centroid_mm)[axis]) : cell{});
  for (const auto& value : {d.height_mm, d.ap_width_mm, d.lateral_width_mm, d.sagittal_angle_deg,
                            d.coronal_angle_deg, d.transverse_angle_deg, d.minrect_height_mm})
    row.push_back(number(value));
  row.push_back(d.status == "empty" ? cell{} : number(d.touches_border ? 1.0 : 0.0));
  row.push_back(text(d.status));
  if (largest_component)
    row.push_back(count(d.voxels_left_out));
  return row;
}

/// As the program's perrone_disc_rows: each disc (fragments excepted) relabelled to its SPIDER
/// value, the relabelled map measured by perrone_geometry, each row the values of the disc's
/// largest blob.
std::vector<std::vector<cell>> perrone_rows(const std::array<std::size_t, 3>& shape,
                                            const image_geometry& geometry,
                                            const std::vector<found_disc>& discs,
                                            disc_label_scheme scheme) {
  auto spider = image<std::int16_t>::filled(shape, geometry, 0);
  std::vector<std::int64_t> spider_label(discs.size(), 0);
  std::int64_t next = perrone_first_disc_label;
  for (std::size_t d = 0; d < discs.size(); ++d) {
    if (discs[d].fragment)
      continue;
    spider_label[d] = scheme == disc_label_scheme::spider ? discs[d].label : next++;
    for (const auto& v : discs[d].set.voxels)
      spider.voxels(v[0], v[1], v[2]) = static_cast<std::int16_t>(spider_label[d]);
  }
  const auto result = perrone_geometry(spider, spider.geometry);
  const std::size_t width = perrone_columns().size();
  std::vector<std::vector<cell>> rows;
  for (std::size_t d = 0; d < discs.size(); ++d) {
    std::vector<cell> row{text(discs[d].level), count(static_cast<std::uint64_t>(discs[d].label)),
                          count(discs[d].set.voxels.size())};
    const perrone_disc* found = nullptr;
    for (const auto& p : result.discs)
      if (p.label == spider_label[d])
        found = &p;
    if (discs[d].fragment || found == nullptr) {
      row.resize(width);
      row.back() = text(discs[d].fragment ? "fragment" : std::string(to_string(result.status)));
      rows.push_back(std::move(row));
      continue;
    }
    row.push_back(count(found->pieces));
    const perrone_blob* blob = found->largest ? &result.blobs[*found->largest] : nullptr;
    row.push_back(blob ? count(blob->voxels) : cell{});
    const std::optional<perrone_values> values = blob ? blob->values : std::nullopt;
    for (const auto value :
         {&perrone_values::disc_height, &perrone_values::ap_width, &perrone_values::lat_width,
          &perrone_values::sag_angle, &perrone_values::axial_angle, &perrone_values::front_angle})
      row.push_back(values ? number((*values).*value) : cell{});
    row.push_back(text(result.field_of_view_check ? "pass" : "fail"));
    row.push_back(text(std::string(
        to_string(result.status != perrone_status::ok ? result.status : found->status))));
    rows.push_back(std::move(row));
  }
  return rows;
}

disc_label_scheme scheme_of(const std::string& name) {
  if (name == "spider")
    return disc_label_scheme::spider;
  if (name == "ordinal")
    return disc_label_scheme::ordinal;
  if (name == "components")
    return disc_label_scheme::components;
  throw py::value_error("discs(): scheme '" + name + "' must be spider, ordinal or components");
}

/// The canal's centroid (label 100 in SPIDER's labels, LPS mm), or nothing when absent.
template <class View>
std::optional<vec3> canal_centroid_mm(const View& view, const image_geometry& geometry) {
  using traits = voxel_traits<typename View::value_type>;
  vec3 sum{0.0, 0.0, 0.0};
  double count = 0.0;
  const auto shape = view.shape();
  for (std::size_t k = 0; k < shape[2]; ++k)
    for (std::size_t j = 0; j < shape[1]; ++j)
      for (std::size_t i = 0; i < shape[0]; ++i) {
        const auto& v = view(i, j, k);
        if (traits::is_foreground(v) && static_cast<std::int64_t>(traits::label(v)) == 100) {
          sum[0] += static_cast<double>(i);
          sum[1] += static_cast<double>(j);
          sum[2] += static_cast<double>(k);
          count += 1.0;
        }
      }
  if (count == 0.0)
    return std::nullopt;
  return geometry.index_to_physical(vec3{sum[0] / count, sum[1] / count, sum[2] / count});
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

  table result{perrone ? perrone_columns() : disc_columns(largest_component), {}};
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
      std::vector<cell> row(result.columns.size());  // as the program: only the status
      for (std::size_t c = 0; c < row.size(); ++c)
        if (result.columns[c] == "status")
          row[c] = text("no discs");
      result.rows.push_back(std::move(row));
    } else if (perrone) {
      result.rows = perrone_rows(view.shape(), geometry, found, options.scheme);
    } else {
      for (const auto& d : measured)
        result.rows.push_back(disc_row(d, largest_component));
    }
    spine_landmarks landmarks;  // as the program: the canal tells posterior from anterior
    if (options.scheme == disc_label_scheme::spider)
      landmarks.canal_centroid_mm = canal_centroid_mm(view, geometry);
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
