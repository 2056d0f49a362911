// SPDX-License-Identifier: MIT
#pragma once

/// \file
/// Gradient-boosted trees (Friedman, Ann Stat 29:1189, 2001) through the C API of XGBoost
/// (Chen & Guestrin, KDD 2016: 785), owned by RAII handles: `dmatrix` (a dense row-major float
/// matrix, NaN meaning missing, with labels and optional case weights) and `booster` (parameters,
/// boosting rounds, predicted probabilities). Every failure the library reports is rethrown as a
/// discgeom::numerical_error that names our function, the C call and XGBGetLastError().
/// Needs the discgeom::xgboost component (libxgboost). Details: docs/classification.md.

#include <xgboost/c_api.h>

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "discgeom/error.hpp"
#include "discgeom/xgboost/types.hpp"

namespace discgeom::xgboost {

namespace detail {

/// Throws numerical_error "function(): call failed: <XGBGetLastError()>" when code is not 0.
inline void check_call(int code, const char* function, const char* call) {
  if (code != 0) [[unlikely]] {
    const char* message = XGBGetLastError();
    ::discgeom::detail::throw_error<numerical_error>(
        function, call, " failed: ", std::string(message ? message : "?"));
  }
}

/// The shortest decimal text that reads back as `value` (what Python's repr gives).
[[nodiscard]] inline std::string parameter_text(double value) {
  char buffer[64];
  const auto [end, code] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return code == std::errc{} ? std::string(buffer, end) : std::string("nan");
}

}  // namespace detail

/// A dense feature matrix in XGBoost's memory (its DMatrix), with labels and weights. Move-only;
/// the handle is freed by the destructor.
class dmatrix {
 public:
  /// Copies a dense row-major matrix of `rows` x `columns` floats into XGBoost. A NaN value is
  /// missing: XGBoost learns, at every split, to which side missing values go (the "sparsity-
  /// aware split finding" of Chen & Guestrin 2016, Sec. 3.4).
  ///
  /// \param values   rows * columns values, row by row; NaN = missing; no infinities
  /// \param rows     the number of cases, >= 1
  /// \param columns  the number of features, >= 1
  /// \throws precondition_error when values.size() != rows * columns, rows or columns is 0, or a
  ///         value is infinite (naming row and column); numerical_error when XGBoost fails
  /// Complexity: O(rows columns).
  ///
  ///   const std::vector<float> x = {0.f, 1.f, 2.f, NAN};  // 2 cases, 2 features
  ///   discgeom::xgboost::dmatrix data(x, 2, 2);
  dmatrix(std::span<const float> values, std::size_t rows, std::size_t columns)
      : rows_(rows), columns_(columns) {
    DISCGEOM_PRECONDITION(rows >= 1 && columns >= 1, "dmatrix", "the matrix must have at least ",
                          "one row and one column, got ", rows, " x ", columns);
    DISCGEOM_PRECONDITION(values.size() == rows * columns, "dmatrix", "values holds ",
                          values.size(), " numbers, expected rows * columns = ", rows, " * ",
                          columns, " = ", rows * columns);
    for (std::size_t i = 0; i < values.size(); ++i) {
      DISCGEOM_PRECONDITION(!std::isinf(values[i]), "dmatrix", "values at row ", i / columns,
                            ", column ", i % columns, " is infinite (", values[i],
                            "); missing values are NaN");
    }
    detail::check_call(XGDMatrixCreateFromMat(values.data(), static_cast<bst_ulong>(rows),
                                              static_cast<bst_ulong>(columns),
                                              std::numeric_limits<float>::quiet_NaN(), &handle_),
                       "dmatrix", "XGDMatrixCreateFromMat");
  }

  dmatrix(const dmatrix&) = delete;
  dmatrix& operator=(const dmatrix&) = delete;
  dmatrix(dmatrix&& other) noexcept
      : handle_(std::exchange(other.handle_, nullptr)),
        rows_(other.rows_),
        columns_(other.columns_) {}
  dmatrix& operator=(dmatrix&& other) noexcept {
    if (this != &other) {
      release();
      handle_ = std::exchange(other.handle_, nullptr);
      rows_ = other.rows_;
      columns_ = other.columns_;
    }
    return *this;
  }
  ~dmatrix() { release(); }

