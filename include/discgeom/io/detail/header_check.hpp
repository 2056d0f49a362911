// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// What the format checks share: the summary they return, a refusal that names the file and the
/// header field, and checked arithmetic for declared sizes.

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "discgeom/error.hpp"
#include "discgeom/io/detail/text_header.hpp"

namespace discgeom::detail {

/// What a checked header declares.
struct declared_image {
  std::uint64_t voxels = 0;           ///< the product of every axis' extent
  std::uint64_t bytes_per_voxel = 0;  ///< the stored component's size
};

/// A checked header's file, for messages: "function(): 'name': field: why".
struct header_context {
  const char* function;
  std::string name;
  /// Spacings must be > 0 (else only finite: for callers who repair the geometry themselves).
  bool validate_geometry = true;
  /// Check the header alone, not the data (for reading the header without the voxels).
  bool header_only = false;

  template <class... Parts>
  [[noreturn]] void refuse(const char* field, const Parts&... parts) const {
    throw_error<io_error>(function, "'", name, "': ", field, ": ", parts...);
  }
};

/// The largest coordinate (mm) or affine entry a header may hold: a spine scan spans well under a
/// metre, and a larger value (1e300 in a srow) sends ITK's SVD into a loop that does not end.
inline constexpr double max_header_coordinate_mm = 1.0e6;

/// The most bytes a file or compressed stream may hold beyond its voxels: the rest of a larger
/// stream is not inflated (a small file must not cost minutes of inflating).
inline constexpr std::uint64_t max_bytes_after_data = std::uint64_t{1} << 20;

/// `a * b`, refused (field named) when it does not fit in 64 bits.
inline std::uint64_t checked_product(const header_context& file, const char* field, std::uint64_t a,
                                     std::uint64_t b) {
  if (b != 0 && a > std::numeric_limits<std::uint64_t>::max() / b)
    file.refuse(field, "the declared size overflows 64 bits");
  return a * b;
}

/// The voxel count of a text header's extents (MetaImage DimSize, NRRD sizes): each a whole
/// number >= 1, their product checked for overflow; `field` names them in a refusal.
inline std::uint64_t voxel_count(const header_context& file, const char* field,
                                 const std::vector<std::string_view>& extents) {
  std::uint64_t voxels = 1;
  for (const auto word : extents) {
    const auto extent = parse_integer(word);
    if (!extent || *extent < 1)
      file.refuse(field, "'", text_excerpt(word, 40), "' is not an extent of at least 1");
    voxels = checked_product(file, field, voxels, static_cast<std::uint64_t>(*extent));
  }
  return voxels;
}

/// A finite value no larger in magnitude than max_header_coordinate_mm, else refused.
inline void check_coordinate(const header_context& file, const char* field, double value) {
  if (!std::isfinite(value))
    file.refuse(field, "the value ", value, " is not finite");
  if (std::abs(value) > max_header_coordinate_mm)
    file.refuse(field, "the value ", value, " is beyond ", max_header_coordinate_mm, " mm");
}

/// A spacing: finite and > 0 (when the context validates geometry), no larger than
/// max_header_coordinate_mm.
inline void check_spacing(const header_context& file, const char* field, double value) {
  if (file.validate_geometry && !(std::isfinite(value) && value > 0.0))
    file.refuse(field, "the voxel size ", value, " mm is not a positive number");
  check_coordinate(file, field, value);
}

}  // namespace discgeom::detail
