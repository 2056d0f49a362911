// SPDX-License-Identifier: MIT
// An outside program writing and reading an image through the installed discgeom::io.
#include <discgeom/io/image_io.hpp>

#include <cstdio>
#include <filesystem>

int main(int argc, char** argv) {
  const std::filesystem::path path = argc > 1 ? argv[1] : "consumer_io.nii.gz";
  auto img = discgeom::image<std::uint8_t>::filled({3, 4, 5}, {.spacing = {0.5, 0.5, 4.0}}, 0);
  img.voxels(2, 3, 4) = 201;
  discgeom::write_image(path, img);
  const auto back = discgeom::read_image<std::uint8_t>(path);
  const bool ok = back.voxels(2, 3, 4) == 201 && back.geometry.spacing[2] == 4.0;
  std::printf("io component: %s\n", ok ? "ok" : "WRONG");
  return ok ? 0 : 1;
}
