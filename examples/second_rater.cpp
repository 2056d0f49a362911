// SPDX-License-Identifier: MIT
// Simulates a second rater's label map from a first one, to demonstrate `discgeom overlap`:
// every label is eroded by a ball of the given radius in mm (a rater who draws a little inside
// the boundary), at the true voxel size.
//
//   second_rater OUT_DIR RADIUS_MM SX,SY,SZ MASK...
//
// Each output keeps its input's file name and header, so that `discgeom overlap` pairs it with
// its input by case name.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "discgeom/arguments.hpp"
#include "discgeom/discgeom.hpp"
#include "discgeom/io/image_io.hpp"
#include "discgeom/mask/labels.hpp"
#include "discgeom/mask/morphology.hpp"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() < 4) {
    std::fprintf(stderr, "usage: second_rater OUT_DIR RADIUS_MM SX,SY,SZ MASK...\n");
    return 2;
  }
  try {
    const fs::path out_dir = args[0];
    const double radius = std::strtod(args[1].c_str(), nullptr);
    const discgeom::vec3 spacing = discgeom::cli::parse_spacing(args[2]);
    fs::create_directories(out_dir);
    for (std::size_t i = 3; i < args.size(); ++i) {
      const auto first = discgeom::read_image<std::uint32_t>(args[i]);
      discgeom::image_geometry true_geometry = first.geometry;
      true_geometry.spacing = spacing;
      auto second = discgeom::image<std::uint32_t>::filled(first.shape(), first.geometry, 0);
      for (const auto& [label, voxels] : discgeom::label_voxel_counts(first.view())) {
        auto mask = discgeom::image<std::uint8_t>::filled(first.shape(), true_geometry, 0);
        for (std::size_t v = 0; v < first.voxels.size(); ++v)
          mask.voxels.data()[v] = first.voxels.data()[v] == label ? 1 : 0;
        const auto eroded = discgeom::erode(mask.view(), true_geometry, {radius, radius, radius});
        for (std::size_t v = 0; v < first.voxels.size(); ++v)
          if (eroded.voxels.data()[v] != 0)
            second.voxels.data()[v] = label;
      }
      discgeom::write_image(out_dir / fs::path(args[i]).filename(), second);
    }
    return 0;
  } catch (const std::exception& failure) {
    std::fprintf(stderr, "second_rater: %s\n", failure.what());
    return 1;
  }
}
