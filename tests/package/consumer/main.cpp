// SPDX-License-Identifier: MIT
// An outside program: its own voxel type, its own container, discgeom's algorithms.
#include <discgeom/discgeom.hpp>

#include <array>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace clinic {

// A label voxel with no operators at all.
enum class tissue : std::uint16_t { background = 0, nucleus = 7, annulus = 9 };

// The clinic's own storage: x fastest, like a NIfTI file.
struct scan {
  std::size_t nx = 0, ny = 0, nz = 0;
  std::vector<tissue> voxels;
};

}  // namespace clinic

template <>
struct discgeom::voxel_traits<clinic::tissue> : discgeom::enum_label_traits<clinic::tissue> {};

template <>
struct discgeom::volume_adapter<clinic::scan> {
  static constexpr std::size_t rank = 3;
  static auto* data(auto& s) { return s.voxels.data(); }
  static std::array<std::size_t, 3> shape(const clinic::scan& s) { return {s.nx, s.ny, s.nz}; }
  static std::array<std::ptrdiff_t, 3> strides(const clinic::scan& s) {
    return discgeom::column_major_strides(shape(s));
  }
};

int main() {
  clinic::scan scan{4, 3, 2, std::vector<clinic::tissue>(24, clinic::tissue::background)};
  auto view = discgeom::as_volume(scan);
  view(1, 1, 1) = clinic::tissue::nucleus;
  view(2, 1, 1) = clinic::tissue::annulus;
  view(3, 2, 0) = clinic::tissue::annulus;
  const auto counts = discgeom::label_voxel_counts(scan);

  const discgeom::image_geometry geometry{.spacing = {0.5, 0.5, 4.0}};
  geometry.validate("consumer");
  const bool ok = counts.size() == 2 && counts[0].label == 7 && counts[0].voxels == 1 &&
                  counts[1].label == 9 && counts[1].voxels == 2 &&
                  scan.voxels[1 + 4 * 1 + 12 * 1] == clinic::tissue::nucleus &&
                  geometry.voxel_volume() == 1.0;
  for (const auto& [label, voxels] : counts) {
    std::printf("label %u: %zu voxels, %.3f mm^3\n", static_cast<unsigned>(label), voxels,
                static_cast<double>(voxels) * geometry.voxel_volume());
  }
  std::printf("custom voxel type: %s\n", ok ? "ok" : "WRONG");
  return ok ? 0 : 1;
}
