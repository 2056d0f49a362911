#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Golden tables for `discgeom agree`, computed with numpy and scipy.

Run once with Debian's python (numpy, scipy):
    /usr/bin/python3 tests/golden/make_agree_golden.py tests/data/agree
It writes reference.csv and test.csv (a manual and an automatic rater of two measures over cases
and levels, with rows that have no partner and one missing value) and expected.csv, the
agreement of test with reference per measure and level and overall, from the formulas below,
written here independently of the C++:
- pearson_r, pearson_p: scipy.stats.pearsonr (two-sided);
- differences d = test - reference; mae = mean |d|, mae_sd = std(|d|, ddof=1);
  bias = mean d, limits bias -/+ 1.96 std(d, ddof=1);
- icc_a1: McGraw & Wong's ICC(A,1) from the two-way ANOVA mean squares of the n x 2 table:
  (MSR - MSE) / (MSR + (k - 1) MSE + k (MSC - MSE) / n);
- ccc: Lin's 2 s_xy / (s_x^2 + s_y^2 + (m_x - m_y)^2) with 1/n moments.
Pairs with a missing value are left out of that measure (n_missing); rows without a partner are
counted per group in n_unpaired.
"""
import csv
import math
import os
import sys

import numpy as np
from scipy import stats

LEVELS = ["L5/S1", "L4/L5", "L3/L4", "L2/L3", "L1/L2"]


def make_tables(rng):
    reference, test = [], []
    for case in range(1, 13):
        for n, level in enumerate(LEVELS):
            height = 11.0 - 0.8 * n + rng.normal(0, 1.2)
            csa = 1500.0 + 60 * n + rng.normal(0, 150)
            reference.append({"case": f"c{case:02d}", "level": level,
                              "height_mm": round(height, 3), "csa_mm2": round(csa, 2)})
            test.append({"case": f"c{case:02d}", "level": level,
                         "height_mm": round(height * 0.97 + 0.4 + rng.normal(0, 0.5), 3),
                         "csa_mm2": round(csa + 25 + rng.normal(0, 60), 2)})
    # Rows without a partner on either side, and one missing value.
    del test[7]             # c02 L3/L4 has no automatic row
    del reference[30]       # c07 L5/S1 has no manual row
    test.append({"case": "c13", "level": "L4/L5", "height_mm": 9.0, "csa_mm2": 1600.0})
    test[12]["csa_mm2"] = float("nan")
    return reference, test


def write(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["case", "level", "height_mm", "csa_mm2"])
        for r in rows:
            w.writerow([r["case"], r["level"],
                        "" if math.isnan(r["height_mm"]) else repr(r["height_mm"]),
                        "" if math.isnan(r["csa_mm2"]) else repr(r["csa_mm2"])])


def icc_a1(x, y):
    table = np.column_stack([x, y])
    n, k = table.shape
    grand = table.mean()
    ss_rows = k * np.sum((table.mean(axis=1) - grand) ** 2)
    ss_cols = n * np.sum((table.mean(axis=0) - grand) ** 2)
    ss_err = np.sum((table - grand) ** 2) - ss_rows - ss_cols
    msr, msc, mse = ss_rows / (n - 1), ss_cols / (k - 1), ss_err / ((n - 1) * (k - 1))
    return (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n)


def ccc(x, y):
    mx, my = x.mean(), y.mean()
    sxy = np.mean((x - mx) * (y - my))
    return 2 * sxy / (np.mean((x - mx) ** 2) + np.mean((y - my) ** 2) + (mx - my) ** 2)


def summary(pairs, measure):
    x = np.array([r[measure] for r, t in pairs], dtype=float)
    y = np.array([t[measure] for r, t in pairs], dtype=float)
    keep = ~(np.isnan(x) | np.isnan(y))
    missing = int(np.sum(~keep))
    x, y = x[keep], y[keep]
    d = y - x
    r, p = stats.pearsonr(x, y)
    sd = np.std(d, ddof=1)
    return [len(x), r, p, np.mean(np.abs(d)), np.std(np.abs(d), ddof=1), np.mean(d),
            np.mean(d) - 1.96 * sd, np.mean(d) + 1.96 * sd, icc_a1(x, y), ccc(x, y)], missing


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    reference, test = make_tables(np.random.default_rng(20261206))
    write(os.path.join(out, "reference.csv"), reference)
    write(os.path.join(out, "test.csv"), test)
    key = lambda r: (r["case"], r["level"])
    by_test = {key(t): t for t in test}
    by_reference = {key(r): r for r in reference}
    groups = {}
    for r in reference:
        g = groups.setdefault(r["level"], {"pairs": [], "unpaired": 0})
        if key(r) in by_test:
            g["pairs"].append((r, by_test[key(r)]))
        else:
            g["unpaired"] += 1
    for t in test:
        if key(t) not in by_reference:
            groups.setdefault(t["level"], {"pairs": [], "unpaired": 0})["unpaired"] += 1
    everything = {"pairs": [p for g in groups.values() for p in g["pairs"]],
                  "unpaired": sum(g["unpaired"] for g in groups.values())}
    with open(os.path.join(out, "expected.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["measure", "group", "n", "pearson_r", "pearson_p", "mae", "mae_sd", "bias",
                    "loa_low", "loa_high", "icc_a1", "ccc", "n_unpaired", "n_missing"])
        for measure in ["height_mm", "csa_mm2"]:
            for name, g in list(groups.items()) + [("", everything)]:
                values, missing = summary(g["pairs"], measure)
                w.writerow([measure, name, values[0]] + [repr(float(v)) for v in values[1:]]
                           + [g["unpaired"], missing])


if __name__ == "__main__":
    main()
