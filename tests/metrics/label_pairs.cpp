// SPDX-License-Identifier: MIT
#include "discgeom/metrics/label_pairs.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

#include "user_voxels.hpp"

namespace {

// Random label maps made of runs (as real ones are), with `labels` distinct non-zero values.
std::vector<std::uint32_t> random_runs(std::size_t n, std::uint32_t labels, std::uint64_t seed) {
  std::mt19937_64 generator(seed);
  std::vector<std::uint32_t> values(n);
  std::size_t i = 0;
  while (i < n) {
    const std::size_t run = 1 + generator() % 150;
    const std::uint32_t label =
        generator() % 3 == 0 ? 0 : static_cast<std::uint32_t>(1 + generator() % labels);
    for (std::size_t j = 0; j < run && i < n; ++j, ++i)
      values[i] = label;
  }
  return values;
}

std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint64_t> brute_force_pairs(
    const std::vector<std::uint32_t>& r, const std::vector<std::uint32_t>& p) {
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint64_t> counts;
  for (std::size_t i = 0; i < r.size(); ++i)
    ++counts[{r[i], p[i]}];
  return counts;
}

}  // namespace

TEMPLATE_TEST_CASE("count_label_pairs equals a brute-force joint histogram", "[metrics]",
                   std::uint8_t, std::uint16_t, std::int16_t, std::uint32_t, std::int64_t, float,
                   double, user::spine_label, user::opaque_label) {
  const std::array<std::size_t, 3> shape{17, 9, 11};  // 1683 voxels: blocks of 64 plus a tail
  const std::size_t n = 17 * 9 * 11;
  const std::uint32_t labels = std::is_same_v<TestType, user::spine_label> ? 1 : 33;
  auto r = random_runs(n, labels, 1);
  auto p = random_runs(n, labels, 2);
  if constexpr (std::is_same_v<TestType, user::spine_label>) {
    for (auto* values : {&r, &p})
      for (auto& v : *values)
        v = v == 0 ? 0 : 201;  // values the enumeration names
  }
  std::vector<TestType> rv, pv;
  for (std::size_t i = 0; i < n; ++i) {
    rv.push_back(user::make_label<TestType>(r[i]));
    pv.push_back(user::make_label<TestType>(p[i]));
  }
  const auto expected = brute_force_pairs(r, p);

  SECTION("same layout (the vectorised path) and different layouts (the indexed path)") {
    const auto row = discgeom::row_major_strides(shape);
    const auto column = discgeom::column_major_strides(shape);
    for (const auto& prediction_strides : {row, column}) {
      const discgeom::volume_view<const TestType, 3> reference(rv.data(), shape, row);
      // For the column-major prediction, rearrange so voxel (i, j, k) holds the same value.
      std::vector<TestType> arranged(n);
      const discgeom::volume_view<TestType, 3> prediction(arranged.data(), shape,
                                                          prediction_strides);
      const discgeom::volume_view<const TestType, 3> original(pv.data(), shape, row);
      for (std::size_t i = 0; i < shape[0]; ++i)
        for (std::size_t j = 0; j < shape[1]; ++j)
          for (std::size_t k = 0; k < shape[2]; ++k)
            prediction(i, j, k) = original(i, j, k);

      const auto counts = discgeom::count_label_pairs(reference, prediction);
      REQUIRE(counts.total_voxels() == n);
      REQUIRE(counts.pairs().size() == expected.size());
      for (const auto& [key, voxels] : expected)
        CHECK(counts.voxels(key.first, key.second) == voxels);
      for (std::uint32_t label : counts.labels()) {
        discgeom::confusion_counts c;
        for (std::size_t i = 0; i < n; ++i) {
          const bool in_r = r[i] == label, in_p = p[i] == label;
          c.tp += in_r && in_p;
          c.fp += !in_r && in_p;
          c.fn += in_r && !in_p;
          c.tn += !in_r && !in_p;
        }
        CHECK(counts.confusion(label) == c);
      }
    }
  }
}

