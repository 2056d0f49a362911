#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Golden values of the SPIDER challenge's own evaluation, for the C++ tests.

The SPIDER challenge (spider.grand-challenge.org) scores submissions with `evaluation.py` of
DIAGNijmegen/SPIDER-Evaluation (Apache-2.0). This script does not copy that code: it imports it
from a checkout given on the command line and runs it, unchanged, on small synthetic SPIDER-layout
masks that it writes, then stores everything the evaluation returns.

Run once with Debian's python (numpy, scipy, pandas); SimpleITK is replaced by our stand-in in
tests/golden/simpleitk_standin/ (MetaImage reading and writing with numpy and zlib):

    git clone https://github.com/DIAGNijmegen/SPIDER-Evaluation /tmp/SPIDER-Evaluation
    /usr/bin/python3 tests/golden/make_spider_challenge_golden.py \\
        /tmp/SPIDER-Evaluation tests/data/spider_challenge

It writes into OUTDIR, in the challenge's own folder layout:
    ground-truth/<case>.mha                         reference masks (named as the input image)
    input/predictions.json                          grand-challenge's job list (maps the two)
    input/<job>/output/images/sagittal-spine-mr-segmentation/<image>.mha   predictions
    golden.json                                     the evaluation's results, see below

The evaluation's entry point (`Spider().compute_metrics()`) is run as released; only its fixed
paths (/input/, /opt/evaluation/ground-truth/, /output/metrics.json) are pointed at OUTDIR and a
temporary folder. It runs twice:
    as_released        exactly as the challenge ran it: the spacing from SimpleITK's
                       GetSpacing(), in (x, y, z) order, reaches scipy's distance transform as the
                       sampling of the (z, y, x) array returned by GetArrayFromImage();
    spacing_corrected  the same code, but the spacing tuple is reversed on its way into
                       distance_transform_edt, so each array axis gets its own spacing.
Dice and detection rates do not depend on the spacing; only the ASD keys differ.

