// SPDX-License-Identifier: MIT
// Confusion matrix, binary / per-class / macro / micro scores: hand-counted cases, the
// zero-division statuses, several containers, every bad input, and golden values from
// scikit-learn (tests/golden/make_classification_golden.py ->
// tests/data/classification_golden.txt).
#include "discgeom/stats/classification.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <ranges>
#include <span>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <xtensor/xtensor.hpp>

#include "classification_golden.hpp"

namespace {

using classification_golden::check_close;
using discgeom::score_status;

std::vector<int> as_ints(const std::vector<double>& values) {
  return std::vector<int>(values.begin(), values.end());
}

}  // namespace

TEST_CASE("classification: confusion matrix and scores of a hand-counted 3x3 case",
          "[stats][classification]") {
  // counts (rows truth, columns prediction) = [[3,1,0],[2,1,1],[0,1,2]]
  const std::vector<int> truth{0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2};
  const std::vector<int> predicted{0, 0, 0, 1, 0, 0, 1, 2, 1, 2, 2};
  const auto table = discgeom::confusion_matrix(truth, predicted);
  CHECK(table.classes == std::vector<discgeom::class_label>{0, 1, 2});
  CHECK(table.counts == std::vector<std::vector<std::uint64_t>>{{3, 1, 0}, {2, 1, 1}, {0, 1, 2}});
  CHECK(table.total() == 11);
  CHECK(table.index_of(2) == std::optional<std::size_t>(2));
  CHECK(!table.index_of(3));

  const auto s = discgeom::multiclass_classification(truth, predicted);
  REQUIRE(s.per_class.size() == 3);
  // class 0: TP 3, FP 2, FN 1, TN 5
  CHECK(s.per_class[0].positive == 0);
  CHECK(s.per_class[0].tp == 3);
  CHECK(s.per_class[0].fp == 2);
  CHECK(s.per_class[0].fn == 1);
  CHECK(s.per_class[0].tn == 5);
  CHECK(s.per_class[0].precision == Approx(3.0 / 5.0));
  CHECK(s.per_class[0].recall == Approx(3.0 / 4.0));
  CHECK(s.per_class[0].f1 == Approx(2.0 / 3.0));
  CHECK(s.per_class[0].specificity == Approx(5.0 / 7.0));
  // class 1: TP 1, FP 2, FN 3, TN 5
  CHECK(s.per_class[1].precision == Approx(1.0 / 3.0));
  CHECK(s.per_class[1].recall == Approx(1.0 / 4.0));
  CHECK(s.per_class[1].f1 == Approx(2.0 / 7.0));
  CHECK(s.per_class[1].specificity == Approx(5.0 / 7.0));
  // class 2: TP 2, FP 1, FN 1, TN 7
  CHECK(s.per_class[2].precision == Approx(2.0 / 3.0));
  CHECK(s.per_class[2].recall == Approx(2.0 / 3.0));
  CHECK(s.per_class[2].f1 == Approx(2.0 / 3.0));
  CHECK(s.per_class[2].specificity == Approx(7.0 / 8.0));
  // macro: the means of the three; micro: pooled TP 6, FP = FN = 5.
  CHECK(s.macro.precision == Approx(8.0 / 15.0));
  CHECK(s.macro.recall == Approx(5.0 / 9.0));
  CHECK(s.macro.f1 == Approx(34.0 / 63.0));
  CHECK(s.micro.precision == Approx(6.0 / 11.0));
  CHECK(s.micro.recall == Approx(6.0 / 11.0));
  CHECK(s.micro.f1 == Approx(6.0 / 11.0));
  CHECK(s.accuracy == Approx(6.0 / 11.0));
  CHECK(s.balanced_accuracy == Approx(5.0 / 9.0));
  CHECK(s.status == score_status::ok);
  CHECK(discgeom::macro_f1(truth, predicted) == Approx(34.0 / 63.0));
  CHECK(discgeom::micro_f1(truth, predicted) == Approx(6.0 / 11.0));
  CHECK(discgeom::accuracy(truth, predicted) == Approx(6.0 / 11.0));
  CHECK(discgeom::balanced_accuracy(truth, predicted) == Approx(5.0 / 9.0));
}

