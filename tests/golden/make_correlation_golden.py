#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Golden values of the correlations and of the p-value adjustments, for the C++ tests.

Run once with Debian's python (numpy, scipy, statsmodels):
    /usr/bin/python3 tests/golden/make_correlation_golden.py > tests/data/correlation_golden.txt
The test (tests/stats/golden.cpp) reads the samples and the values from the file; it never runs
Python.

Peers: scipy.stats.pearsonr (r, p and its Fisher-z confidence_interval), scipy.stats.spearmanr,
scipy.stats.kendalltau(method="asymptotic") (tau-b), for the three alternatives, and
statsmodels.stats.multitest.multipletests ("bonferroni", "holm", "fdr_bh"). scipy gives no
interval for Spearman and Kendall: those are computed here from the published standard errors of
atanh(r) (sqrt(1.06/(n-3)) and sqrt(0.437/(n-4)), Fieller, Hartley & Pearson 1957), with
scipy.special.ndtri for the normal quantile. Missing values (nan) are deleted pairwise here before
calling scipy, as discgeom does.

Format: "case NAME", "x v...", "y v..." (nan = missing), then lines
"METHOD ALTERNATIVE n r p ci_low ci_high" (nan where undefined), then "end";
"adjust METHOD p... | adjusted..." lines for the adjustments; a feature table: "table NAME",
"xcol v...", "ycol v..." (the x and y feature columns) and "cell METHOD i j n r p" lines
(two-sided, nan where a column is constant over the pairs), then "end".
"""
import warnings

import numpy as np
from scipy import special, stats
from statsmodels.stats.multitest import multipletests

warnings.simplefilter("ignore")

SE_FACTOR = {"pearson": (1.0, 3), "spearman": (1.06, 3), "kendall": (0.437, 4)}


def fisher_interval(method, r, n, alternative, confidence=0.95):
    factor, offset = SE_FACTOR[method]
    if n <= offset or np.isnan(r):
        return np.nan, np.nan
    se = np.sqrt(factor / (n - offset))
    z = np.arctanh(r) if abs(r) < 1 else np.sign(r) * np.inf
    if alternative == "two-sided":
        h = special.ndtri(0.5 + confidence / 2)
        return np.tanh(z - h * se), np.tanh(z + h * se)
    h = special.ndtri(confidence)
    if alternative == "less":
        return -1.0, np.tanh(z + h * se)
    return np.tanh(z - h * se), 1.0


def correlations(x, y):
    keep = ~(np.isnan(x) | np.isnan(y))
    xs, ys = x[keep], y[keep]
    n = len(xs)
    lines = []
    for alternative in ("two-sided", "less", "greater"):
        pr = stats.pearsonr(xs, ys, alternative=alternative)
        low, high = pr.confidence_interval(0.95)
        if n <= 3:
            low, high = np.nan, np.nan
        lines.append(("pearson", alternative, n, pr.statistic, pr.pvalue, low, high))
        sr = stats.spearmanr(xs, ys, alternative=alternative)
        low, high = fisher_interval("spearman", sr.correlation, n, alternative)
        lines.append(("spearman", alternative, n, sr.correlation, sr.pvalue, low, high))
        kt = stats.kendalltau(xs, ys, method="asymptotic", alternative=alternative)
        low, high = fisher_interval("kendall", kt.correlation, n, alternative)
        lines.append(("kendall", alternative, n, kt.correlation, kt.pvalue, low, high))
    return lines


def emit_case(name, x, y):
    print("case", name)
    print("x", " ".join(repr(float(v)) for v in x))
    print("y", " ".join(repr(float(v)) for v in y))
    for method, alternative, n, r, p, low, high in correlations(x, y):
        print(method, alternative, n, *(repr(float(v)) for v in (r, p, low, high)))
    print("end")


def main():
    rng = np.random.default_rng(20261122)
    # Correlated normals.
    x = rng.normal(size=50)
    emit_case("normal_50", x, 0.6 * x + 0.8 * rng.normal(size=50))
    # Weak correlation, p near the middle.
    x = rng.normal(size=30)
    emit_case("weak_30", x, 0.1 * x + rng.normal(size=30))
    # Heavy ties: small integer scores (gradings).
    x = rng.integers(0, 4, size=40).astype(float)
    emit_case("ties_40", x, np.clip(x + rng.integers(-1, 2, size=40), 0, 4).astype(float))
    # Ties on one side only, negative association.
    x = rng.normal(size=25)
    emit_case("ties_y_25", x, np.round(-x + 0.5 * rng.normal(size=25)))
    # Strong association over many pairs: tiny p-values keep their relative precision.
    x = rng.normal(size=400)
    emit_case("strong_400", x, x + 0.4 * rng.normal(size=400))
    # Missing values deleted pairwise.
    x = rng.normal(size=20)
    y = x + rng.normal(size=20)
    x[[2, 7]] = np.nan
    y[[7, 11, 15]] = np.nan
    emit_case("missing_20", x, y)
    # Few pairs: 4 (Kendall has no interval) and 5.
    emit_case("four", np.array([1.0, 2.0, 3.0, 5.0]), np.array([2.0, 1.0, 4.0, 4.5]))
    emit_case("five", np.array([3.1, 1.2, 4.4, 2.0, 5.9]), np.array([2.2, 0.7, 5.1, 2.0, 4.4]))

    # A feature table: 4 x features against 3 y features over 60 rows, with ties, missing values
    # and a constant column.
    rows = 60
    latent = rng.normal(size=(rows, 4))
    latent[:, 3] = np.round(latent[:, 3])
    geometry = np.column_stack([
        latent[:, 0] * 2 + rng.normal(size=rows),
        np.round(-latent[:, 1] + rng.normal(size=rows)),
        np.full(rows, 3.5),
    ])
    latent[[4, 9], 2] = np.nan
    geometry[[9, 30], 0] = np.nan
    print("table features_60")
    for column in latent.T:
        print("xcol", " ".join(repr(float(v)) for v in column))
    for column in geometry.T:
        print("ycol", " ".join(repr(float(v)) for v in column))
    for i in range(latent.shape[1]):
        for j in range(geometry.shape[1]):
            keep = ~(np.isnan(latent[:, i]) | np.isnan(geometry[:, j]))
            xs, ys = latent[keep, i], geometry[keep, j]
            for method, result in (("pearson", stats.pearsonr(xs, ys)),
                                   ("spearman", stats.spearmanr(xs, ys)),
                                   ("kendall", stats.kendalltau(xs, ys, method="asymptotic"))):
                print("cell", method, i, j, len(xs), repr(float(result[0])), repr(float(result[1])))
    print("end")

    p = np.concatenate([rng.uniform(0, 0.08, size=12), rng.uniform(0, 1, size=8), [0.01, 0.01]])
    for method, name in (("bonferroni", "bonferroni"), ("holm", "holm"), ("fdr_bh", "bh")):
        adjusted = multipletests(p, method=method)[1]
        print("adjust", name, " ".join(repr(float(v)) for v in p), "|",
              " ".join(repr(float(v)) for v in adjusted))


if __name__ == "__main__":
    main()
