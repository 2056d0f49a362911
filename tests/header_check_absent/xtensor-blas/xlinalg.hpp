// SPDX-License-Identifier: MIT
// Stands in for xtensor-blas in the header checks of the components that must not need it
// (tests/CMakeLists.txt): a header of such a component that includes it fails to compile.
#error "xtensor-blas included: this header needs discgeom::linalg, not only its own component"