  /// Sets the label of every row (for binary:logistic: 0 or 1).
  /// \throws precondition_error when labels.size() != rows() or a label is not 0 or 1;
  ///         numerical_error when XGBoost fails. Complexity: O(rows).
  void set_labels(std::span<const float> labels) {
    DISCGEOM_PRECONDITION(labels.size() == rows_, "dmatrix::set_labels", "labels holds ",
                          labels.size(), " values for ", rows_, " rows");
    for (std::size_t i = 0; i < labels.size(); ++i) {
      DISCGEOM_PRECONDITION(labels[i] == 0.0f || labels[i] == 1.0f, "dmatrix::set_labels",
                            "labels[", i, "] must be 0 or 1, got ", labels[i]);
    }
    detail::check_call(XGDMatrixSetFloatInfo(handle_, "label", labels.data(),
                                             static_cast<bst_ulong>(labels.size())),
                       "dmatrix::set_labels", "XGDMatrixSetFloatInfo");
  }

  /// Sets a weight per row (finite, >= 0). Complexity: O(rows).
  /// \throws precondition_error on a length mismatch or a bad weight; numerical_error when
  ///         XGBoost fails
  void set_weights(std::span<const float> weights) {
    DISCGEOM_PRECONDITION(weights.size() == rows_, "dmatrix::set_weights", "weights holds ",
                          weights.size(), " values for ", rows_, " rows");
    for (std::size_t i = 0; i < weights.size(); ++i) {
      DISCGEOM_PRECONDITION(std::isfinite(weights[i]) && weights[i] >= 0.0f, "dmatrix::set_weights",
                            "weights[", i, "] must be finite and >= 0, got ", weights[i]);
    }
    detail::check_call(XGDMatrixSetFloatInfo(handle_, "weight", weights.data(),
                                             static_cast<bst_ulong>(weights.size())),
                       "dmatrix::set_weights", "XGDMatrixSetFloatInfo");
  }

  [[nodiscard]] std::size_t rows() const noexcept { return rows_; }
  [[nodiscard]] std::size_t columns() const noexcept { return columns_; }
  /// The C handle, for calls this class does not wrap (still owned by this object).
  [[nodiscard]] DMatrixHandle handle() const noexcept { return handle_; }

 private:
  void release() noexcept {
    if (handle_ != nullptr) {
      XGDMatrixFree(handle_);
      handle_ = nullptr;
    }
  }

  DMatrixHandle handle_ = nullptr;
  std::size_t rows_ = 0;
  std::size_t columns_ = 0;
};

/// A gradient-boosted tree ensemble with the logistic objective. Move-only.
class booster {
 public:
  /// Creates an untrained booster for `train` and sets the parameters of `options`:
  /// objective binary:logistic, max_depth, eta (learning_rate), tree_method, nthread, seed,
  /// scale_pos_weight, and XGBoost's defaults for the rest. Train with update() or use
  /// train_booster().
  ///
  /// \throws precondition_error when an option is out of range (see booster_options);
  ///         numerical_error when XGBoost fails
  /// Complexity: O(1).
  ///
  ///   discgeom::xgboost::booster model(train, {.max_depth = 2});
  ///   for (int i = 0; i < 10; ++i) model.update(train);
  booster(const dmatrix& train, const booster_options& options = {}) : columns_(train.columns()) {
    ::discgeom::xgboost::detail::check_booster_options(options, "booster");
    const DMatrixHandle cache[] = {train.handle()};
    detail::check_call(XGBoosterCreate(cache, 1, &handle_), "booster", "XGBoosterCreate");
    set_parameter("objective", "binary:logistic");
    set_parameter("max_depth", std::to_string(options.max_depth));
    set_parameter("eta", detail::parameter_text(options.learning_rate));
    set_parameter("tree_method", to_string(options.method));
    set_parameter("nthread", std::to_string(options.threads));
    set_parameter("seed", std::to_string(options.seed));
    set_parameter("scale_pos_weight", detail::parameter_text(options.scale_pos_weight));
  }

  booster(const booster&) = delete;
  booster& operator=(const booster&) = delete;
  booster(booster&& other) noexcept
      : handle_(std::exchange(other.handle_, nullptr)),
        rounds_(other.rounds_),
        columns_(other.columns_) {}
  booster& operator=(booster&& other) noexcept {
    if (this != &other) {
      release();
      handle_ = std::exchange(other.handle_, nullptr);
      rounds_ = other.rounds_;
      columns_ = other.columns_;
    }
    return *this;
  }
  ~booster() { release(); }

