// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Seeded random draws that give the same numbers on every standard library: std::mt19937_64 is
/// specified bit for bit, but std::uniform_int_distribution's algorithm is not.

#include <cstdint>
#include <limits>
#include <random>
#include <span>
#include <utility>

namespace discgeom::detail {

/// A uniform integer in [0, bound) from a 64-bit generator, by rejection. bound >= 1.
[[nodiscard]] inline std::uint64_t uniform_below(std::mt19937_64& generator, std::uint64_t bound) {
  const std::uint64_t limit =
      std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % bound;
  std::uint64_t draw = generator();
  while (draw >= limit) {
    draw = generator();
  }
  return draw % bound;
}

/// Fisher-Yates shuffle driven by uniform_below (std::shuffle's order is unspecified).
template <class T>
void shuffle_in_place(std::span<T> values, std::mt19937_64& generator) {
  for (std::size_t i = values.size(); i > 1; --i) {
    const auto j = static_cast<std::size_t>(uniform_below(generator, i));
    std::swap(values[i - 1], values[j]);
  }
}

}  // namespace discgeom::detail
