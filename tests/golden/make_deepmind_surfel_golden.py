#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Golden values from DeepMind's surface-distance (Nikolov et al., arXiv:1809.04430) for the C++ tests.

Run once with Debian's python (numpy, scipy), given a checkout of
https://github.com/google-deepmind/surface-distance (Apache-2.0; generated with commit
1f805cea446805e559badc80dd27f34175e4173d), which this script imports but does not copy:
    /usr/bin/python3 tests/golden/make_deepmind_surfel_golden.py /path/to/surface-distance \
        > tests/data/deepmind_surfel_golden.txt

Output, plain text:
  * for each of several spacings, a line `spacing s0 s1 s2` and a line `areas a0 ... a255`: the
    surfel area (mm^2) that surface-distance gives a 2x2x2 cell, indexed by discgeom's code
    (include/discgeom/metrics/detail/corner_surfels.hpp): vertex v = x + 2y + 4z, x along array
    axis 0, y along axis 1, z along axis 2, bit v set when voxel v is foreground.
    surface-distance builds its code by correlating the mask with a 2x2x2 kernel; voxel
    (x, y, z) of the cell carries bit 7 - (4x + 2y + z) there. This script derives that mapping
    by running their kernel through scipy exactly as their metrics.py does, and checks it on
    whole masks (our own cell codes + the reordered table give their total surfel area).
  * end-to-end cases: `case NAME`, `shape n0 n1 n2`, `spacing s0 s1 s2`, `gt RLE`, `pred RLE`,
    `values KEY VALUE ...`, `end`. RLE is `value count` pairs in Fortran order (axis 0 fastest,
    as discgeom::image stores it). The values are surface-distance's
    compute_average_surface_distance (asd_gt_to_pred, asd_pred_to_gt),
    compute_surface_dice_at_tolerance at 1 mm, compute_surface_overlap_at_tolerance at 1 mm,
    compute_robust_hausdorff at 95 and 100, the number of surfels (corner points whose cell is
    neither empty nor full) and the total surfel area of each mask.
