#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Multi-label Dice and IoU with numpy, the peer of benchmarks/overlap_metrics.cpp: the joint
label histogram by np.bincount(reference * K + prediction), then TP, FP, FN and the scores of
every label present. Reads the label maps that `bench_overlap_metrics --write-data DIR` writes,
checks its counts and scores against discgeom's, and prints the median time of the computation
(not of reading the files) per case.

    /usr/bin/python3 benchmarks/peers/overlap_metrics.py DIR [REPEATS]
"""
import csv
import sys
import time

import numpy as np

SHAPE = (512, 512, 64)
CASES = (("uint8_5", np.uint8), ("uint8_32", np.uint8), ("uint16_5", np.uint16),
         ("uint16_32", np.uint16), ("uint8_5_random", np.uint8), ("uint16_32_random", np.uint16))


def dice_by_label(reference, prediction):
    """Per label l > 0 present in either map: (l, tp, fp, fn, dice, iou)."""
    k = int(max(reference.max(), prediction.max())) + 1
    joint = np.bincount((reference.astype(np.int64) * k + prediction).ravel(), minlength=k * k)
    joint = joint.reshape(k, k)  # joint[r, p]
    tp = np.diagonal(joint)
    fn = joint.sum(axis=1) - tp
    fp = joint.sum(axis=0) - tp
    rows = []
    for label in np.flatnonzero(tp + fn + fp):
        if label == 0:
            continue
        t, f_p, f_n = int(tp[label]), int(fp[label]), int(fn[label])
        rows.append((int(label), t, f_p, f_n, 2.0 * t / (2.0 * t + f_p + f_n), t / (t + f_p + f_n)))
    return rows


def main():
    folder = sys.argv[1]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    reference_scores = {}
    for row in csv.DictReader(open(folder + "/overlap_discgeom.csv")):
        reference_scores.setdefault(row["case"], []).append(row)
    for name, dtype in CASES:
        read = lambda suffix: np.fromfile(f"{folder}/overlap_{name}_{suffix}.raw",
                                          dtype=dtype).reshape(SHAPE, order="F")
        reference, prediction = read("reference"), read("prediction")
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            rows = dice_by_label(reference, prediction)
            times.append(time.perf_counter() - start)
        theirs = reference_scores[name]
        assert len(theirs) == len(rows), (name, len(theirs), len(rows))
        worst = 0.0
        for ours, other in zip(rows, theirs):
            assert ours[:4] == (int(other["label"]), int(other["tp"]), int(other["fp"]),
                                int(other["fn"])), (name, ours, other)
            for value, key in ((ours[4], "dice"), (ours[5], "iou")):
                difference = abs(float(other[key]) - value)
                worst = max(worst, difference)
                assert difference <= 1e-12 * max(1.0, abs(value)), (name, key, value, other[key])
        median = np.median(times)
        print(f"numpy bincount Dice/IoU {name:17s}: median {1000 * median:7.1f} ms over {repeats} "
              f"runs, {reference.size / median / 1e9:.3f} Gvoxel/s; agrees with discgeom on "
              f"{len(rows)} labels (counts equal, max |difference| {worst:.1e})")


if __name__ == "__main__":
    main()