TEST_CASE("classification: binary scores known by hand", "[stats][classification]") {
  // TP 3 (cases 0, 2, 7), FN 1 (case 1), FP 2 (cases 4, 5), TN 2 (cases 3, 6).
  const std::vector<int> truth{1, 1, 1, 0, 0, 0, 0, 1};
  const std::vector<int> predicted{1, 0, 1, 0, 1, 1, 0, 1};
  const auto s = discgeom::binary_classification(truth, predicted);
  CHECK(s.positive == 1);
  CHECK(s.tp == 3);
  CHECK(s.fn == 1);
  CHECK(s.fp == 2);
  CHECK(s.tn == 2);
  CHECK(s.precision == Approx(3.0 / 5.0));
  CHECK(s.recall == Approx(3.0 / 4.0));
  CHECK(s.specificity == Approx(1.0 / 2.0));
  CHECK(s.f1 == Approx(2.0 / 3.0));
  CHECK(s.accuracy == Approx(5.0 / 8.0));
  CHECK(s.balanced_accuracy == Approx(5.0 / 8.0));
  CHECK(s.status == score_status::ok);
  CHECK(discgeom::binary_f1(truth, predicted) == Approx(2.0 / 3.0));

  // Class 0 as the positive class swaps the roles: precision 2/3, recall 1/2, F1 4/7.
  const auto negative = discgeom::binary_classification(truth, predicted, {.positive = 0});
  CHECK(negative.tp == 2);
  CHECK(negative.fp == 1);
  CHECK(negative.fn == 2);
  CHECK(negative.tn == 3);
  CHECK(negative.precision == Approx(2.0 / 3.0));
  CHECK(negative.recall == Approx(1.0 / 2.0));
  CHECK(negative.specificity == Approx(3.0 / 4.0));
  CHECK(negative.f1 == Approx(4.0 / 7.0));

  // The same from a confusion table, and labels other than 0/1.
  const auto table = discgeom::confusion_matrix(truth, predicted);
  CHECK(discgeom::binary_classification(table).f1 == s.f1);
  const std::vector<int> truth_labels{7, 7, 7, -2, -2, -2, -2, 7};
  const std::vector<int> predicted_labels{7, -2, 7, -2, 7, 7, -2, 7};
  const auto relabelled =
      discgeom::binary_classification(truth_labels, predicted_labels, {.positive = 7});
  CHECK(relabelled.f1 == s.f1);
  CHECK(relabelled.specificity == s.specificity);
}

