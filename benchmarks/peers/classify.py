#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The peer of benchmarks/classify.cpp: the same 5-fold cross-validation of gradient-boosted trees
(xgboost.train, 200 rounds, max_depth 3, eta 0.1, exact, nthread 1, scale_pos_weight =
negatives/positives of each training fold) on the same three feature sets and the same folds,
with F1 and ROC AUC per fold from scikit-learn, timed the way a Python user would run it.
Reads the table that `bench_classify --write-data DIR` writes (features, labels, discgeom's fold
of every row and its out-of-fold probabilities), checks that the probabilities agree to 1e-6,
and prints the median time of the cross-validation (not of reading the file).

    OMP_NUM_THREADS=1 /usr/bin/python3 benchmarks/peers/classify.py DIR [REPEATS]
"""
import sys
import time

import numpy as np
import xgboost
from sklearn import metrics

SETS = {"geometric": [f"g{c}" for c in range(8)], "latent": [f"z{c}" for c in range(4)]}
SETS["combined"] = SETS["geometric"] + SETS["latent"]


def cross_validate(x, label, fold, folds=5):
    probabilities = np.empty(label.size)
    aucs, f1s = [], []
    for f in range(folds):
        train, test = fold != f, fold == f
        weight = float(np.sum(label[train] == 0)) / float(np.sum(label[train] == 1))
        params = {"objective": "binary:logistic", "max_depth": 3, "eta": 0.1,
                  "tree_method": "exact", "nthread": 1, "seed": 0, "scale_pos_weight": weight}
        booster = xgboost.train(params, xgboost.DMatrix(x[train], label=label[train]),
                                num_boost_round=200)
        p = booster.predict(xgboost.DMatrix(x[test]))
        probabilities[test] = p
        aucs.append(metrics.roc_auc_score(label[test], p))
        f1s.append(metrics.f1_score(label[test], (p > 0.5).astype(int), zero_division=0))
    return probabilities, aucs, f1s


def main():
    folder = sys.argv[1]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with open(f"{folder}/classify_table.csv") as f:
        header = f.readline().strip().split(",")
    data = np.genfromtxt(f"{folder}/classify_table.csv", delimiter=",", skip_header=1)
    column = {name: i for i, name in enumerate(header)}
    label = data[:, column["label"]]
    fold = data[:, column["fold"]].astype(int)
    for name, columns in SETS.items():
        x = data[:, [column[c] for c in columns]].astype(np.float32)
        p, aucs, f1s = cross_validate(x, label, fold)
        difference = np.max(np.abs(p - data[:, column[f"p_{name}"]]))
        assert difference < 1e-6, f"{name}: probabilities differ from discgeom's by {difference}"
        print(f"{name}: AUC {np.mean(aucs):.4f}, F1 {np.mean(f1s):.4f}, "
              f"max |p - p_discgeom| = {difference:.2g}")
    matrices = {name: data[:, [column[c] for c in columns]].astype(np.float32)
                for name, columns in SETS.items()}
    times, cpu_times = [], []
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        for x in matrices.values():
            cross_validate(x, label, fold)
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
    print(f"python xgboost {xgboost.__version__}: three sets x 5 folds, median of {repeats}: "
          f"{1000 * np.median(times):.1f} ms wall, {1000 * np.median(cpu_times):.1f} ms CPU")


if __name__ == "__main__":
    main()
