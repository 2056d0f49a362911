// SPDX-License-Identifier: MIT
#include "discgeom/volume_view.hpp"

#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <type_traits>
#include <vector>

#include <catch2/catch.hpp>

using discgeom::volume_view;

TEST_CASE("volume_view: row-major by default, element (i,j,k) at i*n1*n2 + j*n2 + k") {
  std::vector<int> buffer(2 * 3 * 4);
  std::iota(buffer.begin(), buffer.end(), 0);
  const volume_view<int, 3> view(buffer.data(), {2, 3, 4});
  CHECK(view.rank() == 3);
  CHECK(view.size() == 24);
  CHECK(view.strides() == std::array<std::ptrdiff_t, 3>{12, 4, 1});
  CHECK(view.is_row_major());
  CHECK_FALSE(view.is_column_major());
  for (std::size_t i = 0; i < 2; ++i) {
    for (std::size_t j = 0; j < 3; ++j) {
      for (std::size_t k = 0; k < 4; ++k) {
        CHECK(view(i, j, k) == static_cast<int>(i * 12 + j * 4 + k));
        CHECK(view[{i, j, k}] == view(i, j, k));
      }
    }
  }
  view(1, 2, 3) = -1;
  CHECK(buffer.back() == -1);
}

TEST_CASE("volume_view: column-major and negative strides address the same memory") {
  std::vector<int> buffer(2 * 3 * 4);
  std::iota(buffer.begin(), buffer.end(), 0);
  const std::array<std::size_t, 3> shape{2, 3, 4};
  const volume_view<int, 3> column(buffer.data(), shape, discgeom::column_major_strides(shape));
  CHECK(column.strides() == std::array<std::ptrdiff_t, 3>{1, 2, 6});
  CHECK(column.is_column_major());
  CHECK(column(1, 2, 3) == 1 + 2 * 2 + 3 * 6);

  // The same buffer, axis 2 flipped: start at the last plane and walk backwards.
  const volume_view<int, 3> flipped(buffer.data() + 18, shape, {1, 2, -6});
  for (std::size_t k = 0; k < 4; ++k) {
    CHECK(flipped(1, 2, k) == column(1, 2, 3 - k));
  }
}

TEST_CASE("volume_view: axes of extent 1 do not break contiguity") {
  std::vector<float> buffer(5);
  const volume_view<float, 3> view(buffer.data(), {1, 5, 1}, {0, 1, 0});
  CHECK(view.is_row_major());
  CHECK(view.is_column_major());
}

namespace {
struct base_voxel {
  int label = 0;
};
struct derived_voxel : base_voxel {
  int extra = 0;
};
}  // namespace

// A derived-to-base conversion would apply derived-sized strides to base pointers.
static_assert(!std::is_convertible_v<volume_view<derived_voxel, 1>, volume_view<base_voxel, 1>>);
static_assert(
    std::is_convertible_v<volume_view<derived_voxel, 1>, volume_view<const derived_voxel, 1>>);
static_assert(!std::is_convertible_v<volume_view<const int, 1>, volume_view<int, 1>>);

TEST_CASE("volume_view converts to a view of const") {
  std::vector<std::uint8_t> buffer(8, 7);
  const volume_view<std::uint8_t, 3> view(buffer.data(), {2, 2, 2});
  const volume_view<const std::uint8_t, 3> read_only = view;
  CHECK(read_only.data() == view.data());
  CHECK(read_only(1, 1, 1) == 7);
}

TEST_CASE("volume_view: bad input throws precondition_error naming function, argument, value") {
  int* null = nullptr;
  CHECK_THROWS_AS((volume_view<int, 3>(null, {4, 4, 4})), discgeom::precondition_error);
  CHECK_THROWS_WITH((volume_view<int, 3>(null, {4, 4, 4})),
                    "volume_view(): data is null but shape [4,4,4] holds 64 voxels");
  CHECK_NOTHROW(volume_view<int, 3>(null, {0, 4, 4}));  // an empty view needs no data

  int one = 0;
  constexpr auto huge = std::numeric_limits<std::size_t>::max() / 2;
  CHECK_THROWS_WITH((volume_view<int, 3>(&one, {huge, 4, 1})),
                    Catch::Contains("volume_view(): shape [") &&
                        Catch::Contains("holds more voxels than size_t can count"));
  CHECK_THROWS_WITH(
      (volume_view<int, 2>(&one, {3, 3}, {std::numeric_limits<std::ptrdiff_t>::max() / 2, 1})),
      Catch::Contains("reach offsets beyond ptrdiff_t"));

  std::vector<int> buffer(8);
  const volume_view<int, 3> view(buffer.data(), {2, 2, 2});
  CHECK_NOTHROW(view.at({1, 1, 1}));
  CHECK_THROWS_WITH(view.at({1, 2, 1}),
                    "volume_view::at(): index [1,2,1] is outside shape [2,2,2]");
}