TEST_CASE("classification: zero division takes the documented value and a status",
          "[stats][classification]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  SECTION("no predicted positive: precision = zero_division (default 0, as scikit-learn)") {
    const std::vector<int> truth{0, 1, 1, 0};
    const std::vector<int> predicted{0, 0, 0, 0};
    const auto s = discgeom::binary_classification(truth, predicted);
    CHECK(s.status == score_status::no_predicted_positive);
    CHECK(s.precision == 0.0);
    CHECK(s.recall == 0.0);
    CHECK(s.f1 == 0.0);
    CHECK(s.specificity == 1.0);
    CHECK(discgeom::binary_classification(truth, predicted, {.zero_division = 1.0}).precision ==
          1.0);
    CHECK(std::isnan(
        discgeom::binary_classification(truth, predicted, {.zero_division = nan}).precision));
    // F1 = 2 TP / (2 TP + FP + FN) = 0 whatever zero_division, as in scikit-learn.
    CHECK(discgeom::binary_classification(truth, predicted, {.zero_division = 1.0}).f1 == 0.0);
  }
  SECTION("no actual positive: recall = zero_division, F1 = 0") {
    const std::vector<int> truth{0, 0, 0, 0};
    const std::vector<int> predicted{0, 1, 0, 0};
    const auto s = discgeom::binary_classification(truth, predicted, {.zero_division = 1.0});
    CHECK(s.status == score_status::no_actual_positive);
    CHECK(s.precision == 0.0);
    CHECK(s.recall == 1.0);
    CHECK(s.f1 == 0.0);
    CHECK(s.specificity == Approx(0.75));
    // Balanced accuracy averages only the classes present in truth: here the specificity.
    CHECK(s.balanced_accuracy == Approx(0.75));
  }
  SECTION("no positive anywhere: precision, recall and F1 = zero_division") {
    const std::vector<int> truth{0, 0, 0};
    const std::vector<int> predicted{0, 0, 0};
    const auto s = discgeom::binary_classification(truth, predicted);
    CHECK(s.status == score_status::no_positive);
    CHECK(s.precision == 0.0);
    CHECK(s.recall == 0.0);
    CHECK(s.f1 == 0.0);
    CHECK(s.tn == 3);
    CHECK(s.accuracy == 1.0);
    const auto one = discgeom::binary_classification(truth, predicted, {.zero_division = 1.0});
    CHECK(one.precision == 1.0);
    CHECK(one.recall == 1.0);
    CHECK(one.f1 == 1.0);
  }
  SECTION("no actual negative: specificity = zero_division") {
    const std::vector<int> truth{1, 1, 1};
    const std::vector<int> predicted{1, 0, 1};
    const auto s = discgeom::binary_classification(truth, predicted, {.zero_division = nan});
    CHECK(s.status == score_status::no_actual_negative);
    CHECK(std::isnan(s.specificity));
    CHECK(s.recall == Approx(2.0 / 3.0));
    CHECK(s.balanced_accuracy == Approx(2.0 / 3.0));
  }
  SECTION("only false negatives: precision and specificity = zero_division") {
    const std::vector<int> truth{1, 1};
    const std::vector<int> predicted{0, 0};
    const auto s = discgeom::binary_classification(truth, predicted, {.zero_division = 1.0});
    CHECK(s.status == score_status::only_false_negatives);
    CHECK(s.precision == 1.0);
    CHECK(s.specificity == 1.0);
    CHECK(s.recall == 0.0);
    CHECK(s.f1 == 0.0);
  }
  SECTION("a class only predicted counts in the macro average with recall zero_division") {
    const std::vector<int> truth{0, 0, 1, 1};
    const std::vector<int> predicted{0, 2, 1, 1};
    const auto s = discgeom::multiclass_classification(truth, predicted);
    REQUIRE(s.per_class.size() == 3);
    CHECK(s.per_class[2].status == score_status::no_actual_positive);
    CHECK(s.status == score_status::no_actual_positive);
    // precision (1 + 1 + 0) / 3, recall (1/2 + 1 + 0) / 3, F1 (2/3 + 1 + 0) / 3
    CHECK(s.macro.precision == Approx(2.0 / 3.0));
    CHECK(s.macro.recall == Approx(0.5));
    CHECK(s.macro.f1 == Approx(5.0 / 9.0));
    // Balanced accuracy leaves out class 2 (absent from truth): (1/2 + 1) / 2.
    CHECK(s.balanced_accuracy == Approx(0.75));
  }
  CHECK(discgeom::to_string(score_status::ok) == "ok");
  CHECK(discgeom::to_string(score_status::only_false_negatives) == "only_false_negatives");
}

