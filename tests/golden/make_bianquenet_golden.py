#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Golden values of BianqueNet's disc indices, computed by BianqueNet's own released functions.

BianqueNet (Zheng et al., Nat. Commun. 13, 841 (2022); github.com/no-saint-no-angel/BianqueNet) is
published without a licence: nothing of it is copied here. This driver builds synthetic
mid-sagittal label maps and T2-like images of our own, imports BianqueNet's functions from the
checkout given on the command line and records what they return. Run with Debian's python
(python3-numpy, python3-scipy, python3-opencv, python3-skimage):
    /usr/bin/python3 tests/golden/make_bianquenet_golden.py /path/to/BianqueNet \
        > tests/data/bianquenet_golden.txt
where /path/to/BianqueNet is the folder that holds main.py and function/ (the snapshot used for the
stored file: commit 36e487c8 of 2022-05-22). BianqueNet's progress messages go to stderr.
The same script extracts BianqueNet's normative baselines (the constants of
function/quantitative_analysis.py with their lines, and summaries of the population tables in
input/baseline_range/*.xlsx, which need python3-openpyxl):
    /usr/bin/python3 tests/golden/make_bianquenet_golden.py --baselines /path/to/BianqueNet \
        > tests/data/bianquenet_baselines_extract.txt

The pipeline is called as its main.py does: the 14-channel one-hot output (channel c = label c)
goes through function.segmentation_optimization.seg_opt, then function.calcu_DHI_512.calcu_DHI
and function.calcu_signal_strength.calcu_Sigs(image, output). The per-structure pieces (corners,
mid-points, widths) come from the same module's calcu_HV / calcu_HV_S1 / calcu_WD, called with the
arguments calcu_DHI gives them; the script checks that they reproduce calcu_DHI's results.

The script also carries an independent re-implementation (numpy, float32, written from OpenCV's
documented algorithm, not from BianqueNet) of the corner detector cv2.goodFeaturesToTrack(mask,
4, 0.01, 21, blockSize=9) and of the histogram peaks of calcu_Sigs, and asserts that it gives the
same corners and peaks bit for bit, and of the corner ordering, cut points, central area and
width walk: the executable form of the specification that the C++ code implements.

File format (one block per case, lines of space-separated fields):
    case NAME
    shape W H          image width (columns, axis 0, anterior -> posterior) and height (rows,
                       axis 1, superior -> inferior)
    seg_opt_changed_pixels N   pixels that seg_opt changed in the drawn label map
    labels RLE         label map after seg_opt, BianqueNet channel numbers (below); RLE =
                       "value count" pairs with axis 0 fastest (row by row, numpy C order of [h][w])
    image RLE          the 8-bit T2-like grey image (same order); the driver hands BianqueNet a
                       3-channel BGR copy, as cv2.imread gives it, and BGR2GRAY returns it unchanged
    body NAME h0 w0 h1 w1 h2 w2 h3 w3 area A top L_up bottom L_down hv HV eig e0 e1 e2 e3
                       corners in BianqueNet's order 0 = upper anterior, 1 = upper posterior,
                       2 = lower anterior, 3 = lower posterior ((row h, column w) pixel indices);
                       A = pixel count, L_up = |c0 c1|, L_down = |c2 c3|, HV = A / ((L_up+L_down)/2);
                       e = cornerMinEigenVal at each corner (float32, printed exactly)
    disc NAME ant AH AW post PH PW small_wd SW big_wd BW walk WAH WAW WPH WPW
         cut LUH LUW LDH LDW RUH RUW RDH RDW central_area CA dh DH dhi DHI dwr DWR
                       anterior and posterior mid-points (row, column; may be half pixels),
                       SW = their distance; the two end pixels of the walk along the mid-point
                       line, anterior then posterior (BW = their distance; BianqueNet returns only
                       BW, the ends come from the re-implementation and are checked against it);
                       the four cut points of the central 80 % (lu, ld, ru, rd; integers);
                       CA = pixel count left after the cut; DH = CA / SW; DHI = 2 DH / (HV above
                       + HV below), or DH / HV(L5) at L5/S1; DWR = DH / BW
    si NAME mode M first_peak F second_peak S diff D dsi X si_disc Y
                       per disc; D = |M - S|, X = D * 255 / mode(CSF), Y = M if M > S else S
    ref NAME mode M    the CSF (channel 1) and presacral fat (channel 13) modes
    end
Labels (BianqueNet channels): 0 background, 1 CSF in the spinal canal (the Delta-SI reference),
2 L1, 3 L1/L2, 4 L2, 5 L2/L3, 6 L3, 7 L3/L4, 8 L4, 9 L4/L5, 10 L5, 11 L5/S1, 12 S1 (sacrum),
13 presacral fat. SPIDER numbering: vertebra L5..L1 = 1..5, disc L5/S1..L1/L2 = 201..205.
Every number is in pixels of the image grid (BianqueNet assumes square pixels and has no mm).
"""
import contextlib
import importlib
import math
import os
import sys
from collections import Counter

import cv2
import numpy as np
from skimage.draw import polygon as fill_polygon

SIZE = 512
LEVELS = ["L1", "L2", "L3", "L4", "L5"]
DISCS = ["L1/L2", "L2/L3", "L3/L4", "L4/L5", "L5/S1"]


# ---------------------------------------------------------------------------------------------
# Synthetic anatomy (pixel-centre tests in the image plane; x = column w, y = row h).
def axes(tilt_deg):
    """Unit AP axis (posterior) and SI axis (inferior) of a structure tilted by tilt_deg."""
    t = math.radians(tilt_deg)
    return np.array([math.cos(t), math.sin(t)]), np.array([-math.sin(t), math.cos(t)])


def body_mask(centre, tilt, half_w, half_h, radius, concavity):
    """Rounded rectangle (corner radius) with concave endplates (depth `concavity` mid-body)."""
    h, w = np.mgrid[0:SIZE, 0:SIZE].astype(float)
    eu, ev = axes(tilt)
    dx, dy = w - centre[0], h - centre[1]
    u, v = dx * eu[0] + dy * eu[1], dx * ev[0] + dy * ev[1]
    ou = np.maximum(np.abs(u) - (half_w - radius), 0.0)
    ov = np.maximum(np.abs(v) - (half_h - radius), 0.0)
    rounded = ou**2 + ov**2 <= radius**2 if radius > 0 else (np.abs(u) <= half_w) & (np.abs(v) <= half_h)
    dip = concavity * np.clip(1.0 - (u / half_w) ** 2, 0.0, 1.0)
    return rounded & (np.abs(v) <= half_h - dip)


def fill(points_xy):
    """Pixels whose centre lies inside the polygon (x = column, y = row)."""
    pts = np.asarray(points_xy, float)
    mask = np.zeros((SIZE, SIZE), bool)
    rr, cc = fill_polygon(pts[:, 1], pts[:, 0], (SIZE, SIZE))
    mask[rr, cc] = True
    return mask


def arc(p, q, outward, depth, n=24):
    """Quadratic bulge from p to q whose middle lies `depth` beyond the chord along `outward`."""
    control = 0.5 * (p + q) + 2.0 * depth * outward
    t = np.linspace(0.0, 1.0, n)[:, None]
    return (1 - t) ** 2 * p + 2 * (1 - t) * t * control + t**2 * q


def build_spine(spec):
    """Chains the bodies top to bottom; returns label map and the disc frames for the image."""
    bodies = spec["bodies"]  # (tilt, half_w, half_h, radius, concavity) for L1..L5, then S1
    gaps = spec["gaps"]  # disc height at the centre, L1/L2 .. L5/S1
    centres = [np.array(spec["l1_centre"], float)]
    for k in range(5):
        tilt, _, half_h, _, _ = bodies[k]
        ntilt, _, nhalf_h, _, _ = bodies[k + 1]
        _, ev = axes(tilt)
        _, nev = axes(ntilt)
        _, mid = axes(0.5 * (tilt + ntilt))
        centres.append(centres[k] + half_h * ev + gaps[k] * mid + nhalf_h * nev)
    labels = np.zeros((SIZE, SIZE), np.uint8)
    body_masks = []
    for k, (tilt, half_w, half_h, radius, concavity) in enumerate(bodies):
        body_masks.append(body_mask(centres[k], tilt, half_w, half_h, radius, concavity))
    discs = []
    for k in range(5):
        tilt, half_w, half_h, _, concavity = bodies[k]
        ntilt, nhalf_w, nhalf_h, _, nconcavity = bodies[k + 1]
        eu, ev = axes(tilt)
        neu, nev = axes(ntilt)
        a1 = centres[k] - half_w * eu + half_h * ev  # upper body, lower anterior corner
        p1 = centres[k] + half_w * eu + half_h * ev
        a2 = centres[k + 1] - nhalf_w * neu - nhalf_h * nev  # lower body, upper anterior corner
        p2 = centres[k + 1] + nhalf_w * neu - nhalf_h * nev
        d1, d2 = concavity + 3.0, nconcavity + 3.0
        _, mid_ev = axes(0.5 * (tilt + ntilt))
        mid_eu = np.array([mid_ev[1], -mid_ev[0]])
        bulge_a, bulge_p = spec["bulges"][k]
        outline = [a1 - d1 * ev, p1 - d1 * ev]
        outline += list(arc(p1, p2, mid_eu, bulge_p))
        outline += [p2 + d2 * nev, a2 + d2 * nev]
        outline += list(arc(a2, a1, -mid_eu, bulge_a))
        disc = fill(outline) & ~body_masks[k] & ~body_masks[k + 1]
        centre = 0.25 * (a1 + p1 + a2 + p2)
        discs.append((disc, centre, 0.5 * (tilt + ntilt), 0.5 * np.linalg.norm(p1 - a1 + p2 - a2)))
    for k, mask in enumerate(body_masks):
        labels[mask] = 2 + 2 * k
    for k, (disc, _, _, _) in enumerate(discs):
        labels[disc & (labels == 0)] = 3 + 2 * k
    # CSF: a band behind the posterior walls, from the top of the image to the sacrum.
    inner, outer = [], []
    for k, (tilt, half_w, half_h, _, _) in enumerate(bodies[:6]):
        eu, ev = axes(tilt)
        for s in (-1.0, 1.0):
            wall = centres[k] + half_w * eu + s * 0.8 * half_h * ev
            inner.append(wall + spec["csf"][0] * eu)
            outer.append(wall + spec["csf"][1] * eu)
    inner.insert(0, np.array([inner[0][0], 0.0]))
    outer.insert(0, np.array([outer[0][0], 0.0]))
    csf = fill(inner + outer[::-1])
    labels[csf & (labels == 0)] = 1
    # Presacral fat: an ellipse in front of the sacrum.
    tilt, half_w, half_h, _, _ = bodies[5]
    eu, ev = axes(tilt)
    centre = centres[5] - (half_w + spec["fat"][0]) * eu + 0.3 * half_h * ev
    h, w = np.mgrid[0:SIZE, 0:SIZE].astype(float)
    dx, dy = w - centre[0], h - centre[1]
    u, v = dx * eu[0] + dy * eu[1], dx * ev[0] + dy * ev[1]
    fat = (u / spec["fat"][1]) ** 2 + (v / spec["fat"][2]) ** 2 <= 1.0
    labels[fat & (labels == 0)] = 13
    return labels, discs


def t2_image(labels, discs, spec, seed):
    """T2-like grey values: noisy discs (bright nucleus in a darker annulus), bright CSF and fat."""
    rng = np.random.default_rng(seed)
    image = np.full((SIZE, SIZE), 22.0)
    h_index = np.mgrid[0:SIZE, 0:SIZE][0]
    for lab in range(2, 13, 2):
        image[labels == lab] = 96.0 if lab < 12 else 88.0
    image[labels == 1] = (218 + (h_index // 48) % 9)[labels == 1]  # CSF: bands of 48 rows
    image[labels == 13] = 205.0
    h, w = np.mgrid[0:SIZE, 0:SIZE].astype(float)
    for k, (disc, centre, tilt, half_w) in enumerate(discs):
        eu, ev = axes(tilt)
        dx, dy = w - centre[0], h - centre[1]
        u, v = dx * eu[0] + dy * eu[1], dx * ev[0] + dy * ev[1]
        nucleus_value, nucleus_frac = spec["nucleus"][k]
        r = (u / (nucleus_frac * half_w)) ** 2 + (v / (0.35 * spec["gaps"][k])) ** 2
        region = labels == 3 + 2 * k
        value = np.where(r <= 1.0, nucleus_value, np.where(r <= 1.6, 0.5 * (nucleus_value + 68.0), 68.0))
        image[region] = value[region]
    noisy = (labels % 2 == 1) & (labels >= 3) & (labels <= 11)  # the discs
    image[noisy] += rng.normal(0.0, spec["noise"], int(noisy.sum()))
    for k in spec.get("split", []):
        # Two values on exactly half the pixels each (raster order): the mode and the histogram
        # maximum then differ (first met vs lowest value).
        rows, cols = np.nonzero(labels == 3 + 2 * k)
        assert rows.size % 2 == 0
        image[rows[: rows.size // 2], cols[: rows.size // 2]] = 150.0
        image[rows[rows.size // 2 :], cols[rows.size // 2 :]] = 90.0
    return np.clip(np.round(image), 0, 255).astype(np.uint8)


CASES = {
    # Healthy lordotic lumbar spine, rounded bodies with concave endplates, bulging discs.
    "lordotic_healthy": dict(
        l1_centre=(262.0, 58.0),
        bodies=[(5, 27, 19, 5, 1.5), (3, 28, 20, 5, 1.5), (0, 29, 20, 6, 2.0), (-6, 30, 20, 6, 2.0),
                (-14, 30, 19, 5, 1.5), (-27, 31, 26, 6, 1.0)],
        gaps=[11.0, 12.0, 13.0, 14.0, 12.5],
        bulges=[(2.0, 2.5), (2.5, 3.0), (3.0, 3.0), (3.5, 4.0), (3.0, 3.5)],
        csf=(7.0, 21.0), fat=(24.0, 16.0, 28.0),
        nucleus=[(196, 0.55), (192, 0.55), (188, 0.5), (184, 0.5), (180, 0.45)], noise=5.0),
    # Axis-aligned sharp rectangles and rectangular discs: every index is known by hand once the
    # corners are known (the detector puts them 3 pixels inside each 90-degree corner). The
    # untilted sacrum trips calcu_HV_S1's ordering: its "upper posterior" corner is the lower
    # anterior one (the sacrum rule expects a sacrum tilted forward), so L5/S1 is skewed.
    "flat_rectangles": dict(
        l1_centre=(256.0, 60.0),
        bodies=[(0, 28, 20, 0, 0.0)] * 5 + [(0, 30, 24, 0, 0.0)],
        gaps=[12.0, 12.0, 14.0, 14.0, 12.0],
        bulges=[(0.0, 0.0)] * 5,
        csf=(6.0, 20.0), fat=(22.0, 14.0, 22.0),
        nucleus=[(190, 0.5), (255, 0.6), (190, 0.5), (190, 0.5), (190, 0.5)], noise=4.0,
        split=[0]),  # L1/L2: a tie for the mode; L2/L3: a saturated nucleus (255 is out of calcHist)
    # Strongly tilted spine, asymmetric bodies, two narrowed dark (degenerated) lower discs.
    "tilted_degenerate": dict(
        l1_centre=(250.0, 62.0),
        bodies=[(12, 26, 19, 4, 1.0), (9, 27, 19, 7, 2.5), (4, 29, 20, 3, 1.0), (-7, 30, 21, 8, 2.5),
                (-16, 31, 18, 5, 1.5), (-27, 30, 27, 5, 1.0)],
        gaps=[10.5, 11.5, 12.0, 7.5, 6.5],
        bulges=[(2.0, 2.0), (2.5, 3.0), (3.5, 4.5), (5.0, 3.5), (5.5, 3.0)],
        csf=(8.0, 22.0), fat=(26.0, 18.0, 30.0),
        nucleus=[(190, 0.5), (170, 0.5), (140, 0.45), (104, 0.35), (92, 0.3)], noise=6.0),
    # Strongly rounded bodies (corner radius about a third of the height), as on real images.
    "rounded_bodies": dict(
        l1_centre=(270.0, 64.0),
        bodies=[(2, 26, 18, 9, 2.0), (0, 27, 19, 10, 2.0), (-3, 28, 19, 11, 2.5), (-8, 29, 20, 10, 2.5),
                (-15, 30, 19, 9, 2.0), (-29, 30, 25, 10, 1.0)],
        gaps=[12.0, 13.0, 14.0, 14.5, 12.0],
        bulges=[(3.0, 3.0), (3.0, 3.5), (3.5, 3.5), (4.0, 4.5), (4.0, 4.0)],
        csf=(7.0, 20.0), fat=(24.0, 15.0, 26.0),
        nucleus=[(200, 0.6), (196, 0.6), (178, 0.5), (150, 0.45), (186, 0.5)], noise=7.0),
}


# ---------------------------------------------------------------------------------------------
# Independent re-implementation of the two OpenCV/histogram steps (the specification).
def _reflect101(index, n):
    index = np.abs(index)
    return np.where(index > n - 1, 2 * (n - 1) - index, index)


def spec_min_eigen(mask):
    """cv2.cornerMinEigenVal(mask as float32, blockSize 9, ksize 3), float32 step by step."""
    img = mask.astype(np.float32)
    n_h, n_w = img.shape
    f = np.float32(1.0 / 36.0)  # Sobel scale 1 / (2^(3-1) * 9), folded into the smoothing taps
    rows = _reflect101(np.arange(-1, n_h + 1), n_h)
    cols = _reflect101(np.arange(-1, n_w + 1), n_w)
    p = img[np.ix_(rows, cols)]  # padded by one, reflect-101
    # d/dx: [-1 0 1] along the row (exact), then [1 2 1]*f down the column: one rounding.
    diff_x = p[:, 2:] - p[:, :-2]
    jx = diff_x[:-2, :] + 2 * diff_x[1:-1, :] + diff_x[2:, :]
    dx = (jx.astype(np.float32) * f).astype(np.float32)
    # d/dy: [1 2 1]*f along the row (one rounding), then [-1 0 1] down the column (one rounding).
    smooth = (p[:, :-2] + 2 * p[:, 1:-1] + p[:, 2:]).astype(np.float32) * f
    dy = (smooth[2:, :] - smooth[:-2, :]).astype(np.float32)
    cov = [dx * dx, dx * dy, dy * dy]  # float32 products
    rows = _reflect101(np.arange(-4, n_h + 4), n_h)
    cols = _reflect101(np.arange(-4, n_w + 4), n_w)
    box = []
    for c in cov:
        q = c.astype(np.float64)[np.ix_(rows, cols)]
        s = np.cumsum(np.cumsum(np.pad(q, ((1, 0), (1, 0))), axis=0), axis=1)
        box.append((s[9:, 9:] - s[:-9, 9:] - s[9:, :-9] + s[:-9, :-9]).astype(np.float32))
    a = box[0] * np.float32(0.5)
    b = box[1]
    c = box[2] * np.float32(0.5)
    t = a - c
    root = np.sqrt((b * b + t * t).astype(np.float32)).astype(np.float32)
    return ((a + c) - root).astype(np.float32)


def spec_corners(mask):
    """cv2.goodFeaturesToTrack(mask, 4, 0.01, 21, blockSize=9): (row, column) list, strongest first."""
    eig = spec_min_eigen(mask)
    threshold = np.float32(float(eig.max()) * 0.01)
    eig = np.where(eig > threshold, eig, np.float32(0))
    padded = np.pad(eig, 1, constant_values=-np.inf)
    local_max = np.max([padded[i : i + SIZE, j : j + SIZE] for i in range(3) for j in range(3)], axis=0)
    candidates = [(float(eig[y, x]), y * SIZE + x) for y in range(1, SIZE - 1) for x in range(1, SIZE - 1)
                  if eig[y, x] != 0 and eig[y, x] == local_max[y, x]]
    candidates.sort(key=lambda item: (-item[0], -item[1]))  # ties: later in raster order first
    chosen = []
    for _, index in candidates:
        y, x = divmod(index, SIZE)
        if all((x - cx) ** 2 + (y - cy) ** 2 >= 21 * 21 for cy, cx in chosen):
            chosen.append((y, x))
            if len(chosen) == 4:
                break
    return chosen


def spec_order(found, sacrum):
    """Corners (row, column), strongest first, into upper-ant, upper-post, lower-ant, lower-post."""
    sums = [h + w for h, w in found]
    first = found[sums.index(min(sums))]
    last = found[sums.index(max(sums))]
    rest = [p for p in found if p != first and p != last]
    key = (lambda p: p[0] + p[1]) if sacrum else (lambda p: p[0])
    lower, upper = (rest[0], rest[1]) if key(rest[0]) > key(rest[1]) else (rest[1], rest[0])
    order = [first, upper, lower, last]
    if order[1][1] < order[0][1]:
        order[0], order[1] = order[1], order[0]
    if order[3][1] < order[2][1]:
        order[2], order[3] = order[3], order[2]
    return order


def spec_cut_points(ant, post):
    """The four corners of the central 80 % (truncated toward zero), lu, ld, ru, rd."""
    ch, cw = (ant[0] + post[0]) / 2, (ant[1] + post[1]) / 2
    dh, dw = abs(ant[0] - post[0]), abs(ant[1] - post[1])
    if ant[0] < post[0]:
        pts = [(ch - 0.4 * dh - 0.375 * dw, cw - 0.4 * dw + 0.375 * dh),
               (ch - 0.4 * dh + 0.375 * dw, cw - 0.4 * dw - 0.375 * dh),
               (ch + 0.4 * dh - 0.375 * dw, cw + 0.4 * dw + 0.375 * dh),
               (ch + 0.4 * dh + 0.375 * dw, cw + 0.4 * dw - 0.375 * dh)]
    else:
        pts = [(ch + 0.4 * dh - 0.375 * dw, cw - 0.4 * dw - 0.375 * dh),
               (ch + 0.4 * dh + 0.375 * dw, cw - 0.4 * dw + 0.375 * dh),
               (ch - 0.4 * dh - 0.375 * dw, cw + 0.4 * dw - 0.375 * dh),
               (ch - 0.4 * dh + 0.375 * dw, cw + 0.4 * dw + 0.375 * dh)]
    return [(int(h), int(w)) for h, w in pts]


def spec_line_columns(top, bottom):
    """Column of the cut line on rows top.h .. bottom.h - 1 (round half to even)."""
    (h0, w0), (h1, w1) = top, bottom
    if w0 == w1:
        return [(j, w0) for j in range(h0, h1)]
    m = (h1 - h0) / (w1 - w0)
    b = h0 - m * w0
    return [(j, round((j - b) / m)) for j in range(h0, h1)]


def spec_central_area(disc, cut):
    kept = disc.copy()
    for j, w in spec_line_columns(cut[0], cut[1]):
        kept[j, : max(w, 0)] = False
    for j, w in spec_line_columns(cut[2], cut[3]):
        kept[j, w:] = False
    return int(kept.sum())


def spec_walk(disc, ant, post):
    """End points of the walk along the mid-point line, anterior and posterior."""
    h0, w0, h1, w1 = int(ant[0]), int(ant[1]), int(post[0]), int(post[1])
    if h0 == h1:
        row = lambda s: h1  # noqa: E731
    else:
        m = (post[0] - ant[0]) / (post[1] - ant[1])
        b = ant[0] - m * ant[1]
        row = lambda s: int(m * s + b)  # noqa: E731
    s = next(s for s in range(w1, SIZE) if not disc[row(s), s])
    t = next(t for t in range(w0, 0, -1) if not disc[row(t), t])
    return (row(t + 1), t + 1), (row(s - 1), s - 1)


def spec_peaks(values):
    """Mode (first value to reach the top count in raster order), histogram argmax, second peak."""
    counts = Counter(values)
    top = max(counts.values())
    mode = next(v for v in values if counts[v] == top)
    hist = np.bincount(np.asarray(values, np.int64), minlength=256)[:256].astype(np.float32)
    hist[255] = 0  # calcHist range [0, 255) drops the value 255
    first = int(np.argmax(hist))
    weight = (np.abs(np.arange(256) - first * 0.95) * hist).astype(np.float32)
    return int(mode), first, int(np.argmax(weight))


# ---------------------------------------------------------------------------------------------
def rle(array):
    flat = np.ascontiguousarray(array).ravel(order="C")  # axis 0 (column) fastest
    change = np.flatnonzero(np.diff(flat)) + 1
    starts = np.concatenate(([0], change))
    lengths = np.diff(np.concatenate((starts, [flat.size])))
    return " ".join(f"{int(flat[s])} {int(n)}" for s, n in zip(starts, lengths))


def num(x):
    return repr(float(x))


def run_case(name, spec, seed, dhi_mod, sig_mod, opt_mod):
    labels, discs = build_spine(spec)
    image = t2_image(labels, discs, spec, seed)
    output = np.stack([(labels == c).astype(np.float32) for c in range(14)])
    output[0] = (labels == 0).astype(np.float32)
    with contextlib.redirect_stdout(sys.stderr):
        output = opt_mod.seg_opt(output)
    after = np.zeros((SIZE, SIZE), np.uint8)
    for c in range(1, 14):
        assert not np.any((output[c] == 1) & (after != 0)), "seg_opt made channels overlap"
        after[output[c] == 1] = c
        assert np.all((output[c] == 0) | (output[c] == 1))
    changed = int(np.sum(after != labels))
    bgr = cv2.merge([image, image, image])
    assert np.array_equal(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), image)

    with contextlib.redirect_stdout(sys.stderr):
        dhi, dwr, dh, hv, *_ = dhi_mod.calcu_DHI(output.copy())
        si_big, dsi = sig_mod.calcu_Sigs(bgr.copy(), output.copy())
        # The same steps one by one, as calcu_DHI calls them, to expose the intermediate values.
        corners, hvs = [], []
        for k in range(6):
            channel = output[2 + 2 * k]
            hv_fn = dhi_mod.calcu_HV if k < 5 else dhi_mod.calcu_HV_S1
            value, ph, pw = hv_fn(channel)
            hvs.append(value)
            corners.append((np.asarray(ph), np.asarray(pw)))
        widths = []
        for k in range(5):
            disc = output[3 + 2 * k]
            (uh, uw), (lh, lw) = corners[k], corners[k + 1]
            small, big, cut = dhi_mod.calcu_WD(disc, uh, uw, lh, lw)
            height = dhi_mod.calcu_HD(disc, cut[0], cut[1], cut[2], cut[3], small)
            widths.append((small, big, cut, height))

    print(f"case {name}")
    print(f"shape {SIZE} {SIZE}")
    print(f"seg_opt_changed_pixels {changed}")
    print("labels " + rle(after))
    print("image " + rle(image))
    names = LEVELS + ["S1"]
    for k in range(6):
        ph, pw = corners[k]
        channel = output[2 + 2 * k]
        area = int(channel.sum())
        up = math.hypot(ph[0] - ph[1], pw[0] - pw[1])
        down = math.hypot(ph[2] - ph[3], pw[2] - pw[3])
        assert hvs[k] == area / ((up + down) / 2.0)
        assert k == 5 or hvs[k] == hv[k]
        eig = cv2.cornerMinEigenVal(channel, 9, 3)
        mine = spec_min_eigen(channel == 1)
        assert np.array_equal(eig, mine), f"{name} {names[k]}: cornerMinEigenVal differs from the spec"
        cv_found = cv2.goodFeaturesToTrack(channel, 4, 0.01, 21, blockSize=9)
        cv_found = [(int(y), int(x)) for x, y in np.squeeze(cv_found)]
        assert cv_found == spec_corners(channel == 1), f"{name} {names[k]}: corners differ from the spec"
        assert spec_order(cv_found, k == 5) == list(zip(ph.tolist(), pw.tolist()))
        fields = " ".join(f"{int(ph[i])} {int(pw[i])}" for i in range(4))
        strengths = " ".join(num(eig[ph[i], pw[i]]) for i in range(4))
        print(f"body {names[k]} {fields} area {area} top {num(up)} bottom {num(down)} hv {num(hvs[k])} "
              f"eig {strengths}")
    pixel_values = sig_mod.get_pixel_value(bgr.copy(), output.copy())
    peaks = [spec_peaks([int(v) for v in region]) for region in pixel_values]
    csf_mode = peaks[0][0]
    for k in range(5):
        small, big, cut, height = widths[k]
        (uh, uw), (lh, lw) = corners[k], corners[k + 1]
        ant = ((uh[2] + lh[0]) / 2.0, (uw[2] + lw[0]) / 2.0)
        post = ((uh[3] + lh[1]) / 2.0, (uw[3] + lw[1]) / 2.0)
        assert height == dh[k] and big > 0
        assert small == math.hypot(post[0] - ant[0], post[1] - ant[1])
        assert [tuple(int(v) for v in p) for p in cut] == spec_cut_points(ant, post)
        disc = output[3 + 2 * k] == 1
        area = spec_central_area(disc, spec_cut_points(ant, post))
        assert height == area / small
        end_ant, end_post = spec_walk(disc, ant, post)
        assert big == math.hypot(end_post[0] - end_ant[0], end_post[1] - end_ant[1])
        expected_dhi = dh[k] / hv[4] if k == 4 else 2 * dh[k] / (hv[k] + hv[k + 1])
        assert dhi[k] == expected_dhi and dwr[k] == dh[k] / big
        cuts = " ".join(f"{int(p[0])} {int(p[1])}" for p in cut)
        print(f"disc {DISCS[k]} ant {num(ant[0])} {num(ant[1])} post {num(post[0])} {num(post[1])} "
              f"small_wd {num(small)} big_wd {num(big)} walk {end_ant[0]} {end_ant[1]} {end_post[0]} "
              f"{end_post[1]} cut {cuts} central_area {area} "
              f"dh {num(dh[k])} dhi {num(dhi[k])} dwr {num(dwr[k])}")
    for k in range(5):
        mode, first, second = peaks[k + 1]
        diff = abs(mode - second)
        assert abs(dsi[k] - diff * 255 / csf_mode) < 1e-9
        assert si_big[k] == (mode if mode - second > 0 else second)
        print(f"si {DISCS[k]} mode {mode} first_peak {first} second_peak {second} diff {diff} "
              f"dsi {num(dsi[k])} si_disc {int(si_big[k])}")
    assert si_big[5] == csf_mode and si_big[6] == peaks[6][0]
    print(f"ref CSF mode {csf_mode}")
    print(f"ref fat mode {peaks[6][0]}")
    print("end")


# ---------------------------------------------------------------------------------------------
# Normative baselines.
PERCENTILES = (2.5, 5, 10, 25, 50, 75, 90, 95, 97.5)
AGES = ("20-30", "30-40", "40-50", "50-60", "60-70", "70-90")


def summary(values):
    v = np.asarray(values, float)
    stats = [v.size, v.mean(), v.std(ddof=1)] + list(np.percentile(v, PERCENTILES))
    return f"{v.size} " + " ".join(f"{x:.6g}" for x in stats[1:])


def read_sheet(path):
    import openpyxl

    sheet = openpyxl.load_workbook(path, read_only=True, data_only=True).worksheets[0]
    return [row for row in sheet.iter_rows(values_only=True)]


def baselines(root):
    import re

    source = os.path.join("function", "quantitative_analysis.py")
    print("# BianqueNet's normative baselines, extracted by tests/golden/make_bianquenet_golden.py "
          "--baselines (see its docstring)")
    print("# Source: github.com/no-saint-no-angel/BianqueNet commit 36e487c8 (2022-05-22), no licence: "
          "numbers only, as facts, with their place; Zheng et al., Nat. Commun. 13, 841 (2022), "
          "doi:10.1038/s41467-022-28387-5")
    print("# Units: DH in pixels of BianqueNet's 512 x 512 mid-sagittal image (no mm anywhere in the "
          "code); DHI, DWR (the paper's HDR) and dSI (0-255 scale, CSF mode = 255) are ratios.")
    print("# Levels: five values = L1/L2, L2/L3, L3/L4, L4/L5, L5/S1. SI grades: modified Pfirrmann "
          "1, 2, 3, 4, 5-8 (paper Table 7).")
    print("#")
    print("# 1. Constants of function/quantitative_analysis.py: const NAME FILE:LINE values...")
    print("#    Used by quantitative_analysis(): SI grade = signal_fenji(dSI) (nearest of SI_mean by")
    print("#    |dSI - mean| / sd among the two nearest means, >SI_mean[0] -> 1, <SI_mean[4] -> 5);")
    print("#    SI and DHI and DWR deviations are z = (x - mean) / sd; DH deviation is x / mean - 1.")
    print("#    The code applies the *_male_* arrays when sex_input == 0 and *_female_* otherwise;")
    print("#    the population tables below label sex folder 0 'female' and folder 1 'male'.")
    with open(os.path.join(root, source), encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            match = re.match(r"^(\w+) = np\.array\(\[([^\]]*)\]\)", line)
            if match:
                values = " ".join(v.strip() for v in match.group(2).split(","))
                print(f"const {match.group(1)} {source}:{number} {values}")
    print("#")
    print("# 2. Population tables (one value per disc; 485-763 discs per level, from data set C's 1051")
    print("#    subjects; which discs were kept is not documented), summarised here:")
    print("#    dist METRIC LEVEL SEX AGE n mean sd p2.5 p5 p10 p25 p50 p75 p90 p95 p97.5")
    print("#    (sd with ddof 1, percentiles numpy-linear). METRIC DH, DHI, DWR from")
    print("#    input/baseline_range/METRIC/S/METRIC_LEVEL_trend.xlsx, S = 0 (rows say 'female') or")
    print("#    1 ('male'), the files its plotting code (shiyan_jihe_signal_mean_std_plot_function.py)")
    print("#    reads for sex S; SI from input/baseline_range/SI/SI_LEVEL_trend.xlsx (no sex: 'any').")
    print("#    AGE 'all' pools the age groups. Numbers stored as text in some sheets are read as numbers.")
    levels = ["L1L2", "L2L3", "L3L4", "L4L5", "L5S1"]
    base = os.path.join(root, "input", "baseline_range")
    for metric in ("DH", "DHI", "DWR"):
        for level in levels:
            for folder in ("0", "1"):
                rows = read_sheet(os.path.join(base, metric, folder, f"{metric}_{level}_trend.xlsx"))
                by_age, sexes = {}, set()
                for row in rows[2:]:
                    if row[1] is None:
                        continue
                    by_age.setdefault(row[2], []).append(float(row[1]))
                    sexes.add(row[3])
                assert len(sexes) == 1 and set(by_age) == set(AGES)
                sex = f"{sexes.pop()}({folder})"
                name = f"{level[:2]}/{level[2:]}"
                for age in AGES:
                    print(f"dist {metric} {name} {sex} {age} {summary(by_age[age])}")
                print(f"dist {metric} {name} {sex} all {summary(sum(by_age.values(), []))}")
    for level in levels:
        rows = read_sheet(os.path.join(base, "SI", f"SI_{level}_trend.xlsx"))
        by_age = {}
        for row in rows[1:]:
            if row[1] is not None:
                by_age.setdefault(row[0], []).append(float(row[1]))
        assert set(by_age) == set(AGES)
        name = f"{level[:2]}/{level[2:]}"
        for age in AGES:
            print(f"dist SI {name} any {age} {summary(by_age[age])}")
        print(f"dist SI {name} any all {summary(sum(by_age.values(), []))}")
    print("#")
    print("# 3. dSI by modified Pfirrmann grade: input/baseline_range/SI/SI.xlsx, sheet SI_trend")
    print("#    (columns location, grade, SI; the same values repeated for each of the five locations,")
    print("#    so summarised once): grade G n mean sd p2.5 ... p97.5. Paper Table 7 gives")
    print("#    121.97+-9.96, 95.34+-7.20, 72.34+-7.81, 44.63+-8.49, 20.60+-9.28 (n 154 ... 1034).")
    rows = read_sheet(os.path.join(base, "SI", "SI.xlsx"))[1:]
    by = {}
    for location, grade, value in rows:
        by.setdefault((location, grade), []).append(float(value))
    for grade in range(1, 6):
        first = by[("L1L2", grade)]
        assert all(by[(level, grade)] == first for level in levels)
        print(f"grade {grade} {summary(first)}")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--baselines":
        baselines(os.path.abspath(sys.argv[2]))
        return
    if len(sys.argv) != 2:
        sys.exit("usage: make_bianquenet_golden.py [--baselines] /path/to/BianqueNet")
    root = os.path.abspath(sys.argv[1])
    sys.path.insert(0, root)
    import warnings

    warnings.filterwarnings("ignore", category=DeprecationWarning)  # np.int0, np.mat in numpy 1.24
    dhi_mod = importlib.import_module("function.calcu_DHI_512")
    sig_mod = importlib.import_module("function.calcu_signal_strength")
    opt_mod = importlib.import_module("function.segmentation_optimization")
    print("# BianqueNet golden values: tests/golden/make_bianquenet_golden.py (format in its docstring)")
    print(f"# BianqueNet functions from {os.path.basename(root)} "
          f"(github.com/no-saint-no-angel/BianqueNet), run with OpenCV {cv2.__version__}, "
          f"numpy {np.__version__}")
    for seed, (name, spec) in enumerate(CASES.items()):
        run_case(name, spec, 20260 + seed, dhi_mod, sig_mod, opt_mod)


if __name__ == "__main__":
    main()
