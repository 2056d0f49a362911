// SPDX-License-Identifier: MIT
// ROC curve, AUC, DeLong and bootstrap intervals, DeLong's test: hand-computed cases, properties
// against a brute-force O(m n) AUC, several containers, every bad input, and golden values from
// scikit-learn and an independent O(m n) DeLong (tests/golden/make_classification_golden.py ->
// tests/data/classification_golden.txt).
#include "discgeom/stats/roc.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <ranges>
#include <span>
#include <vector>

#include <catch2/catch.hpp>
#include <xtensor/xtensor.hpp>

#include "classification_golden.hpp"

namespace {

using classification_golden::check_close;
using discgeom::auc_interval_method;
using discgeom::roc_status;

constexpr double inf = std::numeric_limits<double>::infinity();

// AUC by its definition, over all (positive, negative) pairs.
double brute_force_auc(const std::vector<int>& truth, const std::vector<double>& scores,
                       int positive) {
  double u = 0.0;
  double pairs = 0.0;
  for (std::size_t i = 0; i < truth.size(); ++i) {
    if (truth[i] != positive)
      continue;
    for (std::size_t j = 0; j < truth.size(); ++j) {
      if (truth[j] == positive)
        continue;
      u += scores[i] > scores[j] ? 1.0 : (scores[i] == scores[j] ? 0.5 : 0.0);
      pairs += 1.0;
    }
  }
  return u / pairs;
}

}  // namespace

TEST_CASE("roc: curve and AUC known by hand", "[stats][roc]") {
  // scikit-learn's roc_curve documentation example.
  const std::vector<int> truth{0, 0, 1, 1};
  const std::vector<double> scores{0.1, 0.4, 0.35, 0.8};
  const auto roc = discgeom::roc_curve(truth, scores, 1);
  CHECK(roc.status == roc_status::ok);
  CHECK(roc.positives == 2);
  CHECK(roc.negatives == 2);
  REQUIRE(roc.points.size() == 5);
  const std::vector<double> thresholds{inf, 0.8, 0.4, 0.35, 0.1};
  const std::vector<double> fpr{0.0, 0.0, 0.5, 0.5, 1.0};
  const std::vector<double> tpr{0.0, 0.5, 0.5, 1.0, 1.0};
  for (std::size_t k = 0; k < 5; ++k) {
    CHECK(roc.points[k].threshold == thresholds[k]);
    CHECK(roc.points[k].fpr == fpr[k]);
    CHECK(roc.points[k].tpr == tpr[k]);
  }
  CHECK(roc.points[3].tp == 2);
  CHECK(roc.points[3].fp == 1);

  // Placements: positives 0.35 -> 1/2, 0.8 -> 1; negatives 0.1 -> 1, 0.4 -> 1/2.
  // S10 = S01 = 1/8, var = 1/16 + 1/16 = 1/8.
  const auto auc = discgeom::roc_auc(truth, scores, 1);
  CHECK(auc.status == roc_status::ok);
  CHECK(auc.auc == 0.75);
  CHECK(auc.se == Approx(std::sqrt(0.125)).epsilon(1e-14));
  const double z = 1.959963984540054;  // scipy.stats.norm.ppf(0.975)
  CHECK(auc.low == Approx(0.75 - z * std::sqrt(0.125)).epsilon(1e-14));
  CHECK(auc.high == 1.0);  // clipped
  CHECK(auc.method == auc_interval_method::delong);

  // Ties count one half: positives 0.5, 0.9, 0.5 against negatives 0.5, 0.1: U = 5 of 6.
  const std::vector<int> tied_truth{1, 0, 1, 0, 1};
  const std::vector<double> tied_scores{0.5, 0.5, 0.9, 0.1, 0.5};
  CHECK(discgeom::roc_auc(tied_truth, tied_scores, 1).auc == Approx(5.0 / 6.0).epsilon(1e-15));
  const auto tied_roc = discgeom::roc_curve(tied_truth, tied_scores, 1);
  REQUIRE(tied_roc.points.size() == 4);
  CHECK(tied_roc.points[2].threshold == 0.5);
  CHECK(tied_roc.points[2].tpr == 1.0);
  CHECK(tied_roc.points[2].fpr == 0.5);
}

