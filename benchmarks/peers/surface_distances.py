#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""HD, HD95, ASSD, MASD and NSD (1 mm) of every label with scipy, the peer of
benchmarks/surface_distances.cpp, under the same definitions: surface voxels = voxels of the
label with a face neighbour outside it, the image border counting as outside
(binary_erosion with the 6-connected structure, border_value=0); directed distances = the exact
Euclidean distance transform with the voxel spacing of the other surface's complement, read at
this surface's voxels; HD95 = max of the two directed linear percentiles. Two routes:

  crop: each label's masks cropped to the union of its bounding boxes in both maps
        (scipy.ndimage.find_objects, one pass per map), as discgeom does;
  full: each label's masks over the whole volume (the usual MONAI / MedPy route).

Reads the pair that `bench_surface_distances --write-data DIR` writes, checks both routes
against discgeom's values for every engine (relative 1e-12), prints both sets of values, the
median time of each route (not of reading the files) and the process's peak resident set.

    /usr/bin/python3 benchmarks/peers/surface_distances.py DIR [REPEATS_CROP] [REPEATS_FULL]
"""
import csv
import json
import resource
import sys
import time

import numpy as np
from scipy import ndimage

STRUCTURE = ndimage.generate_binary_structure(3, 1)
COLUMNS = ("hd_mm", "hd95_mm", "assd_mm", "masd_mm", "nsd")


def surface(mask):
    return mask & ~ndimage.binary_erosion(mask, structure=STRUCTURE, border_value=0)


def scores(reference_mask, prediction_mask, spacing, tolerance_mm=1.0):
    s_r, s_p = surface(reference_mask), surface(prediction_mask)
    d_rp = ndimage.distance_transform_edt(~s_p, sampling=spacing)[s_r]
    d_pr = ndimage.distance_transform_edt(~s_r, sampling=spacing)[s_p]
    n = d_rp.size + d_pr.size
    return {"reference_points": d_rp.size, "prediction_points": d_pr.size,
            "hd_mm": max(d_rp.max(), d_pr.max()),
            "hd95_mm": max(np.percentile(d_rp, 95), np.percentile(d_pr, 95)),
            "assd_mm": (d_rp.sum() + d_pr.sum()) / n,
            "masd_mm": 0.5 * (d_rp.mean() + d_pr.mean()),
            # discgeom counts a distance equal to the tolerance up to 1e-12 relative.
            "nsd": (np.count_nonzero(d_rp <= tolerance_mm * (1 + 1e-12)) +
                    np.count_nonzero(d_pr <= tolerance_mm * (1 + 1e-12))) / n}


def by_label_cropped(reference, prediction, spacing):
    boxes_r = ndimage.find_objects(reference)
    boxes_p = ndimage.find_objects(prediction)
    result = {}
    for index in range(max(len(boxes_r), len(boxes_p))):
        box_r = boxes_r[index] if index < len(boxes_r) else None
        box_p = boxes_p[index] if index < len(boxes_p) else None
        if box_r is None or box_p is None:
            continue  # absent from a map: no distances (discgeom reports a status)
        box = tuple(slice(min(a.start, b.start), max(a.stop, b.stop)) for a, b in zip(box_r, box_p))
        label = index + 1
        result[label] = scores(reference[box] == label, prediction[box] == label, spacing)
    return result


def by_label_full(reference, prediction, spacing):
    labels = np.intersect1d(np.unique(reference), np.unique(prediction))
    return {int(label): scores(reference == label, prediction == label, spacing)
            for label in labels if label != 0}


def timed(function, repeats, *arguments):
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function(*arguments)
        times.append(time.perf_counter() - start)
    return result, float(np.median(times))


def main():
    folder = sys.argv[1]
    repeats_crop = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    repeats_full = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    meta = json.load(open(folder + "/discs_pair.json"))
    shape, spacing = tuple(meta["shape"]), tuple(meta["spacing"])
    read = lambda name: np.fromfile(f"{folder}/{name}", dtype=np.uint8).reshape(shape, order="F")
    reference, prediction = read("discs_reference_uint8.raw"), read("discs_prediction_uint8.raw")
    loaded_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    cropped, crop_s = timed(by_label_cropped, repeats_crop, reference, prediction, spacing)
    crop_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    full, full_s = timed(by_label_full, repeats_full, reference, prediction, spacing)
    full_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    theirs = {}
    for row in csv.DictReader(open(folder + "/discs_surface_discgeom.csv")):
        theirs.setdefault(row["engine"], {})[int(row["label"])] = row
    print("label  points(ref, pred)  " + "  ".join(f"{c:>20s}" for c in COLUMNS) + "   source")
    for label, ours in sorted(cropped.items()):
        print(f"{label:5d}  {ours['reference_points']:6d} {ours['prediction_points']:6d}     " +
              "  ".join(f"{ours[c]:20.15f}" for c in COLUMNS) + "   scipy")
        row = theirs["automatic"][label]
        print(f"{label:5d}  {int(row['reference_points']):6d} {int(row['prediction_points']):6d}"
              "     " + "  ".join(f"{float(row[c]):20.15f}" for c in COLUMNS) +
              "   discgeom (automatic)")
    worst = 0.0
    for route in (cropped, full):
        for engine, table in theirs.items():
            assert sorted(table) == sorted(route), (engine, sorted(table), sorted(route))
            for label, ours in route.items():
                row = table[label]
                assert (int(row["reference_points"]), int(row["prediction_points"])) == \
                    (ours["reference_points"], ours["prediction_points"]), (engine, label)
                for column in COLUMNS:
                    value, other = ours[column], float(row[column])
                    relative = abs(value - other) / max(abs(value), 1e-300)
                    worst = max(worst, relative)
                    assert relative <= 1e-12, (engine, label, column, value, other)
    print(f"scipy surface metrics agree with discgeom ({', '.join(sorted(theirs))}) on "
          f"{len(cropped)} labels x {len(COLUMNS)} values, both routes: max relative difference "
          f"{worst:.1e}")
    print(f"scipy surface metrics, cropped to each label's union box: median "
          f"{1000 * crop_s:.1f} ms over {repeats_crop} runs")
    print(f"scipy surface metrics, whole volume per label:            median "
          f"{1000 * full_s:.1f} ms over {repeats_full} runs")
    print(f"python peak resident set: {loaded_mib:.1f} MiB after loading the pair, "
          f"{crop_mib:.1f} MiB after the cropped route, {full_mib:.1f} MiB after the full route")


if __name__ == "__main__":
    main()