TEST_CASE("count_label_pairs: hand-counted boxes and labels up to 32 bits", "[metrics]") {
  // Reference: label 4294967295 in i < 2 of a 4 x 3 x 2 volume (12 voxels); prediction: the
  // same label in i < 3 (18 voxels).
  std::vector<std::uint32_t> reference(24, 0), prediction(24, 0);
  const discgeom::volume_view<std::uint32_t, 3> r(reference.data(), {4, 3, 2});
  const discgeom::volume_view<std::uint32_t, 3> p(prediction.data(), {4, 3, 2});
  for (std::size_t i = 0; i < 4; ++i)
    for (std::size_t j = 0; j < 3; ++j)
      for (std::size_t k = 0; k < 2; ++k) {
        if (i < 2)
          r(i, j, k) = 4294967295u;
        if (i < 3)
          p(i, j, k) = 4294967295u;
      }
  const auto counts = discgeom::count_label_pairs(r, p);
  CHECK(counts.confusion(4294967295u) == discgeom::confusion_counts{12, 6, 0, 6});
  CHECK(counts.labels() == std::vector<discgeom::label_value>{4294967295u});
  CHECK(counts.confusion(7) == discgeom::confusion_counts{0, 0, 0, 24});  // absent label
  CHECK(counts.confusion(0) == discgeom::confusion_counts{6, 0, 6, 12});  // background
}

TEST_CASE("count_label_pairs refuses what is not a pair of label maps", "[metrics][errors]") {
  using Catch::Matchers::Contains;
  std::vector<std::uint8_t> a(24, 0), b(30, 0);
  SECTION("shapes differ: both are named") {
    CHECK_THROWS_WITH(discgeom::count_label_pairs(discgeom::as_volume(a.data(), {4, 3, 2}),
                                                  discgeom::as_volume(b.data(), {5, 3, 2})),
                      "count_label_pairs(): reference and prediction differ in shape: reference "
                      "[4,3,2] vs prediction [5,3,2]");
  }
  SECTION("empty volumes") {
    CHECK_THROWS_WITH(discgeom::count_label_pairs(discgeom::as_volume(a.data(), {0, 3, 2}),
                                                  discgeom::as_volume(b.data(), {0, 3, 2})),
                      "count_label_pairs(): the volumes hold no voxels: shape [0,3,2]");
  }
  SECTION("a float volume holding a value that is not a whole number") {
    std::vector<float> r(24, 0.0f), p(24, 1.0f);
    r[13] = 1.5f;  // row-major index (2, 0, 1)
    CHECK_THROWS_WITH(discgeom::count_label_pairs(discgeom::as_volume(r.data(), {4, 3, 2}),
                                                  discgeom::as_volume(p.data(), {4, 3, 2})),
                      "count_label_pairs(): reference holds the value 1.5 at index [2,0,1], "
                      "which is not a label: labels must be whole numbers in [0, 4294967295] "
                      "(32 bits)");
    p[3] = std::numeric_limits<float>::quiet_NaN();
    r[13] = 2.0f;
    CHECK_THROWS_WITH(discgeom::count_label_pairs(discgeom::as_volume(r.data(), {4, 3, 2}),
                                                  discgeom::as_volume(p.data(), {4, 3, 2})),
                      Contains("prediction holds the value nan at index [0,1,1]"));
  }
  SECTION("labels beyond 32 bits, negative labels") {
    std::vector<std::int64_t> r(24, 0), p(24, 0);
    r[23] = std::int64_t{1} << 32;
    CHECK_THROWS_WITH(discgeom::count_label_pairs(discgeom::as_volume(r.data(), {4, 3, 2}),
                                                  discgeom::as_volume(p.data(), {4, 3, 2})),
                      Contains("reference holds the value 4294967296 at index [3,2,1]"));
    r[23] = 0;
    p[0] = -1;
    CHECK_THROWS_WITH(discgeom::count_label_pairs(discgeom::as_volume(r.data(), {4, 3, 2}),
                                                  discgeom::as_volume(p.data(), {4, 3, 2})),
                      Contains("prediction holds the value -1 at index [0,0,0]"));
  }
}