"""
import sys

import numpy as np
from scipy import ndimage

# surface-distance calls scipy.ndimage.filters / .morphology, namespaces newer scipy drops.
for _name in ("filters", "morphology"):
    if not hasattr(ndimage, _name):
        setattr(ndimage, _name, ndimage)

SPACINGS = [
    (1.0, 1.0, 1.0),
    (0.7, 1.3, 3.3),
    (4.4, 0.6875, 0.6875),
    (0.5, 2.0, 1.0),
    (0.43, 0.43, 4.4),
    (3.3, 0.9, 0.6),
]


def import_surface_distance(root):
    sys.path.insert(0, root)
    from surface_distance import lookup_tables, metrics  # noqa: E402 pylint: disable=import-outside-toplevel
    return lookup_tables, metrics


def vertex_offset(v):
    return (v & 1, (v >> 1) & 1, (v >> 2) & 1)


def their_bit_of_our_vertex(lookup_tables):
    """For each of our cell vertices, the bit of surface-distance's code it sets, found by
    correlating a single-voxel cell with their kernel as their metrics.py does."""
    kernel = lookup_tables.ENCODE_NEIGHBOURHOOD_3D_KERNEL
    bits = []
    for v in range(8):
        x, y, z = vertex_offset(v)
        cell = np.zeros((4, 4, 4), np.uint8)
        cell[1 + x, 1 + y, 1 + z] = 1
        code = ndimage.correlate(cell, kernel, mode="constant", cval=0)
        # Output (2, 2, 2) is the code of the cell of voxels (1..2)^3 (their kernel's centre
        # is its last element); assert that no other output sees only this voxel differently.
        value = int(code[2, 2, 2])
        assert value != 0 and value & (value - 1) == 0, value
        bits.append(value.bit_length() - 1)
    assert sorted(bits) == list(range(8)), bits
    return bits


def their_code(our_code, bits):
    return sum(1 << bits[v] for v in range(8) if (our_code >> v) & 1)


def areas_in_our_order(lookup_tables, spacing, bits):
    theirs = lookup_tables.create_table_neighbour_code_to_surface_area(spacing)
    return np.array([theirs[their_code(c, bits)] for c in range(256)], dtype=np.float64)


def our_cell_codes(mask):
    """Code of every cell of the mask padded by one background voxel on each side."""
    padded = np.pad(mask.astype(np.int64), 1)
    n0, n1, n2 = (n + 1 for n in mask.shape)
    codes = np.zeros((n0, n1, n2), np.int64)
    for v in range(8):
        x, y, z = vertex_offset(v)
        codes |= padded[x:x + n0, y:y + n1, z:z + n2] << v
    return codes


def rotated_ellipsoid(shape, spacing, centre_mm, semi_axes_mm, angles_deg):
    """Voxels whose centre (index * spacing, mm) lies in the ellipsoid with the given semi-axes
    along the columns of R = Rx(angles_deg[1]) Rz(angles_deg[0]) (rotations about axes 0, 2)."""
    points = np.meshgrid(*[np.arange(n) * s for n, s in zip(shape, spacing)], indexing="ij")
    d = np.stack([p - c for p, c in zip(points, centre_mm)], axis=-1)
    a, b = np.deg2rad(angles_deg)
    rz = np.array([[np.cos(a), -np.sin(a), 0.0], [np.sin(a), np.cos(a), 0.0], [0.0, 0.0, 1.0]])
    rx = np.array([[1.0, 0.0, 0.0], [0.0, np.cos(b), -np.sin(b)], [0.0, np.sin(b), np.cos(b)]])
    local = d @ (rx @ rz)  # body coordinates: d = R u with R = rx @ rz, u = R^T d
    return np.sum((local / np.asarray(semi_axes_mm)) ** 2, axis=-1) <= 1.0


def rle(volume):
    flat = volume.ravel(order="F")  # axis 0 fastest, as discgeom::image stores it
    change = np.flatnonzero(np.diff(flat)) + 1
    starts = np.concatenate(([0], change))
    lengths = np.diff(np.concatenate((starts, [flat.size])))
    return " ".join(f"{int(flat[s])} {int(n)}" for s, n in zip(starts, lengths))


def write_case(name, gt, pred, spacing, lookup_tables, metrics, bits):
    gt, pred = gt.astype(bool), pred.astype(bool)
    distances = metrics.compute_surface_distances(gt, pred, spacing)
    asd_gt_to_pred, asd_pred_to_gt = metrics.compute_average_surface_distance(distances)
    overlap_gt, overlap_pred = metrics.compute_surface_overlap_at_tolerance(distances, 1.0)
    area_gt = float(np.sum(distances["surfel_areas_gt"]))
    area_pred = float(np.sum(distances["surfel_areas_pred"]))
    # The bit mapping, checked on whole masks: our codes with the reordered table.
    table = areas_in_our_order(lookup_tables, spacing, bits)
    for mask, area, key in ((gt, area_gt, "gt"), (pred, area_pred, "pred")):
        codes = our_cell_codes(mask)
        ours = float(np.sum(table[codes]))
        assert abs(ours - area) <= 1e-9 * area, (name, key, ours, area)
        surfels = int(np.sum((codes != 0) & (codes != 255)))
        assert surfels == len(distances[f"surfel_areas_{key}"]), (name, key)
    values = {
        "asd_gt_to_pred": asd_gt_to_pred,
        "asd_pred_to_gt": asd_pred_to_gt,
        "surface_dice_1mm": metrics.compute_surface_dice_at_tolerance(distances, 1.0),
        "overlap_gt_1mm": overlap_gt,
        "overlap_pred_1mm": overlap_pred,
        "hd95": metrics.compute_robust_hausdorff(distances, 95),
        "hd100": metrics.compute_robust_hausdorff(distances, 100),
        "surfels_gt": len(distances["surfel_areas_gt"]),
        "surfels_pred": len(distances["surfel_areas_pred"]),
        "area_gt": area_gt,
        "area_pred": area_pred,
    }
    print(f"case {name}")
    print("shape " + " ".join(str(n) for n in gt.shape))
    print("spacing " + " ".join(repr(float(s)) for s in spacing))
    print("gt " + rle(gt.astype(np.uint8)))
    print("pred " + rle(pred.astype(np.uint8)))
    print("values " + " ".join(
        f"{k} {v}" if isinstance(v, int) else f"{k} {float(v)!r}" for k, v in values.items()))
    print("end")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    lookup_tables, metrics = import_surface_distance(sys.argv[1])
    bits = their_bit_of_our_vertex(lookup_tables)
    assert bits == [7 - (4 * x + 2 * y + z) for x, y, z in map(vertex_offset, range(8))], bits

    # A single foreground voxel and a half-space: the same total area under both conventions.
    for spacing in SPACINGS:
        table = areas_in_our_order(lookup_tables, spacing, bits)
        theirs = lookup_tables.create_table_neighbour_code_to_surface_area(spacing)
        voxel = np.zeros((3, 3, 3), bool)
        voxel[1, 1, 1] = True
        kernel = lookup_tables.ENCODE_NEIGHBOURHOOD_3D_KERNEL
        for mask in (voxel, np.broadcast_to(np.arange(6)[:, None, None] < 3, (6, 5, 4)),
                     np.broadcast_to(np.arange(5)[None, :, None] < 2, (6, 5, 4)),
                     np.broadcast_to(np.arange(4)[None, None, :] < 1, (6, 5, 4))):
            padded = np.pad(mask.astype(np.uint8), 1)
            their_codes = ndimage.correlate(padded, kernel, mode="constant", cval=0)
            assert abs(np.sum(theirs[their_codes]) - np.sum(table[our_cell_codes(mask)])) < 1e-9

    for spacing in SPACINGS:
        table = areas_in_our_order(lookup_tables, spacing, bits)
        print("spacing " + " ".join(repr(float(s)) for s in spacing))
        print("areas " + " ".join(repr(float(a)) for a in table))

    # Two rotated ellipsoids at anisotropic spacing, then the same pair mirrored along each
    # axis and with its axes permuted (spacing permuted with them): surface-distance's values
    # are invariant, and so must discgeom's be.
    shape, spacing = (30, 24, 16), (0.9, 0.6, 3.3)
    gt = rotated_ellipsoid(shape, spacing, (13.0, 7.0, 26.0), (8.0, 5.0, 17.0), (25.0, 15.0))
    pred = rotated_ellipsoid(shape, spacing, (13.8, 6.5, 27.5), (8.5, 4.6, 18.0), (31.0, 11.0))
    write_case("ellipsoid_0.9x0.6x3.3", gt, pred, spacing, lookup_tables, metrics, bits)
    for axis in range(3):
        write_case(f"ellipsoid_0.9x0.6x3.3_mirror{axis}", np.flip(gt, axis), np.flip(pred, axis),
                   spacing, lookup_tables, metrics, bits)
    order = (2, 0, 1)
    write_case("ellipsoid_0.9x0.6x3.3_transpose201", np.transpose(gt, order),
               np.transpose(pred, order), tuple(spacing[a] for a in order), lookup_tables,
               metrics, bits)

    # The complement inside a box: a cavity, so every cell pattern appears inverted.
    gt_cavity = np.zeros(shape, bool)
    pred_cavity = np.zeros(shape, bool)
    gt_cavity[2:-2, 1:-1, 1:-1] = True
    pred_cavity[2:-2, 1:-1, 1:-1] = True
    gt_cavity &= ~gt
    pred_cavity &= ~pred
    write_case("ellipsoid_cavity_0.9x0.6x3.3", gt_cavity, pred_cavity, spacing, lookup_tables,
               metrics, bits)

    # Irregular shapes (a thresholded smooth random field) that reach the image border, at
    # another anisotropic spacing: most of the 256 cell patterns occur.
    rng = np.random.default_rng(20261123)
    shape, spacing = (22, 12, 18), (0.5, 2.0, 1.0)
    field = ndimage.gaussian_filter(rng.standard_normal(shape), 1.2)
    noise = ndimage.gaussian_filter(rng.standard_normal(shape), 0.8)
    gt = field > 0.02
    pred = (field + 0.4 * noise) > 0.0
    write_case("random_field_0.5x2x1", gt, pred, spacing, lookup_tables, metrics, bits)


if __name__ == "__main__":
    main()
