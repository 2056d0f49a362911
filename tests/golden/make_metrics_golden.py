#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Golden values of the default segmentation metrics, computed with scipy, for the C++ tests.

Run once with Debian's python (numpy, scipy):
    /usr/bin/python3 tests/golden/make_metrics_golden.py > tests/data/metrics_golden.txt
The test (tests/metrics/golden.cpp) reads the volumes and the values from the file; it never
runs Python. Definitions (docs/metrics.md): surface voxels = voxels of the label with a face
neighbour outside it, the image border counting as outside (scipy binary_erosion with the
6-connected structure and border_value=0); directed distances from voxel centre to the nearest
surface voxel centre of the other mask, in mm (distance_transform_edt with sampling).
"""
import numpy as np
from scipy import ndimage


def ellipsoid(shape, spacing, centre_mm, semi_axes_mm, tilt_deg):
    """Voxels whose centre lies in an ellipsoid tilted about axis 0 (index * spacing in mm)."""
    i, j, k = np.meshgrid(*[np.arange(n) * s for n, s in zip(shape, spacing)], indexing="ij")
    x, y, z = i - centre_mm[0], j - centre_mm[1], k - centre_mm[2]
    t = np.deg2rad(tilt_deg)
    u = y * np.cos(t) + z * np.sin(t)
    v = -y * np.sin(t) + z * np.cos(t)
    a, b, c = semi_axes_mm
    return (x / a) ** 2 + (u / b) ** 2 + (v / c) ** 2 <= 1.0


def surface(mask):
    structure = ndimage.generate_binary_structure(3, 1)
    return mask & ~ndimage.binary_erosion(mask, structure=structure, border_value=0)


def directed(from_surface, to_surface, spacing):
    return ndimage.distance_transform_edt(~to_surface, sampling=spacing)[from_surface]


def rle(volume):
    flat = volume.ravel(order="F")  # axis 0 fastest, as discgeom::image stores it
    change = np.flatnonzero(np.diff(flat)) + 1
    starts = np.concatenate(([0], change))
    lengths = np.diff(np.concatenate((starts, [flat.size])))
    return " ".join(f"{int(flat[s])} {int(n)}" for s, n in zip(starts, lengths))


def write_case(name, reference, prediction, spacing):
    print(f"case {name}")
    print("shape " + " ".join(str(n) for n in reference.shape))
    print("spacing " + " ".join(repr(float(s)) for s in spacing))
    print("reference " + rle(reference))
    print("prediction " + rle(prediction))
    labels = sorted((set(np.unique(reference)) | set(np.unique(prediction))) - {0})
    for label in labels:
        r, p = reference == label, prediction == label
        tp = int(np.sum(r & p))
        dice = 2 * tp / (r.sum() + p.sum())
        iou = tp / np.sum(r | p)
        sr, sp = surface(r), surface(p)
        d_rp, d_pr = directed(sr, sp, spacing), directed(sp, sr, spacing)
        both = np.concatenate((d_rp, d_pr))
        values = {
            "reference_points": sr.sum(),
            "prediction_points": sp.sum(),
            "dice": dice,
            "iou": iou,
            "hd": max(d_rp.max(), d_pr.max()),
            "hd95": max(np.percentile(d_rp, 95), np.percentile(d_pr, 95)),
            "hd95_pooled": np.percentile(both, 95),
            "hd90": max(np.percentile(d_rp, 90), np.percentile(d_pr, 90)),
            "assd": both.mean(),
            "masd": 0.5 * (d_rp.mean() + d_pr.mean()),
            "asd_rp": d_rp.mean(),
            "nsd1": (np.sum(d_rp <= 1.0) + np.sum(d_pr <= 1.0)) / both.size,
            "nsd2": (np.sum(d_rp <= 2.0) + np.sum(d_pr <= 2.0)) / both.size,
        }
        print(f"label {int(label)} " + " ".join(f"{k} {float(v)!r}" for k, v in values.items()))
    print("end")


def main():
    # Two tilted disc-like ellipsoids at SPIDER-like anisotropic spacing.
    shape, spacing = (64, 56, 12), (0.43, 0.43, 4.4)
    reference = np.zeros(shape, np.uint16)
    prediction = np.zeros(shape, np.uint16)
    reference[ellipsoid(shape, spacing, (13.0, 12.0, 24.0), (9.0, 7.0, 14.0), 20)] = 201
    prediction[ellipsoid(shape, spacing, (13.6, 11.5, 25.0), (8.4, 7.5, 15.0), 26)] = 201
    reference[ellipsoid(shape, spacing, (14.0, 12.0, 45.0), (4.0, 3.0, 6.0), -10)] = 202
    prediction[ellipsoid(shape, spacing, (14.5, 12.4, 44.0), (4.2, 3.3, 7.0), -5)] = 202
    write_case("tilted_ellipsoids_0.43x0.43x4.4", reference, prediction, spacing)

    # Structures cut by the image border, at another anisotropic spacing.
    shape, spacing = (30, 24, 16), (0.9, 0.6, 3.3)
    reference = np.zeros(shape, np.uint8)
    prediction = np.zeros(shape, np.uint8)
    reference[ellipsoid(shape, spacing, (2.0, 7.0, 25.0), (9.0, 6.0, 20.0), 0)] = 1
    prediction[ellipsoid(shape, spacing, (3.5, 6.0, 27.0), (10.0, 5.0, 22.0), 10)] = 1
    reference[20:30, 0:10, 10:16] = 3
    prediction[18:30, 0:12, 9:16] = 3
    write_case("border_0.9x0.6x3.3", reference, prediction, spacing)

    # Scattered, irregular shapes (a thresholded smooth random field), isotropic 0.5 mm.
    rng = np.random.default_rng(20261122)
    shape, spacing = (32, 28, 24), (0.5, 0.5, 0.5)
    field = ndimage.gaussian_filter(rng.standard_normal(shape), 2.0)
    noise = ndimage.gaussian_filter(rng.standard_normal(shape), 1.0)
    reference = (field > 0.05).astype(np.uint8) * 7
    prediction = ((field + 0.3 * noise) > 0.04).astype(np.uint8) * 7
    write_case("random_field_0.5", reference, prediction, spacing)


if __name__ == "__main__":
    main()
