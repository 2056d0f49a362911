// SPDX-License-Identifier: MIT
#include "discgeom/linalg/symmetric_eigen.hpp"

#include <cmath>
#include <limits>

#include <catch2/catch.hpp>
#include <xtensor/xarray.hpp>
#include <xtensor/xtensor.hpp>

TEST_CASE(
    "symmetric_eigen: [[2,1],[1,2]] has eigenvalues 3, 1 and vectors (1,1)/sqrt2, (-1,1)/sqrt2") {
  const xt::xtensor<double, 2> a = {{2.0, 1.0}, {1.0, 2.0}};
  const auto [values, vectors] = discgeom::symmetric_eigen(a);
  CHECK(values(0) == Approx(3.0));
  CHECK(values(1) == Approx(1.0));
  const double h = 1.0 / std::sqrt(2.0);
  CHECK(vectors(0, 0) == Approx(h));
  CHECK(vectors(1, 0) == Approx(h));
  // Second vector: (1,-1)/sqrt2 or (-1,1)/sqrt2 tie on magnitude; the first component wins, so +.
  CHECK(vectors(0, 1) == Approx(h));
  CHECK(vectors(1, 1) == Approx(-h));
}

TEST_CASE("symmetric_eigen recovers R diag(5,3,1) R^T, decreasing, largest component positive") {
  const double c = std::cos(0.7), s = std::sin(0.7);
  // R: rotation by 0.7 rad about the z axis.
  const xt::xtensor<double, 2> r = {{c, -s, 0.0}, {s, c, 0.0}, {0.0, 0.0, 1.0}};
  const double lambda[3] = {1.0, 5.0, 3.0};  // deliberately unsorted along the axes
  xt::xtensor<double, 2> a = xt::zeros<double>({3, 3});
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 3; ++j)
      for (std::size_t k = 0; k < 3; ++k)
        a(i, j) += r(i, k) * lambda[k] * r(j, k);
  const auto [values, vectors] = discgeom::symmetric_eigen(a);
  CHECK(values(0) == Approx(5.0));
  CHECK(values(1) == Approx(3.0));
  CHECK(values(2) == Approx(1.0));
  // Eigenvector of 5 is R's second column (-s, c, 0), sign chosen so that c (the largest) > 0.
  CHECK(vectors(0, 0) == Approx(-s));
  CHECK(vectors(1, 0) == Approx(c));
  CHECK(vectors(2, 0) == Approx(0.0).margin(1e-12));
  CHECK(vectors(2, 1) == Approx(1.0));
}

TEST_CASE("symmetric_eigen: bad matrices throw precondition_error with the offending entries") {
  const xt::xtensor<double, 2> rectangular = xt::zeros<double>({2, 3});
  CHECK_THROWS_WITH(discgeom::symmetric_eigen(rectangular),
                    "symmetric_eigen(): matrix must be square, got shape [2,3]");
  const xt::xarray<double> cube = xt::zeros<double>({2, 2, 2});
  CHECK_THROWS_WITH(discgeom::symmetric_eigen(cube),
                    "symmetric_eigen(): matrix must have 2 dimensions, got 3 (shape [2,2,2])");
  const xt::xtensor<double, 2> asymmetric = {{1.0, 2.0}, {0.0, 1.0}};
  CHECK_THROWS_WITH(
      discgeom::symmetric_eigen(asymmetric),
      "symmetric_eigen(): matrix is not symmetric: matrix(0,1) = 2 but matrix(1,0) = 0");
  xt::xtensor<double, 2> with_nan = {{1.0, 0.0}, {0.0, 1.0}};
  with_nan(1, 1) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(discgeom::symmetric_eigen(with_nan), discgeom::precondition_error);
}