golden.json holds, per run, the per-case dictionaries returned by `Spider.score_case` (all keys,
verbatim), the aggregate that `compute_metrics` writes to metrics.json (mean and std of each
metric over the cases, as pandas computes them), and per reference label the Dice and ASD that
the evaluation computed (recorded by wrapping its dice_score and average_surface_distance
functions; these are not an output of the challenge but are what it averaged). NaN is stored as
JSON null. Every per-label ASD is also recomputed independently here (26-neighbour border, k-d
tree distances in mm), once with the spacing as released and once corrected, and the script
stops if either disagrees with the evaluation's values by more than 1e-9 mm.
"""
import argparse
import builtins
import contextlib
import hashlib
import importlib.util
import json
import math
import pathlib
import shutil
import subprocess
import sys
import tempfile
import uuid
import warnings

import numpy as np
from scipy import ndimage, spatial

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "simpleitk_standin"))
import SimpleITK as sitk  # noqa: E402  (our stand-in, found first on the path)

PRED_SUBDIR = pathlib.Path("output") / "images" / "sagittal-spine-mr-segmentation"

# --------------------------------------------------------------------------------------------
# Synthetic SPIDER-like masks.
# Labels: 1-25 vertebrae from the bottom (1 = L5), 100 spinal canal, 101-125 partially visible
# vertebrae (100 + n), 201-225 discs (200 + the vertebra above; 201 = L5/S1).
# A "layout" names the anatomical role of each SimpleITK axis (x, y, z) and its spacing in mm.
# --------------------------------------------------------------------------------------------

# Cranio-caudal extent of each structure (mm from the bottom of the image); discs are wedges
# (their bounds tilt with the antero-posterior position), vertebrae fill the gaps between discs.
DISCS = [(201, 1.0, 3.5), (202, 11.0, 14.0), (203, 21.5, 24.5), (204, 32.0, 35.0),
         (205, 42.5, 45.5)]
VERTEBRAE = [(1, 3.5, 11.0), (2, 14.0, 21.5), (3, 24.5, 32.0), (4, 35.0, 42.5),
             (105, 45.5, 1e9)]  # 105: the partially visible L1, cut by the top of the image


def layout_grid(layout):
    """Physical (si, ap, lr) coordinates in mm of every voxel centre, as [z, y, x] arrays."""
    size = layout["size_xyz"]
    spacing = layout["spacing_xyz"]
    axes = [np.arange(n) * s for n, s in zip(size, spacing)]  # x, y, z
    z, y, x = np.meshgrid(axes[2], axes[1], axes[0], indexing="ij")
    by_axis = {"x": x, "y": y, "z": z}
    return {role: by_axis[axis] for axis, role in layout["roles"].items()}


def spine(layout, canal=True):
    """A reference mask: vertebral bodies, wedge-shaped discs and a spinal canal."""
    g = layout_grid(layout)
    si, ap, lr = g["si"], g["ap"], g["lr"]
    lr_c = 0.5 * (lr.max() + lr.min())
    mask = np.zeros(si.shape, np.uint8)
    body_ap_c = 11.0
    tilt = 0.08 * (ap - body_ap_c)  # a lordotic wedge: the bounds rise posteriorly
    for label, lo, hi in VERTEBRAE:
        inside = ((ap - body_ap_c) / 8.0) ** 2 + ((lr - lr_c) / 14.0) ** 2 <= 1.0
        mask[inside & (si >= lo + tilt) & (si < hi + tilt)] = label
    for label, lo, hi in DISCS:
        inside = ((ap - body_ap_c) / 8.6) ** 2 + ((lr - lr_c) / 14.5) ** 2 <= 1.0
        mask[inside & (si >= lo + tilt) & (si < hi + tilt)] = label
    if canal:
        tube = ((ap - 24.0) / 3.5) ** 2 + ((lr - lr_c) / 6.5) ** 2 <= 1.0
        mask[tube & (mask == 0)] = 100
    return mask


def shift(mask, layout, role, voxels):
    """The mask moved by whole voxels along the axis of the given anatomical role (zero fill)."""
    axis = {"x": 2, "y": 1, "z": 0}[next(a for a, r in layout["roles"].items() if r == role)]
    out = np.zeros_like(mask)
    src = [slice(None)] * 3
    dst = [slice(None)] * 3
    if voxels >= 0:
        src[axis], dst[axis] = slice(0, mask.shape[axis] - voxels), slice(voxels, None)
    else:
        src[axis], dst[axis] = slice(-voxels, None), slice(0, mask.shape[axis] + voxels)
    out[tuple(dst)] = mask[tuple(src)]
    return out


def dilate_label(mask, label, iterations=1):
    grown = ndimage.binary_dilation(mask == label, iterations=iterations) & (mask == 0)
    out = mask.copy()
    out[grown] = label
    return out


def erode_label(mask, label, iterations=1):
    out = mask.copy()
    kept = ndimage.binary_erosion(mask == label, iterations=iterations)
    out[(mask == label) & ~kept] = 0
    return out


def core_of_label(mask, label, fraction):
    """Keeps only the voxels of `label` nearest (in index space) to its centroid."""
    out = mask.copy()
    where = np.argwhere(mask == label)
    d = np.sum((where - where.mean(axis=0)) ** 2, axis=1)
    keep = max(1, int(fraction * len(where)))
    drop = where[np.argsort(d, kind="stable")[keep:]]
    out[tuple(drop.T)] = 0
    return out


LAYOUT_A = {  # SPIDER-like sagittal T1: sagittal slices along x (3.3 mm), square in-plane pixels
    "roles": {"x": "lr", "y": "ap", "z": "si"},
    "size_xyz": (14, 48, 80),
    "spacing_xyz": (3.3, 0.625, 0.625),
}
LAYOUT_B = {  # a DICOM-ordered sagittal series: slices along z (4 mm), all three spacings differ
    "roles": {"x": "ap", "y": "si", "z": "lr"},
    "size_xyz": (54, 80, 12),
    "spacing_xyz": (0.5625, 0.625, 4.0),
}


def make_cases():
    """(name, layout, reference [z, y, x], prediction [z, y, x], scenario) of each case."""
    cases = []

    ref = spine(LAYOUT_A)
    pred = shift(ref, LAYOUT_A, "si", 1)               # everything one voxel (0.625 mm) up
    pred = dilate_label(pred, 203)                     # disc 203 one voxel too thick
    pred = erode_label(pred, 2)                        # vertebra 2 one voxel too thin
    g = layout_grid(LAYOUT_A)
    fp = (g["ap"] < 2.0) & (g["si"] > 20.0) & (g["si"] < 30.0) & (pred == 0)
    pred[fp] = 7                                       # a false-positive label (no reference 7)
    cases.append(("case01_shifted_fp", LAYOUT_A, ref, pred,
                  "all structures detected; prediction shifted one voxel cranially, disc 203 "
                  "dilated, vertebra 2 eroded; false-positive label 7 in the background"))

    ref = spine(LAYOUT_A)
    pred = shift(ref, LAYOUT_A, "ap", -1)              # everything one voxel anteriorly
    pred[(pred == 3) | (ref == 3)] = 0                 # vertebra 3 missed (no overlap)
    pred[(pred == 204) | (ref == 204)] = 0             # disc 204 missed (no overlap)
    cases.append(("case02_missed_vertebra_disc", LAYOUT_A, ref, pred,
                  "vertebra 3 and disc 204 absent from the prediction (no overlap: Dice 0, "
                  "ASD NaN); the rest shifted one voxel anteriorly"))

    ref = spine(LAYOUT_A, canal=False)                 # reference without spinal canal
    pred = spine(LAYOUT_A, canal=True)                 # prediction with one (a false positive)
    pred = core_of_label(pred, 2, 0.04)                # vertebra 2: a small core, Dice < 0.1
    pred = core_of_label(pred, 202, 0.5)               # disc 202: half of it, Dice ~ 0.67
    pred = dilate_label(pred, 4)
    cases.append(("case03_low_dice_no_canal", LAYOUT_A, ref, pred,
                  "no canal in the reference (sentinel 999); vertebra 2 predicted as a small "
                  "core (Dice < 0.1: missed, yet its ASD counts); disc 202 half predicted; "
                  "vertebra 4 dilated; the predicted canal 100 is a false positive"))

    ref = spine(LAYOUT_B)
    pred = erode_label(spine(LAYOUT_B), 100)
    relabel = {1: 2, 2: 3, 3: 4, 4: 5, 105: 106, 201: 202, 202: 203, 203: 204, 204: 205,
               205: 206}
    out = pred.copy()
    for a, b in relabel.items():
        out[pred == a] = b                             # every level named one too high
    pred = out
    # Disc 203 (predicted 204) split evenly between labels 204 and 209: a tie in the majority
    # vote, which the evaluation breaks towards the lower label.
    where = np.argwhere(pred == 204)
    where = where[: len(where) - len(where) % 2]
    pred[pred == 204] = 0
    pred[tuple(where[0::2].T)] = 204
    pred[tuple(where[1::2].T)] = 209
    cases.append(("case04_relabelled_tie", LAYOUT_B, ref, pred,
                  "slices along z at 0.5625 x 0.625 x 4.0 mm; every vertebra and disc labelled "
                  "one level too high (matched by overlap, so still scored); canal eroded; disc "
                  "203's prediction split evenly between labels 204 and 209 (tie: lower label)"))

    ref = spine(LAYOUT_A)
    pred = ref.copy()
    pred[pred == 2] = 0                                # vertebra 2 not predicted as such ...
    disc = pred == 202
    for step in (1, 2):                                # ... but disc 202 grows two voxels up
        grown = shift(disc.astype(np.uint8), LAYOUT_A, "si", step).astype(bool)
        pred[grown & (ref == 2) & (pred == 0)] = 202
    cases.append(("case05_cross_structure", LAYOUT_A, ref, pred,
                  "vertebra 2 absent from the prediction, but disc 202 grows two voxels into "
                  "it: the majority vote matches reference vertebra 2 to predicted disc 202, "
                  "so two reference labels are scored against the same predicted label"))

    ref = spine(LAYOUT_A)
    cases.append(("case06_perfect", LAYOUT_A, ref, ref.copy(),
                  "prediction identical to the reference"))
    return cases


# --------------------------------------------------------------------------------------------
# Writing the challenge's folder layout.
# --------------------------------------------------------------------------------------------

def write_mask(array, layout, path):
    image = sitk.GetImageFromArray(array)
    image.SetSpacing(layout["spacing_xyz"])
    path.parent.mkdir(parents=True, exist_ok=True)
    sitk.WriteImage(image, str(path), useCompression=True, compressionLevel=9)


def write_layout(cases, outdir):
    for sub in ("ground-truth", "input"):
        if (outdir / sub).exists():
            shutil.rmtree(outdir / sub)
    jobs = []
    files = {}
    for name, layout, ref, pred, _ in cases:
        job_pk = str(uuid.uuid5(uuid.NAMESPACE_URL, "discgeom/spider-job/" + name))
        image_pk = str(uuid.uuid5(uuid.NAMESPACE_URL, "discgeom/spider-image/" + name))
        gt_rel = pathlib.Path("ground-truth") / (name + ".mha")
        pred_rel = pathlib.Path("input") / job_pk / PRED_SUBDIR / (image_pk + ".mha")
        write_mask(ref, layout, outdir / gt_rel)
        write_mask(pred, layout, outdir / pred_rel)
        jobs.append({"pk": job_pk,
                     "inputs": [{"image": {"name": name + ".mha"}}],
                     "outputs": [{"image": {"pk": image_pk}}]})
        files[name] = (gt_rel, pred_rel)
    (outdir / "input").mkdir(parents=True, exist_ok=True)
    with open(outdir / "input" / "predictions.json", "w") as f:
        json.dump(jobs, f, indent=1)
        f.write("\n")
    return files


# --------------------------------------------------------------------------------------------
# Running the evaluation.
# --------------------------------------------------------------------------------------------

def load_evaluation(spider_dir):
    path = spider_dir / "evaluation.py"
    spec = importlib.util.spec_from_file_location("evaluation", path)
    module = importlib.util.module_from_spec(spec)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # scipy.ndimage.morphology
        spec.loader.exec_module(module)
    return module


def run_evaluation(module, outdir, corrected):
    """Runs Spider().compute_metrics(); returns (per-case dicts, per-label records, metrics)."""
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="spider_eval_"))
    roots = [("/opt/evaluation/ground-truth", str(outdir / "ground-truth")),
             ("/input", str(outdir / "input")),
             ("/output", str(tmp))]

    def remap(p):
        s = str(p)
        for old, new in roots:
            if s == old or s.startswith(old + "/"):
                return new + s[len(old):]
        return s

    per_label = []
    current = {}
    original = {"Path": module.Path, "distance_transform_edt": module.distance_transform_edt,
                "dice_score": module.dice_score,
                "average_surface_distance": module.average_surface_distance}

    def label_of(mask, volume):
        values = np.unique(volume[np.asarray(mask, bool)])
        return [int(v) for v in values]

    def dice_wrapper(m1, m2):
        value = original["dice_score"](m1, m2)
        per_label.append({"case": current["name"], "kind": "dice",
                          "reference_label": label_of(m1, current["ref"])[0],
                          "prediction_label": label_of(m2, current["pred"])[0],
                          "value": float(value)})
        return value

    def asd_wrapper(manual, automatic, voxel_spacing=None, *args, **kwargs):
        value = original["average_surface_distance"](manual, automatic, voxel_spacing, *args,
                                                     **kwargs)
        per_label.append({"case": current["name"], "kind": "asd",
                          "reference_label": label_of(manual, current["ref"])[0],
                          "prediction_label": label_of(automatic, current["pred"])[0],
                          "spacing_passed": [float(s) for s in voxel_spacing],
                          "value": float(value)})
        return value

    def edt(input, sampling=None, *args, **kwargs):
        if corrected and sampling is not None:
            sampling = tuple(sampling)[::-1]  # (x, y, z) -> (z, y, x), the array's axis order
        return original["distance_transform_edt"](input, sampling, *args, **kwargs)

    def open_remapped(file, *args, **kwargs):
        return builtins.open(remap(file), *args, **kwargs)

    module.Path = lambda p: pathlib.Path(remap(p))
    module.open = open_remapped
    module.distance_transform_edt = edt
    module.dice_score = dice_wrapper
    module.average_surface_distance = asd_wrapper
    results = []
    try:
        evaluator = module.Spider()
        released_score_case = evaluator.score_case

        def score_case(gt_path, pred_path):
            name = pathlib.Path(gt_path).stem
            current.update(name=name,
                           ref=sitk.GetArrayFromImage(sitk.ReadImage(str(gt_path))),
                           pred=sitk.GetArrayFromImage(sitk.ReadImage(str(pred_path))))
            result = released_score_case(gt_path, pred_path)
            results.append((name, result))
            return result

        evaluator.score_case = score_case
        with contextlib.redirect_stdout(sys.stderr), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # numpy: mean of empty slice
            evaluator.compute_metrics()
        with open(tmp / "metrics.json") as f:
            metrics = json.load(f)  # Python's json reads the NaN that json.dump wrote
    finally:
        for key, value in original.items():
            setattr(module, key, value)
        del module.open
        shutil.rmtree(tmp)
    return results, per_label, metrics


# --------------------------------------------------------------------------------------------
# Independent check of the per-label ASD (our own border and distance code).
# --------------------------------------------------------------------------------------------

def border_26(mask):
    """Voxels of the mask with a 26-neighbour outside it, the image border counting as outside."""
    padded = np.pad(mask, 1, constant_values=False)
    interior = np.ones_like(mask)
    n0, n1, n2 = mask.shape
    for d0 in (-1, 0, 1):
        for d1 in (-1, 0, 1):
            for d2 in (-1, 0, 1):
                interior &= padded[1 + d0:1 + d0 + n0, 1 + d1:1 + d1 + n1, 1 + d2:1 + d2 + n2]
    return mask & ~interior


def pooled_asd(a, b, array_spacing):
    """Mean of all border-to-border distances, both directions pooled (mm)."""
    pa = np.argwhere(border_26(a)) * np.asarray(array_spacing)
    pb = np.argwhere(border_26(b)) * np.asarray(array_spacing)
    d_ab = spatial.cKDTree(pb).query(pa)[0]
    d_ba = spatial.cKDTree(pa).query(pb)[0]
    return float(np.concatenate((d_ab, d_ba)).mean())


def check_per_label(per_label, cases, corrected):
    by_name = {c[0]: c for c in cases}
    for rec in per_label:
        if rec["kind"] != "asd":
            continue
        _, layout, ref, pred, _ = by_name[rec["case"]]
        spacing = tuple(layout["spacing_xyz"])
        array_spacing = spacing[::-1] if corrected else spacing
        ours = pooled_asd(ref == rec["reference_label"], pred == rec["prediction_label"],
                          array_spacing)
        if abs(ours - rec["value"]) > 1e-9:
            sys.exit("check failed: %s label %d: evaluation %r, independent %r"
                     % (rec["case"], rec["reference_label"], rec["value"], ours))


# --------------------------------------------------------------------------------------------

def clean(value):
    """JSON-ready: numpy scalars to Python numbers, NaN to None."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return None if math.isnan(value) else value
    return value


