// SPDX-License-Identifier: MIT
#pragma once
// The IBSI / pyradiomics shape tables of `discgeom shape` (docs/cli.md) and discgeom.shape
// (docs/python.md): their columns and the row of each label, 3D and 2D. The program puts a "case"
// column in front (cli::case_columns, cli::case_row); the module returns them as they are.

#include <string>
#include <vector>

#include "cells.hpp"
#include "discgeom/geometry/shape_features.hpp"

namespace discgeom::rows {

/// The 3D columns: the contract's, then the features pyradiomics adds and IBSI's axis lengths.
inline const std::vector<std::string>& shape_columns_3d() {
  static const std::vector<std::string> columns{"label",
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
  return columns;
}

/// The 2D columns (a 2D image or a volume of one slice), in pixels' terms.
inline const std::vector<std::string>& shape_columns_2d() {
  static const std::vector<std::string> columns{"label",
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
  return columns;
}

/// The 3D row of one label, in shape_columns_3d()'s order.
inline row shape_row(const shape_features_3d& f) {
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

/// The 2D row of one label, in shape_columns_2d()'s order.
inline row shape_row(const shape_features_2d& f) {
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

}  // namespace discgeom::rows