TEST_CASE("for_each_voxel visits every voxel once, in memory order, whatever the layout") {
  std::vector<int> buffer(3 * 4 * 5);
  const std::array<std::size_t, 3> shape{3, 4, 5};
  for (const auto& strides :
       {discgeom::row_major_strides(shape), discgeom::column_major_strides(shape)}) {
    const volume_view<int, 3> view(buffer.data(), shape, strides);
    std::vector<const int*> visited;
    std::set<std::array<std::size_t, 3>> indices;
    discgeom::for_each_voxel(view, [&](const std::array<std::size_t, 3>& index, int& voxel) {
      CHECK(&voxel == &view[index]);
      visited.push_back(&voxel);
      indices.insert(index);
    });
    REQUIRE(visited.size() == 60);
    CHECK(indices.size() == 60);
    for (std::size_t n = 0; n < visited.size(); ++n) {
      CHECK(visited[n] == buffer.data() + n);  // contiguous walk
    }
  }
}

TEST_CASE(
    "for_each_voxel: padded, flipped and broadcast layouts visit each index once with its "
    "element") {
  std::vector<int> buffer(200);
  std::iota(buffer.begin(), buffer.end(), 0);
  struct layout {
    std::ptrdiff_t start;
    std::array<std::ptrdiff_t, 3> strides;
  };
  // shape 3 x 4 x 2; padded row-major (rows of 10), flipped middle axis, a broadcast (stride 0)
  // axis
  for (const layout& l : {layout{0, {40, 10, 1}}, layout{30, {1, -10, 60}}, layout{5, {0, 3, 1}}}) {
    const volume_view<int, 3> view(buffer.data() + l.start, {3, 4, 2}, l.strides);
    std::map<std::array<std::size_t, 3>, int> seen;
    discgeom::for_each_voxel(view, [&](const std::array<std::size_t, 3>& index, int& voxel) {
      const auto expected = l.start + static_cast<std::ptrdiff_t>(index[0]) * l.strides[0] +
                            static_cast<std::ptrdiff_t>(index[1]) * l.strides[1] +
                            static_cast<std::ptrdiff_t>(index[2]) * l.strides[2];
      CHECK(voxel == expected);
      ++seen[index];
    });
    CHECK(seen.size() == 24);
    for (const auto& [index, count] : seen)
      CHECK(count == 1);
  }
}

TEST_CASE("slice of an empty view keeps the (possibly null) pointer") {
  const volume_view<int, 2> empty(nullptr, {0, 5});
  const auto column = discgeom::slice(empty, 1, 3);
  CHECK(column.data() == nullptr);
  CHECK(column.size() == 0);
}

TEST_CASE("for_each_voxel on an empty view visits nothing") {
  const volume_view<int, 3> empty;
  int calls = 0;
  discgeom::for_each_voxel(empty, [&](const auto&, int&) { ++calls; });
  CHECK(calls == 0);
}

TEST_CASE("slice: a (Rank-1) view at a position along an axis, no copy") {
  std::vector<int> buffer(2 * 3 * 4);
  std::iota(buffer.begin(), buffer.end(), 0);
  const volume_view<int, 3> view(buffer.data(), {2, 3, 4});
  const auto plane = discgeom::slice(view, 1, 2);
  STATIC_REQUIRE(decltype(plane)::rank() == 2);
  CHECK(plane.shape() == std::array<std::size_t, 2>{2, 4});
  for (std::size_t i = 0; i < 2; ++i) {
    for (std::size_t k = 0; k < 4; ++k) {
      CHECK(&plane(i, k) == &view(i, 2, k));
    }
  }
  CHECK_THROWS_WITH(discgeom::slice(view, 3, 0), "slice(): axis 3 is not below the rank 3");
  CHECK_THROWS_WITH(discgeom::slice(view, 2, 4),
                    "slice(): position 4 is outside axis 2 of shape [2,3,4]");
}
