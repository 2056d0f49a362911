// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// The discgeom version. CMake reads the project version from these three lines.

#define DISCGEOM_VERSION_MAJOR 0
#define DISCGEOM_VERSION_MINOR 1
#define DISCGEOM_VERSION_PATCH 0

namespace discgeom {
inline constexpr int version_major = DISCGEOM_VERSION_MAJOR;
inline constexpr int version_minor = DISCGEOM_VERSION_MINOR;
inline constexpr int version_patch = DISCGEOM_VERSION_PATCH;
}  // namespace discgeom
