// SPDX-License-Identifier: MIT
// Stratified k-fold splits: the documented algorithm against an independent Python
// implementation (tests/golden/make_classification_golden.py -> classification_golden.txt),
// the partition and stratification properties, seeding, small classes, bad input, and the
// across-folds summary.
#include "discgeom/stats/folds.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <ranges>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <xtensor/xtensor.hpp>

#include "discgeom/stats/classification.hpp"

namespace {

using discgeom::folds_status;

struct golden_folds {
  std::string name;
  std::vector<int> labels;
  std::size_t k = 0;
  std::uint64_t seed = 0;
  std::vector<std::vector<std::size_t>> tests;
};

// The fold lines of the golden file: fold_labels, fold_settings (k, seed), fold_test f i...
std::vector<golden_folds> read_golden() {
  std::ifstream file(DISCGEOM_TEST_DATA_DIR "/classification_golden.txt");
  REQUIRE(file.good());
  std::vector<golden_folds> cases;
  std::string text;
  std::string name;
  while (std::getline(file, text)) {
    std::istringstream line(text);
    std::string key;
    line >> key;
    if (key == "case") {
      line >> name;
    } else if (key == "fold_labels") {
      cases.push_back({name, {}, 0, 0, {}});
      int label = 0;
      while (line >> label)
        cases.back().labels.push_back(label);
    } else if (key == "fold_settings") {
      double k = 0;
      double seed = 0;
      line >> k >> seed;
      cases.back().k = static_cast<std::size_t>(k);
      cases.back().seed = static_cast<std::uint64_t>(seed);
    } else if (key == "fold_test") {
      std::size_t fold = 0;
      line >> fold;
      REQUIRE(fold == cases.back().tests.size());
      cases.back().tests.emplace_back();
      std::size_t index = 0;
      while (line >> index)
        cases.back().tests.back().push_back(index);
    }
  }
  REQUIRE(cases.size() == 2);
  return cases;
}

// Checks the partition and stratification promised by stratified_k_fold.
void check_split(const discgeom::stratified_folds& split, const std::vector<int>& labels,
                 std::size_t k) {
  REQUIRE(split.folds.size() == k);
  const std::size_t n = labels.size();
  std::vector<int> times_tested(n, 0);
  std::size_t smallest = n;
  std::size_t largest = 0;
  for (const auto& fold : split.folds) {
    CHECK(std::is_sorted(fold.test.begin(), fold.test.end()));
    CHECK(std::is_sorted(fold.train.begin(), fold.train.end()));
    CHECK(fold.test.size() + fold.train.size() == n);
    std::vector<std::size_t> all;
    std::merge(fold.test.begin(), fold.test.end(), fold.train.begin(), fold.train.end(),
               std::back_inserter(all));
    for (std::size_t i = 0; i < n; ++i)
      REQUIRE(all[i] == i);  // train and test partition 0..n-1
    for (std::size_t i : fold.test)
      ++times_tested[i];
    smallest = std::min(smallest, fold.test.size());
    largest = std::max(largest, fold.test.size());
  }
  CHECK(std::all_of(times_tested.begin(), times_tested.end(), [](int t) { return t == 1; }));
  CHECK(largest - smallest <= 1);
  for (std::size_t c = 0; c < split.classes.size(); ++c) {
    const auto label = split.classes[c];
    const std::size_t size = split.class_sizes[c];
    CHECK(static_cast<std::size_t>(std::count(labels.begin(), labels.end(), label)) == size);
    for (const auto& fold : split.folds) {
      const auto in_fold = static_cast<std::size_t>(std::count_if(
          fold.test.begin(), fold.test.end(), [&](std::size_t i) { return labels[i] == label; }));
      // floor(n_c / k) or ceil(n_c / k): within one of the ideal n_c / k.
      CHECK(in_fold >= size / k);
      CHECK(in_fold <= (size + k - 1) / k);
    }
  }
}

}  // namespace

TEST_CASE("folds: the documented algorithm reproduces the independent implementation",
          "[stats][folds]") {
  for (const auto& golden : read_golden()) {
    INFO("case " << golden.name);
    const auto split = discgeom::stratified_k_fold(golden.labels, golden.k, golden.seed);
    REQUIRE(split.folds.size() == golden.tests.size());
    for (std::size_t f = 0; f < golden.k; ++f)
      CHECK(split.folds[f].test == golden.tests[f]);
    check_split(split, golden.labels, golden.k);
  }
}