def source_info(spider_dir):
    info = {"repository": "DIAGNijmegen/SPIDER-Evaluation", "file": "evaluation.py",
            "license": "Apache-2.0",
            "sha256": hashlib.sha256((spider_dir / "evaluation.py").read_bytes()).hexdigest()}
    try:
        commit = subprocess.run(["git", "-C", str(spider_dir), "rev-parse", "HEAD"],
                                capture_output=True, text=True, check=True).stdout.strip()
        info["commit"] = commit
    except (OSError, subprocess.CalledProcessError):
        pass
    return info


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("spider_evaluation", type=pathlib.Path,
                        help="checkout of DIAGNijmegen/SPIDER-Evaluation (holds evaluation.py)")
    parser.add_argument("outdir", type=pathlib.Path, help="e.g. tests/data/spider_challenge")
    parser.add_argument("--commit", help="the checkout's commit, when it is not a git work tree")
    args = parser.parse_args()
    spider_dir = args.spider_evaluation.resolve()
    outdir = args.outdir.resolve()
    outdir.mkdir(parents=True, exist_ok=True)

    cases = make_cases()
    files = write_layout(cases, outdir)
    module = load_evaluation(spider_dir)

    import numpy
    import pandas
    import scipy
    source = source_info(spider_dir)
    if args.commit:
        source["commit"] = args.commit
    golden = {
        "source": source,
        "generator": "tests/golden/make_spider_challenge_golden.py",
        "versions": {"python": sys.version.split()[0], "numpy": numpy.__version__,
                     "scipy": scipy.__version__, "pandas": pandas.__version__},
        "notes": [
            "NaN is stored as null.",
            "spacing_xyz is SimpleITK's GetSpacing() order; arrays are indexed [z, y, x].",
            "as_released: the evaluation passes spacing_xyz unchanged as the sampling of the "
            "[z, y, x] array; spacing_corrected: the same code with the tuple reversed first.",
            "per_label lists, in the evaluation's call order, the Dice and ASD it computed for "
            "each reference label that overlaps the prediction (labels without overlap get "
            "Dice 0 and ASD NaN without a call); prediction_label is the label it matched.",
            "metrics_json is what compute_metrics writes to /output/metrics.json: pandas mean "
            "and std (ddof 1), NaN skipped, over the cases.",
        ],
        "cases": [],
    }
    for name, layout, ref, pred, scenario in cases:
        gt_rel, pred_rel = files[name]
        golden["cases"].append({
            "name": name, "scenario": scenario,
            "ground_truth": gt_rel.as_posix(), "prediction": pred_rel.as_posix(),
            "size_xyz": list(layout["size_xyz"]), "spacing_xyz": list(layout["spacing_xyz"]),
            "axis_roles_xyz": [layout["roles"][a] for a in "xyz"],
            "reference_labels": [int(v) for v in np.unique(ref) if v],
            "prediction_labels": [int(v) for v in np.unique(pred) if v],
        })

    for run, corrected in (("as_released", False), ("spacing_corrected", True)):
        results, per_label, metrics = run_evaluation(module, outdir, corrected)
        check_per_label(per_label, cases, corrected)
        golden[run] = {
            "per_case": [{"case": name, "score_case": clean(result)} for name, result in results],
            "per_label": clean(per_label),
            "metrics_json": clean(metrics),
        }

    with open(outdir / "golden.json", "w") as f:
        json.dump(golden, f, indent=1, allow_nan=False)
        f.write("\n")
    total = sum(p.stat().st_size for p in outdir.rglob("*") if p.is_file())
    print("wrote %s (%d files, %d bytes in all)"
          % (outdir, sum(1 for p in outdir.rglob("*") if p.is_file()), total))


if __name__ == "__main__":
    main()
