// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Shape features of a structure as the Image Biomarker Standardisation Initiative defines them
/// (Zwanenburg et al., Radiology 295(2):328-338, 2020; reference manual arXiv:1612.07003,
/// "Morphological features") and as pyradiomics names and computes them (van Griethuysen et al.,
/// Cancer Research 77(21):e104-e107, 2017; radiomics/shape.py, shape2D.py and src/cshape.c,
/// v3.1.0): in 3D mesh volume, voxel volume, surface area, sphericity, compactness, maximum
/// diameters, principal axis lengths, elongation and flatness; in 2D their planar counterparts.
/// Definitions and the tests behind them: docs/shape.md.
///
/// The mesh (3D): the structure's binary mask, padded by one background voxel, is triangulated
/// by marching cubes at level 1/2 with discgeom's generated triangulation (every vertex the
/// mid-point of a grid edge whose two voxels differ; closed_cell_triangles() in
/// metrics/detail/corner_surfels.hpp); vertices in mm are index x spacing. With triangles
/// (a, b, c) oriented from the foreground to the background:
///   MeshVolume V  = sum a . (b x c) / 6
///   SurfaceArea A = sum |(a - c) x (b - c)| / 2
///   VoxelVolume   = N s0 s1 s2
///   SurfaceVolumeRatio = A / V,   Sphericity = (36 pi V^2)^(1/3) / A,
///   Compactness1 = V / (sqrt(pi) A^(3/2)),   Compactness2 = 36 pi V^2 / A^3,
///   SphericalDisproportion = A / (36 pi V^2)^(1/3)
///   Maximum3DDiameter = the largest distance between two mesh vertices; Maximum2DDiameterSlice,
///   -Column, -Row: between two vertices in one plane of constant array axis 2, 1, 0 (pyradiomics'
///   z, y, x).
/// The axes: lambda_major >= lambda_minor >= lambda_least are the eigenvalues of the covariance of
/// the voxel-centre coordinates (index x spacing, mm), divided by N as pyradiomics does:
///   MajorAxisLength = 4 sqrt(lambda_major), MinorAxisLength = 4 sqrt(lambda_minor),
///   LeastAxisLength = 4 sqrt(lambda_least), Elongation = sqrt(lambda_minor / lambda_major),
///   Flatness = sqrt(lambda_least / lambda_major).
/// IBSI's reference values for its digital phantom follow the sample covariance (divisor N - 1);
/// the *_ibsi lengths use it (elongation and flatness are ratios and do not change). Neither is
/// principal_axes()' length sqrt(12 lambda'), whose lambda' adds each voxel's own moment s^2/12.
///
/// The 2D features (a 2D image, or one slice) use marching squares (a square whose two diagonal
/// pixels alone are foreground cuts each off on its own) with segments (a, b) in mm:
///   MeshSurface A = sum (a_y b_x - b_y a_x) / 2,   Perimeter P = sum |a - b|,
///   PixelSurface = N s_x s_y,   PerimeterSurfaceRatio = P / A,   Sphericity = 2 sqrt(pi A) / P,
///   SphericalDisproportion = 1 / Sphericity,   MaximumDiameter = the largest vertex distance,
///   MajorAxisLength = 4 sqrt(lambda_major), MinorAxisLength = 4 sqrt(lambda_minor),
///   Elongation = sqrt(lambda_minor / lambda_major).
///
/// Only the spacing enters: every feature is unchanged by the origin and the direction cosines.
/// The mesh is closed (an ambiguous cell face, two diagonal voxels foreground, is always cut off
/// its foreground corners, so neighbouring cells agree) and invariant under mirroring and
/// transposing the mask: its volume does not depend on the origin. It is pyradiomics' surface
/// wherever no face is ambiguous; where one is, pyradiomics' table (whose cut depends on the
/// cell's corner p7) may join the voxels or leave its surface open, and the mesh features differ
/// (measured in docs/shape.md).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numbers>
#include <string>
#include <utility>
#include <vector>

#include "discgeom/as_volume.hpp"
#include "discgeom/concepts.hpp"
#include "discgeom/error.hpp"
#include "discgeom/geometry/detail/jacobi3.hpp"
#include "discgeom/geometry/detail/shape_meshes.hpp"
#include "discgeom/image_geometry.hpp"
#include "discgeom/mask/structures.hpp"

