// SPDX-License-Identifier: MIT
// Must not compile: no_traits_voxel has no voxel_traits specialisation, and the diagnostic must
// name discgeom::voxel_traits<no_traits_voxel>.
#include "discgeom/mask/labels.hpp"

#include <vector>

struct no_traits_voxel {
  int value = 0;
};

int main() {
  std::vector<no_traits_voxel> buffer(8);
  const auto counts = discgeom::label_voxel_counts(discgeom::as_volume(buffer.data(), {2, 2, 2}));
  return static_cast<int>(counts.size());
}