TEST_CASE("folds: a hand-dealt split", "[stats][folds]") {
  // Two classes of two members, k = 2: each class's shuffled pair is dealt to folds 0 and 1,
  // so every test fold holds one case of each class whatever the seed.
  const std::vector<int> labels{5, 3, 5, 3};
  for (std::uint64_t seed = 0; seed < 8; ++seed) {
    const auto split = discgeom::stratified_k_fold(labels, 2, seed);
    CHECK(split.classes == std::vector<discgeom::class_label>{3, 5});
    CHECK(split.class_sizes == std::vector<std::size_t>{2, 2});
    CHECK(split.status == folds_status::ok);
    for (const auto& fold : split.folds) {
      REQUIRE(fold.test.size() == 2);
      CHECK(labels[fold.test[0]] != labels[fold.test[1]]);
    }
  }
  // k = n: leave-one-out, every fold tests one case.
  const auto loo = discgeom::stratified_k_fold(labels, 4, 1);
  for (const auto& fold : loo.folds)
    CHECK(fold.test.size() == 1);
  CHECK(loo.status == folds_status::class_smaller_than_k);
}

TEST_CASE("folds: seeded, deterministic and stratified", "[stats][folds]") {
  std::mt19937_64 generator(12);
  std::vector<int> labels(103);
  for (int& label : labels)
    label = static_cast<int>(generator() % 10 < 6 ? 0 : (generator() % 2 == 0 ? 1 : 7));
  for (const std::size_t k : {2u, 3u, 5u, 10u}) {
    INFO("k " << k);
    const auto a = discgeom::stratified_k_fold(labels, k, 99);
    const auto b = discgeom::stratified_k_fold(labels, k, 99);
    const auto c = discgeom::stratified_k_fold(labels, k, 100);
    check_split(a, labels, k);
    check_split(c, labels, k);
    bool differs = false;
    for (std::size_t f = 0; f < k; ++f) {
      CHECK(a.folds[f].test == b.folds[f].test);
      CHECK(a.folds[f].train == b.folds[f].train);
      differs = differs || a.folds[f].test != c.folds[f].test;
    }
    CHECK(differs);
  }
}

TEST_CASE("folds: a class smaller than k is allowed and reported", "[stats][folds]") {
  const std::vector<int> labels{0, 0, 0, 0, 0, 0, 1, 1, 2, 0, 0, 0};
  const auto split = discgeom::stratified_k_fold(labels, 3, 5);
  CHECK(split.status == folds_status::class_smaller_than_k);
  CHECK(split.small_classes == std::vector<discgeom::class_label>{1, 2});
  CHECK(split.class_sizes == std::vector<std::size_t>{9, 2, 1});
  check_split(split, labels, 3);
  CHECK(discgeom::to_string(split.status) == "class_smaller_than_k");
  CHECK(discgeom::to_string(folds_status::ok) == "ok");
}

TEST_CASE("folds: every sample container gives the same folds", "[stats][folds]") {
  const std::vector<int> labels{2, 1, 1, 2, 2, 1, 2, 1, 1, 2, 2};
  const auto expected = discgeom::stratified_k_fold(labels, 3, 21);
  const std::vector<double> as_double(labels.begin(), labels.end());
  const auto from_span = discgeom::stratified_k_fold(std::span<const double>(as_double), 3, 21);
  xt::xtensor<double, 1> as_xtensor = xt::zeros<double>({labels.size()});
  for (std::size_t i = 0; i < labels.size(); ++i)
    as_xtensor(i) = labels[i];
  const auto from_xtensor = discgeom::stratified_k_fold(as_xtensor, 3, 21);
  struct patient {
    std::optional<short> grade;
    double age;
  };
  std::vector<patient> patients;
  for (int label : labels)
    patients.push_back({static_cast<short>(label), 50.0});
  const auto from_view =
      discgeom::stratified_k_fold(patients | std::views::transform(&patient::grade), 3, 21);
  for (std::size_t f = 0; f < 3; ++f) {
    CHECK(from_span.folds[f].test == expected.folds[f].test);
    CHECK(from_xtensor.folds[f].test == expected.folds[f].test);
    CHECK(from_view.folds[f].test == expected.folds[f].test);
  }
}

