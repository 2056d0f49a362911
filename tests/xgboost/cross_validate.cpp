// SPDX-License-Identifier: MIT
// Cross-validation of gradient-boosted trees: python xgboost 1.7 and scikit-learn reproduced
// (tests/golden/make_xgboost_golden.py -> tests/data/xgboost_golden.txt), a planted signal found,
// chance level on shuffled labels, bit-for-bit determinism, label conventions, missing values,
// and every bad input with its message.
#include "discgeom/xgboost/cross_validate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "discgeom/io/csv.hpp"

namespace xgb = discgeom::xgboost;
using Catch::Matchers::Contains;
using Catch::Matchers::Equals;

namespace {

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

double parse(const std::string& word) {
  return word == "nan" ? nan_value : std::stod(word);
}

struct golden_case {
  std::vector<std::string> settings;
  std::vector<double> fold_of, probabilities, f1, f1_macro, auc;
};

struct golden_file {
  std::vector<double> label;
  std::vector<std::vector<double>> x;
  std::map<std::string, golden_case> cases;
};

golden_file read_golden() {
  std::ifstream file(DISCGEOM_TEST_DATA_DIR "/xgboost_golden.txt");
  REQUIRE(file.good());
  golden_file golden;
  std::string line, current;
  while (std::getline(file, line)) {
    std::istringstream words(line);
    std::string key, word;
    words >> key;
    std::vector<std::string> values;
    while (words >> word) {
      values.push_back(word);
    }
    std::vector<double> numbers;
    const auto numeric = [&] {
      for (const auto& v : values) {
        numbers.push_back(parse(v));
      }
      return numbers;
    };
    if (key == "case") {
      current = values.at(0);
    } else if (key == "end" || key == "#") {
      current.clear();
    } else if (key == "label") {
      golden.label = numeric();
    } else if (key.size() == 2 && key[0] == 'x') {
      golden.x.push_back(numeric());
    } else if (key == "settings") {
      golden.cases[current].settings = values;
    } else if (key == "fold_of") {
      golden.cases[current].fold_of = numeric();
    } else if (key == "probabilities") {
      golden.cases[current].probabilities = numeric();
    } else if (key == "fold_f1") {
      golden.cases[current].f1 = numeric();
    } else if (key == "fold_f1_macro") {
      golden.cases[current].f1_macro = numeric();
    } else if (key == "fold_auc") {
      golden.cases[current].auc = numeric();
    }
  }
  REQUIRE(golden.cases.size() == 3);
  return golden;
}

xgb::cross_validation_options options_of(const std::vector<std::string>& s) {
  REQUIRE(s.size() == 8);
  xgb::cross_validation_options o;
  o.booster.n_trees = std::stoul(s[0]);
  o.booster.max_depth = std::stoi(s[1]);
  o.booster.learning_rate = std::stod(s[2]);
  o.booster.method = s[3] == "hist" ? xgb::tree_method::hist : xgb::tree_method::exact;
  o.imbalance = s[4] == "weight" ? xgb::imbalance_handling::weight : xgb::imbalance_handling::none;
  o.scaling =
      s[5] == "standardise" ? xgb::feature_scaling::standardise : xgb::feature_scaling::none;
  o.folds = std::stoul(s[6]);
  o.seed = std::stoull(s[7]);
  o.booster.seed = std::stoll(s[7]);
  return o;
}

// n rows, about 20% positive; feature "signal" = 2.5 * label + N(0, 1), "noise" = N(0, 1).
struct planted {
  std::vector<double> label;
  xgb::feature_set signal, noise, both;
};

planted make_planted(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 generator(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  planted p;
  std::vector<double> s, z;
  for (std::size_t i = 0; i < n; ++i) {
    p.label.push_back(uniform(generator) < 0.2 ? 1.0 : 0.0);
    s.push_back(2.5 * p.label.back() + normal(generator));
    z.push_back(normal(generator));
  }
  p.signal = {"signal", {"s"}, {s}};
  p.noise = {"noise", {"z"}, {z}};
  p.both = {"both", {"s", "z"}, {s, z}};
  return p;
}

std::string error_of(const auto& call) {
  try {
    (void)call();
  } catch (const discgeom::error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("xgboost cross_validate: reproduces python xgboost and scikit-learn", "[xgboost]") {
  const golden_file golden = read_golden();
  const std::vector<xgb::feature_set> sets = {{"all", {"x0", "x1", "x2", "x3"}, golden.x}};
  for (const auto& [name, expected] : golden.cases) {
    CAPTURE(name);
    const auto options = options_of(expected.settings);
    const auto result = xgb::cross_validate(sets, golden.label, options);
    REQUIRE(result.sets.size() == 1);
    CHECK(result.n_rows == 60);
    CHECK(result.n_missing_label == 2);
    CHECK(result.positive == 1.0);
    CHECK(result.negative == 0.0);
    REQUIRE(result.fold_of.size() == expected.fold_of.size());
    for (std::size_t i = 0; i < result.fold_of.size(); ++i) {
      CHECK(static_cast<double>(result.fold_of[i]) == expected.fold_of[i]);
    }
    const auto& set = result.sets[0];
    REQUIRE(set.probabilities.size() == expected.probabilities.size());
    for (std::size_t i = 0; i < set.probabilities.size(); ++i) {
      CAPTURE(i);
      if (std::isnan(expected.probabilities[i])) {
        CHECK(std::isnan(set.probabilities[i]));
      } else {
        CHECK(std::abs(set.probabilities[i] - expected.probabilities[i]) < 1e-6);
      }
    }
    REQUIRE(set.folds.size() == options.folds);
    for (std::size_t f = 0; f < options.folds; ++f) {
      CAPTURE(f);
      CHECK(set.folds[f].f1 == Approx(expected.f1[f]).margin(1e-12));
      CHECK(set.folds[f].f1_macro == Approx(expected.f1_macro[f]).margin(1e-12));
      CHECK(set.folds[f].auc == Approx(expected.auc[f]).margin(1e-12));
    }
    double mean = 0.0;
    for (double v : expected.auc) {
      mean += v / static_cast<double>(expected.auc.size());
    }
    CHECK(set.auc.mean == Approx(mean).margin(1e-12));
  }
}

TEST_CASE("xgboost cross_validate: finds a planted signal", "[xgboost]") {
  const planted p = make_planted(200, 5);
  const std::vector<xgb::feature_set> sets = {p.signal, p.noise, p.both};
  const auto result = xgb::cross_validate(sets, p.label, {.seed = 1});
  REQUIRE(result.sets.size() == 3);
  const auto& signal = result.sets[0];
  CHECK(signal.name == "signal");
  CHECK(signal.auc.mean > 0.9);
  CHECK(signal.f1.mean > 0.6);
  CHECK(signal.f1_macro.mean > 0.75);
  CHECK(signal.auc.status == discgeom::summary_status::ok);
  CHECK(signal.auc.n == 5);
  CHECK(signal.auc.t_low < signal.auc.mean);
  CHECK(signal.auc.t_high > signal.auc.mean);
  CHECK(result.sets[2].auc.mean > 0.85);  // the combined set keeps the signal
  CHECK(std::abs(result.sets[1].auc.mean - 0.5) < 0.2);
  // Folds: sizes and stratification; the weight of each training fold is negatives/positives.
  std::size_t tested = 0;
  for (const auto& fold : signal.folds) {
    tested += fold.n_test;
    CHECK(fold.n_train + fold.n_test == 200);
    CHECK(fold.scale_pos_weight == static_cast<double>(fold.n_train - fold.n_positive_train) /
                                       static_cast<double>(fold.n_positive_train));
    CHECK(fold.auc_status == discgeom::roc_status::ok);
  }
  CHECK(tested == 200);
  CHECK(result.n_positive + result.n_negative == 200);
}

TEST_CASE("xgboost cross_validate: shuffled labels give chance-level AUC", "[xgboost]") {
  // Labels independent of the features: each fold's test AUC has null sd
  // sqrt((m + n + 1) / (12 m n)) = sqrt(41 / 3072) = 0.116 (m = 8 positives, n = 32 negatives of
  // 200 rows in 5 folds); the mean of 5 folds has sd <= 0.116 / sqrt(5) = 0.052 if the folds were
  // independent, and the mean over 8 shuffles 0.052 / sqrt(8) = 0.018. 0.075 is 4 of these sd.
  const planted p = make_planted(200, 9);
  std::vector<double> label = p.label;
  double sum = 0.0;
  const int shuffles = 8;
  for (int s = 0; s < shuffles; ++s) {
    std::mt19937_64 generator(100 + s);
    std::shuffle(label.begin(), label.end(), generator);
    const auto result =
        xgb::cross_validate(std::vector<xgb::feature_set>{p.both}, label, {.seed = 100u + s});
    sum += result.sets[0].auc.mean;
  }
  const double mean = sum / shuffles;
  CAPTURE(mean);
  CHECK(std::abs(mean - 0.5) < 0.075);
}

TEST_CASE("xgboost cross_validate: same seed, same numbers bit for bit", "[xgboost]") {
  const planted p = make_planted(120, 3);
  const std::vector<xgb::feature_set> sets = {p.both};
  const xgb::cross_validation_options options{.booster = {.threads = 2}, .seed = 4};
  const auto a = xgb::cross_validate(sets, p.label, options);
  const auto b = xgb::cross_validate(sets, p.label, options);
  const auto single = xgb::cross_validate(
      sets, p.label, xgb::cross_validation_options{.booster = {.threads = 1}, .seed = 4});
  REQUIRE(a.sets[0].probabilities.size() == 120);
  for (std::size_t i = 0; i < 120; ++i) {
    CHECK(a.sets[0].probabilities[i] == b.sets[0].probabilities[i]);
    CHECK(a.sets[0].probabilities[i] == single.sets[0].probabilities[i]);
  }
  CHECK(a.fold_of == b.fold_of);
  CHECK(a.sets[0].auc.mean == b.sets[0].auc.mean);
  CHECK(a.sets[0].f1.t_low == b.sets[0].f1.t_low);
  // Another seed gives other folds.
  const auto c = xgb::cross_validate(sets, p.label, {.seed = 5});
  CHECK(c.fold_of != a.fold_of);
}

TEST_CASE("xgboost cross_validate: label values, positive class, missing values", "[xgboost]") {
  const planted p = make_planted(100, 7);
  // Labels 3 (negative) and 8 (positive, the larger) give the same result as 0 and 1.
  std::vector<double> coded;
  for (double v : p.label) {
    coded.push_back(v == 1.0 ? 8.0 : 3.0);
  }
  const std::vector<xgb::feature_set> sets = {p.signal};
  const auto reference = xgb::cross_validate(sets, p.label, {});
  const auto larger = xgb::cross_validate(sets, coded, {});
  CHECK(larger.positive == 8.0);
  CHECK(larger.negative == 3.0);
  CHECK(larger.sets[0].probabilities == reference.sets[0].probabilities);
  // options.positive = 3 makes the former negatives the positive class: p -> 1 - p roughly, and
  // AUC is that of the flipped problem (still high).
  const auto flipped = xgb::cross_validate(sets, coded, {.positive = 3.0});
  CHECK(flipped.positive == 3.0);
  CHECK(flipped.n_positive == reference.n_negative);
  CHECK(flipped.sets[0].auc.mean > 0.85);
  // Missing labels are left out and counted; missing features go to XGBoost as missing.
  std::vector<double> with_missing = p.label;
  with_missing[0] = nan_value;
  with_missing[50] = nan_value;
  xgb::feature_set holes = p.both;
  for (std::size_t i = 0; i < 100; i += 7) {
    holes.values[1][i] = nan_value;
  }
  holes.values[0][3] = nan_value;
  const auto partial = xgb::cross_validate(std::vector{holes}, with_missing, {});
  CHECK(partial.n_missing_label == 2);
  CHECK(partial.n_positive + partial.n_negative == 98);
  CHECK(std::isnan(partial.sets[0].probabilities[0]));
  CHECK(std::isnan(partial.sets[0].probabilities[50]));
  CHECK(partial.fold_of[0] == 5);
  CHECK(std::isfinite(partial.sets[0].probabilities[3]));
  CHECK(partial.sets[0].auc.mean > 0.85);
  // Standardisation inside the folds: trees are invariant to it up to float rounding.
  const auto standardised =
      xgb::cross_validate(sets, p.label, {.scaling = xgb::feature_scaling::standardise});
  CHECK(standardised.sets[0].auc.mean == Approx(reference.sets[0].auc.mean).margin(0.02));
  // imbalance none uses scale_pos_weight 1.
  const auto plain =
      xgb::cross_validate(sets, p.label, {.imbalance = xgb::imbalance_handling::none});
  CHECK(plain.sets[0].folds[0].scale_pos_weight == 1.0);
}

TEST_CASE("xgboost cross_validate: a CSV table, by column names", "[xgboost]") {
  const discgeom::csv_table table = discgeom::parse_csv(
      "id,h,w,narrowed\n"
      "a,1,5,0\nb,2,,0\nc,3,4,0\nd,4,6,0\ne,5,5,0\nf,6,4,0\ng,7,6,0\nh,8,5,0\n"
      "i,9,5,1\nj,10,4,1\nk,11,,1\nl,12,6,1\nm,13,5,\n",
      "discs.csv");
  const std::vector<xgb::feature_set_columns> sets = {{"height", {"h"}}, {"both", {"h", "w"}}};
  const auto result = xgb::cross_validate(table, "narrowed", sets, {.folds = 4});
  CHECK(result.n_rows == 13);
  CHECK(result.n_missing_label == 1);
  CHECK(result.n_positive == 4);
  REQUIRE(result.sets.size() == 2);
  CHECK(result.sets[1].columns == std::vector<std::string>{"h", "w"});
  CHECK(result.sets[0].folds.size() == 4);

  CHECK_THAT(error_of([&] { return xgb::cross_validate(table, "narrow", sets); }),
             Equals("cross_validate(): discs.csv: no column 'narrow' (the label); the columns "
                    "are id,h,w,narrowed"));
  const std::vector<xgb::feature_set_columns> unknown = {{"geometric", {"h", "depth"}}};
  CHECK_THAT(error_of([&] { return xgb::cross_validate(table, "narrowed", unknown); }),
             Equals("cross_validate(): discs.csv: no column 'depth' (feature set 'geometric'); "
                    "the columns are id,h,w,narrowed"));
  const std::vector<xgb::feature_set_columns> text = {{"ids", {"id"}}};
  CHECK_THROWS_AS(xgb::cross_validate(table, "narrowed", text), discgeom::io_error);
  // Single class in the named label column.
  const discgeom::csv_table one = discgeom::parse_csv("h,narrowed\n1,0\n2,0\n3,0\n", "one.csv");
  const std::vector<xgb::feature_set_columns> h = {{"height", {"h"}}};
  CHECK_THAT(error_of([&] { return xgb::cross_validate(one, "narrowed", h); }),
             Equals("cross_validate(): label column 'narrowed' has a single class (0) in 3 rows"));
}

TEST_CASE("xgboost cross_validate: bad input is named", "[xgboost]") {
  const planted p = make_planted(40, 2);
  const std::vector<xgb::feature_set> sets = {p.signal};
  const auto call = [&](const std::vector<xgb::feature_set>& s, const std::vector<double>& labels,
                        const xgb::cross_validation_options& o = {}) {
    return error_of([&] { return xgb::cross_validate(s, labels, o); });
  };
  const std::vector<double> zeros(40, 0.0);
  CHECK(call(sets, zeros) == "cross_validate(): labels has a single class (0) in 40 rows");
  const std::vector<double> missing(40, nan_value);
  CHECK(call(sets, missing) ==
        "cross_validate(): labels has no value in 40 rows (every label is missing)");
  std::vector<double> three = p.label;
  three[0] = 2.0;
  CHECK(call(sets, three) ==
        "cross_validate(): labels has 3 classes [0,1,2], a binary "
        "classifier needs two");
  std::vector<double> infinite = p.label;
  infinite[4] = std::numeric_limits<double>::infinity();
  CHECK(call(sets, infinite) == "cross_validate(): labels row 4 is not a finite number: inf");
  CHECK(call(sets, p.label, {.positive = 2.0}) ==
        "cross_validate(): options.positive (2) is not one of the classes [0,1] of labels");
  std::vector<double> few(40, 0.0);
  few[1] = few[9] = few[20] = 1.0;
  CHECK(call(sets, few) ==
        "cross_validate(): class 1 of labels has 3 rows, fewer than the 5 folds (every test "
        "fold needs both classes)");
  CHECK(call({}, p.label) == "cross_validate(): no feature set given");
  CHECK(call({p.signal, p.signal}, p.label) ==
        "cross_validate(): feature set 'signal' is given twice");
  CHECK(call({{"", {}, {}}}, p.label) == "cross_validate(): a feature set has an empty name");
  CHECK(call({{"empty", {}, {}}}, p.label) ==
        "cross_validate(): feature set 'empty' has no column");
  CHECK(call({{"short", {"a"}, {{1.0, 2.0}}}}, p.label) ==
        "cross_validate(): feature set 'short', column 'a' has 2 values, the labels 40");
  xgb::feature_set huge = p.signal;
  huge.values[0][6] = 1e300;
  CHECK_THAT(call({huge}, p.label),
             Equals("cross_validate(): feature set 'signal', column 's' row 6 is not a finite "
                    "number in the range of float: 1e+300 (a missing value is NaN or an empty "
                    "cell)"));
  CHECK(call(sets, {}) == "cross_validate(): labels has no row");
  CHECK(call(sets, p.label, {.folds = 1}) ==
        "cross_validate(): options.folds must be at least 2, got 1");
  CHECK(call(sets, p.label, {.threshold = 1.5}) ==
        "cross_validate(): options.threshold must be in [0, 1], got 1.5");
  CHECK(call(sets, p.label, {.confidence = 1.0}) ==
        "cross_validate(): options.confidence must be in (0, 1), got 1");
  CHECK(call(sets, p.label, {.booster = {.n_trees = 0}}) ==
        "cross_validate(): options.n_trees must be at least 1, got 0");
}
