#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Golden values of the classification statistics, for the C++ tests.

Run once with Debian's python (numpy, scipy, scikit-learn 1.2):
    /usr/bin/python3 tests/golden/make_classification_golden.py > tests/data/classification_golden.txt
The tests (tests/stats/classification.cpp, roc.cpp, folds.cpp) read the data and the values from
the file; they never run Python.

Sources of the values:
- confusion matrix, per-class / binary / macro / micro precision, recall and F1 (zero_division 0
  and 1), accuracy, balanced accuracy: scikit-learn (confusion_matrix,
  precision_recall_fscore_support, f1_score, accuracy_score, balanced_accuracy_score); the
  specificity of each class from multilabel_confusion_matrix as TN / (TN + FP);
- ROC curve: sklearn.metrics.roc_curve(drop_intermediate=False); scikit-learn 1.2 writes
  max(score) + 1 as the first threshold where discgeom (and scikit-learn >= 1.3) write +inf, so
  the first threshold is left out here ("roc_thresholds" starts at the second point);
- AUC: sklearn.metrics.roc_auc_score;
- DeLong's variance, interval and test: computed here independently from the definition of the
  placement values (DeLong, DeLong & Clarke-Pearson 1988), by the O(m n) matrix of pairwise
  comparisons psi(x, y) = [x > y] + [x = y] / 2, not by the fast midrank algorithm the C++ code
  uses; normal quantiles and tail probabilities from scipy.stats.norm;
