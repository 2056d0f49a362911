// SPDX-License-Identifier: MIT
// Stands in for nanoflann in the header checks of the components that must not need it
// (tests/CMakeLists.txt): a header of such a component that includes nanoflann fails to compile.
#error "nanoflann.hpp included: this header needs discgeom::spatial, not only its own component"
