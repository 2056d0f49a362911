// SPDX-License-Identifier: MIT
#pragma once
// `discgeom shape SEG... [--labels L,...]`: IBSI / pyradiomics shape features of every label, one
// row per label per input; 3D features for a volume, 2D features for a 2D image or a volume of
// one slice (docs/cli.md, docs/shape.md).

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "case_rows.hpp"
#include "command_line.hpp"
#include "discgeom/enum_names.hpp"
#include "discgeom/geometry/shape_features.hpp"
#include "discgeom/io/image_io.hpp"
#include "inputs.hpp"
#include "outputs.hpp"
#include "progress.hpp"
#include "rows/shape.hpp"
#include "table.hpp"

namespace discgeom::cli {

/// Which features `discgeom shape` computes (--dimensions).
enum class shape_dimensions {
  automatic,  ///< 2D for a 2D image or a volume of one slice, 3D otherwise
  planar,     ///< 2D: the image must be 2D or have an axis of extent 1
  volume,     ///< 3D, a 2D image or one slice included (a slab one voxel thick, as pyradiomics'
              ///< 3D shape class measures a single-slice volume)
};

}  // namespace discgeom::cli

template <>
struct discgeom::enum_names<discgeom::cli::shape_dimensions> {
  static constexpr std::array<enum_name<cli::shape_dimensions>, 3> table{{
      {cli::shape_dimensions::automatic, "auto"},
      {cli::shape_dimensions::planar, "2d"},
      {cli::shape_dimensions::volume, "3d"},
  }};
};

