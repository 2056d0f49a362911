// SPDX-License-Identifier: MIT
#include "discgeom/adapters/xtensor.hpp"

#include <cstdint>
#include <type_traits>

#include <catch2/catch.hpp>
#include <xtensor/xarray.hpp>
#include <xtensor/xmanipulation.hpp>
#include <xtensor/xstrided_view.hpp>
#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>

namespace {

// Every element of the view is the element of the expression at the same index, at the same
// address.
template <class View, class Expression>
void check_same_elements(const View& view, Expression& expression) {
  REQUIRE(view.shape().size() == expression.dimension());
  for (std::size_t a = 0; a < expression.shape()[0]; ++a) {
    for (std::size_t b = 0; b < expression.shape()[1]; ++b) {
      for (std::size_t c = 0; c < expression.shape()[2]; ++c) {
        REQUIRE(&view(a, b, c) == &expression(a, b, c));
      }
    }
  }
}

template <class T, std::size_t N, xt::layout_type L>
xt::xtensor<T, N, L> counting(const std::array<std::size_t, N>& shape) {
  xt::xtensor<T, N, L> result = xt::xtensor<T, N, L>::from_shape(shape);
  T next = 0;
  for (auto& value : result) {
    value = next++;
  }
  return result;
}

}  // namespace

TEST_CASE("xtensor containers of either layout are viewed in place") {
  auto row = counting<int, 3, xt::layout_type::row_major>({3, 4, 5});
  auto column = counting<int, 3, xt::layout_type::column_major>({3, 4, 5});
  const auto row_view = discgeom::as_volume(row);
  const auto column_view = discgeom::as_volume(column);
  STATIC_REQUIRE(
      std::is_same_v<std::remove_const_t<decltype(row_view)>, discgeom::volume_view<int, 3>>);
  CHECK(row_view.is_row_major());
  CHECK(column_view.is_column_major());
  check_same_elements(row_view, row);
  check_same_elements(column_view, column);

  const auto& read_only = row;
  STATIC_REQUIRE(std::is_same_v<decltype(discgeom::as_volume(read_only)),
                                discgeom::volume_view<const int, 3>>);
}

TEST_CASE("xtensor strided views (ranges with steps, transposes, flips) are viewed in place") {
  auto a = counting<std::uint16_t, 3, xt::layout_type::row_major>({6, 5, 4});

  auto sub = xt::view(a, xt::range(1, 6, 2), xt::all(), xt::range(3, 0, -1));
  check_same_elements(discgeom::as_volume(sub), sub);

  auto transposed = xt::transpose(a, {2, 0, 1});
  check_same_elements(discgeom::as_volume(transposed), transposed);

  auto flipped = xt::flip(a, 1);
  check_same_elements(discgeom::as_volume(flipped), flipped);

  // A temporary view of an lvalue container is borrowed: it may be passed directly.
  const auto plane = discgeom::as_volume(xt::view(a, 2, xt::all(), xt::all()));
  STATIC_REQUIRE(std::remove_const_t<decltype(plane)>::rank() == 2);
  CHECK(&plane(4, 3) == &a(2, 4, 3));
}

TEST_CASE("xt::xarray has a run-time rank: as_volume<Rank> checks it") {
  xt::xarray<float> dynamic = xt::zeros<float>({2, 3, 4});
  const auto view = discgeom::as_volume<3>(dynamic);
  CHECK(view.shape() == std::array<std::size_t, 3>{2, 3, 4});
  CHECK_THROWS_AS(discgeom::as_volume<2>(dynamic), discgeom::precondition_error);
  CHECK_THROWS_WITH(discgeom::as_volume<2>(dynamic),
                    "as_volume(): shape has 3 entries [2,3,4] but the rank is 2");
}

TEST_CASE("xtensor axes of extent 1 (stride 0 in xtensor) are handled") {
  xt::xtensor<double, 3> thin = xt::ones<double>({1, 7, 1});
  const auto view = discgeom::as_volume(thin);
  CHECK(view.is_row_major());
  CHECK(view(0, 6, 0) == 1.0);
}

TEST_CASE("xtensor tables give the feature columns the statistics take") {
  const xt::xtensor<float, 2> table{{1.f, 10.f}, {2.f, 20.f}, {3.f, 30.f}};
  const auto columns = discgeom::feature_columns(table);
  REQUIRE(columns.size() == 2);
  CHECK(columns[0] == std::vector<double>{1.0, 2.0, 3.0});
  CHECK(columns[1] == std::vector<double>{10.0, 20.0, 30.0});
  // An unevaluated expression works too.
  const auto doubled = discgeom::feature_columns(2.0 * table);
  CHECK(doubled[1][2] == 60.0);
  const xt::xarray<double> cube = xt::zeros<double>({2, 2, 2});
  REQUIRE_THROWS_WITH(discgeom::feature_columns(cube),
                      Catch::Contains("feature_columns()") && Catch::Contains("got rank 3"));
}