TEST_CASE("classification: explicit classes keep their order and add absent classes",
          "[stats][classification]") {
  const std::vector<int> truth{0, 2, 1, 2};
  const std::vector<int> predicted{0, 2, 2, 2};
  const auto table = discgeom::confusion_matrix(truth, predicted, {.classes = {2, 0, 1, 5}});
  CHECK(table.classes == std::vector<discgeom::class_label>{2, 0, 1, 5});
  CHECK(table.counts == std::vector<std::vector<std::uint64_t>>{
                            {2, 0, 0, 0}, {0, 1, 0, 0}, {1, 0, 0, 0}, {0, 0, 0, 0}});
  const auto s = discgeom::multiclass_classification(truth, predicted, {.classes = {0, 1, 2, 5}});
  REQUIRE(s.per_class.size() == 4);
  CHECK(s.per_class[3].positive == 5);
  CHECK(s.per_class[3].status == score_status::no_positive);
  CHECK(s.per_class[3].f1 == 0.0);
  // Macro F1 over four classes: (1 + 0 + 4/5 + 0) / 4.
  CHECK(s.macro.f1 == Approx(0.45));
  // Negative and large labels sort numerically.
  const std::vector<long long> big{-3, 1000, 7, -3};
  const std::vector<long long> big_predicted{7, 1000, 7, -3};
  CHECK(discgeom::confusion_matrix(big, big_predicted).classes ==
        std::vector<discgeom::class_label>{-3, 7, 1000});
}

TEST_CASE("classification: every sample container gives the same answer",
          "[stats][classification]") {
  const std::vector<int> truth{0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2};
  const std::vector<int> predicted{0, 0, 0, 1, 0, 0, 1, 2, 1, 2, 2};
  const auto expected = discgeom::multiclass_classification(truth, predicted);

  const std::vector<double> truth_d(truth.begin(), truth.end());
  const std::vector<double> predicted_d(predicted.begin(), predicted.end());
  const std::span<const double> truth_span(truth_d);
  const std::span<const double> predicted_span(predicted_d);
  CHECK(discgeom::multiclass_classification(truth_span, predicted_span).macro.f1 ==
        expected.macro.f1);

  xt::xtensor<double, 1> truth_x = xt::zeros<double>({truth.size()});
  xt::xtensor<double, 1> predicted_x = xt::zeros<double>({predicted.size()});
  for (std::size_t i = 0; i < truth.size(); ++i) {
    truth_x(i) = truth[i];
    predicted_x(i) = predicted[i];
  }
  CHECK(discgeom::multiclass_classification(truth_x, predicted_x).macro.f1 == expected.macro.f1);

  struct case_row {
    int grade;
    std::optional<int> predicted_grade;
  };
  std::vector<case_row> rows;
  for (std::size_t i = 0; i < truth.size(); ++i)
    rows.push_back({truth[i], predicted[i]});
  auto grades = rows | std::views::transform(&case_row::grade);
  auto predicted_grades = rows | std::views::transform(&case_row::predicted_grade);
  const auto from_rows = discgeom::multiclass_classification(grades, predicted_grades);
  CHECK(from_rows.table.counts == expected.table.counts);
  CHECK(from_rows.macro.f1 == expected.macro.f1);
  CHECK(from_rows.micro.f1 == expected.micro.f1);
  CHECK(discgeom::accuracy(grades, predicted_x) == expected.accuracy);
  const std::vector<std::uint8_t> small(truth.begin(), truth.end());
  CHECK(discgeom::balanced_accuracy(small, predicted_span) == expected.balanced_accuracy);
}