- bootstrap AUC interval and stratified folds: the algorithms documented in
  include/discgeom/stats/roc.hpp and folds.hpp, re-implemented here from their description (a
  pure-Python std::mt19937_64, checked against the C++ standard's 10000th output), with each
  resample's AUC from sklearn.metrics.roc_auc_score and the percentiles from numpy.quantile.

Format: plain text, one "key value value ..." line per quantity; "case NAME" opens a data set,
"end" closes it.
"""
import warnings

import numpy as np
from scipy import stats
from sklearn import metrics

MASK64 = (1 << 64) - 1


class MersenneTwister64:
    """std::mt19937_64 (the C++ standard's mersenne_twister_engine parameters)."""

    n, m = 312, 156

    def __init__(self, seed):
        self.state = [seed & MASK64]
        for i in range(1, self.n):
            previous = self.state[-1]
            self.state.append((6364136223846793005 * (previous ^ (previous >> 62)) + i) & MASK64)
        self.index = self.n

    def _twist(self):
        s = self.state
        for i in range(self.n):
            x = (s[i] & 0xFFFFFFFF80000000) | (s[(i + 1) % self.n] & 0x7FFFFFFF)
            shifted = x >> 1
            if x & 1:
                shifted ^= 0xB5026F5AA96619E9
            s[i] = s[(i + self.m) % self.n] ^ shifted
        self.index = 0

    def __call__(self):
        if self.index >= self.n:
            self._twist()
        x = self.state[self.index]
        self.index += 1
        x ^= (x >> 29) & 0x5555555555555555
        x ^= (x << 17) & 0x71D67FFFEDA60000
        x ^= (x << 37) & 0xFFF7EEE000000000
        x ^= x >> 43
        return x & MASK64


def uniform_below(generator, bound):
    """discgeom::detail::uniform_below: rejection, then modulo."""
    limit = MASK64 - MASK64 % bound
    draw = generator()
    while draw >= limit:
        draw = generator()
    return draw % bound


def shuffle_in_place(values, generator):
    """discgeom::detail::shuffle_in_place (Fisher-Yates from the back)."""
    for i in range(len(values), 1, -1):
        j = uniform_below(generator, i)
        values[i - 1], values[j] = values[j], values[i - 1]


def check_generator():
    generator = MersenneTwister64(5489)
    for _ in range(9999):
        generator()
    assert generator() == 9981545732273789042  # [rand.predef] of the C++ standard


def line(key, values):
    values = np.atleast_1d(values)
    if values.dtype.kind in "iub":
        text = " ".join(str(int(v)) for v in values)
    else:
        text = " ".join(repr(float(v)) for v in values)
    print(f"{key} {text}")


def delong(positive, scores_list):
    """AUCs and their DeLong covariance matrix from the O(m n) placement definition."""
    placements_10, placements_01, aucs = [], [], []
    for scores in scores_list:
        x = scores[positive][:, None]
        y = scores[~positive][None, :]
        psi = (x > y) + 0.5 * (x == y)
        placements_10.append(psi.mean(axis=1))
        placements_01.append(psi.mean(axis=0))
        aucs.append(psi.mean())
    m, n = int(positive.sum()), int((~positive).sum())
    s10 = np.atleast_2d(np.cov(np.vstack(placements_10), ddof=1))
    s01 = np.atleast_2d(np.cov(np.vstack(placements_01), ddof=1))
    return np.array(aucs), s10 / m + s01 / n


def bootstrap_auc(positive, scores, resamples, seed, confidence):
    generator = MersenneTwister64(seed)
    positives = np.flatnonzero(positive)
    negatives = np.flatnonzero(~positive)
    m, n = positives.size, negatives.size
    y = np.concatenate((np.ones(m, int), np.zeros(n, int)))
    aucs = []
    for _ in range(resamples):
        drawn_positives = [positives[uniform_below(generator, m)] for _ in range(m)]
        drawn_negatives = [negatives[uniform_below(generator, n)] for _ in range(n)]
        resampled = np.concatenate((scores[drawn_positives], scores[drawn_negatives]))
        aucs.append(metrics.roc_auc_score(y, resampled))
    upper = 0.5 * (1.0 + confidence)
    return np.quantile(aucs, 1.0 - upper), np.quantile(aucs, upper)


def stratified_folds(labels, k, seed):
    generator = MersenneTwister64(seed)
    fold_of = np.empty(labels.size, int)
    deal = 0
    for label in np.unique(labels):
        members = list(np.flatnonzero(labels == label))
        shuffle_in_place(members, generator)
        for index in members:
            fold_of[index] = deal
            deal = (deal + 1) % k
    folds = [np.flatnonzero(fold_of == f) for f in range(k)]
    # The documented properties, checked here too.
    sizes = [f.size for f in folds]
    assert max(sizes) - min(sizes) <= 1
    for label in np.unique(labels):
        per_fold = [np.sum(labels[f] == label) for f in folds]
        assert max(per_fold) - min(per_fold) <= 1
    return folds


def write_labels(truth, predicted):
    line("truth", truth)
    line("predicted", predicted)
    classes = np.unique(np.concatenate((truth, predicted)))
    line("classes", classes)
    line("confusion", metrics.confusion_matrix(truth, predicted).ravel())
    for zero_division in (0, 1):
        p, r, f, support = metrics.precision_recall_fscore_support(
            truth, predicted, average=None, zero_division=zero_division
        )
        line(f"per_class_precision_zd{zero_division}", p)
        line(f"per_class_recall_zd{zero_division}", r)
        line(f"per_class_f1_zd{zero_division}", f)
        for average in ("macro", "micro"):
            p, r, f, _ = metrics.precision_recall_fscore_support(
                truth, predicted, average=average, zero_division=zero_division
            )
            line(f"{average}_zd{zero_division}", [p, r, f])
    line("support", support)
    per_class = metrics.multilabel_confusion_matrix(truth, predicted, labels=classes)
    tn, fp = per_class[:, 0, 0], per_class[:, 0, 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        line("per_class_specificity", np.where(tn + fp > 0, tn / np.maximum(tn + fp, 1), 0.0))
    line("macro_f1", metrics.f1_score(truth, predicted, average="macro", zero_division=0))
    line("micro_f1", metrics.f1_score(truth, predicted, average="micro", zero_division=0))
    line("accuracy", metrics.accuracy_score(truth, predicted))
    line("balanced_accuracy", metrics.balanced_accuracy_score(truth, predicted))


def write_binary(truth, predicted, positive):
    line("positive", positive)
    classes = np.unique(np.concatenate((truth, predicted)))
    negative = [c for c in classes if c != positive]
    for zero_division in (0, 1):
        p, r, f, _ = metrics.precision_recall_fscore_support(
            truth, predicted, average="binary", pos_label=positive, zero_division=zero_division
        )
        line(f"binary_zd{zero_division}", [p, r, f])
    line("binary_f1", metrics.f1_score(truth, predicted, pos_label=positive, zero_division=0))
    if negative:
        specificity = metrics.recall_score(
            truth, predicted, pos_label=negative[0], average="binary", zero_division=0
        )
        line("binary_specificity", specificity)


def write_roc(truth, scores, positive, confidence=0.95, seed=7, resamples=2000):
    line("scores", scores)
    line("roc_positive", positive)
    is_positive = truth == positive
    fpr, tpr, thresholds = metrics.roc_curve(
        truth, scores, pos_label=positive, drop_intermediate=False
    )
    line("roc_thresholds", thresholds[1:])  # see the module docstring
    line("roc_fpr", fpr)
    line("roc_tpr", tpr)
    auc = metrics.roc_auc_score(is_positive, scores)
    line("auc", auc)
    aucs, covariance = delong(is_positive, [scores])
    assert abs(aucs[0] - auc) < 1e-12
    se = np.sqrt(covariance[0, 0])
    z = stats.norm.ppf(0.5 * (1.0 + confidence))
    line("delong_se", se)
    line("delong_interval", [max(0.0, auc - z * se), min(1.0, auc + z * se)])
    logit = np.log(auc / (1.0 - auc))
    half = z * se / (auc * (1.0 - auc))
    line("delong_logit_interval", [1 / (1 + np.exp(-(logit - half))), 1 / (1 + np.exp(-(logit + half)))])
    low, high = bootstrap_auc(is_positive, scores, resamples, seed, confidence)
    line("interval_settings", [confidence, seed, resamples])
    line("bootstrap_interval", [low, high])


def write_comparison(truth, scores_a, scores_b, positive):
    line("compare_scores_b", scores_b)
    is_positive = truth == positive
    aucs, covariance = delong(is_positive, [scores_a, scores_b])
    assert abs(aucs[1] - metrics.roc_auc_score(is_positive, scores_b)) < 1e-12
    se = np.sqrt(covariance[0, 0] + covariance[1, 1] - 2 * covariance[0, 1])
    z = (aucs[0] - aucs[1]) / se
    line("compare", [aucs[0], aucs[1], se, z, 2 * stats.norm.sf(abs(z))])


def write_folds(labels, k, seed):
    line("fold_labels", labels)
    line("fold_settings", [k, seed])
    for f, test in enumerate(stratified_folds(labels, k, seed)):
        line(f"fold_test {f}", test)


def main():
    # The three-class case predicts a class that truth lacks on purpose.
    warnings.filterwarnings("ignore", message="y_pred contains classes not in y_true")
    check_generator()
    rng = np.random.default_rng(20240611)

    # Binary, scores rounded to one decimal (many ties), a correlated second score.
    print("case binary_ties")
    n = 48
    truth = rng.integers(0, 2, n)
    scores = np.round(0.9 * truth + rng.normal(0.0, 0.6, n), 1)
    scores_b = np.round(scores + rng.normal(0.0, 0.5, n), 1)
    predicted = (scores >= 0.5).astype(int)
    write_labels(truth, predicted)
    write_binary(truth, predicted, 1)
    write_roc(truth, scores, 1)
    write_comparison(truth, scores, scores_b, 1)
    write_folds(truth, 5, 11)
    print("end")

    # Binary with labels 2 and 5, positive 5, distinct scores.
    print("case binary_labels_2_5")
    n = 31
    truth = np.where(rng.random(n) < 0.35, 5, 2)
    scores = (truth == 5) * 0.7 + rng.normal(0.0, 0.5, n)
    predicted = np.where(scores > 0.3, 5, 2)
    write_labels(truth, predicted)
    write_binary(truth, predicted, 5)
    write_roc(truth, scores, 5, confidence=0.9, seed=123, resamples=1500)
    print("end")

    # Three classes, a fourth class only ever predicted, an ROC of class 2 versus the rest.
    print("case three_classes")
    n = 60
    truth = rng.integers(0, 3, n)
    predicted = truth.copy()
    flip = rng.random(n) < 0.35
    predicted[flip] = rng.integers(0, 3, flip.sum())
    predicted[[4, 17]] = 3
    scores = np.round((truth == 2) * 1.0 + rng.normal(0.0, 0.8, n), 2)
    write_labels(truth, predicted)
    write_roc(truth, scores, 2)
    labels = np.concatenate((np.zeros(12, int), np.ones(7, int), np.full(3, 2)))
    rng.shuffle(labels)
    write_folds(labels, 4, 2024)
    print("end")

    # No predicted positive: precision, and F1 through it, take zero_division.
    print("case never_predicted")
    truth = np.array([0, 1, 0, 1, 1, 0, 0])
    predicted = np.zeros(7, int)
    write_labels(truth, predicted)
    write_binary(truth, predicted, 1)
    print("end")


if __name__ == "__main__":
    main()