  /// Sets one XGBoost parameter by name (see XGBoost's parameter documentation).
  /// \throws numerical_error naming the parameter when XGBoost rejects it
  void set_parameter(std::string_view name, std::string_view value) {
    const std::string n(name), v(value);
    if (XGBoosterSetParam(handle_, n.c_str(), v.c_str()) != 0) [[unlikely]] {
      const char* message = XGBGetLastError();
      ::discgeom::detail::throw_error<numerical_error>(
          "booster::set_parameter", "XGBoosterSetParam(", n, "=", v,
          ") failed: ", std::string(message ? message : "?"));
    }
  }

  /// One boosting round on `train` (the matrix given to the constructor, with labels): adds
  /// one tree fitted to the gradients of the logistic loss.
  /// \throws precondition_error when train has another number of columns; numerical_error when
  ///         XGBoost fails (e.g. labels not set)
  /// Complexity: O(n p log n) per round with the exact method (n rows, p features).
  void update(const dmatrix& train) {
    DISCGEOM_PRECONDITION(train.columns() == columns_, "booster::update", "train has ",
                          train.columns(), " columns, the booster was created for ", columns_);
    detail::check_call(XGBoosterUpdateOneIter(handle_, static_cast<int>(rounds_), train.handle()),
                       "booster::update", "XGBoosterUpdateOneIter");
    ++rounds_;
  }

  /// The predicted probability of the positive class of every row of `data`, in (0, 1):
  /// sigmoid(base margin + sum of the trees' leaf values).
  /// \throws precondition_error when data has another number of columns than the training
  ///         matrix; numerical_error when XGBoost fails
  /// Complexity: O(rows * trees * depth).
  [[nodiscard]] std::vector<double> predict(const dmatrix& data) {
    DISCGEOM_PRECONDITION(data.columns() == columns_, "booster::predict", "data has ",
                          data.columns(), " columns, the booster was trained on ", columns_);
    bst_ulong length = 0;
    const float* result = nullptr;
    detail::check_call(XGBoosterPredict(handle_, data.handle(), 0, 0, 0, &length, &result),
                       "booster::predict", "XGBoosterPredict");
    DISCGEOM_PRECONDITION(length == data.rows(), "booster::predict", "XGBoost returned ", length,
                          " predictions for ", data.rows(), " rows");
    return std::vector<double>(result, result + length);
  }

  /// Boosting rounds done (trees in the ensemble).
  [[nodiscard]] std::size_t rounds() const noexcept { return rounds_; }
  /// The C handle, for calls this class does not wrap (still owned by this object).
  [[nodiscard]] BoosterHandle handle() const noexcept { return handle_; }

 private:
  void release() noexcept {
    if (handle_ != nullptr) {
      XGBoosterFree(handle_);
      handle_ = nullptr;
    }
  }

  BoosterHandle handle_ = nullptr;
  std::size_t rounds_ = 0;
  std::size_t columns_ = 0;
};

/// Trains a gradient-boosted ensemble of options.n_trees trees: F_0 = logit(0.5) = 0,
/// F_m = F_{m-1} + eta f_m, each f_m a tree of depth <= max_depth fitted to the gradient and
/// Hessian of the logistic loss (Chen & Guestrin 2016, Eq. 2-7); positives weighted by
/// scale_pos_weight. The result equals xgboost.train(params, data, num_boost_round=n_trees)
/// with the same parameters (tests/golden/make_xgboost_golden.py).
///
/// \param train    features with labels 0/1 (dmatrix::set_labels)
/// \param options  n_trees, max_depth, learning_rate, method, threads, seed, scale_pos_weight
/// \returns the trained booster (predict() gives probabilities of class 1)
/// \throws precondition_error when an option is out of range; numerical_error when XGBoost fails
///         (naming the call and XGBoost's message)
/// Complexity: O(n_trees n p log n) with the exact method.
///
///   discgeom::xgboost::dmatrix train(x, rows, columns);
///   train.set_labels(y);
///   auto model = discgeom::xgboost::train_booster(train, {.n_trees = 50});
///   const std::vector<double> p = model.predict(test);
[[nodiscard]] inline booster train_booster(const dmatrix& train,
                                           const booster_options& options = {}) {
  booster model(train, options);
  for (std::size_t round = 0; round < options.n_trees; ++round) {
    model.update(train);
  }
  return model;
}

}  // namespace discgeom::xgboost