TEST_CASE("classification: bad input throws naming the function, argument, index and value",
          "[stats][classification]") {
  const std::vector<int> three{0, 1, 1};
  const std::vector<int> two{0, 1};
  const std::vector<int> none;
  REQUIRE_THROWS_AS(discgeom::confusion_matrix(three, two), discgeom::precondition_error);
  REQUIRE_THROWS_WITH(discgeom::confusion_matrix(three, two),
                      Catch::Contains("confusion_matrix(): truth and predicted differ in length: "
                                      "3 vs 2"));
  REQUIRE_THROWS_WITH(discgeom::binary_classification(none, none),
                      Catch::Contains("binary_classification(): truth and predicted are empty"));
  const std::vector<double> fractional{0.0, 1.5, 1.0};
  REQUIRE_THROWS_WITH(
      discgeom::multiclass_classification(three, fractional),
      Catch::Contains("multiclass_classification(): predicted[1] must be an integer class label, "
                      "got 1.5"));
  const std::vector<double> with_nan{0.0, 1.0, std::numeric_limits<double>::quiet_NaN()};
  REQUIRE_THROWS_WITH(discgeom::macro_f1(with_nan, three),
                      Catch::Contains("macro_f1(): truth[2] is missing (NaN)"));
  const std::vector<double> with_inf{0.0, std::numeric_limits<double>::infinity(), 1.0};
  REQUIRE_THROWS_WITH(discgeom::micro_f1(three, with_inf),
                      Catch::Contains("micro_f1(): predicted[1] must be an integer class label, "
                                      "got inf"));
  const std::vector<std::optional<int>> with_empty{0, std::nullopt, 1};
  REQUIRE_THROWS_WITH(discgeom::accuracy(three, with_empty),
                      Catch::Contains("accuracy(): predicted[1] is missing (empty optional)"));
  const std::vector<std::uint64_t> huge{0, 1, 18446744073709551615ull};
  REQUIRE_THROWS_WITH(discgeom::confusion_matrix(huge, three),
                      Catch::Contains("confusion_matrix(): truth[2] must be a class label in the "
                                      "range of std::int64_t, got 18446744073709551615"));
  const std::vector<double> too_large{0.0, 1.0, 1e19};
  REQUIRE_THROWS_WITH(discgeom::confusion_matrix(too_large, three),
                      Catch::Contains("truth[2] must be an integer class label, got 1e+19"));

  const std::vector<int> three_classes{0, 1, 2};
  REQUIRE_THROWS_WITH(
      discgeom::binary_classification(three_classes, three),
      Catch::Contains("binary_classification(): binary scores need at most two classes, got 3 "
                      "[0,1,2]"));
  const std::vector<int> zero_two{0, 2, 2};
  REQUIRE_THROWS_WITH(discgeom::binary_f1(zero_two, zero_two),
                      Catch::Contains("binary_f1(): options.positive 1 is not one of "
                                      "the classes [0,2]"));
  REQUIRE_THROWS_WITH(discgeom::binary_classification(three, three, {.zero_division = 2.0}),
                      Catch::Contains("binary_classification(): options.zero_division must be in "
                                      "[0, 1] or NaN, got 2"));
  REQUIRE_THROWS_WITH(
      discgeom::multiclass_classification(three, three, {.zero_division = -1.0}),
      Catch::Contains("multiclass_classification(): options.zero_division must be in [0, 1] or "
                      "NaN, got -1"));
  REQUIRE_THROWS_WITH(discgeom::confusion_matrix(three_classes, three, {.classes = {0, 1}}),
                      Catch::Contains("confusion_matrix(): truth[2] holds class 2, which "
                                      "options.classes does not list"));
  REQUIRE_THROWS_WITH(discgeom::confusion_matrix(three, three, {.classes = {0, 1, 0}}),
                      Catch::Contains("confusion_matrix(): options.classes lists class 0 twice"));
  discgeom::confusion_table ragged;
  ragged.classes = {0, 1};
  ragged.counts = {{1, 2}, {3}};
  REQUIRE_THROWS_WITH(discgeom::multiclass_classification(ragged),
                      Catch::Contains("multiclass_classification(): table row 1 has 1 columns, "
                                      "expected 2"));
  const discgeom::confusion_table empty_table{{0, 1}, {{0, 0}, {0, 0}}};
  REQUIRE_THROWS_WITH(discgeom::binary_classification(empty_table),
                      Catch::Contains("binary_classification(): table counts no case"));
}