TEST_CASE("roc: perfect separation, all ties and reversed scores", "[stats][roc]") {
  const std::vector<int> truth{0, 1, 0, 1, 1, 0};
  SECTION("perfectly separating: AUC 1, DeLong se 0, every interval [1, 1]") {
    const std::vector<double> scores{0.1, 0.9, 0.2, 0.8, 0.7, 0.3};
    for (const auto method : {auc_interval_method::delong, auc_interval_method::delong_logit,
                              auc_interval_method::bootstrap}) {
      const auto r = discgeom::roc_auc(truth, scores, 1, {.method = method});
      CHECK(r.auc == 1.0);
      CHECK(r.se == 0.0);
      CHECK(r.low == 1.0);
      CHECK(r.high == 1.0);
    }
    const auto roc = discgeom::roc_curve(truth, scores, 1);
    CHECK(roc.points[3].fpr == 0.0);
    CHECK(roc.points[3].tpr == 1.0);
  }
  SECTION("all scores tied: AUC 1/2, two points, se 0") {
    const std::vector<double> scores(6, 0.4);
    const auto r = discgeom::roc_auc(truth, scores, 1);
    CHECK(r.auc == 0.5);
    CHECK(r.se == 0.0);
    CHECK(r.low == 0.5);
    CHECK(r.high == 0.5);
    const auto roc = discgeom::roc_curve(truth, scores, 1);
    REQUIRE(roc.points.size() == 2);
    CHECK(roc.points[1].threshold == 0.4);
    CHECK(roc.points[1].fpr == 1.0);
    CHECK(roc.points[1].tpr == 1.0);
  }
  SECTION("reversed: AUC 0, logit interval [0, 0]") {
    const std::vector<double> scores{0.9, 0.1, 0.8, 0.2, 0.3, 0.7};
    const auto r =
        discgeom::roc_auc(truth, scores, 1, {.method = auc_interval_method::delong_logit});
    CHECK(r.auc == 0.0);
    CHECK(r.se == 0.0);
    CHECK(r.low == 0.0);
    CHECK(r.high == 0.0);
    // The other class as positive gives 1 - AUC.
    CHECK(discgeom::roc_auc(truth, scores, 0).auc == 1.0);
  }
}

TEST_CASE("roc: degenerate classes come back with a status", "[stats][roc]") {
  const std::vector<double> scores{0.1, 0.5, 0.3};
  const std::vector<int> negatives_only{0, 0, 0};
  const auto no_positive = discgeom::roc_auc(negatives_only, scores, 1);
  CHECK(no_positive.status == roc_status::no_positive);
  CHECK(no_positive.negatives == 3);
  CHECK(std::isnan(no_positive.auc));
  CHECK(std::isnan(no_positive.low));
  const auto roc = discgeom::roc_curve(negatives_only, scores, 1);
  CHECK(roc.status == roc_status::no_positive);
  REQUIRE(roc.points.size() == 4);
  CHECK(std::isnan(roc.points[2].tpr));
  CHECK(roc.points[2].fpr == Approx(2.0 / 3.0));

  const std::vector<int> positives_only{4, 4, 4};
  CHECK(discgeom::roc_auc(positives_only, scores, 4).status == roc_status::no_negative);
  CHECK(std::isnan(discgeom::roc_curve(positives_only, scores, 4).points[1].fpr));

  // One positive: AUC defined, DeLong undefined, bootstrap still computed.
  const std::vector<int> one_positive{0, 1, 0};
  const auto single = discgeom::roc_auc(one_positive, scores, 1);
  CHECK(single.status == roc_status::single_positive_or_negative);
  CHECK(single.auc == 1.0);
  CHECK(std::isnan(single.se));
  CHECK(std::isnan(single.low));
  CHECK(std::isnan(single.high));
  const auto boot =
      discgeom::roc_auc(one_positive, scores, 1, {.method = auc_interval_method::bootstrap});
  CHECK(boot.low == 1.0);
  CHECK(boot.high == 1.0);
  CHECK(discgeom::roc_curve(one_positive, scores, 1).status == roc_status::ok);
  CHECK(discgeom::to_string(roc_status::single_positive_or_negative) ==
        "single_positive_or_negative");
  CHECK(discgeom::to_string(auc_interval_method::delong_logit) == "delong_logit");
}

