// SPDX-License-Identifier: MIT
#include "discgeom/as_volume.hpp"

#include <array>
#include <cstdint>
#include <numeric>
#include <span>
#include <type_traits>
#include <vector>

#include <catch2/catch.hpp>

#include "user_voxels.hpp"

namespace {

// A user's storage with a rank known only at run time, viewed through volume_adapter.
struct runtime_grid {
  std::vector<long> dims;
  std::vector<float> values;
};

// A user's own strided type (mdspan-like): as_volume needs no adapter for it.
struct my_span3 {
  using value_type = std::int16_t;
  static constexpr std::size_t rank() { return 3; }
  std::int16_t* pointer;
  std::array<std::size_t, 3> extents;
  std::array<std::ptrdiff_t, 3> steps;
  std::int16_t* data() const { return pointer; }
  const std::array<std::size_t, 3>& shape() const { return extents; }
  const std::array<std::ptrdiff_t, 3>& strides() const { return steps; }
  std::size_t size() const { return extents[0] * extents[1] * extents[2]; }
  std::int16_t& operator[](const std::array<std::size_t, 3>& i) const {
    return pointer[static_cast<std::ptrdiff_t>(i[0]) * steps[0] +
                   static_cast<std::ptrdiff_t>(i[1]) * steps[1] +
                   static_cast<std::ptrdiff_t>(i[2]) * steps[2]];
  }
};

}  // namespace

template <>
struct discgeom::volume_adapter<runtime_grid> {
  static auto* data(auto& grid) { return grid.values.data(); }
  static const std::vector<long>& shape(const runtime_grid& grid) { return grid.dims; }
};

TEST_CASE("as_volume: pointer and braced shape give a row-major view") {
  std::vector<user::spine_label> buffer(24);
  auto view = discgeom::as_volume(buffer.data(), {2, 3, 4});
  STATIC_REQUIRE(std::is_same_v<decltype(view), discgeom::volume_view<user::spine_label, 3>>);
  CHECK(view.is_row_major());
  const std::vector<user::spine_label>& read_only = buffer;
  auto const_view = discgeom::as_volume(read_only.data(), {4, 6});
  STATIC_REQUIRE(
      std::is_same_v<decltype(const_view), discgeom::volume_view<const user::spine_label, 2>>);
}

TEST_CASE("as_volume: explicit strides") {
  std::vector<int> buffer(12);
  std::iota(buffer.begin(), buffer.end(), 0);
  const auto view = discgeom::as_volume(buffer.data(), std::array<std::size_t, 2>{3, 4},
                                        std::array<std::ptrdiff_t, 2>{1, 3});
  CHECK(view(2, 3) == 2 + 9);
  const auto runtime =
      discgeom::as_volume<2>(buffer.data(), std::vector<int>{3, 4}, std::vector<long>{1, 3});
  CHECK(runtime(2, 3) == 11);
}

TEST_CASE("as_volume: rank and shape mismatches throw precondition_error with the values") {
  std::vector<int> buffer(24);
  CHECK_THROWS_AS(discgeom::as_volume<3>(buffer.data(), std::vector<std::size_t>{4, 6}),
                  discgeom::precondition_error);
  CHECK_THROWS_WITH(discgeom::as_volume<3>(buffer.data(), std::vector<std::size_t>{4, 6}),
                    "as_volume(): shape has 2 entries [4,6] but the rank is 3");
  CHECK_THROWS_WITH(discgeom::as_volume<3>(buffer.data(), std::vector<int>{2, -3, 4}),
                    "as_volume(): shape[1] = -3 is negative");
  CHECK_THROWS_WITH(
      discgeom::as_volume<2>(buffer.data(), std::vector<int>{4, 6}, std::vector<int>{1, 4, 24}),
      "as_volume(): strides has 3 entries [1,4,24] but the rank is 2");
  CHECK_THROWS_WITH(
      discgeom::as_volume(std::span<int>(buffer), std::array<std::size_t, 3>{2, 3, 5}),
      "as_volume(): data holds 24 voxels but shape [2,3,5] needs 30");
  CHECK_NOTHROW(discgeom::as_volume(std::span<int>(buffer), std::array<std::size_t, 3>{2, 3, 4}));
  int* null = nullptr;
  CHECK_THROWS_WITH(discgeom::as_volume(null, {8, 8}),
                    "as_volume(): data is null but shape [8,8] holds 64 voxels");
}

TEST_CASE("as_volume: a volume_adapter with run-time rank") {
  runtime_grid grid{{2, 3, 4}, std::vector<float>(24, 1.5f)};
  const auto view = discgeom::as_volume<3>(grid);
  STATIC_REQUIRE(
      std::is_same_v<std::remove_const_t<decltype(view)>, discgeom::volume_view<float, 3>>);
  CHECK(view.shape() == std::array<std::size_t, 3>{2, 3, 4});
  CHECK(view(1, 2, 3) == 1.5f);
  CHECK_THROWS_WITH(discgeom::as_volume<2>(grid),
                    "as_volume(): shape has 3 entries [2,3,4] but the rank is 2");
  const runtime_grid& read_only = grid;
  STATIC_REQUIRE(std::is_same_v<decltype(discgeom::as_volume<3>(read_only)),
                                discgeom::volume_view<const float, 3>>);
  runtime_grid broken{{2, 3, 4}, {}};
  CHECK_THROWS_WITH(discgeom::as_volume<3>(broken),
                    "as_volume(): data is null but shape [2,3,4] holds 24 voxels");
}

TEST_CASE("as_volume: a user's own strided type, and a view, pass through without copying") {
  std::vector<std::int16_t> buffer(8, 3);
  const my_span3 mine{buffer.data(), {2, 2, 2}, {4, 2, 1}};
  const auto view = discgeom::as_volume(mine);
  STATIC_REQUIRE(
      std::is_same_v<std::remove_const_t<decltype(view)>, discgeom::volume_view<std::int16_t, 3>>);
  CHECK(view.data() == buffer.data());
  CHECK(discgeom::as_volume(view).data() == buffer.data());
}
