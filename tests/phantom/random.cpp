// SPDX-License-Identifier: MIT
// phantom/random.hpp: the seeded draws behind the phantoms, the same on every platform.
#include "discgeom/phantom/random.hpp"

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

using namespace discgeom::phantom;

TEST_CASE("phantom random: splitmix64 is SplitMix64's output function") {
  // The first two outputs of SplitMix64 seeded with 0 (state 0, then 0x9e3779b97f4a7c15).
  STATIC_REQUIRE(splitmix64(0) == 0xe220a8397b1dcdafULL);
  CHECK(splitmix64(0x9e3779b97f4a7c15ULL) == 0x6e789e6aa1b965f4ULL);
  CHECK(splitmix64(1) == 0x910a2dec89025cc1ULL);
}

TEST_CASE("phantom random: uniform01 takes the top 53 bits of a word") {
  std::mt19937_64 g;  // default seed 5489: first word 14514284786278117030 (C++ standard)
  // (14514284786278117030 >> 11) * 2^-53, computed by hand
  CHECK(uniform01(g) == 0.7868209548678019);
  std::mt19937_64 h(42);
  for (int n = 0; n < 10000; ++n) {
    const double u = uniform01(h);
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    REQUIRE(std::ldexp(u, 53) == std::floor(std::ldexp(u, 53)));
  }
}

TEST_CASE("phantom random: uniform, bernoulli and normal moments") {
  std::mt19937_64 g(7);
  constexpr int n = 200000;
  double sum = 0, sum2 = 0;
  int hits = 0;
  for (int i = 0; i < n; ++i) {
    const double u = uniform(g, 2.0, 5.0);
    REQUIRE(u >= 2.0);
    REQUIRE(u < 5.0);
    sum += u;
    hits += bernoulli(g, 0.2);
  }
  // mean 3.5, sd of the mean sqrt(0.75 / n) = 0.0019: 5 sd
  CHECK(sum / n == Approx(3.5).margin(0.01));
  // proportion 0.2, sd sqrt(0.16 / n) = 0.0009: 5 sd
  CHECK(static_cast<double>(hits) / n == Approx(0.2).margin(0.0045));
  sum = 0;
  double cross = 0;
  for (int i = 0; i < n; ++i) {
    const auto [x, y] = standard_normal_pair(g);
    sum += x + y;
    sum2 += x * x + y * y;
    cross += x * y;
  }
  // 2n values: mean 0 (sd 0.0016), variance 1 (sd sqrt(2 / 2n) = 0.0022), pairs uncorrelated
  CHECK(sum / (2 * n) == Approx(0.0).margin(0.008));
  CHECK(sum2 / (2 * n) == Approx(1.0).margin(0.011));
  CHECK(cross / n == Approx(0.0).margin(0.012));
  CHECK(bernoulli(g, 0.0) == false);
  CHECK(bernoulli(g, 1.0) == true);
}

TEST_CASE("phantom random: a case's stream depends on seed, case and purpose only") {
  auto a = case_stream(7, 3, stream_purpose::anatomy);
  auto b = case_stream(7, 3, stream_purpose::anatomy);
  auto other_case = case_stream(7, 4, stream_purpose::anatomy);
  auto other_seed = case_stream(8, 3, stream_purpose::anatomy);
  auto other_purpose = case_stream(7, 3, stream_purpose::t1_image);
  const auto first = a();
  CHECK(first == b());
  CHECK(first != other_case());
  CHECK(first != other_seed());
  CHECK(first != other_purpose());
  // the seed is the documented mix
  std::mt19937_64 expected(splitmix64(splitmix64(7) ^ splitmix64(4) ^ splitmix64(1ULL << 32)));
  auto again = case_stream(7, 3, stream_purpose::anatomy);
  CHECK(again() == expected());
}

TEST_CASE("phantom random: uniform names a bad range") {
  std::mt19937_64 g(1);
  CHECK_THROWS_WITH(uniform(g, 3.0, 2.0),
                    "uniform(): the range [3, 2] must be finite with low <= high");
  CHECK_THROWS_AS(uniform(g, 0.0, INFINITY), discgeom::precondition_error);
}