TEST_CASE("classification: golden values from scikit-learn", "[stats][classification]") {
  for (const auto& golden : classification_golden::read_cases()) {
    INFO("case " << golden.name);
    const auto truth = as_ints(golden.at("truth"));
    const auto predicted = as_ints(golden.at("predicted"));

    const auto table = discgeom::confusion_matrix(truth, predicted);
    const auto& classes = golden.at("classes");
    REQUIRE(table.classes.size() == classes.size());
    for (std::size_t i = 0; i < classes.size(); ++i)
      CHECK(table.classes[i] == static_cast<discgeom::class_label>(classes[i]));
    const auto& counts = golden.at("confusion");
    for (std::size_t i = 0; i < classes.size(); ++i)
      for (std::size_t j = 0; j < classes.size(); ++j)
        CHECK(table.counts[i][j] == static_cast<std::uint64_t>(counts[i * classes.size() + j]));

    for (const int zero_division : {0, 1}) {
      INFO("zero_division " << zero_division);
      const std::string zd = "_zd" + std::to_string(zero_division);
      const auto s = discgeom::multiclass_classification(
          truth, predicted, {.zero_division = static_cast<double>(zero_division)});
      for (std::size_t i = 0; i < classes.size(); ++i) {
        INFO("class " << classes[i]);
        check_close(s.per_class[i].precision, golden.at("per_class_precision" + zd)[i]);
        check_close(s.per_class[i].recall, golden.at("per_class_recall" + zd)[i]);
        check_close(s.per_class[i].f1, golden.at("per_class_f1" + zd)[i]);
        CHECK(s.per_class[i].tp + s.per_class[i].fn ==
              static_cast<std::uint64_t>(golden.at("support")[i]));
      }
      check_close(s.macro.precision, golden.at("macro" + zd)[0]);
      check_close(s.macro.recall, golden.at("macro" + zd)[1]);
      check_close(s.macro.f1, golden.at("macro" + zd)[2]);
      check_close(s.micro.precision, golden.at("micro" + zd)[0]);
      check_close(s.micro.recall, golden.at("micro" + zd)[1]);
      check_close(s.micro.f1, golden.at("micro" + zd)[2]);
      if (golden.has("positive")) {
        const auto positive = static_cast<discgeom::class_label>(golden.at("positive")[0]);
        const auto b = discgeom::binary_classification(
            truth, predicted,
            {.positive = positive, .zero_division = static_cast<double>(zero_division)});
        check_close(b.precision, golden.at("binary" + zd)[0]);
        check_close(b.recall, golden.at("binary" + zd)[1]);
        check_close(b.f1, golden.at("binary" + zd)[2]);
      }
    }
    const auto s = discgeom::multiclass_classification(truth, predicted);
    for (std::size_t i = 0; i < classes.size(); ++i)
      check_close(s.per_class[i].specificity, golden.at("per_class_specificity")[i]);
    check_close(discgeom::macro_f1(truth, predicted), golden.at("macro_f1")[0]);
    check_close(discgeom::micro_f1(truth, predicted), golden.at("micro_f1")[0]);
    check_close(discgeom::accuracy(truth, predicted), golden.at("accuracy")[0]);
    check_close(s.accuracy, golden.at("accuracy")[0]);
    check_close(discgeom::balanced_accuracy(truth, predicted), golden.at("balanced_accuracy")[0]);
    if (golden.has("positive")) {
      const auto positive = static_cast<discgeom::class_label>(golden.at("positive")[0]);
      const auto b = discgeom::binary_classification(truth, predicted, {.positive = positive});
      check_close(discgeom::binary_f1(truth, predicted, {.positive = positive}),
                  golden.at("binary_f1")[0]);
      check_close(b.specificity, golden.at("binary_specificity")[0]);
      check_close(b.balanced_accuracy, golden.at("balanced_accuracy")[0]);
      check_close(b.accuracy, golden.at("accuracy")[0]);
    }
  }
}