namespace discgeom {

namespace detail {
/// The value of a feature that is undefined for the structure.
inline constexpr double shape_undefined = std::numeric_limits<double>::quiet_NaN();
}  // namespace detail

/// The 3D shape features of one structure (pyradiomics' names in the comments). A feature that
/// is undefined for the structure is NaN, and `status` says why.
struct shape_features_3d {
  std::int64_t label = 0;
  std::size_t voxels = 0;
  double voxel_volume_mm3 = 0.0;                                 ///< VoxelVolume
  double mesh_volume_mm3 = 0.0;                                  ///< MeshVolume
  double surface_area_mm2 = 0.0;                                 ///< SurfaceArea
  double surface_volume_ratio_per_mm = detail::shape_undefined;  ///< SurfaceVolumeRatio
  double sphericity = detail::shape_undefined;                   ///< Sphericity
  double compactness1 = detail::shape_undefined;                 ///< Compactness1
  double compactness2 = detail::shape_undefined;                 ///< Compactness2
  double spherical_disproportion = detail::shape_undefined;
  double maximum_3d_diameter_mm = detail::shape_undefined;
  double maximum_2d_diameter_slice_mm = detail::shape_undefined;   ///< axis 2 const
  double maximum_2d_diameter_column_mm = detail::shape_undefined;  ///< axis 1 const
  double maximum_2d_diameter_row_mm = detail::shape_undefined;     ///< axis 0 const
  double major_axis_length_mm = detail::shape_undefined;           ///< 4 sqrt(lambda), /N
  double minor_axis_length_mm = detail::shape_undefined;
  double least_axis_length_mm = detail::shape_undefined;
  double elongation = detail::shape_undefined;
  double flatness = detail::shape_undefined;
  double major_axis_length_ibsi_mm = detail::shape_undefined;  ///< /(N - 1)
  double minor_axis_length_ibsi_mm = detail::shape_undefined;
  double least_axis_length_ibsi_mm = detail::shape_undefined;
  std::string status = "ok";  ///< ok, empty, single voxel, mesh volume not positive
};

/// The 2D shape features of one structure in a plane (pyradiomics' shape2D names in comments).
struct shape_features_2d {
  std::int64_t label = 0;
  std::size_t pixels = 0;
  double pixel_surface_mm2 = 0.0;  ///< PixelSurface
  double mesh_surface_mm2 = 0.0;   ///< MeshSurface
  double perimeter_mm = 0.0;       ///< Perimeter
  double perimeter_surface_ratio_per_mm = detail::shape_undefined;
  double sphericity = detail::shape_undefined;
  double spherical_disproportion = detail::shape_undefined;
  double maximum_diameter_mm = detail::shape_undefined;
  double major_axis_length_mm = detail::shape_undefined;  ///< 4 sqrt(lambda), /N
  double minor_axis_length_mm = detail::shape_undefined;
  double elongation = detail::shape_undefined;
  double major_axis_length_ibsi_mm = detail::shape_undefined;  ///< /(N - 1)
  double minor_axis_length_ibsi_mm = detail::shape_undefined;
  std::string status = "ok";  ///< ok, empty, single pixel
};

/// Which labels of a label map label_shapes_3d / label_shapes_2d measure.
struct shape_options {
  /// The labels to measure, in this order, absent ones included (status "empty"); empty: every
  /// foreground label of the map, in increasing order.
  std::vector<std::int64_t> labels{};
};

namespace detail {

/// The voxels' covariance (divisor N) in mm^2 along the listed array axes.
template <std::size_t Dims>
[[nodiscard]] std::array<std::array<double, Dims>, Dims> shape_covariance(
    const voxel_set& set, const std::array<std::size_t, Dims>& axes) {
  const double n = static_cast<double>(set.voxels.size());
  std::array<double, Dims> mean{};
  for (const auto& v : set.voxels)
    for (std::size_t d = 0; d < Dims; ++d)
      mean[d] += static_cast<double>(v[axes[d]]);
  for (auto& m : mean)
    m /= n;
  std::array<std::array<double, Dims>, Dims> moment{};
  for (const auto& v : set.voxels) {
    std::array<double, Dims> c{};
    for (std::size_t d = 0; d < Dims; ++d)
      c[d] = static_cast<double>(v[axes[d]]) - mean[d];
    for (std::size_t r = 0; r < Dims; ++r)
      for (std::size_t q = r; q < Dims; ++q)
        moment[r][q] += c[r] * c[q];
  }
  for (std::size_t r = 0; r < Dims; ++r)
    for (std::size_t q = r; q < Dims; ++q) {
      const double s = set.geometry.spacing[axes[r]] * set.geometry.spacing[axes[q]];
      moment[r][q] = moment[r][q] / n * s;
      moment[q][r] = moment[r][q];
    }
  return moment;
}

/// The structure's voxels as a padded binary grid over their bounding box along `axes` (one
/// voxel of background on every side): grid axis d is array axis axes[d]. pyradiomics' feature
/// extractor crops to the same box before its shape class pads it.
template <std::size_t Dims>
[[nodiscard]] padded_grid shape_grid(const voxel_set& set,
                                     const std::array<std::size_t, Dims>& axes) {
  std::array<std::uint32_t, Dims> low{}, high{};
  low.fill(std::numeric_limits<std::uint32_t>::max());
  for (const auto& v : set.voxels)
    for (std::size_t d = 0; d < Dims; ++d) {
      low[d] = std::min(low[d], v[axes[d]]);
      high[d] = std::max(high[d], v[axes[d]]);
    }
  padded_grid grid;
  grid.shape = {1, 1, 1};
  for (std::size_t d = 0; d < Dims; ++d)
    grid.shape[d] = static_cast<std::size_t>(high[d] - low[d]) + 3;
  grid.voxels.assign(grid.shape[0] * grid.shape[1] * grid.shape[2], 0);
  for (const auto& v : set.voxels) {
    std::array<std::size_t, 3> at{0, 0, 0};
    for (std::size_t d = 0; d < Dims; ++d)
      at[d] = static_cast<std::size_t>(v[axes[d]] - low[d]) + 1;
    grid.voxels[grid.offset(at[0], at[1], at[2])] = 1;
  }
  return grid;
}

}  // namespace detail

/// The 3D shape features of one structure (definitions in the file comment).
///
/// \param set  the structure's voxels with the shape and geometry of their volume (e.g. one
///             entry of collect_label_voxels, or collect_foreground_voxels of a mask)
/// \returns    mm, mm^2, mm^3 (ratios per mm or unitless); `label` is 0. Status "empty" for no
///             voxels (volumes and area 0, every other feature NaN); "single voxel" for one voxel
///             (axis lengths 0, elongation and flatness 0/0 = NaN as in pyradiomics, the *_ibsi
///             lengths NaN: N - 1 = 0); "mesh volume not positive" would mark a
///             volume of 0 or less (a guard: the mesh is closed and no mask reaches it). Voxels
///             on a line or in a plane are "ok"; their zero
///             eigenvalues come out as rounding noise (about 1e-16 lambda_major), as pyradiomics'
///             do (its axis lengths then read up to about 2e-8 instead of 0).
/// \throws precondition_error for an invalid geometry
/// Complexity: O(N + bounding-box voxels) for the mesh, O(V log V) for the V mesh vertices, then
/// quadratic in the number of their plane-hull vertices.
///
///   const auto shape = discgeom::shape_3d(discgeom::collect_foreground_voxels(mask, geometry));
///   std::cout << shape.mesh_volume_mm3 << " mm^3, sphericity " << shape.sphericity << '\n';
/// See also: label_shapes_3d, shape_2d, principal_axes (a different length convention).
[[nodiscard]] inline shape_features_3d shape_3d(const voxel_set& set) {
  set.geometry.validate("shape_3d");
  shape_features_3d f;
  const auto& s = set.geometry.spacing;
  f.voxels = set.voxels.size();
  f.voxel_volume_mm3 = static_cast<double>(f.voxels) * (s[2] * s[0] * s[1]);
  if (set.voxels.empty()) {
    f.status = "empty";
    return f;
  }
  constexpr std::array<std::size_t, 3> axes{0, 1, 2};
  const auto grid = detail::shape_grid(set, axes);
  const auto mesh = detail::marching_cubes_volume_area(grid, s);
  const double v = mesh.volume_mm3, a = mesh.area_mm2;
  f.mesh_volume_mm3 = v;
  f.surface_area_mm2 = a;
  f.surface_volume_ratio_per_mm = a / v;
  const double sphere = std::pow(36.0 * std::numbers::pi * v * v, 1.0 / 3.0);
  f.sphericity = sphere / a;
  f.compactness1 = v / (std::pow(a, 3.0 / 2.0) * std::sqrt(std::numbers::pi));
  f.compactness2 = 36.0 * std::numbers::pi * (v * v) / (a * a * a);
  f.spherical_disproportion = a / sphere;
  if (!(v > 0.0)) {  // a guard: the closed mesh of a non-empty mask has a positive volume
    f.status = "mesh volume not positive";
    if (v == 0.0)
      f.surface_volume_ratio_per_mm = f.spherical_disproportion = detail::shape_undefined;
  }
  const auto diameters = detail::diameters_of(detail::mesh_vertices(grid), s);
  f.maximum_3d_diameter_mm = diameters.all;
  f.maximum_2d_diameter_slice_mm = diameters.in_plane[2];
  f.maximum_2d_diameter_column_mm = diameters.in_plane[1];
  f.maximum_2d_diameter_row_mm = diameters.in_plane[0];

  const auto eigen = detail::symmetric_eigen3(detail::shape_covariance(set, axes));
  std::array<double, 3> lambda{};
  for (std::size_t d = 0; d < 3; ++d)
    lambda[d] = std::max(eigen.values[d], 0.0);  // rounding may leave -1e-17 for a 0
  f.major_axis_length_mm = 4.0 * std::sqrt(lambda[0]);
  f.minor_axis_length_mm = 4.0 * std::sqrt(lambda[1]);
  f.least_axis_length_mm = 4.0 * std::sqrt(lambda[2]);
  if (f.voxels == 1) {
    f.status = "single voxel";
    return f;
  }
  f.elongation = std::sqrt(lambda[1] / lambda[0]);
  f.flatness = std::sqrt(lambda[2] / lambda[0]);
  const double n = static_cast<double>(f.voxels);
  const double to_sample = n / (n - 1.0);
  f.major_axis_length_ibsi_mm = 4.0 * std::sqrt(lambda[0] * to_sample);
  f.minor_axis_length_ibsi_mm = 4.0 * std::sqrt(lambda[1] * to_sample);
  f.least_axis_length_ibsi_mm = 4.0 * std::sqrt(lambda[2] * to_sample);
  return f;
}

/// The 2D shape features of one structure whose voxels lie in one plane of constant index along
/// array axis `normal_axis` (a 2D image read as a volume has normal_axis 2). The plane's two axes
/// are the other two array axes, with their spacings.
///
/// \returns mm, mm^2 (ratios per mm or unitless); `label` is 0. Status "empty" for no pixels
///          (surfaces and perimeter 0, every other feature NaN); "single pixel" for one pixel
///          (axis lengths 0, elongation NaN, the *_ibsi lengths NaN).
/// \throws precondition_error when normal_axis is not 0, 1 or 2, when the voxels do not share
///         one index along it, or for an invalid geometry
/// Complexity: O(N + bounding-box pixels), O(V log V) for the V mesh vertices.
///
///   const auto section = discgeom::shape_2d(collect_foreground_voxels(slice_mask, g), 2);
/// See also: label_shapes_2d, shape_3d.
[[nodiscard]] inline shape_features_2d shape_2d(const voxel_set& set, std::size_t normal_axis) {
  DISCGEOM_PRECONDITION(normal_axis < 3, "shape_2d", "normal_axis must be 0, 1 or 2, got ",
                        normal_axis);
  set.geometry.validate("shape_2d");
  for (const auto& v : set.voxels)
    DISCGEOM_PRECONDITION(v[normal_axis] == set.voxels.front()[normal_axis], "shape_2d",
                          "the voxels are not in one plane: index ", v[normal_axis], " and ",
                          set.voxels.front()[normal_axis], " along axis ", normal_axis);
  const std::array<std::size_t, 2> axes{normal_axis == 0 ? 1u : 0u, normal_axis == 2 ? 1u : 2u};
  const std::array<double, 2> s{set.geometry.spacing[axes[0]], set.geometry.spacing[axes[1]]};
  shape_features_2d f;
  f.pixels = set.voxels.size();
  f.pixel_surface_mm2 = static_cast<double>(f.pixels) * (s[0] * s[1]);
  if (set.voxels.empty()) {
    f.status = "empty";
    return f;
  }
  const auto grid = detail::shape_grid(set, axes);
  const auto mesh = detail::marching_squares_surface_perimeter(grid, s);
  const double a = mesh.surface_mm2, p = mesh.perimeter_mm;
  f.mesh_surface_mm2 = a;
  f.perimeter_mm = p;
  f.perimeter_surface_ratio_per_mm = p / a;
  f.sphericity = 2.0 * std::sqrt(std::numbers::pi * a) / p;
  f.spherical_disproportion = 1.0 / f.sphericity;
  f.maximum_diameter_mm =
      detail::diameters_of(detail::mesh_vertices(grid), {s[0], s[1], 1.0}, true).all;

  const auto c = detail::shape_covariance(set, axes);
  const double mid = (c[0][0] + c[1][1]) / 2.0, half = (c[0][0] - c[1][1]) / 2.0;
  const double radius = std::hypot(half, c[0][1]);
  const std::array<double, 2> lambda{std::max(mid + radius, 0.0), std::max(mid - radius, 0.0)};
  f.major_axis_length_mm = 4.0 * std::sqrt(lambda[0]);
  f.minor_axis_length_mm = 4.0 * std::sqrt(lambda[1]);
  if (f.pixels == 1) {
    f.status = "single pixel";
    return f;
  }
  f.elongation = std::sqrt(lambda[1] / lambda[0]);
  const double n = static_cast<double>(f.pixels);
  f.major_axis_length_ibsi_mm = 4.0 * std::sqrt(lambda[0] * n / (n - 1.0));
  f.minor_axis_length_ibsi_mm = 4.0 * std::sqrt(lambda[1] * n / (n - 1.0));
  return f;
}

namespace detail {

/// The wanted labels' voxel sets of a 3D view, in the order shape_options asks for.
template <class T>
[[nodiscard]] std::vector<std::pair<std::int64_t, voxel_set>> wanted_label_sets(
    const volume_view<T, 3>& view, const image_geometry& geometry, const shape_options& options,
    const char* function) {
  using voxel_type = std::remove_cv_t<T>;
  static_assert(label_voxel<voxel_type>,
                "label_shapes_3d() / label_shapes_2d(): the voxel type is not a label_voxel; "
                "specialise discgeom::voxel_traits for it with is_foreground() and label()");
  geometry.validate(function);
  auto all = collect_label_voxels(view, geometry);
  std::vector<std::pair<std::int64_t, voxel_set>> sets;
  if (options.labels.empty()) {
    for (auto& entry : all)
      sets.emplace_back(static_cast<std::int64_t>(entry.label), std::move(entry.set));
    return sets;
  }
  for (const auto label : options.labels) {
    voxel_set set{{}, view.shape(), geometry};
    for (auto& entry : all)
      if (static_cast<std::int64_t>(entry.label) == label)
        set = entry.set;
    sets.emplace_back(label, std::move(set));
  }
  return sets;
}

}  // namespace detail

/// The 3D shape features of every label of a 3D label map (shape_3d per label).
///
/// \tparam Labels  a volume_like 3D label map of `label_voxel`s
/// \param options  which labels, in which order (default: every foreground label, increasing)
/// \returns one entry per label, `label` set
/// \throws precondition_error for an invalid geometry or an extent beyond 2^32 - 1
/// Complexity: one pass over the volume, then shape_3d per label.
///
///   for (const auto& s : discgeom::label_shapes_3d(labels, geometry))
///     std::cout << s.label << ": " << s.sphericity << '\n';
template <volume_like Labels>
[[nodiscard]] std::vector<shape_features_3d> label_shapes_3d(Labels&& labels,
                                                             const image_geometry& geometry,
                                                             const shape_options& options = {}) {
  const auto view = as_volume<3>(labels);
  std::vector<shape_features_3d> result;
  for (auto& [label, set] : detail::wanted_label_sets(view, geometry, options, "label_shapes_3d")) {
    result.push_back(shape_3d(set));
    result.back().label = label;
  }
  return result;
}

/// The 2D shape features of every label of a 2D label map (rank 2: axes 0 and 1 with the
/// geometry's first two spacings), or of a 3D label map with one slice (the last axis of extent
/// 1 is the plane's normal).
///
/// \throws precondition_error when a 3D map has no axis of extent 1, for an invalid geometry
/// Complexity: one pass over the map, then shape_2d per label.
///
///   auto sections = discgeom::label_shapes_2d(slice_labels, geometry, {.labels = {201, 202}});
template <volume_like Labels>
[[nodiscard]] std::vector<shape_features_2d> label_shapes_2d(Labels&& labels,
                                                             const image_geometry& geometry,
                                                             const shape_options& options = {}) {
  const auto view = as_volume(labels);
  constexpr std::size_t rank = decltype(view)::rank();
  static_assert(rank == 2 || rank == 3, "label_shapes_2d(): the label map must be 2D or 3D");
  std::size_t normal = 2;
  if constexpr (rank == 3) {
    const auto shape = view.shape();
    DISCGEOM_PRECONDITION(shape[0] == 1 || shape[1] == 1 || shape[2] == 1, "label_shapes_2d",
                          "labels of shape ", shape, " have no axis of extent 1 (not one slice)");
    normal = shape[2] == 1 ? 2 : (shape[1] == 1 ? 1 : 0);
  }
  const auto volume = [&] {
    if constexpr (rank == 2)
      return detail::as_one_slice_volume(view);
    else
      return view;
  }();
  std::vector<shape_features_2d> result;
  for (auto& [label, set] :
       detail::wanted_label_sets(volume, geometry, options, "label_shapes_2d")) {
    result.push_back(shape_2d(set, normal));
    result.back().label = label;
  }
  return result;
}

}  // namespace discgeom
