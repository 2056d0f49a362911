#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""HD, HD95, ASSD/MASD, NSD (1 mm) and Dice of the 5-disc pair of benchmarks/RESULTS.md from
Python, in one process: `discgeom.overlap` against MONAI's and DeepMind's Python metrics and
scipy.

The pair is the one benchmarks/surface_distances.cpp builds (512 x 512 x 64 uint8, 0.6 x 0.6 x
1.0 mm, discs 201-205), drawn here with the same formula in the same floating-point order, and
checked by its surface-point counts (52 546 in all, as RESULTS.md reports) and, with
--check-pair DIR, byte for byte against the maps `bench_surface_distances --write-data DIR`
writes. Every timed
computation gets the two label maps and returns the scores of all five labels:

  discgeom (monai)     discgeom.overlap(reference, prediction, geometry=g, convention="monai")
  discgeom (discgeom)  the same with convention="discgeom" (identical distances, float64 fills)
  discgeom (deepmind)  the same with convention="deepmind" (corner surfels with areas)
  MONAI                compute_hausdorff_distance(percentile=95) + compute_average_surface_distance
                       (symmetric=True) + compute_surface_dice(class_thresholds=[1.0] * 5), on the
                       one-hot float32 tensors [1, 5, 512, 512, 64] of the pair, with spacing; the
                       one-hot conversion is timed on its own row
  DeepMind             per label compute_surface_distances(reference == L, prediction == L, spacing)
                       + compute_robust_hausdorff(95) + compute_average_surface_distance
                       + compute_surface_dice_at_tolerance(1.0)
  scipy                benchmarks/peers/surface_distances.py's cropped route (imported, not copied):
                       binary_erosion surface and distance_transform_edt per label's union box
  floor                np.array_equal(reference, prediction): one read of both maps (33.5 MB)

Before any time is reported the numbers are compared: discgeom's monai convention with MONAI
(MONAI works in float32: HD equal after rounding to float32, the others within 1e-6 relative),
its deepmind convention with DeepMind (1e-12 relative), its discgeom convention with scipy
(1e-12 relative). Reported: the median of the repetitions per row and the ratio to discgeom's
monai convention.

    PYTHONPATH=build/bench/python /usr/bin/python3 benchmarks/python_metrics.py \
        --monai /path/to/MONAI --surface-distance /path/to/surface-distance [--repeats 10] \
        [--peer-repeats 3] [--check-pair build/bench/phantom]
