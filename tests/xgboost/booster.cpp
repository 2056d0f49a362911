// SPDX-License-Identifier: MIT
// The RAII wrappers of the XGBoost C API: a separable problem learned, missing values accepted,
// moves, parameters that reach the library, and every bad input with its message.
#include "discgeom/xgboost/booster.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

namespace xgb = discgeom::xgboost;
using Catch::Matchers::Contains;
using Catch::Matchers::Equals;

namespace {

constexpr float nan_value = std::numeric_limits<float>::quiet_NaN();

// 40 rows, 2 features: the label is 1 when x0 > 0.5; x1 is noise with missing values.
struct toy {
  std::vector<float> x;
  std::vector<float> y;
};

toy make_toy() {
  toy t;
  for (int i = 0; i < 40; ++i) {
    const float x0 = static_cast<float>(i) / 40.0f;
    const float x1 = i % 5 == 0 ? nan_value : static_cast<float>((i * 7) % 11);
    t.x.push_back(x0);
    t.x.push_back(x1);
    t.y.push_back(x0 > 0.5f ? 1.0f : 0.0f);
  }
  return t;
}

}  // namespace

TEST_CASE("xgboost booster: learns a threshold, with missing values in another feature",
          "[xgboost]") {
  const toy t = make_toy();
  xgb::dmatrix train(t.x, 40, 2);
  train.set_labels(t.y);
  CHECK(train.rows() == 40);
  CHECK(train.columns() == 2);
  auto model = xgb::train_booster(train, {.n_trees = 20});
  CHECK(model.rounds() == 20);
  const std::vector<double> p = model.predict(train);
  REQUIRE(p.size() == 40);
  for (std::size_t i = 0; i < 40; ++i) {
    CAPTURE(i, p[i]);
    CHECK(p[i] > 0.0);
    CHECK(p[i] < 1.0);
    CHECK((p[i] > 0.5) == (t.y[i] == 1.0f));
  }
  // A new matrix with a missing value in the informative feature is predicted without error.
  const std::vector<float> fresh = {0.9f, 1.0f, 0.1f, nan_value, nan_value, 3.0f};
  xgb::dmatrix test(fresh, 3, 2);
  const std::vector<double> q = model.predict(test);
  REQUIRE(q.size() == 3);
  CHECK(q[0] > 0.5);
  CHECK(q[1] < 0.5);
  CHECK(std::isfinite(q[2]));
}

TEST_CASE("xgboost booster: with no tree the probability is the base score 0.5", "[xgboost]") {
  const toy t = make_toy();
  xgb::dmatrix train(t.x, 40, 2);
  train.set_labels(t.y);
  xgb::booster model(train);
  CHECK(model.rounds() == 0);
  for (double p : model.predict(train)) {
    CHECK(p == 0.5);
  }
}

TEST_CASE("xgboost booster: the learning rate reaches the library", "[xgboost]") {
  // One tree of depth 1 on two pure groups: leaf weight w = -G / (H + lambda) with the logistic
  // gradients at p = 0.5: for the 20 positives G = 20 (0.5 - 1) = -10, H = 20 * 0.25 = 5,
  // lambda = 1, so w = 10 / 6; the margin is eta w and p = sigmoid(eta * 10 / 6).
  std::vector<float> x, y;
  for (int i = 0; i < 40; ++i) {
    x.push_back(i < 20 ? 0.0f : 1.0f);
    y.push_back(i < 20 ? 0.0f : 1.0f);
  }
  xgb::dmatrix train(x, 40, 1);
  train.set_labels(y);
  for (const double eta : {0.1, 0.3, 1.0}) {
    auto model = xgb::train_booster(train, {.n_trees = 1, .max_depth = 1, .learning_rate = eta});
    const std::vector<double> p = model.predict(train);
    const double expected = 1.0 / (1.0 + std::exp(-eta * 10.0 / 6.0));
    CHECK(p[39] == Approx(expected).epsilon(1e-6));
    CHECK(p[0] == Approx(1.0 - expected).epsilon(1e-6));
  }
  // scale_pos_weight 3 weighs the positives' gradients and Hessians alike: w stays
  // -3G / (3H + 1) = 30 / 16.
  auto weighted =
      xgb::train_booster(train, {.n_trees = 1, .max_depth = 1, .scale_pos_weight = 3.0});
  CHECK(weighted.predict(train)[39] ==
        Approx(1.0 / (1.0 + std::exp(-0.1 * 30.0 / 16.0))).epsilon(1e-6));
}