TEST_CASE("roc: AUC equals the pairwise definition and the trapezoid area of the curve",
          "[stats][roc]") {
  std::mt19937_64 generator(31);
  std::vector<int> truth(301);
  std::vector<double> scores(301);
  for (std::size_t i = 0; i < truth.size(); ++i) {
    truth[i] = static_cast<int>(generator() % 3);  // class 2 positive, 0 and 1 negative
    // Scores on a coarse grid, so ties are frequent.
    scores[i] = static_cast<double>(generator() % 40) / 8.0 + (truth[i] == 2 ? 1.0 : 0.0);
  }
  const auto r = discgeom::roc_auc(truth, scores, 2);
  CHECK(r.auc == Approx(brute_force_auc(truth, scores, 2)).epsilon(1e-14));
  const auto roc = discgeom::roc_curve(truth, scores, 2);
  double area = 0.0;
  for (std::size_t k = 1; k < roc.points.size(); ++k)
    area += (roc.points[k].fpr - roc.points[k - 1].fpr) *
            (roc.points[k].tpr + roc.points[k - 1].tpr) / 2.0;
  CHECK(r.auc == Approx(area).epsilon(1e-12));
  CHECK(roc.points.back().fpr == 1.0);
  CHECK(roc.points.back().tpr == 1.0);
  for (std::size_t k = 1; k < roc.points.size(); ++k) {
    CHECK(roc.points[k].threshold < roc.points[k - 1].threshold);
    CHECK(roc.points[k].fpr >= roc.points[k - 1].fpr);
    CHECK(roc.points[k].tpr >= roc.points[k - 1].tpr);
  }
  // A strictly increasing transform of the scores changes nothing but the thresholds.
  std::vector<double> transformed(scores.size());
  for (std::size_t i = 0; i < scores.size(); ++i)
    transformed[i] = std::exp(2.0 * scores[i]) - 5.0;
  const auto rt = discgeom::roc_auc(truth, transformed, 2);
  CHECK(rt.auc == r.auc);
  CHECK(rt.se == Approx(r.se).epsilon(1e-14));
}

TEST_CASE("roc: the bootstrap interval is seeded", "[stats][roc]") {
  std::mt19937_64 generator(8);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<int> truth(120);
  std::vector<double> scores(120);
  for (std::size_t i = 0; i < truth.size(); ++i) {
    truth[i] = i % 3 == 0 ? 1 : 0;
    scores[i] = normal(generator) + (truth[i] == 1 ? 1.0 : 0.0);
  }
  const discgeom::roc_auc_options options{
      .method = auc_interval_method::bootstrap, .bootstrap_resamples = 1000, .seed = 3};
  const auto a = discgeom::roc_auc(truth, scores, 1, options);
  const auto b = discgeom::roc_auc(truth, scores, 1, options);
  auto other_seed = options;
  other_seed.seed = 4;
  const auto c = discgeom::roc_auc(truth, scores, 1, other_seed);
  CHECK(a.low == b.low);
  CHECK(a.high == b.high);
  CHECK((a.low != c.low || a.high != c.high));
  CHECK(a.low < a.auc);
  CHECK(a.high > a.auc);
  // For 40 positives and 80 negatives the bootstrap and DeLong intervals agree roughly.
  const auto delong = discgeom::roc_auc(truth, scores, 1);
  CHECK((a.high - a.low) == Approx(delong.high - delong.low).epsilon(0.2));
  // A wider confidence gives a wider interval.
  auto wider = options;
  wider.confidence = 0.99;
  const auto w = discgeom::roc_auc(truth, scores, 1, wider);
  CHECK(w.low <= a.low);
  CHECK(w.high >= a.high);
}

TEST_CASE("roc: DeLong's test of two correlated AUCs", "[stats][roc]") {
  const std::vector<int> truth{0, 1, 0, 1, 1, 0, 1, 0};
  const std::vector<double> a{0.1, 0.9, 0.3, 0.6, 0.4, 0.5, 0.8, 0.2};
  const std::vector<double> b{0.4, 0.7, 0.6, 0.5, 0.3, 0.2, 0.9, 0.1};
  const auto ab = discgeom::compare_roc_auc(truth, a, b, 1);
  const auto ba = discgeom::compare_roc_auc(truth, b, a, 1);
  CHECK(ab.status == roc_status::ok);
  CHECK(ab.auc_a == discgeom::roc_auc(truth, a, 1).auc);
  CHECK(ab.auc_b == discgeom::roc_auc(truth, b, 1).auc);
  CHECK(ab.difference == -ba.difference);
  CHECK(ab.se == Approx(ba.se).epsilon(1e-14));
  CHECK(ab.p_value == Approx(ba.p_value).epsilon(1e-14));
  CHECK(ab.p_value > 0.0);
  CHECK(ab.p_value <= 1.0);
  // Identical scores: difference 0 with zero variance.
  const auto same = discgeom::compare_roc_auc(truth, a, a, 1);
  CHECK(same.status == roc_status::zero_variance);
  CHECK(same.difference == 0.0);
  CHECK(same.se == 0.0);
  CHECK(std::isnan(same.p_value));
  const std::vector<int> one_negative{1, 1, 0, 1, 1, 1, 1, 1};
  const auto single = discgeom::compare_roc_auc(one_negative, a, b, 1);
  CHECK(single.status == roc_status::single_positive_or_negative);
  CHECK(!std::isnan(single.difference));
  CHECK(std::isnan(single.se));
}

