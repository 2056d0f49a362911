// SPDX-License-Identifier: MIT
#pragma once
// Run-length decoding of the masks stored by the golden generators in tests/golden (pairs
// `value count`, axis 0 fastest, as discgeom::image stores voxels).
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <vector>

#include <catch2/catch.hpp>

namespace golden {

inline std::vector<std::uint16_t> decode_runs(std::istringstream& line, std::size_t voxels) {
  std::vector<std::uint16_t> values;
  std::uint32_t value = 0;
  std::size_t count = 0;
  while (line >> value >> count)
    values.insert(values.end(), count, static_cast<std::uint16_t>(value));
  REQUIRE(values.size() == voxels);
  return values;
}

}  // namespace golden