TEST_CASE("folds: bad input throws naming the function and value", "[stats][folds]") {
  const std::vector<int> labels{0, 1, 0, 1, 0};
  REQUIRE_THROWS_AS(discgeom::stratified_k_fold(labels, 1, 0), discgeom::precondition_error);
  REQUIRE_THROWS_WITH(discgeom::stratified_k_fold(labels, 1, 0),
                      Catch::Contains("stratified_k_fold(): k must be at least 2, got 1"));
  REQUIRE_THROWS_WITH(discgeom::stratified_k_fold(labels, 0, 0),
                      Catch::Contains("stratified_k_fold(): k must be at least 2, got 0"));
  REQUIRE_THROWS_WITH(
      discgeom::stratified_k_fold(labels, 6, 0),
      Catch::Contains("stratified_k_fold(): k must not exceed the number of cases 5, got 6"));
  const std::vector<double> with_nan{0.0, 1.0, std::numeric_limits<double>::quiet_NaN()};
  REQUIRE_THROWS_WITH(discgeom::stratified_k_fold(with_nan, 2, 0),
                      Catch::Contains("stratified_k_fold(): labels[2] is missing (NaN)"));
  const std::vector<double> fractional{0.0, 1.0, 0.25};
  REQUIRE_THROWS_WITH(
      discgeom::stratified_k_fold(fractional, 2, 0),
      Catch::Contains("stratified_k_fold(): labels[2] must be an integer class label, got 0.25"));
  const std::vector<double> folds{0.8, 0.9};
  REQUIRE_THROWS_WITH(discgeom::summarise_folds(folds, {.confidence = 0.0}),
                      Catch::Contains("summarise_folds(): options.confidence must be in (0, 1), "
                                      "got 0"));
  REQUIRE_THROWS_WITH(discgeom::summarise_folds(folds, {.bootstrap_resamples = 0}),
                      Catch::Contains("summarise_folds(): options.bootstrap_resamples must be at "
                                      "least 1, got 0"));
}

TEST_CASE("folds: the mean of a per-fold metric with its t interval across folds",
          "[stats][folds]") {
  const std::vector<double> f1{0.8, 0.9, 0.7, 0.85, 0.75};
  const auto s = discgeom::summarise_folds(f1);
  CHECK(s.status == discgeom::summary_status::ok);
  CHECK(s.n == 5);
  CHECK(s.mean == Approx(0.8).epsilon(1e-15));
  // Squared deviations 0 + 0.01 + 0.01 + 0.0025 + 0.0025 = 0.025, sd = sqrt(0.025 / 4).
  const double sd = std::sqrt(0.025 / 4.0);
  CHECK(s.sd == Approx(sd).epsilon(1e-13));
  // t_{0.975, 4} = 2.7764451051977987 (scipy.stats.t.ppf), k - 1 = 4 degrees of freedom.
  const double half = 2.7764451051977987 * sd / std::sqrt(5.0);
  CHECK(s.t_low == Approx(0.8 - half).epsilon(1e-12));
  CHECK(s.t_high == Approx(0.8 + half).epsilon(1e-12));
  CHECK(s.bootstrap_low >= 0.7);
  CHECK(s.bootstrap_high <= 0.9);
  // An undefined fold metric (NaN or empty optional) is counted, not averaged.
  const std::vector<std::optional<double>> with_missing{0.8, std::nullopt, 0.9};
  const auto m = discgeom::summarise_folds(with_missing);
  CHECK(m.n == 2);
  CHECK(m.n_missing == 1);
  CHECK(m.mean == Approx(0.85));
}

TEST_CASE("folds: a full cross-validation of a classifier's macro F1", "[stats][folds]") {
  // Truth and a fixed prediction per case; each fold scores its test cases.
  std::mt19937_64 generator(4);
  std::vector<int> truth(90);
  std::vector<int> predicted(90);
  for (std::size_t i = 0; i < truth.size(); ++i) {
    truth[i] = static_cast<int>(i % 3);
    predicted[i] = generator() % 4 == 0 ? static_cast<int>(generator() % 3) : truth[i];
  }
  const auto split = discgeom::stratified_k_fold(truth, 5, 17);
  std::vector<double> per_fold;
  for (const auto& fold : split.folds) {
    const auto fold_truth =
        fold.test | std::views::transform([&](std::size_t i) { return truth[i]; });
    const auto fold_predicted =
        fold.test | std::views::transform([&](std::size_t i) { return predicted[i]; });
    per_fold.push_back(discgeom::macro_f1(fold_truth, fold_predicted));
  }
  const auto s = discgeom::summarise_folds(per_fold, {.seed = 1});
  CHECK(s.n == 5);
  CHECK(s.t_low < s.mean);
  CHECK(s.t_high > s.mean);
  // Every class has 30 members: 6 per test fold.
  for (const auto& fold : split.folds)
    CHECK(fold.test.size() == 18);
}
