// SPDX-License-Identifier: MIT
// Options and results of discgeom::xgboost: the paper's defaults, the names of the settings, and
// the checks of the booster's options.
#include "discgeom/xgboost/types.hpp"

#include <catch2/catch.hpp>

namespace xgb = discgeom::xgboost;

TEST_CASE("xgboost types: the defaults are the paper's parameters", "[xgboost]") {
  const xgb::booster_options booster;
  CHECK(booster.n_trees == 200);
  CHECK(booster.max_depth == 3);
  CHECK(booster.learning_rate == 0.1);
  CHECK(booster.method == xgb::tree_method::exact);
  CHECK(booster.threads == 1);
  CHECK(booster.scale_pos_weight == 1.0);
  const xgb::cross_validation_options cv;
  CHECK(cv.folds == 5);
  CHECK(cv.imbalance == xgb::imbalance_handling::weight);
  CHECK(cv.scaling == xgb::feature_scaling::none);
  CHECK(!cv.positive);
  CHECK(cv.threshold == 0.5);
  CHECK(cv.confidence == 0.95);
}

TEST_CASE("xgboost types: names of the settings", "[xgboost]") {
  CHECK(xgb::to_string(xgb::tree_method::exact) == "exact");
  CHECK(xgb::to_string(xgb::tree_method::hist) == "hist");
  CHECK(to_string(xgb::tree_method::hist) == "hist");  // found by argument-dependent lookup
  CHECK(discgeom::parse_enum<xgb::tree_method>("hist") == xgb::tree_method::hist);
  CHECK(xgb::to_string(xgb::imbalance_handling::none) == "none");
  CHECK(xgb::to_string(xgb::imbalance_handling::weight) == "weight");
  CHECK(xgb::to_string(xgb::feature_scaling::none) == "none");
  CHECK(xgb::to_string(xgb::feature_scaling::standardise) == "standardise");
}

TEST_CASE("xgboost types: booster options out of range are named", "[xgboost]") {
  using Catch::Matchers::Equals;
  const auto message = [](const xgb::booster_options& options) {
    try {
      xgb::detail::check_booster_options(options, "f");
    } catch (const discgeom::precondition_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message({}) == "no error");
  CHECK_THAT(message({.n_trees = 0}), Equals("f(): options.n_trees must be at least 1, got 0"));
  CHECK_THAT(message({.max_depth = 0}), Equals("f(): options.max_depth must be at least 1, got 0"));
  CHECK_THAT(message({.learning_rate = 1.5}),
             Equals("f(): options.learning_rate must be in (0, 1], got 1.5"));
  CHECK_THAT(message({.learning_rate = 0.0}),
             Equals("f(): options.learning_rate must be in (0, 1], got 0"));
  CHECK_THAT(message({.threads = 0}), Equals("f(): options.threads must be at least 1, got 0"));
  CHECK_THAT(message({.scale_pos_weight = -1.0}),
             Equals("f(): options.scale_pos_weight must be finite and > 0, got -1"));
}
