// SPDX-License-Identifier: MIT
// A user's voxel types and container, end to end through the core: the promise of
// docs/customisation.md.
#include <array>
#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

#include "discgeom/discgeom.hpp"
#include "user_voxels.hpp"

namespace {

// A segmentation network's output stored slice by slice, each slice a separate buffer. Not
// strided as a whole, so it is copied into an image by the user; a single slice is viewed in place.
struct probability_slices {
  std::size_t rows = 0, columns = 0;
  std::vector<std::vector<user::probability>> slices;
};

// A label map in the user's own row-major storage with a (z, y, x) shape.
struct label_grid {
  std::array<std::size_t, 3> zyx{};
  std::vector<user::opaque_label> labels;
};

}  // namespace

template <>
struct discgeom::volume_adapter<label_grid> {
  static constexpr std::size_t rank = 3;
  static auto* data(auto& grid) { return grid.labels.data(); }
  static const std::array<std::size_t, 3>& shape(const label_grid& grid) { return grid.zyx; }
};

TEST_CASE("a user container adapted once works with every algorithm") {
  label_grid grid{{2, 3, 4}, std::vector<user::opaque_label>(24)};
  grid.labels[5] = {225};
  grid.labels[6] = {225};
  grid.labels[23] = {7};
  const auto counts = discgeom::label_voxel_counts(grid);
  REQUIRE(counts.size() == 2);
  CHECK(counts[0].label == 7u);
  CHECK(counts[1].label == 225u);
  CHECK(counts[1].voxels == 2);
  CHECK(discgeom::voxel_traits<user::opaque_label>::label(discgeom::as_volume(grid)(0, 1, 1)) ==
        225u);
}

TEST_CASE("a probability voxel is a mask and a scalar through its traits") {
  probability_slices network{2, 2, {{{0.1f}, {0.6f}, {0.5f}, {0.49f}}}};
  const auto plane = discgeom::as_volume(network.slices[0].data(), {network.rows, network.columns});
  int foreground = 0;
  double sum = 0.0;
  discgeom::for_each_voxel(plane, [&](const auto&, const user::probability& voxel) {
    using traits = discgeom::voxel_traits<user::probability>;
    foreground += traits::is_foreground(voxel) ? 1 : 0;
    sum += traits::to_real(voxel);
  });
  CHECK(foreground == 2);
  CHECK(sum == Approx(0.1 + 0.6 + 0.5 + 0.49));
}
