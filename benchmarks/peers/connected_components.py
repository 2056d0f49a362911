#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Peer of benchmarks/connected_components.cpp: multi-label 26-connected components with
scipy.ndimage.label, which labels one binary mask at a time, so the same job is one call per
label (the usual idiom). Also times one call on the whole foreground, a lower bound that does not
do the job (it merges touching labels). Checks the component count against discgeom's.

    /usr/bin/python3 benchmarks/peers/connected_components.py DIR [REPEATS]
"""
import sys
import time

import numpy as np
from scipy import ndimage


def multi_label(labels, structure):
    ids = np.zeros(labels.shape, dtype=np.int32)
    total = 0
    for label in np.unique(labels):
        if label == 0:
            continue
        component_ids, count = ndimage.label(labels == label, structure=structure)
        ids[component_ids > 0] = component_ids[component_ids > 0] + total
        total += count
    return ids, total


def main():
    folder = sys.argv[1]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    labels = np.fromfile(folder + "/components_int16.raw", dtype=np.int16).reshape((512, 512, 64), order="F")
    structure = np.ones((3, 3, 3), dtype=bool)
    times, binary_times = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        _, total = multi_label(labels, structure)
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        ndimage.label(labels != 0, structure=structure)
        binary_times.append(time.perf_counter() - start)
    expected = int(open(folder + "/components_count.txt").read())
    assert total == expected, (total, expected)
    print(f"scipy.ndimage.label, one call per label: median {1000 * np.median(times):.1f} ms; "
          f"{total} components, as discgeom")
    print(f"scipy.ndimage.label, foreground only (not the same job): median {1000 * np.median(binary_times):.1f} ms")


if __name__ == "__main__":
    main()
