#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The peer of benchmarks/correlation_matrix.cpp: the same 64 x 64 correlation matrices with
p-values and 95% Fisher-z intervals, computed the fastest ways numpy/scipy/pandas offer.

- complete columns, Pearson: np.corrcoef of the 128 columns, then p by the t distribution
  (scipy.special.stdtr, vectorised) and the interval by np.arctanh/np.tanh;
- complete columns, Spearman: scipy.stats.spearmanr(x, y) (ranks every column and returns the
  128 x 128 matrix with p-values in one call), then the interval;
- the usual per-pair loop (scipy.stats.pearsonr over all 4096 pairs), for reference;
- 1 % missing values, pairwise deletion: pandas DataFrame.corr (r only, pairwise complete),
  the pairwise n from the masks, then p and the interval vectorised.
Reads the tables that `bench_correlation_matrix --write-data DIR` writes, checks r and p against
discgeom's, and prints the median time of the computation (not of reading the files).

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/peers/correlation_matrix.py DIR [REPEATS]
"""
import csv
import sys
import time
import warnings

import numpy as np
import pandas as pd
from scipy import special, stats

warnings.simplefilter("ignore")
ROWS, FEATURES = 100000, 64


def read(folder, name):
    def table(side):
        return np.fromfile(f"{folder}/correlation_{name}_{side}.raw",
                           dtype=np.float64).reshape((FEATURES, ROWS)).T
    return table("x"), table("y")


def finish(r, n, se_factor=1.0):
    """p (two-sided, t with n - 2 df) and the 95% Fisher-z interval of every cell."""
    df = n - 2.0
    with np.errstate(divide="ignore", invalid="ignore"):
        t = r * np.sqrt(df / ((1.0 - r) * (1.0 + r)))
        p = 2.0 * special.stdtr(df, -np.abs(t))
        z = np.arctanh(r)
        h = special.ndtri(0.975) * np.sqrt(se_factor / (n - 3.0))
    return p, np.tanh(z - h), np.tanh(z + h)


def pearson_complete(x, y):
    r = np.corrcoef(np.hstack([x, y]), rowvar=False)[:FEATURES, FEATURES:]
    p, low, high = finish(r, float(ROWS))
    return r, p


def spearman_complete(x, y):
    result = stats.spearmanr(x, y)
    r = result.correlation[:FEATURES, FEATURES:]
    p = result.pvalue[:FEATURES, FEATURES:]
    _, low, high = finish(r, float(ROWS), 1.06)
    return r, p


def pearson_loop(x, y):
    r = np.empty((FEATURES, FEATURES))
    p = np.empty((FEATURES, FEATURES))
    for i in range(FEATURES):
        for j in range(FEATURES):
            result = stats.pearsonr(x[:, i], y[:, j])
            r[i, j], p[i, j] = result.statistic, result.pvalue
            result.confidence_interval()
    return r, p


def pairwise(method):
    def compute(x, y):
        frame = pd.DataFrame(np.hstack([x, y]))
        r = frame.corr(method=method).to_numpy()[:FEATURES, FEATURES:]
        present = (~np.isnan(np.hstack([x, y]))).astype(np.float64)
        n = (present.T @ present)[:FEATURES, FEATURES:]
        p, low, high = finish(r, n, 1.0 if method == "pearson" else 1.06)
        return r, p
    return compute


def check(name, method, r, p, folder):
    ours_r = np.empty((FEATURES, FEATURES))
    ours_p = np.empty((FEATURES, FEATURES))
    for row in csv.DictReader(open(f"{folder}/correlation_{name}_discgeom.csv")):
        if row["method"] == method:
            i, j = int(row["i"]), int(row["j"])
            ours_r[i, j], ours_p[i, j] = float(row["r"]), float(row["p"])
    r_diff = np.max(np.abs(ours_r - r))
    tested = p > 1e-300
    p_rel = np.max(np.abs(ours_p[tested] - p[tested]) / p[tested])
    return f"max |r diff| {r_diff:.1e}, max p rel diff {p_rel:.1e} ({tested.sum()} cells with p > 1e-300)"


def main():
    folder = sys.argv[1]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    cases = [("complete", "pearson", "np.corrcoef + vectorised t", pearson_complete, repeats),
             ("complete", "spearman", "scipy.stats.spearmanr 2D", spearman_complete, repeats),
             ("complete", "pearson", "scipy.stats.pearsonr loop", pearson_loop, 1),
             ("missing", "pearson", "pandas corr (pairwise)", pairwise("pearson"), repeats),
             ("missing", "spearman", "pandas corr (pairwise)", pairwise("spearman"), 1)]
    for name, method, route, compute, count in cases:
        x, y = read(folder, name)
        times = []
        for _ in range(count):
            start = time.perf_counter()
            r, p = compute(x, y)
            times.append(time.perf_counter() - start)
        print(f"{name:8s} {method:8s} {route:28s} median {1000 * np.median(times):9.1f} ms;"
              f" {check(name, method, r, p, folder)}")


if __name__ == "__main__":
    main()
