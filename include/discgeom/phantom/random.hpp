// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Seeded random numbers for the phantoms that are the same on every standard library:
/// std::mt19937_64 is specified bit for bit, but std::uniform_real_distribution and
/// std::normal_distribution are not, so every draw here is an explicit transform of the
/// generator's 64-bit words. See docs/phantom.md ("Determinism").

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>

#include "discgeom/error.hpp"

namespace discgeom::phantom {

/// SplitMix64's output function (Steele, Lea and Flood, "Fast splittable pseudorandom number
/// generators", OOPSLA 2014): z = x + 0x9e3779b97f4a7c15, then two xor-shift-multiply rounds.
/// A bijection of 64-bit words that scatters nearby inputs; used to derive independent seeds.
///
/// \param x any 64-bit word
/// \returns the mixed word
/// Complexity: O(1).
/// Example: `splitmix64(0) == 0xe220a8397b1dcdafULL` (the first output of SplitMix64 seeded with
/// 0).
[[nodiscard]] constexpr std::uint64_t splitmix64(std::uint64_t x) noexcept {
  std::uint64_t z = x + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// What a random stream of one phantom case is used for; each purpose has its own stream, so
/// rendering the T1 image never changes the anatomy drawn for the same case, and the axial
/// muscle phantom (phantom/muscles.hpp) never changes the sagittal spine.
enum class stream_purpose : std::uint64_t {
  anatomy = 1,
  t1_image = 2,
  muscle_anatomy = 3,  ///< the axial muscle phantom's acquisition and anatomy
  muscle_t1_image = 4,
  second_rater = 5,  ///< the perturbed second rater of a muscle label map
};

/// The generator of one case: mt19937_64 seeded with
/// splitmix64(splitmix64(seed) ^ splitmix64(case_index + 1) ^ splitmix64(purpose << 32)).
/// Case k's numbers depend only on (seed, k, purpose), never on how many cases are generated.
///
/// \param seed       the user's seed
/// \param case_index 0-based case number
/// \param purpose    which stream of the case
/// \returns a freshly seeded generator
/// Complexity: O(1) (mt19937_64's seeding is O(312)).
/// Example: `auto g = case_stream(7, 0, stream_purpose::anatomy); double u = uniform01(g);`
[[nodiscard]] inline std::mt19937_64 case_stream(std::uint64_t seed, std::size_t case_index,
                                                 stream_purpose purpose) {
  const std::uint64_t mixed =
      splitmix64(splitmix64(seed) ^ splitmix64(static_cast<std::uint64_t>(case_index) + 1) ^
                 splitmix64(static_cast<std::uint64_t>(purpose) << 32));
  return std::mt19937_64(mixed);
}

/// A uniform double in [0, 1): the top 53 bits of one 64-bit word times 2^-53 (every value is a
/// multiple of 2^-53; exact in IEEE double arithmetic, so identical on every platform).
///
/// \param generator the stream (advanced by one word)
/// \returns u with 0 <= u < 1
/// Complexity: O(1).
/// Example: `double u = uniform01(g);`
[[nodiscard]] inline double uniform01(std::mt19937_64& generator) {
  return static_cast<double>(generator() >> 11) * 0x1.0p-53;
}

/// A uniform double in [low, high): low + (high - low) u with u = uniform01.
/// \throws precondition_error when low > high or either is not finite.
/// Example: `double height = uniform(g, 8.0, 12.0);`
[[nodiscard]] inline double uniform(std::mt19937_64& generator, double low, double high) {
  DISCGEOM_PRECONDITION(std::isfinite(low) && std::isfinite(high) && low <= high, "uniform",
                        "the range [", low, ", ", high, "] must be finite with low <= high");
  return low + (high - low) * uniform01(generator);
}

/// True with probability p: uniform01 < p (p <= 0 never, p >= 1 always).
/// Example: `bool narrowed = bernoulli(g, 0.2);`
[[nodiscard]] inline bool bernoulli(std::mt19937_64& generator, double p) {
  return uniform01(generator) < p;
}

/// Two independent standard normal deviates by Marsaglia's polar method (Marsaglia and Bray,
/// SIAM Review 6(3), 1964): draw (x, y) uniform in the square [-1, 1)^2 until
/// 0 < r^2 = x^2 + y^2 < 1, then f = sqrt(-2 ln r^2 / r^2) and return (x f, y f). Uses only
/// +, *, sqrt (correctly rounded by IEEE 754) and log.
struct normal_pair {
  double first = 0.0;
  double second = 0.0;
};

/// \param generator the stream (advanced by 2 words per attempt; 4/pi attempts on average)
/// \returns two independent N(0, 1) values
/// Complexity: O(1) expected.
/// Example: `auto [n1, n2] = standard_normal_pair(g);`
[[nodiscard]] inline normal_pair standard_normal_pair(std::mt19937_64& generator) {
  while (true) {
    const double x = 2.0 * uniform01(generator) - 1.0;
    const double y = 2.0 * uniform01(generator) - 1.0;
    const double r2 = x * x + y * y;
    if (r2 > 0.0 && r2 < 1.0) {
      const double f = std::sqrt(-2.0 * std::log(r2) / r2);
      return {x * f, y * f};
    }
  }
}

/// One voxel of a T1-like magnitude image: the clean signal I (fraction of full scale) with
/// Rician noise, |I + sigma (n1 + i n2)| = sqrt((I + sigma n1)^2 + (sigma n2)^2) for one
/// standard_normal_pair (n1, n2) (Gudbjartsson & Patz 1995: a magnitude image of complex Gaussian
/// noise), times `scale`, rounded and clamped to [0, 32767] (int16).
/// \param generator advanced by one standard_normal_pair
[[nodiscard]] inline std::int16_t rician_voxel(double signal, double sigma, double scale,
                                               std::mt19937_64& generator) {
  const auto noise = standard_normal_pair(generator);
  const double re = signal + sigma * noise.first, im = sigma * noise.second;
  const double value = std::round(scale * std::sqrt(re * re + im * im));
  return static_cast<std::int16_t>(std::clamp(value, 0.0, 32767.0));
}

}  // namespace discgeom::phantom