namespace discgeom::cli {

/// The settings of `discgeom shape`.
struct shape_settings {
  std::vector<std::string> segmentations;
  std::vector<std::int64_t> labels;  ///< the labels to measure; empty: every non-zero label
  shape_dimensions dimensions = shape_dimensions::automatic;
  geometry_overrides overrides;
  table_format format = table_format::csv;
  std::string out;
  bool quiet = false;
};

/// The 3D columns: the case, then rows::shape_columns_3d (rows/shape.hpp).
inline const std::vector<std::string>& shape_columns_3d() {
  static const std::vector<std::string> columns = case_columns(rows::shape_columns_3d());
  return columns;
}

/// The 2D columns: the case, then rows::shape_columns_2d.
inline const std::vector<std::string>& shape_columns_2d() {
  static const std::vector<std::string> columns = case_columns(rows::shape_columns_2d());
  return columns;
}

/// "1,201,-3": labels, each a non-zero whole number (a label image is read as 64-bit integers).
inline std::vector<std::int64_t> parse_shape_labels(const std::string& option,
                                                    const std::string& text) {
  std::vector<std::int64_t> labels;
  for (const std::string& part : split_commas(text)) {
    char* end = nullptr;
    errno = 0;
    const long long value = std::strtoll(part.c_str(), &end, 10);
    if (part.empty() || *end != '\0' || errno == ERANGE || value == 0)
      throw usage_error(option + " '" + text + "': '" + part +
                        "' is not a label (a non-zero whole number)");
    if (std::find(labels.begin(), labels.end(), value) != labels.end())
      throw usage_error(option + " '" + text + "': label " + part + " is given twice");
    labels.push_back(value);
  }
  return labels;
}

inline void add_shape_options(CLI::App& app, shape_settings& s) {
  add_inputs(app, "SEG", s.segmentations,
             "label images (NIfTI, MetaImage or NRRD; 3D, or 2D / one slice)");
  add_parsed(
      app, "--labels", s.labels,
      [](const std::string& option, const std::string& text) {
        return parse_shape_labels(option, text);
      },
      "the labels to measure, in this order; an absent one gets status empty "
      "(default: every non-zero label)",
      "L,...");
  add_choice(app, "--dimensions", s.dimensions,
             "2d or 3d features; auto: 2d for a 2D image or a volume of one slice");
  add_geometry_overrides(app, s.overrides);
  add_table_output(app, s.format, s.out);
  add_quiet(app, s.quiet);
  app.footer(
      "3D: one row per label, case,label,VoxelVolume,MeshVolume,SurfaceArea,SurfaceVolumeRatio,\n"
      "Sphericity,Maximum3DDiameter,MajorAxisLength,MinorAxisLength,LeastAxisLength,Elongation,\n"
      "Flatness,status, then Compactness1,Compactness2,SphericalDisproportion,\n"
      "Maximum2DDiameterSlice/Column/Row, MajorAxisLengthIBSI,MinorAxisLengthIBSI,\n"
      "LeastAxisLengthIBSI,voxels (mm, mm^2, mm^3).\n"
      "2D: case,label,PixelSurface,MeshSurface,Perimeter,PerimeterSurfaceRatio,Sphericity,\n"
      "MaximumDiameter,MajorAxisLength,MinorAxisLength,Elongation,status, then\n"
      "SphericalDisproportion,MajorAxisLengthIBSI,MinorAxisLengthIBSI,pixels.\n"
      "Axis lengths are pyradiomics' (covariance divided by N); the *IBSI columns divide by\n"
      "N - 1, as IBSI's reference values do (docs/shape.md).");
}

/// True when the image's features are 2D under `dimensions` (a 2D file, or an axis of extent 1).
/// \throws io_error when 2D features are asked of a volume without an axis of extent 1
inline bool shape_is_planar(const image_header& header, shape_dimensions dimensions) {
  const bool one_slice = header.dimensions == 2 || header.shape[0] == 1 || header.shape[1] == 1 ||
                         header.shape[2] == 1;
  switch (dimensions) {
    case shape_dimensions::volume:
      return false;
    case shape_dimensions::planar:
      if (!one_slice)
        throw io_error("--dimensions 2d needs a 2D image or a volume of one slice; this one is " +
                       std::to_string(header.shape[0]) + "x" + std::to_string(header.shape[1]) +
                       "x" + std::to_string(header.shape[2]));
      return true;
    case shape_dimensions::automatic:
      break;
  }
  return one_slice;
}

/// The 3D row of one label behind the case's name (rows::shape_row).
inline std::vector<cell> shape_row(const std::string& name, const shape_features_3d& f) {
  return case_row(name, rows::shape_row(f));
}

/// The 2D row of one label behind the case's name (rows::shape_row).
inline std::vector<cell> shape_row(const std::string& name, const shape_features_2d& f) {
  return case_row(name, rows::shape_row(f));
}

/// `discgeom shape`: 0, or 1 when an input could not be read or measured (its row says why).
/// One table: 3D columns, or 2D columns when the first input whose header reads is 2D (under
/// --dimensions); an input of the other kind gets an error row.
inline int run_shape(const shape_settings& s) {
  refuse_output_over_input({{"--out", s.out}}, std::vector<std::filesystem::path>(
                                                   s.segmentations.begin(), s.segmentations.end()));
  // The table's kind: that of the first input whose header can be read.
  std::optional<bool> planar_table;
  for (const auto& file : s.segmentations) {
    try {
      planar_table = shape_is_planar(read_image_header(file), s.dimensions);
      break;
    } catch (const std::exception&) {  // reported with its row below
    }
  }
  const bool planar = planar_table.value_or(false);
  const auto& columns = planar ? shape_columns_2d() : shape_columns_3d();
  const std::size_t status_column = static_cast<std::size_t>(
      std::find(columns.begin(), columns.end(), "status") - columns.begin());
  table result{columns, {}};
  const shape_options options{.labels = s.labels};

  bool any_failed = false;
  progress_bar progress("shape", s.segmentations.size(), s.quiet);
  for (const auto& file : s.segmentations) {
    const std::string name = case_name(file);
    try {
      const auto header = read_image_header(file);
      if (shape_is_planar(header, s.dimensions) != planar)
        throw io_error(std::string("the image is ") + (planar ? "a volume" : "2D (or one slice)") +
                       " and this table holds " + (planar ? "2D" : "3D") +
                       " features (set by the first input): measure it on its own, or give "
                       "--dimensions");
      auto labels = read_image<std::int64_t>(file, {.max_voxels = s.overrides.max_voxels});
      s.overrides.apply(labels.geometry);
      const std::size_t before = result.rows.size();
      if (planar) {
        for (const auto& f : label_shapes_2d(labels, labels.geometry, options))
          result.rows.push_back(shape_row(name, f));
      } else {
        for (const auto& f : label_shapes_3d(labels, labels.geometry, options))
          result.rows.push_back(shape_row(name, f));
      }
      if (result.rows.size() == before) {
        std::vector<cell> row(columns.size());
        row[0] = text(name);
        row[status_column] = text("no labels");
        result.rows.push_back(std::move(row));
      }
    } catch (const std::exception& failure) {  // this file's failure: the batch goes on
      any_failed = true;
      const std::string reason = failure_reason(failure, "read and measure it");
      std::cerr << "discgeom shape: " << file << ": " << reason << '\n';
      std::vector<cell> row(columns.size());
      row[0] = text(name);
      row[status_column] = text("error: " + reason);
      result.rows.push_back(std::move(row));
    }
    progress.step(name);
  }
  write_table_output(s.out, result, s.format);
  return any_failed ? 1 : 0;
}

}  // namespace discgeom::cli
