// SPDX-License-Identifier: MIT
#include "discgeom/image.hpp"

#include <array>
#include <cstdint>
#include <type_traits>

#include <catch2/catch.hpp>

#include "user_voxels.hpp"

TEST_CASE("image<T>: column-major storage in file order, viewed in place") {
  const discgeom::image_geometry geometry{.spacing = {0.6, 0.6, 3.3}};
  auto img = discgeom::image<std::int16_t>::filled({4, 5, 6}, geometry, 2);
  CHECK(img.shape() == std::array<std::size_t, 3>{4, 5, 6});
  CHECK(img.geometry == geometry);
  const auto view = img.view();
  CHECK(view.is_column_major());
  CHECK(view.strides() == std::array<std::ptrdiff_t, 3>{1, 4, 20});
  view(3, 4, 5) = 9;
  CHECK(img.voxels(3, 4, 5) == 9);
  CHECK(img.voxels.data()[3 + 4 * 4 + 5 * 20] == 9);

  const auto adapted = discgeom::as_volume(img);
  CHECK(adapted.data() == view.data());
  CHECK(adapted.strides() == view.strides());
  const auto& read_only = img;
  STATIC_REQUIRE(std::is_same_v<decltype(discgeom::as_volume(read_only)),
                                discgeom::volume_view<const std::int16_t, 3>>);
}

TEST_CASE("image<T> holds user voxel types") {
  auto img = discgeom::image<user::spine_label>::filled({2, 2, 2}, {}, user::spine_label::canal);
  CHECK(discgeom::voxel_traits<user::spine_label>::label(img.view()(1, 1, 1)) == 100);
}