"""
import argparse
import importlib.util
import math
import os
import pathlib
import platform
import sys
import time
import warnings

import numpy as np
from scipy import ndimage

HERE = pathlib.Path(__file__).resolve().parent
SHAPE = (512, 512, 64)
SPACING = (0.6, 0.6, 1.0)
LABELS = (201, 202, 203, 204, 205)
TOLERANCE_MM = 1.0

for _name in ("filters", "morphology"):  # DeepMind's metrics.py uses these old scipy namespaces
    if not hasattr(ndimage, _name):
        setattr(ndimage, _name, ndimage)


# ------------------------------------------------------------------------------------------------
# The pair (benchmarks/surface_distances.cpp: disc(), draw(), disc_pair())


def draw(volume, label, ci, cj, ck, a_mm, b_mm, c_mm, tilt_deg):
    s = SPACING
    reach = max(a_mm, b_mm)

    def index_range(centre, radius_voxels, n):
        low = max(0.0, math.floor(centre - radius_voxels - 1.0))
        high = min(n - 1.0, math.ceil(centre + radius_voxels + 1.0))
        return int(low), int(high)

    i0, i1 = index_range(ci, reach / s[0], SHAPE[0])
    j0, j1 = index_range(cj, reach / s[1], SHAPE[1])
    k0, k1 = index_range(ck, c_mm / s[2], SHAPE[2])
    t = tilt_deg * 3.14159265358979323846 / 180.0
    cos_t, sin_t = math.cos(t), math.sin(t)
    i, j, k = np.meshgrid(np.arange(i0, i1 + 1, dtype=np.float64),
                          np.arange(j0, j1 + 1, dtype=np.float64),
                          np.arange(k0, k1 + 1, dtype=np.float64), indexing="ij")
    x, y, z = (i - ci) * s[0], (j - cj) * s[1], (k - ck) * s[2]
    u = x * cos_t + y * sin_t
    v = -x * sin_t + y * cos_t
    r = (u / a_mm) * (u / a_mm) + (v / b_mm) * (v / b_mm) + (z / c_mm) * (z / c_mm)
    box = volume[i0:i1 + 1, j0:j1 + 1, k0:k1 + 1]
    box[(r <= 1.0) & (r > 0.0)] = label


def disc(level, predicted):
    e = [256.0 + 6.0 * math.sin(level), 376.0 - 60.0 * level, 31.5, 20.0,
         4.0 + 0.25 * (4 - level), 25.0, -20.0 + 9.0 * level]
    if predicted:
        e[0] += 1.0
        e[1] += level % 2
        e[3] *= 1.04
        e[4] *= 0.92
        e[5] *= 0.97
        e[6] += 2.0
    return e


def disc_pair():
    reference = np.zeros(SHAPE, np.uint8)
    prediction = np.zeros(SHAPE, np.uint8)
    for level in range(5):
        draw(reference, 201 + level, *disc(level, False))
        draw(prediction, 201 + level, *disc(level, True))
    return reference, prediction


# ------------------------------------------------------------------------------------------------
# Timing and peers


def timed(function, repeats):
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return result, float(np.median(times)), float(np.min(times))


def load_scipy_peer():
    spec = importlib.util.spec_from_file_location("surface_distances_peer",
                                                  HERE / "peers" / "surface_distances.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def monai_route(torch, m, y_pred, y):
    common = {"include_background": True, "spacing": list(SPACING)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        hd95 = m.compute_hausdorff_distance(y_pred, y, percentile=95, **common)
        assd = m.compute_average_surface_distance(y_pred, y, symmetric=True, **common)
        nsd = m.compute_surface_dice(y_pred, y, class_thresholds=[TOLERANCE_MM] * len(LABELS),
                                     **common)
    return {label: {"hd95_mm": hd95[0, c].item(), "assd_mm": assd[0, c].item(),
                    "nsd": nsd[0, c].item()} for c, label in enumerate(LABELS)}


def monai_hd95(m, y_pred, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return m.compute_hausdorff_distance(y_pred, y, include_background=True, percentile=95,
                                            spacing=list(SPACING))


def one_hot(torch, volume):
    return torch.from_numpy(np.stack([volume == label for label in LABELS])[None]
                            .astype(np.float32))


def deepmind_route(dm, reference, prediction):
    result = {}
    for label in LABELS:
        d = dm.compute_surface_distances(reference == label, prediction == label, SPACING)
        asd_rp, asd_pr = dm.compute_average_surface_distance(d)
        result[label] = {"hd95_mm": float(dm.compute_robust_hausdorff(d, 95)),
                         "masd_mm": 0.5 * (asd_rp + asd_pr),
                         "nsd": float(dm.compute_surface_dice_at_tolerance(d, TOLERANCE_MM))}
    return result


def rows_by_label(table):
    labels = [int(v) for v in np.asarray(table["label"])]
    return {label: {k: float(np.asarray(v)[i]) for k, v in table.items() if k != "status"
                    and np.asarray(v).dtype.kind in "fiu"}
            for i, label in enumerate(labels)}


def compare(name, ours, theirs, columns, rtol, float32_hd=False):
    worst = 0.0
    for label in LABELS:
        for column in columns:
            value, expected = ours[label][column], theirs[label][column]
            if float32_hd and column == "hd_mm":
                assert np.float32(value) == np.float32(expected), (name, label, value, expected)
                continue
            relative = abs(value - expected) / abs(expected)
            worst = max(worst, relative)
            assert relative <= rtol, (name, label, column, value, expected)
    print(f"agreement {name}: {len(LABELS)} labels x {', '.join(columns)}: "
          f"largest relative difference {worst:.2e} (bound {rtol:g})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--monai", default=os.environ.get("DISCGEOM_MONAI_SOURCE"))
    parser.add_argument("--surface-distance",
                        default=os.environ.get("DISCGEOM_SURFACE_DISTANCE_SOURCE"))
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--peer-repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="torch threads for MONAI")
    parser.add_argument("--check-pair", metavar="DIR",
                        help="compare the pair with the one `bench_surface_distances "
                        "--write-data DIR` wrote, byte for byte")
    args = parser.parse_args()
    for root in (args.monai, args.surface_distance):
        if root:
            sys.path.insert(0, root)
    import discgeom  # pylint: disable=import-outside-toplevel
    import scipy  # pylint: disable=import-outside-toplevel
    import torch  # pylint: disable=import-outside-toplevel
    import monai  # pylint: disable=import-outside-toplevel
    from monai import metrics as monai_metrics  # pylint: disable=import-outside-toplevel
    from surface_distance import metrics as dm  # pylint: disable=import-outside-toplevel
    torch.set_num_threads(args.threads)

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
          f"python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__},"
          f" torch {torch.__version__} ({torch.get_num_threads()} thread), MONAI "
          f"{monai.__version__}, discgeom module {discgeom.__file__}")
    reference, prediction = disc_pair()
    peer = load_scipy_peer()
    structure = ndimage.generate_binary_structure(3, 1)
    points = sum(int(np.count_nonzero(v & ~ndimage.binary_erosion(v, structure, border_value=0)))
                 for label in LABELS for v in (reference == label, prediction == label))
    print(f"pair: {SHAPE} uint8 at {SPACING} mm, labels {LABELS}, {points} surface voxels "
          "(RESULTS.md: 52 546)")
    assert points == 52546, points
    if args.check_pair:
        for name, volume in (("reference", reference), ("prediction", prediction)):
            theirs = np.fromfile(f"{args.check_pair}/discs_{name}_uint8.raw", dtype=np.uint8)
            assert np.array_equal(theirs.reshape(SHAPE, order="F"), volume), name
        print(f"pair: equal byte for byte to bench_surface_distances's ({args.check_pair})")
    geometry = discgeom.Geometry(spacing=SPACING, origin=(0.0, 0.0, 0.0), direction=np.eye(3))

    def run_discgeom(convention):
        return lambda: discgeom.overlap(reference, prediction, geometry=geometry,
                                        convention=convention, tolerance_mm=TOLERANCE_MM)

    rows = []
    results = {}
    for convention in ("monai", "discgeom", "deepmind"):
        table, median, fastest = timed(run_discgeom(convention), args.repeats)
        results[convention] = rows_by_label(table)
        rows.append((f"discgeom.overlap(convention=\"{convention}\")", median, fastest))
    (y_pred, y), median, fastest = timed(lambda: (one_hot(torch, prediction),
                                                  one_hot(torch, reference)), args.peer_repeats)
    rows.append(("one-hot float32 tensors for MONAI (both maps)", median, fastest))
    monai_values, median, fastest = timed(lambda: monai_route(torch, monai_metrics, y_pred, y),
                                          args.peer_repeats)
    rows.append(("MONAI: HD95 + ASD (symmetric) + surface Dice", median, fastest))
    hd95_only, median, fastest = timed(lambda: monai_hd95(monai_metrics, y_pred, y),
                                       args.peer_repeats)
    rows.append(("MONAI: compute_hausdorff_distance(percentile=95) alone", median, fastest))
    deepmind_values, median, fastest = timed(lambda: deepmind_route(dm, reference, prediction),
                                             args.peer_repeats)
    rows.append(("DeepMind: surface distances + robust HD95 + ASD + surface Dice", median,
                 fastest))
    scipy_values, median, fastest = timed(
        lambda: peer.by_label_cropped(reference, prediction, SPACING), args.peer_repeats)
    rows.append(("scipy, cropped per label (benchmarks/peers/surface_distances.py)", median,
                 fastest))

    compare("discgeom monai vs MONAI", results["monai"], monai_values,
            ("hd95_mm", "assd_mm", "nsd"), 1e-6)
    compare("discgeom deepmind vs DeepMind", results["deepmind"], deepmind_values,
            ("hd95_mm", "masd_mm", "nsd"), 1e-12)
    compare("discgeom discgeom vs scipy", results["discgeom"], scipy_values,
            ("hd_mm", "hd95_mm", "assd_mm", "masd_mm", "nsd"), 1e-12)

    for c, label in enumerate(LABELS):
        assert hd95_only[0, c].item() == monai_values[label]["hd95_mm"], label
    _, median, fastest = timed(lambda: np.array_equal(reference, prediction), args.repeats)
    rows.append(("floor: numpy, one pass over both maps (np.array_equal)", median, fastest))

    base = rows[0][1]
    print(f"\n| computation | median (fastest) of {args.repeats} / {args.peer_repeats} "
          "| ÷ discgeom monai |")
    print("|---|---|---|")
    for name, median, fastest in rows:
        ratio = median / base
        print(f"| {name} | {median * 1e3:.1f} ms ({fastest * 1e3:.1f}) | "
              f"{ratio:.{1 if ratio >= 0.95 else 2}f} × |")


if __name__ == "__main__":
    main()
