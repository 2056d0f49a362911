// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// `volume_adapter` for xtensor: containers (`xt::xtensor`, `xt::xarray`, `xt::xtensor_fixed`,
/// adaptors) and strided views (`xt::view` with integers, `xt::range`, `xt::all`;
/// `xt::strided_view`, `xt::transpose`, `xt::flip`) are viewed without copying, whatever their
/// layout. An expression with no memory behind it (`a + b`, a view with `xt::keep`) is not
/// adaptable: evaluate it first with `xt::eval`.
///
///   xt::xtensor<std::uint8_t, 3> mask = xt::zeros<std::uint8_t>({64, 64, 64});
///   auto view = discgeom::as_volume(mask);                 // volume_view<std::uint8_t, 3>
///   auto half = discgeom::as_volume(xt::view(mask, xt::range(0, 32), xt::all(), xt::all()));
///   xt::xarray<float> dynamic = ...;
///   auto view3 = discgeom::as_volume<3>(dynamic);          // rank checked at run time

#include <cstddef>
#include <type_traits>
#include <vector>

#include <xtensor/xexpression.hpp>
#include <xtensor/xshape.hpp>
#include <xtensor/xstrided_view.hpp>
#include <xtensor/xview.hpp>

#include "discgeom/as_volume.hpp"
#include "discgeom/error.hpp"

namespace discgeom {

namespace detail {

/// An xtensor expression that has memory behind it: data(), data_offset() and strides().
template <class E>
concept xtensor_strided_expression = xt::is_xexpression<E>::value && requires(const E& e) {
  e.data();
  e.data_offset();
  e.strides();
  e.shape();
};

/// Whether a view of an xtensor expression may outlive the expression object: true for views
/// whose closure holds an lvalue reference to the viewed container.
template <class E>
struct xtensor_borrowed : std::false_type {};

template <class CT, class... S>
struct xtensor_borrowed<xt::xview<CT, S...>> : std::is_lvalue_reference<CT> {};

template <class CT, class S, xt::layout_type L, class FST>
struct xtensor_borrowed<xt::xstrided_view<CT, S, L, FST>> : std::is_lvalue_reference<CT> {};

}  // namespace detail

template <class E>
requires detail::xtensor_strided_expression<E>
struct volume_adapter<E> {
  static constexpr std::size_t rank =
      xt::static_dimension<typename E::shape_type>::value < 0
          ? dynamic_rank
          : static_cast<std::size_t>(xt::static_dimension<typename E::shape_type>::value);
  static constexpr bool borrowed = detail::xtensor_borrowed<E>::value;

  template <class Expression>
  static auto* data(Expression& expression) {
    return expression.data() + expression.data_offset();
  }
  static const auto& shape(const E& expression) { return expression.shape(); }
  static const auto& strides(const E& expression) { return expression.strides(); }
};

/// The columns of a 2D xtensor expression whose rows are observations and whose columns are
/// features, as the `sample_columns` the statistics take (stats/sample.hpp): one copy of the
/// values as doubles, column by column. Any expression works, evaluated or not.
///
///   xt::xtensor<double, 2> latents = ...;                      // discs x features
///   auto m = discgeom::correlation_matrix(discgeom::feature_columns(latents), geometry);
///
/// \throws precondition_error when the expression is not two-dimensional (its rank named)
template <class E>
requires xt::is_xexpression<std::remove_cvref_t<E>>::value
    [[nodiscard]] std::vector<std::vector<double>>
    feature_columns(const E& table) {
  DISCGEOM_PRECONDITION(table.dimension() == 2, "feature_columns",
                        "the table must be two-dimensional (rows x features), got rank ",
                        table.dimension());
  const std::size_t rows = table.shape()[0];
  const std::size_t features = table.shape()[1];
  std::vector<std::vector<double>> columns(features, std::vector<double>(rows));
  for (std::size_t row = 0; row < rows; ++row) {
    for (std::size_t feature = 0; feature < features; ++feature) {
      columns[feature][row] = static_cast<double>(table(row, feature));
    }
  }
  return columns;
}

}  // namespace discgeom
