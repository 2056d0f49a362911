#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Golden values of the agreement statistics (ICC, Bland-Altman, Lin's CCC, MAE/RMSE) for the
C++ tests.

Run once with Debian's python (numpy, scipy, statsmodels, pandas, scikit-learn):
    /usr/bin/python3 tests/golden/make_agreement_golden.py > tests/data/agreement_golden.txt
The tests (tests/stats/icc.cpp, bland_altman.cpp, concordance.cpp, error_measures.cpp) read the
data and the values from the file; they never run Python. The data sets are drawn from seeded
numpy generators, rounded so that they hold ties, and some hold a missing value ("nan").

Where the values come from:
- ICC mean squares: statsmodels' ANOVA tables (anova_lm) of the additive two-way model
  rating ~ C(target) + C(rater) (BMS, JMS, EMS) and of the one-way model rating ~ C(target)
  (WMS), on the rows without a missing rating (listwise deletion).
- No installed library computes the ICCs, their intervals, the Bland-Altman intervals or Lin's
  CCC interval, so they are computed here from the published formulas with numpy and
  scipy.stats (f, t, norm), written independently of the C++ and, where the literature gives two
  algebraic forms, in the other one: ICC(2,1) interval with the Satterthwaite df in McGraw &
  Wong's (1996) form v = (a MSC + b MSE)^2 / ((a MSC)^2/(k-1) + (b MSE)^2/((n-1)(k-1)));
  ICC(2,k) bounds as the Spearman-Brown step-up of the ICC(2,1) bounds (as R's psych::ICC);
  Lin's var(z) (Lin 1989, corrected 2000) in its original form with r in the denominators and
  Pearson's r from scipy.stats.pearsonr. Shrout & Fleiss (1979), Bland & Altman (1986, 1999),
  Lin (1989, 2000).
- MAE and RMSE: scikit-learn's mean_absolute_error and mean_squared_error.

Format (whitespace separated, one record a line):
    icc NAME confidence C            a rating table follows
    row V1 ... Vk                    one target, one value per rater ("nan" = missing)
    pairs NAME confidence C coverage P multiplier M|none
    x V1 ... Vn / y V1 ... Vn        paired samples ("nan" = missing)
    expect WHAT KEY VALUE KEY VALUE ...
    end
"""
import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from scipy import stats
from sklearn.metrics import mean_absolute_error, mean_squared_error
from statsmodels.stats.anova import anova_lm


def fmt(value):
    return repr(float(value))


def write_values(key, values):
    print(key + " " + " ".join("nan" if np.isnan(v) else fmt(v) for v in values))


def write_expect(what, values):
    print(f"expect {what} " + " ".join(f"{k} {fmt(v)}" for k, v in values.items()))


def icc_case(name, table, confidence):
    table = np.asarray(table, dtype=float)
    complete = table[~np.isnan(table).any(axis=1)]
    n, k = complete.shape
    long = pd.DataFrame(
        {
            "rating": complete.ravel(),
            "target": np.repeat(np.arange(n), k),
            "rater": np.tile(np.arange(k), n),
        }
    )
    two_way = anova_lm(smf.ols("rating ~ C(target) + C(rater)", data=long).fit())
    one_way = anova_lm(smf.ols("rating ~ C(target)", data=long).fit())
    msr = two_way.loc["C(target)", "mean_sq"]
    msc = two_way.loc["C(rater)", "mean_sq"]
    mse = two_way.loc["Residual", "mean_sq"]
    msw = one_way.loc["Residual", "mean_sq"]
    assert np.isclose(one_way.loc["C(target)", "mean_sq"], msr, rtol=1e-12)

    alpha = 1.0 - confidence
    df_one = (n - 1, n * (k - 1))
    df_two = (n - 1, (n - 1) * (k - 1))
    f1 = msr / msw
    f3 = msr / mse
    p1 = stats.f.sf(f1, *df_one)
    p3 = stats.f.sf(f3, *df_two)

    icc1 = (msr - msw) / (msr + (k - 1) * msw)
    icc1k = (msr - msw) / msr
    icc2 = (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n)
    icc2k = (msr - mse) / (msr + (msc - mse) / n)
    icc3 = (msr - mse) / (msr + (k - 1) * mse)
    icc3k = (msr - mse) / msr

    # One-way and consistency forms: F-based bounds (Shrout & Fleiss 1979; McGraw & Wong 1996).
    def f_bounds(f, df):
        lower = f / stats.f.isf(alpha / 2, df[0], df[1])
        upper = f * stats.f.isf(alpha / 2, df[1], df[0])
        return lower, upper

    f1l, f1u = f_bounds(f1, df_one)
    f3l, f3u = f_bounds(f3, df_two)
    single = lambda f: (f - 1) / (f + k - 1)  # noqa: E731
    average = lambda f: 1 - 1 / f  # noqa: E731

    # Absolute agreement: McGraw & Wong's a, b and Satterthwaite df.
    a = k * icc2 / (n * (1 - icc2))
    b = 1 + k * icc2 * (n - 1) / (n * (1 - icc2))
    v = (a * msc + b * mse) ** 2 / ((a * msc) ** 2 / (k - 1) + (b * mse) ** 2 / ((n - 1) * (k - 1)))
    fs = stats.f.isf(alpha / 2, n - 1, v)
    fs_upper = stats.f.isf(alpha / 2, v, n - 1)
    l2 = n * (msr - fs * mse) / (fs * (k * msc + (k * n - k - n) * mse) + n * msr)
    u2 = n * (fs_upper * msr - mse) / (k * msc + (k * n - k - n) * mse + n * fs_upper * msr)
    step_up = lambda r: k * r / (1 + (k - 1) * r)  # noqa: E731

    print(f"icc {name} confidence {fmt(confidence)}")
    for row in table:
        write_values("row", row)
    write_expect(
        "table",
        {
            "n": n,
            "n_missing": table.shape[0] - n,
            "k": k,
            "bms": msr,
            "wms": msw,
            "jms": msc,
            "ems": mse,
            "satterthwaite_df": v,
        },
    )
    forms = {
        "icc1": (icc1, f1, df_one, p1, single(f1l), single(f1u)),
        "icc2": (icc2, f3, df_two, p3, l2, u2),
        "icc3": (icc3, f3, df_two, p3, single(f3l), single(f3u)),
        "icc1k": (icc1k, f1, df_one, p1, average(f1l), average(f1u)),
        "icc2k": (icc2k, f3, df_two, p3, step_up(l2), step_up(u2)),
        "icc3k": (icc3k, f3, df_two, p3, average(f3l), average(f3u)),
    }
    for form, (value, f, df, p, low, high) in forms.items():
        write_expect(
            form,
            {
                "value": value,
                "f": f,
                "df1": df[0],
                "df2": df[1],
                "p": p,
                "ci_low": low,
                "ci_high": high,
            },
        )
    print("end")


def pairs_case(name, x, y, confidence=0.95, coverage=0.95, multiplier=None):
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    keep = ~(np.isnan(x) | np.isnan(y))
    xc, yc = x[keep], y[keep]
    n = xc.size

    # Bland & Altman (1986, 1999).
    d = xc - yc
    bias = d.mean()
    sd = d.std(ddof=1)
    z = stats.norm.isf((1 - coverage) / 2) if multiplier is None else multiplier
    t = stats.t.isf((1 - confidence) / 2, n - 1)
    bias_se = sd / np.sqrt(n)
    limit_se = np.sqrt(sd**2 / n + z**2 * sd**2 / (2 * (n - 1)))
    lower, upper = bias - z * sd, bias + z * sd

    # Lin (1989, 2000): 1/n moments.
    mx, my = xc.mean(), yc.mean()
    cov = np.cov(xc, yc, bias=True)
    sxx, syy, sxy = cov[0, 0], cov[1, 1], cov[0, 1]
    rho = 2 * sxy / (sxx + syy + (mx - my) ** 2)
    r = stats.pearsonr(xc, yc)[0]
    v = np.sqrt(sxx) / np.sqrt(syy)
    u = (mx - my) / (sxx * syy) ** 0.25
    cb = rho / r
    var_z = (
        (1 - r**2) * rho**2 / ((1 - rho**2) * r**2)
        + 2 * rho**3 * (1 - rho) * u**2 / (r * (1 - rho**2) ** 2)
        - rho**4 * u**4 / (2 * r**2 * (1 - rho**2) ** 2)
    ) / (n - 2)
    zc = np.arctanh(rho)
    q = stats.norm.isf((1 - confidence) / 2)

    multiplier_text = "none" if multiplier is None else fmt(multiplier)
    print(
        f"pairs {name} confidence {fmt(confidence)} coverage {fmt(coverage)} "
        f"multiplier {multiplier_text}"
    )
    write_values("x", x)
    write_values("y", y)
    write_expect(
        "bland_altman",
        {
            "n": n,
            "n_missing": x.size - n,
            "bias": bias,
            "sd": sd,
            "multiplier": z,
            "lower_limit": lower,
            "upper_limit": upper,
            "bias_se": bias_se,
            "bias_ci_low": bias - t * bias_se,
            "bias_ci_high": bias + t * bias_se,
            "limit_se": limit_se,
            "lower_limit_ci_low": lower - t * limit_se,
            "lower_limit_ci_high": lower + t * limit_se,
            "upper_limit_ci_low": upper - t * limit_se,
            "upper_limit_ci_high": upper + t * limit_se,
        },
    )
    write_expect(
        "concordance",
        {
            "n": n,
            "n_missing": x.size - n,
            "value": rho,
            "pearson_r": r,
            "bias_correction": cb,
            "scale_shift": v,
            "location_shift": u,
            "z": zc,
            "z_se": np.sqrt(var_z),
            "ci_low": np.tanh(zc - q * np.sqrt(var_z)),
            "ci_high": np.tanh(zc + q * np.sqrt(var_z)),
        },
    )
    write_expect(
        "error_measures",
        {
            "n": n,
            "n_missing": x.size - n,
            "mean_error": np.mean(d),
            "mean_absolute_error": mean_absolute_error(yc, xc),
            "root_mean_square_error": np.sqrt(mean_squared_error(yc, xc)),
        },
    )
    print("end")


def main():
    print("# Generated by tests/golden/make_agreement_golden.py; do not edit.")

    # Shrout & Fleiss (1979), Table 2: 6 targets x 4 judges.
    shrout_fleiss = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
    icc_case("shrout_fleiss_1979", shrout_fleiss, 0.95)

    rng = np.random.default_rng(20240611)
    # 20 disc heights (mm) x 3 raters with rater offsets, rounded to whole mm (ties), one missing.
    truth = rng.normal(50.0, 10.0, size=20)
    table = np.round(truth[:, None] + np.array([0.0, 2.0, -1.0]) + rng.normal(0, 4, (20, 3)))
    table[13, 1] = np.nan
    icc_case("three_raters_ties_missing", table, 0.95)

    # 15 targets x 2 raters rounded to 0.5, at 90% confidence.
    truth = rng.normal(10.0, 3.0, size=15)
    table = np.round(2 * (truth[:, None] + rng.normal(0, 1.5, (15, 2)))) / 2
    icc_case("two_raters_half_steps", table, 0.90)

    # Poor agreement: 12 targets x 5 raters, noise and rater offsets dominate, at 99%.
    truth = rng.normal(0.0, 0.5, size=12)
    table = truth[:, None] + np.array([0.0, 3.0, -2.0, 1.0, 0.5]) + rng.normal(0, 2, (12, 5))
    table = np.round(table, 2)
    icc_case("poor_agreement", table, 0.99)

    # Paired measurements: automatic vs manual, rounded to 0.5 (ties), two missing values.
    truth = rng.normal(40.0, 8.0, size=30)
    x = np.round(2 * (truth + rng.normal(1.0, 2.0, 30))) / 2
    y = np.round(2 * truth) / 2
    x[7] = np.nan
    y[19] = np.nan
    pairs_case("auto_vs_manual_missing", x, y)

    # Scale and offset error; limits with the printed multiplier 1.96, 90% intervals.
    truth = rng.normal(12.0, 2.5, size=25)
    x = np.round(1.1 * truth - 3.0 + rng.normal(0, 0.7, 25), 2)
    y = np.round(truth, 2)
    pairs_case("scaled_multiplier_1_96", x, y, confidence=0.90, multiplier=1.96)

    # Three pairs, 90% coverage limits.
    pairs_case("three_pairs", [1.0, 2.5, 4.0], [1.5, 2.0, 4.5], coverage=0.90)

    # Discordant: y falls as x rises; 99% intervals.
    truth = rng.normal(5.0, 1.0, size=18)
    x = np.round(truth, 3)
    y = np.round(10.0 - truth + rng.normal(0, 0.4, 18), 3)
    pairs_case("discordant", x, y, confidence=0.99)


if __name__ == "__main__":
    main()
