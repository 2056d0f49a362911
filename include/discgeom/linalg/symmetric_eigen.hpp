// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Eigen-decomposition of a real symmetric matrix (covariance and moment matrices, PCA) through
/// LAPACK's dsyevd via xtensor-blas. Part of `discgeom::linalg`.

#include <cmath>
#include <cstddef>

#include <xtensor-blas/xlinalg.hpp>
#include <xtensor/xtensor.hpp>

#include "discgeom/error.hpp"

namespace discgeom {

/// Eigenvalues in decreasing order and the matching unit eigenvectors.
struct symmetric_eigen_result {
  xt::xtensor<double, 1> values;   ///< lambda_0 >= lambda_1 >= ... >= lambda_(n-1)
  xt::xtensor<double, 2> vectors;  ///< column c is the unit eigenvector of values(c)
};

/// Eigen-decomposition A = V diag(lambda) V^T of a real symmetric n x n matrix.
///
/// Each eigenvector's sign is fixed so that its component of largest magnitude is positive (the
/// lowest-index such component on ties), making the result deterministic across LAPACK builds;
/// callers that need an anatomical sign convention apply it on top.
///
/// \param matrix     any 2D xtensor expression of real numbers, square, symmetric
/// \param tolerance  allowed asymmetry, relative: |a_ij - a_ji| <= tolerance * max |a|
/// \returns eigenvalues (decreasing) and eigenvectors (columns)
/// \throws precondition_error when the matrix is not square, has a non-finite entry, or is not
///         symmetric within the tolerance; numerical_error when LAPACK does not converge
/// Complexity: O(n^3).
///
///   auto [values, vectors] = discgeom::symmetric_eigen(covariance);
template <class Matrix>
[[nodiscard]] symmetric_eigen_result symmetric_eigen(const Matrix& matrix,
                                                     double tolerance = 1e-9) {
  DISCGEOM_PRECONDITION(matrix.dimension() == 2, "symmetric_eigen",
                        "matrix must have 2 dimensions, got ", matrix.dimension(), " (shape ",
                        matrix.shape(), ")");
  const xt::xtensor<double, 2> a = matrix;
  const std::size_t n = a.shape()[0];
  DISCGEOM_PRECONDITION(a.shape()[1] == n, "symmetric_eigen", "matrix must be square, got shape ",
                        a.shape());
  double largest = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      DISCGEOM_PRECONDITION(std::isfinite(a(i, j)), "symmetric_eigen", "matrix(", i, ",", j,
                            ") must be finite, got ", a(i, j));
      largest = std::max(largest, std::abs(a(i, j)));
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      DISCGEOM_PRECONDITION(std::abs(a(i, j) - a(j, i)) <= tolerance * largest, "symmetric_eigen",
                            "matrix is not symmetric: matrix(", i, ",", j, ") = ", a(i, j),
                            " but matrix(", j, ",", i, ") = ", a(j, i));
    }
  }
  symmetric_eigen_result result{xt::xtensor<double, 1>::from_shape({n}),
                                xt::xtensor<double, 2>::from_shape({n, n})};
  if (n == 0) {
    return result;
  }
  try {
    const auto [ascending_values, ascending_vectors] = xt::linalg::eigh(a);
    for (std::size_t c = 0; c < n; ++c) {  // LAPACK returns increasing order
      const std::size_t from = n - 1 - c;
      result.values(c) = ascending_values(from);
      std::size_t dominant = 0;
      for (std::size_t r = 1; r < n; ++r) {
        if (std::abs(ascending_vectors(r, from)) >
            std::abs(ascending_vectors(dominant, from)) + 1e-12) {
          dominant = r;
        }
      }
      const double sign = ascending_vectors(dominant, from) < 0.0 ? -1.0 : 1.0;
      for (std::size_t r = 0; r < n; ++r) {
        result.vectors(r, c) = sign * ascending_vectors(r, from);
      }
    }
  } catch (const std::runtime_error& failure) {
    detail::throw_error<numerical_error>("symmetric_eigen", "LAPACK failed: ", failure.what());
  }
  return result;
}

}  // namespace discgeom