TEST_CASE("xgboost booster: handles move", "[xgboost]") {
  const toy t = make_toy();
  xgb::dmatrix a(t.x, 40, 2);
  a.set_labels(t.y);
  xgb::dmatrix b = std::move(a);
  CHECK(b.rows() == 40);
  CHECK(b.handle() != nullptr);
  auto model = xgb::train_booster(b, {.n_trees = 5});
  xgb::booster moved = std::move(model);
  CHECK(moved.rounds() == 5);
  CHECK(moved.predict(b).size() == 40);
  xgb::dmatrix c(std::vector<float>{1.0f}, 1, 1);
  c = std::move(b);
  CHECK(c.rows() == 40);
}

TEST_CASE("xgboost booster: bad input is named", "[xgboost]") {
  const std::vector<float> values = {1.0f, 2.0f, 3.0f, 4.0f};
  CHECK_THROWS_WITH(xgb::dmatrix(values, 3, 2),
                    "dmatrix(): values holds 4 numbers, expected rows * columns = 3 * 2 = 6");
  CHECK_THROWS_WITH(xgb::dmatrix(values, 0, 2),
                    "dmatrix(): the matrix must have at least one row and one column, got 0 x 2");
  const std::vector<float> infinite = {1.0f, std::numeric_limits<float>::infinity()};
  CHECK_THROWS_AS(xgb::dmatrix(infinite, 1, 2), discgeom::precondition_error);
  CHECK_THROWS_WITH(
      xgb::dmatrix(infinite, 1, 2),
      Contains("values at row 0, column 1 is infinite") && Contains("missing values are NaN"));
  xgb::dmatrix m(values, 2, 2);
  CHECK_THROWS_WITH(m.set_labels(std::vector<float>{0.0f}),
                    "dmatrix::set_labels(): labels holds 1 values for 2 rows");
  CHECK_THROWS_WITH(m.set_labels(std::vector<float>{0.0f, 2.0f}),
                    "dmatrix::set_labels(): labels[1] must be 0 or 1, got 2");
  CHECK_THROWS_WITH(m.set_weights(std::vector<float>{1.0f, -1.0f}),
                    "dmatrix::set_weights(): weights[1] must be finite and >= 0, got -1");
  m.set_weights(std::vector<float>{1.0f, 2.0f});
  CHECK_THROWS_WITH(xgb::booster(m, {.max_depth = 0}),
                    "booster(): options.max_depth must be at least 1, got 0");
  m.set_labels(std::vector<float>{0.0f, 1.0f});
  xgb::booster model(m);
  const std::vector<float> three = {1.0f, 2.0f, 3.0f};
  xgb::dmatrix other(three, 1, 3);
  CHECK_THROWS_WITH(model.update(other),
                    "booster::update(): train has 3 columns, the booster was created for 2");
  CHECK_THROWS_WITH(model.predict(other),
                    "booster::predict(): data has 3 columns, the booster was trained on 2");
  // An error of the library itself comes back with the call and XGBoost's message (XGBoost
  // checks parameter values when it configures the booster, at the first round).
  model.set_parameter("tree_method", "no_such_method");
  CHECK_THROWS_AS(model.update(m), discgeom::numerical_error);
  CHECK_THROWS_WITH(
      model.update(m),
      Contains("booster::update(): XGBoosterUpdateOneIter failed: ") && Contains("no_such_method"));
}
