#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Golden values from MONAI and DeepMind surface-distance for the Python module's peer tests.

Both peers are imported from checkouts given on the command line and run unchanged; nothing of
their code is copied:
  * MONAI (Apache-2.0), https://github.com/Project-MONAI/MONAI, release tag 1.5.0 (commit
    d388d1c6fec8cb3a0eebee5b5a0b9776ca59ca83), a plain source tree (`git archive 1.5.0`) put on
    sys.path. It imports with Debian's python3-torch, numpy and scipy as they are: no stub, no
    environment variable. Its optional dependencies (cucim, cupy, ...) are absent, so it takes
    its CPU route (scipy's binary_erosion and distance_transform_edt).
  * DeepMind surface-distance (Apache-2.0), https://github.com/google-deepmind/surface-distance,
    commit 1f805cea446805e559badc80dd27f34175e4173d. Its metrics.py calls
    scipy.ndimage.filters / .morphology, namespaces that newer scipy drops; they are aliased to
    scipy.ndimage when absent (as tests/golden/make_deepmind_surfel_golden.py does).

    /usr/bin/python3 tests/golden/make_python_metrics_golden.py /path/to/MONAI \
        /path/to/surface-distance tests/data/python_metrics

Output in the folder: CASE_reference.npy and CASE_prediction.npy (uint8 label maps, C order,
numpy axis k has spacing[k]) and golden.json:
  {"peers": {...versions...}, "tolerance_mm": 1.0,
   "cases": [{"name", "spacing", "shape", "reference", "prediction", "labels",
              "monai": {label: {...}}, "deepmind": {label: {...}}}]}
Non-finite numbers are written as the strings "nan", "inf" and "-inf" (strict JSON).

Per label (binary masks `labels == label`):
  monai: compute_hausdorff_distance (percentile None -> "hd", 95 -> "hd95"),
    compute_average_surface_distance(symmetric=True) -> "asd_symmetric",
    compute_average_surface_distance(symmetric=False) -> "asd_prediction_to_reference",
    the same with y_pred and y swapped -> "asd_reference_to_prediction",
    compute_surface_dice(class_thresholds=[tolerance_mm], use_subvoxels=False) -> "nsd",
    DiceMetric(reduction="none", ignore_empty=True) -> "dice"; all with spacing=spacing and
    include_background=True on the one-hot channels of the labels (so channel c is label c).
    MONAI computes every distance in float32: these are float32 numbers.
  deepmind: compute_surface_distances(reference, prediction, spacing), then
    compute_robust_hausdorff at 100 ("hd") and 95 ("hd95"), compute_average_surface_distance
    ("asd_reference_to_prediction", "asd_prediction_to_reference"),
    compute_surface_dice_at_tolerance ("nsd"), compute_dice_coefficient ("dice"), and the
    surfel area sums of both masks ("area_reference", "area_prediction").
"""
import hashlib
import json
import os
import subprocess
import sys
import warnings

import numpy as np
from scipy import ndimage

TOLERANCE_MM = 1.0
MONAI_TAG = "1.5.0"
MONAI_COMMIT = "d388d1c6fec8cb3a0eebee5b5a0b9776ca59ca83"
SURFACE_DISTANCE_COMMIT = "1f805cea446805e559badc80dd27f34175e4173d"

for _name in ("filters", "morphology"):
    if not hasattr(ndimage, _name):
        setattr(ndimage, _name, ndimage)


# ------------------------------------------------------------------------------------------------
# Cases


def ellipsoid(shape, spacing, centre_vox, semi_axes_mm, tilt_deg=0.0):
    """Voxels whose centre lies in an ellipsoid about `centre_vox`, turned by `tilt_deg` in the
    plane of axes 0 and 1."""
    grid = np.meshgrid(*[np.arange(n, dtype=np.float64) for n in shape], indexing="ij")
    x, y, z = [(g - c) * s for g, c, s in zip(grid, centre_vox, spacing)]
    t = np.deg2rad(tilt_deg)
    u = x * np.cos(t) + y * np.sin(t)
    v = -x * np.sin(t) + y * np.cos(t)
    a, b, c = semi_axes_mm
    return (u / a) ** 2 + (v / b) ** 2 + (z / c) ** 2 <= 1.0


def case_two_labels_anisotropic():
    """Two labels at 0.7 x 1.3 x 3.3 mm; the prediction moves, scales and turns both; label 3
    exists only in the prediction (a false detection: MONAI's ignore_empty makes Dice NaN)."""
    shape, spacing = (40, 28, 12), (0.7, 1.3, 3.3)
    ref = np.zeros(shape, np.uint8)
    pred = np.zeros(shape, np.uint8)
    ref[ellipsoid(shape, spacing, (12, 13, 6), (6.0, 9.0, 12.0), 15)] = 1
    ref[ellipsoid(shape, spacing, (29, 14, 5.5), (5.0, 11.0, 10.0), -10)] = 2
    pred[ellipsoid(shape, spacing, (13, 12.5, 6), (6.4, 8.5, 11.0), 22)] = 1
    pred[ellipsoid(shape, spacing, (28, 15, 6.5), (4.6, 11.5, 12.0), -4)] = 2
    pred[33:36, 2:4, 9:11] = 3
    return "two_labels_anisotropic", spacing, ref, pred


def case_five_discs():
    """Five disc-like tilted ellipsoids 201..205 in a sagittal stack (0.9 x 0.9 x 2.0 mm), the
    prediction of each moved by one voxel posteriorly (every other one also down), 4 % longer,
    8 % thinner, 3 % narrower and 2 degrees more tilted, as in benchmarks/surface_distances.cpp
    at a smaller size."""
    shape, spacing = (80, 96, 30), (0.9, 0.9, 2.0)
    ref = np.zeros(shape, np.uint8)
    pred = np.zeros(shape, np.uint8)
    for level in range(5):
        centre = [40.0 + 2.0 * np.sin(level), 84.0 - 17.0 * level, 14.5]
        axes = [17.0, 3.5 + 0.25 * (4 - level), 22.0]
        tilt = -20.0 + 9.0 * level
        ref[ellipsoid(shape, spacing, centre, axes, tilt)] = 201 + level
        centre_p = [centre[0] + 1.0, centre[1] + level % 2, centre[2]]
        axes_p = [axes[0] * 1.04, axes[1] * 0.92, axes[2] * 0.97]
        pred[ellipsoid(shape, spacing, centre_p, axes_p, tilt + 2.0)] = 201 + level
    return "five_discs", spacing, ref, pred


def case_one_voxel_shift():
    """A box moved by one voxel along the thick axis (3.3 mm) and a ball moved by one voxel
    along a thin one (0.5 mm): every distance is a multiple of a spacing."""
    shape, spacing = (30, 24, 14), (0.5, 0.8, 3.3)
    ref = np.zeros(shape, np.uint8)
    pred = np.zeros(shape, np.uint8)
    ref[4:12, 5:15, 3:8] = 1
    pred[4:12, 5:15, 4:9] = 1
    ball = ellipsoid(shape, spacing, (20, 12, 7), (4.0, 5.0, 9.0))
    ref[ball] = 2
    pred[np.roll(ball, 1, axis=0)] = 2
    return "one_voxel_shift", spacing, ref, pred


def case_empty_prediction():
    """Label 1 segmented and missed; label 2 in both, touching the image border (the border
    counts as outside)."""
    shape, spacing = (20, 18, 10), (1.1, 0.6, 2.5)
    ref = np.zeros(shape, np.uint8)
    pred = np.zeros(shape, np.uint8)
    ref[3:9, 4:12, 2:7] = 1
    ref[12:20, 0:10, 0:6] = 2
    pred[13:20, 0:11, 0:5] = 2
    return "empty_prediction", spacing, ref, pred


CASES = (case_two_labels_anisotropic, case_five_discs, case_one_voxel_shift,
         case_empty_prediction)


# ------------------------------------------------------------------------------------------------
# Peers


def import_peers(monai_root, surface_distance_root):
    sys.path.insert(0, monai_root)
    sys.path.insert(0, surface_distance_root)
    import monai  # pylint: disable=import-outside-toplevel
    import torch  # pylint: disable=import-outside-toplevel
    from monai import metrics as monai_metrics  # pylint: disable=import-outside-toplevel
    from surface_distance import metrics as deepmind_metrics  # pylint: disable=C0415
    return monai, torch, monai_metrics, deepmind_metrics


def one_hot(torch, labels_map, labels):
    channels = np.stack([labels_map == label for label in labels])[None]
    return torch.from_numpy(channels.astype(np.float32))


def monai_scores(torch, m, ref, pred, labels, spacing):
    """MONAI's numbers per label, channel c being label labels[c]."""
    y, y_pred = one_hot(torch, ref, labels), one_hot(torch, pred, labels)
    common = {"include_background": True, "spacing": list(spacing)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # MONAI warns on empty masks; the numbers say it
        hd = m.compute_hausdorff_distance(y_pred, y, percentile=None, **common)
        hd95 = m.compute_hausdorff_distance(y_pred, y, percentile=95, **common)
        assd = m.compute_average_surface_distance(y_pred, y, symmetric=True, **common)
        asd_pr = m.compute_average_surface_distance(y_pred, y, symmetric=False, **common)
        asd_rp = m.compute_average_surface_distance(y, y_pred, symmetric=False, **common)
        nsd = m.compute_surface_dice(y_pred, y, class_thresholds=[TOLERANCE_MM] * len(labels),
                                     use_subvoxels=False, **common)
        dice = m.DiceMetric(include_background=True, reduction="none", ignore_empty=True)(y_pred, y)
    out = {}
    for c, label in enumerate(labels):
        out[str(label)] = {
            "hd": hd[0, c].item(), "hd95": hd95[0, c].item(), "asd_symmetric": assd[0, c].item(),
            "asd_prediction_to_reference": asd_pr[0, c].item(),
            "asd_reference_to_prediction": asd_rp[0, c].item(), "nsd": nsd[0, c].item(),
            "dice": dice[0, c].item()}
    return out


def deepmind_scores(dm, ref, pred, labels, spacing):
    out = {}
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore")  # 0/0 of an empty surface gives NaN, with a warning
        for label in labels:
            r, p = ref == label, pred == label
            d = dm.compute_surface_distances(r, p, spacing)
            asd_rp, asd_pr = dm.compute_average_surface_distance(d)
            out[str(label)] = {
                "hd": float(dm.compute_robust_hausdorff(d, 100)),
                "hd95": float(dm.compute_robust_hausdorff(d, 95)),
                "asd_reference_to_prediction": float(asd_rp),
                "asd_prediction_to_reference": float(asd_pr),
                "nsd": float(dm.compute_surface_dice_at_tolerance(d, TOLERANCE_MM)),
                "dice": float(dm.compute_dice_coefficient(r, p)),
                "area_reference": float(np.sum(d["surfel_areas_gt"])),
                "area_prediction": float(np.sum(d["surfel_areas_pred"]))}
    return out


def encode(value):
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, float) and not np.isfinite(value):
        return "nan" if np.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


def git_commit(root):
    try:
        return subprocess.run(["git", "-C", root, "rev-parse", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    monai_root, surface_distance_root, out = sys.argv[1:]
    monai, torch, monai_metrics, deepmind_metrics = import_peers(monai_root, surface_distance_root)
    if monai.__version__ != MONAI_TAG:
        sys.exit(f"expected MONAI {MONAI_TAG}, found {monai.__version__}")
    os.makedirs(out, exist_ok=True)
    import scipy  # pylint: disable=import-outside-toplevel
    golden = {
        "peers": {
            "monai": {"version": monai.__version__, "tag": MONAI_TAG, "commit": MONAI_COMMIT},
            "surface_distance": {"commit": git_commit(surface_distance_root) or
                                 SURFACE_DISTANCE_COMMIT},
            "torch": torch.__version__, "numpy": np.__version__, "scipy": scipy.__version__,
            "python": sys.version.split()[0]},
        "tolerance_mm": TOLERANCE_MM,
        "cases": []}
    for make in CASES:
        name, spacing, ref, pred = make()
        labels = sorted((set(np.unique(ref).tolist()) | set(np.unique(pred).tolist())) - {0})
        files = {}
        for role, volume in (("reference", ref), ("prediction", pred)):
            files[role] = f"{name}_{role}.npy"
            np.save(os.path.join(out, files[role]), np.ascontiguousarray(volume))
        golden["cases"].append(encode({
            "name": name, "spacing": list(spacing), "shape": list(ref.shape),
            "reference": files["reference"], "prediction": files["prediction"],
            "sha256": {role: hashlib.sha256(np.ascontiguousarray(v).tobytes()).hexdigest()
                       for role, v in (("reference", ref), ("prediction", pred))},
            "labels": labels,
            "monai": monai_scores(torch, monai_metrics, ref, pred, labels, spacing),
            "deepmind": deepmind_scores(deepmind_metrics, ref, pred, labels, spacing)}))
    with open(os.path.join(out, "golden.json"), "w", encoding="utf-8") as stream:
        json.dump(golden, stream, indent=1, allow_nan=False)
        stream.write("\n")


if __name__ == "__main__":
    main()
