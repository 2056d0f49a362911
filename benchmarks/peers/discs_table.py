#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The discs table of discgeom written with numpy/scipy: the same definitions
(docs/geometry.md), used as the peer of benchmarks/discs_table.cpp. Reads the phantom that
`bench_discs_table --write-phantom DIR` writes, checks its table against discgeom's, and prints
the median time of the computation (not of reading the file).

    /usr/bin/python3 benchmarks/peers/discs_table.py DIR [REPEATS]
"""
import csv
import json
import sys
import time

import numpy as np
from scipy.spatial import ConvexHull


def axis_of(direction):
    """Array axis of each patient axis (0 LR, 1 AP, 2 SI): best of the six assignments."""
    import itertools
    best, best_score = None, -1.0
    for perm in itertools.permutations(range(3)):  # perm[array axis] = patient axis
        score = sum(abs(direction[perm[a], a]) for a in range(3))
        if score > best_score + 1e-12:
            best, best_score = perm, score
    return {patient: array for array, patient in enumerate(best)}


def min_rect_short_side(points):
    hull = points[ConvexHull(points).vertices]
    edges = np.roll(hull, -1, axis=0) - hull
    u = edges / np.linalg.norm(edges, axis=1)[:, None]
    n = np.stack([-u[:, 1], u[:, 0]], axis=1)
    a = hull @ u.T
    b = hull @ n.T
    width = a.max(axis=0) - a.min(axis=0)
    height = b.max(axis=0) - b.min(axis=0)
    best = np.argmin(width * height)
    return min(width[best], height[best])


def inclination(points2):
    centred = points2 - points2.mean(axis=0)
    values, vectors = np.linalg.eigh(centred.T @ centred)
    d = vectors[:, 1]
    if d[0] < 0 or (d[0] == 0 and d[1] < 0):
        d = -d
    return np.degrees(np.arctan2(d[1], d[0]))


def discs_table(labels, spacing, origin, direction):
    axes = axis_of(direction)
    lr, ap, si = axes[0], axes[1], axes[2]
    rows = []
    present = np.unique(labels)
    for label in present[(present >= 201) & (present <= 225)]:
        idx = np.argwhere(labels == label)  # (N, 3) voxel indices
        n = len(idx)
        centroid = idx.mean(axis=0)
        physical = lambda ix: origin + (ix * spacing) @ direction.T
        others = [a for a in range(3) if a != si]
        columns = np.unique(idx[:, others[0]] * 100000 + idx[:, others[1]]).size
        row = {"label": int(label), "voxels": n, "volume_mm3": n * np.prod(spacing),
               "height_mm": n * spacing[si] / columns}

        def middle(normal):
            return idx[idx[:, normal] == int(np.floor(centroid[normal] + 0.5))]

        sag, tra, cor = middle(lr), middle(si), middle(ap)
        row["ap_width_mm"] = (sag[:, ap].max() - sag[:, ap].min() + 1) * spacing[ap]
        row["lateral_width_mm"] = (tra[:, lr].max() - tra[:, lr].min() + 1) * spacing[lr]
        for name, voxels, first, second in (("sagittal", sag, [0, -1, 0], [0, 0, 1]),
                                            ("coronal", cor, [1, 0, 0], [0, 0, 1]),
                                            ("transverse", tra, [1, 0, 0], [0, -1, 0])):
            p = physical(voxels)
            row[name + "_angle_deg"] = inclination(np.stack([p @ first, p @ second], axis=1))
        r_axis, c_axis = [a for a in range(3) if a != lr]
        corners = []
        for dr in (-0.5, 0.5):
            for dc in (-0.5, 0.5):
                corners.append(np.stack([(sag[:, r_axis] + dr) * spacing[r_axis],
                                         (sag[:, c_axis] + dc) * spacing[c_axis]], axis=1))
        row["minrect_height_mm"] = min_rect_short_side(np.concatenate(corners))
        rows.append(row)
    return rows


def main():
    folder = sys.argv[1]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    meta = json.load(open(folder + "/spine.json"))
    labels = np.fromfile(folder + "/spine_int16.raw", dtype=np.int16).reshape(meta["shape"], order="F")
    spacing, origin = np.array(meta["spacing"]), np.array(meta["origin"])
    direction = np.array(meta["direction"])

    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        rows = discs_table(labels, spacing, origin, direction)
        times.append(time.perf_counter() - start)

    reference = list(csv.DictReader(open(folder + "/discgeom_table.csv")))
    assert len(reference) == len(rows), (len(reference), len(rows))
    worst = 0.0
    for ours, theirs in zip(rows, reference):
        for key, value in ours.items():
            difference = abs(float(theirs[key]) - value)
            worst = max(worst, difference)
            assert difference <= 1e-6 * max(1.0, abs(value)), (ours["label"], key, value, theirs[key])
    print(f"numpy/scipy discs table: median {1000 * np.median(times):.1f} ms over {repeats} runs; "
          f"agrees with discgeom on {len(rows)} discs x {len(rows[0])} columns (max |difference| {worst:.2e})")


if __name__ == "__main__":
    main()