TEST_CASE("roc: every sample container gives the same answer", "[stats][roc]") {
  const std::vector<int> truth{0, 1, 0, 1, 1, 0, 1, 0, 1};
  const std::vector<double> scores{0.1, 0.9, 0.3, 0.6, 0.3, 0.5, 0.8, 0.2, 0.5};
  const auto expected = discgeom::roc_auc(truth, scores, 1);

  const std::vector<double> truth_d(truth.begin(), truth.end());
  CHECK(
      discgeom::roc_auc(std::span<const double>(truth_d), std::span<const double>(scores), 1).auc ==
      expected.auc);

  xt::xtensor<double, 1> scores_x = xt::zeros<double>({scores.size()});
  for (std::size_t i = 0; i < scores.size(); ++i)
    scores_x(i) = scores[i];
  const auto from_x = discgeom::roc_auc(truth, scores_x, 1);
  CHECK(from_x.auc == expected.auc);
  CHECK(from_x.se == expected.se);

  struct reading {
    int diseased;
    std::optional<float> probability;
  };
  std::vector<reading> readings;
  for (std::size_t i = 0; i < truth.size(); ++i)
    readings.push_back({truth[i], static_cast<float>(scores[i])});
  const auto diseased = readings | std::views::transform(&reading::diseased);
  const auto probability = readings | std::views::transform(&reading::probability);
  // float scores: the same order, so the same AUC and se.
  const auto from_rows = discgeom::roc_auc(diseased, probability, 1);
  CHECK(from_rows.auc == expected.auc);
  CHECK(from_rows.se == Approx(expected.se).epsilon(1e-14));
  CHECK(discgeom::roc_curve(diseased, probability, 1).points.size() ==
        discgeom::roc_curve(truth, scores, 1).points.size());
}

TEST_CASE("roc: bad input throws naming the function, argument, index and value", "[stats][roc]") {
  const std::vector<int> truth{0, 1, 1};
  const std::vector<double> scores{0.2, 0.4, 0.9};
  const std::vector<double> short_scores{0.2, 0.4};
  REQUIRE_THROWS_AS(discgeom::roc_curve(truth, short_scores, 1), discgeom::precondition_error);
  REQUIRE_THROWS_WITH(discgeom::roc_curve(truth, short_scores, 1),
                      Catch::Contains("roc_curve(): truth and scores differ in length: 3 vs 2"));
  const std::vector<int> no_truth;
  const std::vector<double> no_scores;
  REQUIRE_THROWS_WITH(discgeom::roc_auc(no_truth, no_scores, 1),
                      Catch::Contains("roc_auc(): truth and scores are empty"));
  const std::vector<double> with_nan{0.2, std::numeric_limits<double>::quiet_NaN(), 0.9};
  REQUIRE_THROWS_WITH(discgeom::roc_curve(truth, with_nan, 1),
                      Catch::Contains("roc_curve(): scores[1] is missing (NaN or empty optional)"));
  const std::vector<std::optional<double>> with_empty{0.2, 0.4, std::nullopt};
  REQUIRE_THROWS_WITH(discgeom::roc_auc(truth, with_empty, 1),
                      Catch::Contains("roc_auc(): scores[2] is missing"));
  const std::vector<double> fractional_truth{0.0, 0.5, 1.0};
  REQUIRE_THROWS_WITH(discgeom::roc_auc(fractional_truth, scores, 1),
                      Catch::Contains("roc_auc(): truth[1] must be an integer class label, got "
                                      "0.5"));
  REQUIRE_THROWS_WITH(discgeom::roc_auc(truth, scores, 1, {.confidence = 1.0}),
                      Catch::Contains("roc_auc(): options.confidence must be in (0, 1), got 1"));
  REQUIRE_THROWS_WITH(
      discgeom::roc_auc(truth, scores, 1,
                        {.method = auc_interval_method::bootstrap, .bootstrap_resamples = 0}),
      Catch::Contains("roc_auc(): options.bootstrap_resamples must be at least 1, got 0"));
  REQUIRE_THROWS_WITH(discgeom::compare_roc_auc(truth, scores, short_scores, 1),
                      Catch::Contains("compare_roc_auc(): truth and scores_b differ in length: "
                                      "3 vs 2"));
  REQUIRE_THROWS_WITH(discgeom::compare_roc_auc(truth, with_nan, scores, 1),
                      Catch::Contains("compare_roc_auc(): scores_a[1] is missing"));
  // Infinite scores are ordered like any other.
  const std::vector<double> infinite{-inf, 0.4, inf};
  const auto roc = discgeom::roc_curve(truth, infinite, 1);
  REQUIRE(roc.points.size() == 4);
  CHECK(roc.points[1].threshold == inf);
  CHECK(roc.points[1].tpr == 0.5);
  CHECK(discgeom::roc_auc(truth, infinite, 1).auc == 1.0);
}

