#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Golden values of discgeom::xgboost::cross_validate, for the C++ tests.

Run once with Debian's python (numpy, scikit-learn 1.2, python3-xgboost 1.7):
    /usr/bin/python3 tests/golden/make_xgboost_golden.py > tests/data/xgboost_golden.txt
The test (tests/xgboost/cross_validate.cpp) reads the data and the values from the file; it never
runs Python.

What is independent of the C++ code: the ensembles are trained by the Python package
(xgboost.train with the parameters written below, num_boost_round = n_trees) and the per-fold
F1, macro F1 and AUC come from scikit-learn (f1_score, roc_auc_score). What is shared: the fold
assignment, re-implemented from the algorithm documented in include/discgeom/stats/folds.hpp by
make_classification_golden.py (imported here), and the feature scaling, computed here from its
definition (training-fold mean and sample sd of the values present). The script also checks that
the sklearn interface XGBClassifier(max_depth=3, n_estimators=200, learning_rate=0.1,
tree_method="exact") gives the same probabilities as xgboost.train with the paper's parameters.

Format: plain text, one "key value value ..." line per quantity; "case NAME" opens a set of
settings, "end" closes it; "nan" is a missing value.
"""
import os
import sys

import numpy as np
import xgboost
from sklearn import metrics

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_classification_golden import stratified_folds  # noqa: E402


def line(key, values):
    print(key, " ".join(repr(float(v)) if isinstance(v, (float, np.floating)) else str(v)
                        for v in values))


def make_data():
    """60 rows: x0 and x1 carry the label, x2 is noise with missing values, x3 has ties."""
    rng = np.random.default_rng(20240611)
    n = 60
    label = (rng.random(n) < 0.25).astype(float)
    x0 = rng.normal(0.0, 1.0, n) + 1.5 * label
    x1 = rng.normal(5.0, 2.0, n) - 1.0 * label
    x2 = rng.normal(0.0, 1.0, n)
    x2[rng.random(n) < 0.15] = np.nan
    x3 = rng.integers(0, 4, n).astype(float)
    label[[7, 31]] = np.nan  # two rows without a label: left out
    # Values exactly representable in float32, so both sides convert them the same way.
    x = np.column_stack([x0, x1, x2, x3]).astype(np.float32).astype(np.float64)
    return x, label


def scaled(x, train):
    centre = np.zeros(x.shape[1])
    scale = np.ones(x.shape[1])
    for c in range(x.shape[1]):
        present = [x[r, c] for r in train if not np.isnan(x[r, c])]
        if not present:
            continue
        total = 0.0
        for v in present:  # sequential sums, as the C++ code
            total += v
        mean = total / len(present)
        squares = 0.0
        for v in present:
            squares += (v - mean) * (v - mean)
        centre[c] = mean
        if len(present) >= 2 and squares > 0.0:
            scale[c] = (squares / (len(present) - 1)) ** 0.5
    return ((x - centre) / scale).astype(np.float32)


def cross_validate(x, label, settings):
    used = np.flatnonzero(~np.isnan(label))
    classes = label[used].astype(int)
    folds = stratified_folds(classes, settings["folds"], settings["seed"])
    probabilities = np.full(label.size, np.nan)
    per_fold = {"f1": [], "f1_macro": [], "auc": []}
    fold_of = np.full(label.size, settings["folds"])
    for f, test_index in enumerate(folds):
        fold_of[used[test_index]] = f
    for f, test_index in enumerate(folds):
        train_index = np.setdiff1d(np.arange(used.size), test_index)
        train, test = used[train_index], used[test_index]
        if settings["scaling"] == "standardise":
            z = scaled(x, train)
        else:
            z = x.astype(np.float32)
        y_train = classes[train_index]
        weight = 1.0
        if settings["imbalance"] == "weight":
            weight = float(np.sum(y_train == 0)) / float(np.sum(y_train == 1))
        params = {
            "objective": "binary:logistic",
            "max_depth": settings["max_depth"],
            "eta": settings["learning_rate"],
            "tree_method": settings["method"],
            "nthread": 1,
            "seed": settings["seed"],
            "scale_pos_weight": weight,
        }
        dtrain = xgboost.DMatrix(z[train], label=y_train, missing=np.nan)
        booster = xgboost.train(params, dtrain, num_boost_round=settings["n_trees"])
        p = booster.predict(xgboost.DMatrix(z[test], missing=np.nan)).astype(np.float64)
        probabilities[test] = p
        truth = classes[test_index]
        predicted = (p > 0.5).astype(int)
        per_fold["f1"].append(metrics.f1_score(truth, predicted, pos_label=1, zero_division=0))
        per_fold["f1_macro"].append(
            metrics.f1_score(truth, predicted, average="macro", labels=[0, 1], zero_division=0))
        per_fold["auc"].append(metrics.roc_auc_score(truth, p))
        if settings is PAPER and f == 0:
            check_sklearn_interface(z[train], y_train, z[test], p)
    return fold_of, probabilities, per_fold


def check_sklearn_interface(x_train, y_train, x_test, expected):
    model = xgboost.XGBClassifier(max_depth=3, n_estimators=200, learning_rate=0.1,
                                  tree_method="exact", n_jobs=1)
    model.fit(x_train, y_train)
    p = model.predict_proba(x_test)[:, 1]
    assert np.max(np.abs(p - expected)) < 1e-7, "XGBClassifier differs from xgboost.train"


PAPER = {"name": "paper_none", "n_trees": 200, "max_depth": 3, "learning_rate": 0.1,
         "method": "exact", "imbalance": "none", "scaling": "none", "folds": 5, "seed": 3}
CASES = [
    PAPER,
    dict(PAPER, name="paper_weight", imbalance="weight"),
    {"name": "small_hist_standardise", "n_trees": 30, "max_depth": 2, "learning_rate": 0.3,
     "method": "hist", "imbalance": "weight", "scaling": "standardise", "folds": 4, "seed": 11},
]


def main():
    x, label = make_data()
    print("# generated by tests/golden/make_xgboost_golden.py with xgboost", xgboost.__version__)
    line("label", label)
    for c in range(x.shape[1]):
        line(f"x{c}", x[:, c])
    for settings in CASES:
        print("case", settings["name"])
        line("settings", [settings[k] for k in ("n_trees", "max_depth", "learning_rate", "method",
                                                 "imbalance", "scaling", "folds", "seed")])
        fold_of, probabilities, per_fold = cross_validate(x, label, settings)
        line("fold_of", fold_of)
        line("probabilities", probabilities)
        for key in ("f1", "f1_macro", "auc"):
            line(f"fold_{key}", [float(v) for v in per_fold[key]])
        print("end")


if __name__ == "__main__":
    main()
