// SPDX-License-Identifier: MIT
#include "discgeom/mask/labels.hpp"

#include <array>
#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>
#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>

#include "discgeom/adapters/xtensor.hpp"
#include "discgeom/image.hpp"
#include "user_voxels.hpp"

// 4 x 5 x 6 volume: label 1 fills the slab k == 0 (20 voxels), label 100 the box i < 2, j < 3,
// k in [2, 4) (12 voxels), label 201 the single voxel (3, 4, 5). Everything else background.
TEMPLATE_TEST_CASE("label_voxel_counts counts each foreground label exactly", "[labels]",
                   std::uint8_t, std::int16_t, std::uint32_t, std::int64_t, user::spine_label,
                   user::opaque_label) {
  const std::array<std::size_t, 3> shape{4, 5, 6};
  for (const auto& strides :
       {discgeom::row_major_strides(shape), discgeom::column_major_strides(shape)}) {
    std::vector<TestType> buffer(120, user::make_label<TestType>(0));
    const discgeom::volume_view<TestType, 3> view(buffer.data(), shape, strides);
    for (std::size_t i = 0; i < 4; ++i)
      for (std::size_t j = 0; j < 5; ++j)
        view(i, j, 0) = user::make_label<TestType>(1);
    for (std::size_t i = 0; i < 2; ++i)
      for (std::size_t j = 0; j < 3; ++j)
        for (std::size_t k = 2; k < 4; ++k)
          view(i, j, k) = user::make_label<TestType>(100);
    view(3, 4, 5) = user::make_label<TestType>(201);

    const auto counts = discgeom::label_voxel_counts(view);
    REQUIRE(counts.size() == 3);
    CHECK(counts[0].label == 1);
    CHECK(counts[0].voxels == 20);
    CHECK(counts[1].label == 100);
    CHECK(counts[1].voxels == 12);
    CHECK(counts[2].label == 201);
    CHECK(counts[2].voxels == 1);
  }
}

TEST_CASE("label_voxel_counts: 32-bit labels, signed labels, empty and all-background volumes") {
  xt::xtensor<std::uint32_t, 3> big = xt::zeros<std::uint32_t>({3, 3, 3});
  big(0, 0, 0) = 4000000000u;
  big(2, 2, 2) = 70000u;
  auto counts = discgeom::label_voxel_counts(big);
  REQUIRE(counts.size() == 2);
  CHECK(counts[0].label == 70000u);
  CHECK(counts[1].label == 4000000000u);

  xt::xtensor<std::int8_t, 2> signed_labels = {{-1, -1, 0}, {2, 0, 0}};
  const auto signed_counts = discgeom::label_voxel_counts(signed_labels);
  REQUIRE(signed_counts.size() == 2);
  CHECK(signed_counts[0].label == -1);
  CHECK(signed_counts[0].voxels == 2);

  xt::xtensor<std::uint8_t, 3> background = xt::zeros<std::uint8_t>({5, 5, 5});
  CHECK(discgeom::label_voxel_counts(background).empty());
  const discgeom::volume_view<const std::uint8_t, 3> empty;
  CHECK(discgeom::label_voxel_counts(empty).empty());
}

TEST_CASE("label_voxel_counts on a strided xtensor view counts only the viewed voxels") {
  xt::xtensor<std::uint16_t, 3> labels = xt::ones<std::uint16_t>({6, 6, 6});
  const auto every_other = xt::view(labels, xt::range(0, 6, 2), xt::all(), xt::range(5, 0, -2));
  CHECK(discgeom::label_voxel_counts(every_other)[0].voxels == 3 * 6 * 3);
}

TEST_CASE("label_voxel_counts: bool masks count the foreground as label 1") {
  auto mask = discgeom::image<bool>::filled({2, 3, 4}, {}, false);
  mask.voxels(1, 2, 3) = true;
  mask.voxels(0, 0, 0) = true;
  const auto counts = discgeom::label_voxel_counts(mask);
  REQUIRE(counts.size() == 1);
  CHECK(counts[0].label == 1);
  CHECK(counts[0].voxels == 2);
}