TEST_CASE("roc: golden values from scikit-learn and an O(m n) DeLong", "[stats][roc]") {
  std::size_t checked = 0;
  for (const auto& golden : classification_golden::read_cases()) {
    if (!golden.has("scores"))
      continue;
    INFO("case " << golden.name);
    ++checked;
    const std::vector<int> truth(golden.at("truth").begin(), golden.at("truth").end());
    const auto& scores = golden.at("scores");
    const auto positive = static_cast<discgeom::class_label>(golden.at("roc_positive")[0]);

    const auto roc = discgeom::roc_curve(truth, scores, positive);
    const auto& thresholds = golden.at("roc_thresholds");  // from the second point on
    const auto& fpr = golden.at("roc_fpr");
    const auto& tpr = golden.at("roc_tpr");
    REQUIRE(roc.points.size() == fpr.size());
    REQUIRE(thresholds.size() + 1 == fpr.size());
    CHECK(roc.points[0].threshold == inf);
    for (std::size_t k = 0; k < fpr.size(); ++k) {
      INFO("point " << k);
      if (k > 0)
        CHECK(roc.points[k].threshold == thresholds[k - 1]);
      check_close(roc.points[k].fpr, fpr[k]);
      check_close(roc.points[k].tpr, tpr[k]);
    }

    const auto& settings = golden.at("interval_settings");  // confidence, seed, resamples
    const double confidence = settings[0];
    const auto delong = discgeom::roc_auc(truth, scores, positive, {.confidence = confidence});
    check_close(delong.auc, golden.at("auc")[0]);
    check_close(delong.se, golden.at("delong_se")[0]);
    check_close(delong.low, golden.at("delong_interval")[0]);
    check_close(delong.high, golden.at("delong_interval")[1]);
    const auto logit =
        discgeom::roc_auc(truth, scores, positive,
                          {.method = auc_interval_method::delong_logit, .confidence = confidence});
    check_close(logit.low, golden.at("delong_logit_interval")[0]);
    check_close(logit.high, golden.at("delong_logit_interval")[1]);
    const auto boot =
        discgeom::roc_auc(truth, scores, positive,
                          {.method = auc_interval_method::bootstrap,
                           .confidence = confidence,
                           .bootstrap_resamples = static_cast<std::size_t>(settings[2]),
                           .seed = static_cast<std::uint64_t>(settings[1])});
    check_close(boot.low, golden.at("bootstrap_interval")[0]);
    check_close(boot.high, golden.at("bootstrap_interval")[1]);

    if (golden.has("compare")) {
      const auto& expected = golden.at("compare");  // auc_a auc_b se z p
      const auto t =
          discgeom::compare_roc_auc(truth, scores, golden.at("compare_scores_b"), positive);
      CHECK(t.status == roc_status::ok);
      check_close(t.auc_a, expected[0]);
      check_close(t.auc_b, expected[1]);
      check_close(t.se, expected[2]);
      check_close(t.z, expected[3]);
      check_close(t.p_value, expected[4]);
    }
  }
  CHECK(checked == 3);
}
