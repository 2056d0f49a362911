# SPDX-License-Identifier: MIT
"""discgeom from Python: the geometry of segmented spine MRI at C++ speed, on numpy arrays
viewed in place (never copied), with the discgeom program's column names.

    import discgeom, nibabel
    img = nibabel.load("case.nii.gz")
    table = discgeom.discs(img)                               # dict of numpy columns
    scores = discgeom.overlap(reference_img, prediction_img, convention="monai")

Array axis d of a numpy array is discgeom's array axis d (nibabel's i, j, k; ITK's index order).
Geometry is LPS, as ITK reads it: a nibabel (RAS) affine has the signs of its first two rows
flipped (geometry_from_nibabel). See docs/python.md.
"""

import concurrent.futures as _futures
import os as _os
import re as _re
import warnings as _warnings

import numpy as _np

from . import _discgeom
from ._discgeom import (  # noqa: F401  (the public names)
    Error,
    Geometry,
    InternalError,
    IoError,
    NumericalError,
    PreconditionError,
)

__all__ = [
    "Error", "PreconditionError", "IoError", "NumericalError", "InternalError", "Geometry",
    "geometry_from_nibabel", "from_nibabel", "discs", "overlap", "evaluate",
    "connected_components", "keep_largest_component", "remove_small_components", "fill_holes",
    "postprocess",
    "shape", "muscles", "indices", "agree", "traverse", "correlate", "correlation_matrix", "batch",
    "CONVENTIONS",
]

#: The conventions of overlap(), as `discgeom overlap --convention`.
CONVENTIONS = ("discgeom", "monai", "deepmind", "medpy", "plastimatch", "spider-challenge")

_RAS_TO_LPS = _np.diag([-1.0, -1.0, 1.0])


def _is_nibabel_image(obj):
    return hasattr(obj, "affine") and hasattr(obj, "dataobj")


def geometry_from_nibabel(img):
    """The Geometry of a nibabel image, in LPS as ITK (and the discgeom program) reads the file.

    nibabel's affine (img.affine: the sform when its code is set, else the qform) maps (i, j, k)
    to RAS+ mm; ITK's geometry is LPS, so the first two rows of the affine change sign:
    LPS = diag(-1, -1, 1) @ affine. Then, as ITK's NIfTI reader: spacing is the header's pixdim
    (nibabel's zooms; the norms of the affine's columns when the header has none), direction
    column c is column c of the flipped 3x3 part divided by its norm, origin the flipped
    translation. On the SPIDER-like phantoms of `discgeom phantom` this gives the program's
    numbers to the last bit.
    """
    affine = _np.asarray(img.affine, dtype=float)
    if affine.shape != (4, 4):
        raise ValueError(
            f"geometry_from_nibabel(): the affine has shape {affine.shape}, not (4, 4)")
    linear = _RAS_TO_LPS @ affine[:3, :3]
    norms = _np.linalg.norm(linear, axis=0)
    if not _np.all(_np.isfinite(norms)) or _np.any(norms <= 0):
        raise PreconditionError(
            f"geometry_from_nibabel(): the affine's columns have norms {norms.tolist()}; "
            "spacing must be finite and > 0")
    spacing = norms
    header = getattr(img, "header", None)
    if header is not None and hasattr(header, "get_zooms"):
        zooms = tuple(float(z) for z in header.get_zooms()[:3])
        if len(zooms) == 3 and all(_np.isfinite(z) and z > 0 for z in zooms):
            spacing = _np.array(zooms)
    direction = linear / norms
    origin = _RAS_TO_LPS @ affine[:3, 3]
    return Geometry(spacing=spacing.tolist(), origin=origin.tolist(), direction=direction)


def from_nibabel(img):
    """(array, Geometry) of a nibabel image: np.asanyarray(img.dataobj), which is the image's own
    array when it is in memory (no copy) and the file's voxels, read once, when it is a proxy; a
    trailing axis of length 1 (x, y, z, 1) is dropped as a view."""
    array = _np.asanyarray(img.dataobj)
    if array.ndim == 4 and array.shape[3] == 1:
        array = array[..., 0]
    return array, geometry_from_nibabel(img)


def _resolve(function, arrays, geometry, spacing, origin, direction, required=True):
    """The arrays (nibabel images read as views) and the Geometry of one call."""
    arrays = list(arrays)
    from_image = None
    for n, a in enumerate(arrays):
        if _is_nibabel_image(a):
            arrays[n], g = from_nibabel(a)
            if from_image is None:
                from_image = g
    loose = spacing is not None or origin is not None or direction is not None
    if geometry is not None and loose:
        raise ValueError(f"{function}(): give geometry= or spacing=/origin=/direction=, not both")
    if _is_nibabel_image(geometry):
        geometry = geometry_from_nibabel(geometry)
    elif geometry is not None and not isinstance(geometry, Geometry):
        raise TypeError(f"{function}(): geometry must be a discgeom.Geometry or a nibabel image, "
                        f"not {type(geometry).__name__}")
    if loose:
        ndim = getattr(arrays[0], "ndim", 3)
        default = 3 if ndim != 2 else 2
        for name, value in (("spacing", spacing), ("origin", origin)):
            if value is not None and ndim == 3 and len(value) != 3:
                raise ValueError(f"{function}(): {name} has {len(value)} values; a 3D array "
                                 "needs 3")
        geometry = Geometry(
            spacing=(1.0,) * default if spacing is None else spacing,
            origin=(0.0,) * default if origin is None else origin,
            direction=direction)
    if geometry is None:
        geometry = from_image
    if geometry is None and required:
        raise ValueError(
            f"{function}(): no geometry: give geometry= (a discgeom.Geometry or a nibabel image), "
            "spacing= (mm per array axis), or a nibabel image as the labels")
    for n, a in enumerate(arrays):
        if not isinstance(a, _np.ndarray):
            raise TypeError(f"{function}(): argument {n + 1} must be a numpy array or a nibabel "
                            f"image, not {type(a).__name__}")
    return arrays, geometry


def discs(labels, geometry=None, *, spacing=None, origin=None, direction=None,
          convention="discgeom", scheme="spider", lowest_level="L5/S1", min_voxels=None,
          largest_component=False, case=None):
    """The table of `discgeom discs`: one row per disc, lowest first, as a dict of numpy columns.

    labels: a 3D (or 2D: one slice) label map of any integer, bool or float dtype (floats must
    hold whole numbers), or a nibabel image. convention: "discgeom" (mm; docs/geometry.md) or
    "perrone" (Perrone et al.'s released code, its columns and units). scheme: "spider"
    (201-225), "ordinal" (1, 2, ... from the lowest disc) or "components". case: when given, a
    first column "case" holding it (as the program's file stem). Discs of implausible size for
    the geometry (a header's wrong spacing or axes) give a UserWarning with the spacing or
    orientation they suggest, as the program warns on stderr.
    """
    (labels,), geometry = _resolve("discs", [labels], geometry, spacing, origin, direction)
    table, warning = _discgeom.discs(labels, geometry, convention, scheme, lowest_level,
                                     min_voxels, bool(largest_component))
    if warning:
        _warnings.warn("discgeom discs: " + warning, stacklevel=2)
    return _with_case(table, case)


def overlap(reference, prediction, geometry=None, *, spacing=None, origin=None, direction=None,
            convention="discgeom", labels=None, tolerance_mm=None, percentile=None, match=False,
            min_dice=None, challenge_spacing=None, case=None):
    """The table of `discgeom overlap` for one pair: one row per label (dice, iou, precision,
    recall, hd_mm, hd95_mm, assd_mm, masd_mm, nsd, status ...), or with
    convention="spider-challenge" one row of the challenge's ten scores.

    reference, prediction: label maps of one shape and one dtype (or nibabel images); the
    geometry defaults to the reference image's. convention: one of CONVENTIONS. tolerance_mm and
    percentile default to the program's (--tolerance-mm, --percentile). match / min_dice add
    matched_label, matched_dice and detected. Infinite distances stay inf (the CSV's empty cell).
    """
    (reference, prediction), geometry = _resolve("overlap", [reference, prediction], geometry,
                                                 spacing, origin, direction)
    if reference.shape != prediction.shape:
        raise PreconditionError(
            f"overlap(): reference and prediction differ in shape: reference "
            f"{list(reference.shape)} vs prediction {list(prediction.shape)}")
    table = _discgeom.overlap(reference, prediction, geometry, convention,
                              [] if labels is None else [int(v) for v in labels], tolerance_mm,
                              percentile, bool(match), min_dice, challenge_spacing)
    return _with_case(table, case)


#: The program has one command, `overlap`, for what other tools call evaluation: an alias.
evaluate = overlap


def connected_components(labels, geometry=None, *, spacing=None, origin=None, direction=None,
                         connectivity=None):
    """(ids, columns) of the connected components of every label in one pass.

    ids: uint32 array of the labels' shape (Fortran order, owned by numpy, 0 = background),
    components numbered 1, 2, ... by first voxel with axis 0 fastest. columns: id, label, voxels,
    volume_mm3, centroid_x/y/z_mm (LPS), lower_i/j/k and upper_i/j/k (inclusive index bounds).
    connectivity: 6, 18 or 26 (default) in 3D; 4 or 8 (default) for a 2D slice.
    """
    (labels,), geometry = _resolve("connected_components", [labels], geometry, spacing, origin,
                                   direction)
    if connectivity is None:
        connectivity = 8 if labels.ndim == 2 else 26
    return _discgeom.connected_components(labels, geometry, int(connectivity))


def _output(function, labels, out):
    if out is None:
        return labels.copy(order="K")
    if not isinstance(out, _np.ndarray):
        raise TypeError(f"{function}(): out must be a numpy array")
    if out.shape != labels.shape or out.dtype != labels.dtype:
        raise ValueError(f"{function}(): out has shape {out.shape} and dtype {out.dtype}; "
                         f"it must match the labels' {labels.shape} and {labels.dtype}")
    if out is not labels:
        _np.copyto(out, labels)
    return out


def keep_largest_component(labels, geometry=None, *, spacing=None, origin=None, direction=None,
                           connectivity=None, background=0, out=None):
    """The labels with, for every label, only its largest connected component (ties: the first
    in scan order); the other components become background. A new array, or `out` (which may be
    `labels` itself: in place)."""
    (labels,), geometry = _resolve("keep_largest_component", [labels], geometry, spacing, origin,
                                   direction, required=False)
    if connectivity is None:
        connectivity = 8 if labels.ndim == 2 else 26
    result = _output("keep_largest_component", labels, out)
    _discgeom.keep_largest_component_inplace(result, geometry, int(connectivity), background)
    return result


def remove_small_components(labels, geometry=None, *, spacing=None, origin=None, direction=None,
                            min_voxels=0, min_volume_mm3=0.0, connectivity=None, background=0,
                            out=None):
    """The labels without the connected components of fewer than min_voxels voxels or below
    min_volume_mm3 (in the geometry's mm^3). A new array, or `out` (in place when it is
    `labels`)."""
    (labels,), geometry = _resolve("remove_small_components", [labels], geometry, spacing,
                                   origin, direction, required=min_volume_mm3 != 0)
    if connectivity is None:
        connectivity = 8 if labels.ndim == 2 else 26
    result = _output("remove_small_components", labels, out)
    _discgeom.remove_small_components_inplace(result, geometry, int(min_voxels),
                                              float(min_volume_mm3), int(connectivity),
                                              background)
    return result


def fill_holes(mask, fill=1, *, axis=None, out=None):
    """The mask with its holes filled: background regions (face-connected) that do not reach the
    array border become `fill`; with axis=a, slice by slice in the slices normal to array axis a
    (4-connected in the slice). A new array, or `out` (in place when it is `mask`)."""
    if _is_nibabel_image(mask):
        mask, _ = from_nibabel(mask)
    if not isinstance(mask, _np.ndarray):
        raise TypeError("fill_holes(): mask must be a numpy array or a nibabel image")
    result = _output("fill_holes", mask, out)
    _discgeom.fill_holes_inplace(result, fill, axis)
    return result


def postprocess(labels, geometry=None, *, spacing=None, origin=None, direction=None,
                smoothing_radius_mm=0.0, holes="volume", hole_plane="sagittal",
                keep_largest_component=True, connectivity=None, out=None):
    """(labels, report): the label map post-processed in one step, as `segment` does
    (discgeom::postprocess_labels, docs/segmentation.md), in Hess et al.'s order:

    1. per label, an opening then a closing with a ball of smoothing_radius_mm (0: off);
    2. holes filled per label: holes="volume" (3D), "slices" (slice by slice in hole_plane:
       "sagittal", "coronal", "transverse" or "axial", found through the geometry's direction
       cosines) or "off";
    3. per label, only the largest connected component (connectivity 6, 18 or 26; 4 or 8 for a
       2D slice; default the most connected).

    labels: an integer array (or nibabel image). A new array, or `out` (in place when it is
    `labels`). report: labels, smoothing_removed, smoothing_added, holes_filled,
    components_removed and component_voxels_removed, in voxels (components for
    components_removed).
    """
    (labels,), geometry = _resolve("postprocess", [labels], geometry, spacing, origin, direction,
                                   required=smoothing_radius_mm != 0 or holes == "slices")
    if connectivity is None:
        connectivity = 8 if labels.ndim == 2 else 26
    result = _output("postprocess", labels, out)
    report = _discgeom.postprocess_inplace(result, geometry, float(smoothing_radius_mm),
                                           str(holes), str(hole_plane),
                                           bool(keep_largest_component), int(connectivity))
    return result, report


def shape(segmentation, geometry=None, *, spacing=None, origin=None, direction=None, labels=None,
          dimensions="auto", case=None):
    """The table of `discgeom shape`: IBSI / pyradiomics shape features of every label (or of
    `labels`, in that order; an absent one gets status empty), one row per label.

    dimensions: "3d" (VoxelVolume, MeshVolume, SurfaceArea, Sphericity, Maximum3DDiameter, axis
    lengths, ... in mm, mm^2, mm^3), "2d" (PixelSurface, MeshSurface, Perimeter, ...: a 2D array
    or a volume of one slice), or "auto": 2d for a 2D array or a volume with an axis of extent 1.
    docs/shape.md.
    """
    (segmentation,), geometry = _resolve("shape", [segmentation], geometry, spacing, origin,
                                         direction)
    table = _discgeom.shape(segmentation, geometry, [] if labels is None else
                            [int(v) for v in labels], dimensions)
    return _with_case(table, case)


def muscles(labels, geometry=None, *, spacing=None, origin=None, direction=None,
            scheme="totalsegmentator-mr", discs=None, case=None):
    """The table of `discgeom muscles`: Hess et al.'s muscle cross-sections, one row per muscle
    label per axial slice (muscle, side, label, slice, pixels, csa_mm2, centroid_x/y/z_mm (LPS),
    level, status, csa_cm2, level_slice).

    labels: an axial label map (the slice axis, the one most aligned with SI, the coarsest or all
    isotropic; discgeom.PreconditionError otherwise). scheme: "totalsegmentator-mr", "phantom",
    or a list of (label, muscle, side) with side "L", "R" or "". discs: a discs table of the same
    patient (discgeom.discs' result, a DataFrame, any mapping with level and centroid_x/y/z_mm)
    naming each slice's nearest disc level. Warnings (sides swapped, discs outside the image) are
    issued as UserWarning, as the program writes them on stderr. docs/muscles.md.
    """
    (labels,), geometry = _resolve("muscles", [labels], geometry, spacing, origin, direction)
    if not isinstance(scheme, str):
        scheme = [(int(label), str(muscle), str(side or "")) for label, muscle, side in scheme]
    rows = []
    if discs is not None:
        levels = list(discs["level"])
        xs, ys, zs = (_np.asarray(discs[c], dtype=float)
                      for c in ("centroid_x_mm", "centroid_y_mm", "centroid_z_mm"))
        rows = [("" if level is None or level != level else str(level), float(x), float(y),
                 float(z)) for level, x, y, z in zip(levels, xs, ys, zs)]
    table, warnings = _discgeom.muscles(labels, geometry, scheme, rows)
    for message in warnings:
        _warnings.warn("discgeom muscles: " + message, stacklevel=2)
    return _with_case(table, case)


def indices(labels, geometry=None, *, spacing=None, origin=None, direction=None, image=None,
            scheme="spider", lowest_level="L5/S1", min_voxels=None, sacrum_label=None,
            clean=True, slice=None, reference_label=None, age=None, sex=None, case=None):
    """The table of `discgeom indices`: BianqueNet's disc indices (Zheng et al. 2022) on each
    disc's mid-sagittal slice, one row per disc (level, label, slice, dh_mm, hv_above_mm,
    hv_below_mm, dhi, hdr, ap_width_mm, delta_si, status, then BianqueNet's pixel numbers).

    labels: a sagittal 3D label map or a 2D sagittal slice, in SPIDER's labels (scheme="spider",
    lowest_level, min_voxels, sacrum_label) or BianqueNet's codes (scheme="bianquenet"). image:
    the image on the same grid (uint8, int16, uint16, float32 or float64; a nibabel image) for
    Delta SI against reference_label (default: 100, the canal, or BianqueNet's CSF). clean=False
    measures the masks as they are; slice: one sagittal slice for every disc. age and sex ("F" or
    "M"): the percentiles and z-scores against BianqueNet's population. docs/geometry.md.
    """
    (labels,), geometry = _resolve("indices", [labels], geometry, spacing, origin, direction)
    if image is not None:
        if _is_nibabel_image(image):
            image, _ = from_nibabel(image)
        if not isinstance(image, _np.ndarray):
            raise TypeError("indices(): image must be a numpy array or a nibabel image")
        if image.shape != labels.shape:
            raise PreconditionError(f"indices(): labels and image differ in shape: "
                                    f"{list(labels.shape)} vs {list(image.shape)}")
    table = _discgeom.indices(labels, image, geometry, scheme, lowest_level, min_voxels,
                              sacrum_label, bool(clean), slice, reference_label,
                              None if age is None else float(age), sex)
    return _with_case(table, case)


def _feature_columns(function, table, prefix):
    """(names, float64 columns) of a mapping of columns (dict, pandas DataFrame) or a 2D array
    whose columns are the features (named PREFIX0, PREFIX1, ...). float64 columns are read in
    place, others converted."""
    if isinstance(table, _np.ndarray):
        if table.ndim != 2:
            raise ValueError(f"{function}(): a feature array must be 2D (rows: observations)")
        names = [f"{prefix}{c}" for c in range(table.shape[1])]
        columns = [table[:, c] for c in range(table.shape[1])]
    elif hasattr(table, "keys"):
        names = [str(k) for k in table.keys()]
        columns = [table[k] for k in table.keys()]
    else:
        raise TypeError(f"{function}(): the features must be a dict of columns, a pandas "
                        f"DataFrame or a 2D array, not {type(table).__name__}")
    converted = []
    for name, column in zip(names, columns):
        array = _np.asarray(column)
        if array.ndim != 1:
            raise ValueError(f"{function}(): column {name} is not 1D")
        if array.dtype != _np.float64:
            if array.dtype.kind not in "biuf":
                raise ValueError(f"{function}(): column {name} has dtype {array.dtype}, not a "
                                 "number")
            array = array.astype(_np.float64)
        converted.append(array)
    return names, converted


def correlate(x, y=None, *, method="pearson", adjust="none", alternative="two-sided",
              confidence=0.95, ci="fisher", resamples=2000, seed=0):
    """The table of `discgeom correlate`: every x column against every y column (y defaults to
    x), one block of rows per method, columns x, y, method, n, r, p, ci_low, ci_high,
    p_adjusted.

    x, y: dicts of columns, pandas DataFrames or 2D arrays (rows are observations); NaN is a
    missing value (the pair is left out). method: "pearson", "spearman", "kendall" or a list of
    them. adjust: "none", "bonferroni", "holm" or "bh", over the pairs of one method.
    alternative: "two-sided", "less" or "greater". ci: "fisher" or "bootstrap" (resamples,
    seed). docs/stats.md.
    """
    x_names, xs = _feature_columns("correlate", x, "x")
    y_names, ys = (x_names, xs) if y is None else _feature_columns("correlate", y, "y")
    methods = [method] if isinstance(method, str) else list(method)
    return _discgeom.correlate(x_names, xs, y_names, ys, methods, adjust, alternative,
                               float(confidence), ci, int(resamples), int(seed))


def correlation_matrix(x, y=None, *, method="pearson", adjust="none", alternative="two-sided",
                       confidence=0.95, ci="fisher", resamples=2000, seed=0):
    """The correlations of correlate() for one method as matrices: a dict with "x" and "y" (the
    column names) and "r", "p", "ci_low", "ci_high", "p_adjusted" (float64) and "n" (int64),
    each of shape (len(x), len(y)); entry (i, j) is x column i against y column j."""
    x_names, xs = _feature_columns("correlation_matrix", x, "x")
    y_names, ys = (x_names, xs) if y is None else _feature_columns("correlation_matrix", y, "y")
    result = _discgeom.correlation_matrix(xs, ys, method, adjust, alternative, float(confidence),
                                          ci, int(resamples), int(seed))
    return {"x": list(x_names), "y": list(y_names), **result}


def traverse(codes, decoder, geometry=None, *, spacing=None, origin=None, direction=None,
             steps=6, anchor="mean", given=None, method="spearman", plausibility=True,
             neighbours=None):
    """Perrone et al.'s latent traversal with a Python decoder, as `discgeom traverse`.

    codes: the real latent codes, a 2D array (rows: discs, columns: features), a dict of columns
    or a DataFrame. decoder: a callable taking one code (a 1D float64 array) and returning the
    decoded disc as a 3D array whose non-zero voxels are the disc, at `geometry` (spacing= ...).
    Each feature is swept from its minimum to its maximum in `steps` steps, the others held at
    the anchor ("mean", "median", or "given" with `given`); every grid point is decoded (the
    callable runs with the GIL, the measures without) and measured with the discs table's
    definitions; plausibility (k = neighbours, the library's default when None) rates each point
    against the real codes.

    Returns {"grid": columns feature, step, z0 ..., volume_mm3, height_mm, ..., status,
    plausibility (grid.csv's), "correlations": per swept feature and geometric feature x, y,
    method, n, n_missing, r, p, ci_low, ci_high over the steps, "typical_distance": float}.
    docs/latent.md.
    """
    if isinstance(codes, _np.ndarray):
        codes = _np.asarray(codes, dtype=_np.float64)
        if codes.ndim != 2:
            raise ValueError("traverse(): codes must be 2D (rows: discs, columns: features)")
        columns = [codes[:, c] for c in range(codes.shape[1])]
    else:
        _, columns = _feature_columns("traverse", codes, "z")
    if not callable(decoder):
        raise TypeError("traverse(): decoder must be callable")
    if _is_nibabel_image(geometry):
        geometry = geometry_from_nibabel(geometry)
    if geometry is not None and (spacing is not None or origin is not None or
                                 direction is not None):
        raise ValueError("traverse(): give geometry= or spacing=/origin=/direction=, not both")
    if geometry is None:
        if spacing is None:
            raise ValueError("traverse(): no geometry for the decoded masks: give spacing= or "
                             "geometry=")
        geometry = Geometry(spacing=spacing, origin=origin or (0.0, 0.0, 0.0),
                            direction=direction)
    return _discgeom.traverse(columns, decoder, geometry, int(steps), anchor,
                              [] if given is None else [float(v) for v in given], method,
                              bool(plausibility), None if neighbours is None else int(neighbours))


def _select_columns(function, names, patterns):
    """The names matching the patterns ('*' matches any text), in pattern order, each once."""
    selected = []
    for pattern in patterns:
        regex = _re.compile("".join(".*" if c == "*" else _re.escape(c) for c in pattern) + r"\Z",
                            _re.DOTALL)
        found = [n for n in names if regex.match(n)]
        if not found:
            raise ValueError(f"{function}(): no column {pattern!r}; the columns are {list(names)}")
        selected += [n for n in found if n not in selected]
    return selected


def agree(reference, test, key, measures, *, by=None):
    """The table of `discgeom agree`: agreement of two tables of the same measures (e.g. manual
    and automatic), one row per measure (and per group of `by`, then an overall row with group
    ""): measure, group, n, pearson_r, pearson_p, mae, mae_sd, bias, loa_low, loa_high, icc_a1,
    ccc, n_unpaired, n_missing. Differences are test - reference.

    reference, test: mappings of columns (dicts, pandas DataFrames). key: the column (or list of
    columns) pairing the rows, each key once per table. measures: column names or patterns
    ('*' matches any text) of reference. docs/stats.md.
    """
    keys = [key] if isinstance(key, str) else list(key)
    patterns = [measures] if isinstance(measures, str) else list(measures)

    def rows_of(table, side):
        columns = [list(table[k]) for k in keys]
        n = len(columns[0]) if columns else 0
        result = {}
        for r in range(n):
            value = tuple(c[r] for c in columns)
            if value in result:
                raise ValueError(f"agree(): {side}: the key {value} is on rows {result[value]} and "
                                 f"{r}: key must name each row once")
            result[value] = r
        return result, n

    reference_rows, n_reference = rows_of(reference, "reference")
    test_rows, n_test = rows_of(test, "test")
    reference_by = list(reference[by]) if by is not None else None
    test_by = list(test[by]) if by is not None else None
    groups = {"": ([], 0)}
    order = [""]

    def group(name):
        name = "" if name is None else str(name)
        if name not in groups:
            groups[name] = ([], 0)
            order.append(name)
        return name

    def add(name, pair=None):
        pairs, unpaired = groups[name]
        groups[name] = (pairs + [pair], unpaired) if pair else (pairs, unpaired + 1)

    for value, r in reference_rows.items():
        t = test_rows.get(value)
        names = [""] + ([group(reference_by[r])] if by is not None else [])
        for name in names:
            add(name, (r, t) if t is not None else None)
    for value, t in test_rows.items():
        if value not in reference_rows:
            for name in [""] + ([group(test_by[t])] if by is not None else []):
                add(name, None)
    chosen = _select_columns("agree", [str(c) for c in reference.keys()], patterns)
    names, group_names, xs, ys, unpaired = [], [], [], [], []
    for measure in chosen:
        x_all = _np.asarray(reference[measure], dtype=_np.float64)
        y_all = _np.asarray(test[measure], dtype=_np.float64)
        for name in order[1:] + [""]:
            pairs, missing_partner = groups[name]
            xs.append(_np.array([x_all[r] for r, _ in pairs], dtype=_np.float64))
            ys.append(_np.array([y_all[t] for _, t in pairs], dtype=_np.float64))
            names.append(measure)
            group_names.append(name)
            unpaired.append(missing_partner)
    return _discgeom.agree(names, group_names, xs, ys, unpaired)


def _with_case(table, case):
    if case is None:
        return table
    n = len(next(iter(table.values()))) if table else 0
    column = _np.empty(n, dtype=object)
    column[:] = [case] * n
    return {"case": column, **table}


def batch(function, cases, threads=None):
    """[function(*case) or function(**case) for case in cases], run in `threads` threads (default:
    the machine's cores). discgeom's functions release the GIL while their C++ kernels run, so
    the cases are measured in parallel; the results keep the order of `cases`. A case is a tuple
    of arguments, a dict of keyword arguments, or a pair (tuple, dict). The first exception
    raised by a case is raised here."""
    cases = list(cases)

    def call(case):
        if isinstance(case, dict):
            return function(**case)
        if (isinstance(case, tuple) and len(case) == 2 and isinstance(case[0], (tuple, list))
                and isinstance(case[1], dict)):
            return function(*case[0], **case[1])
        if isinstance(case, (tuple, list)):
            return function(*case)
        return function(case)

    threads = threads or _os.cpu_count() or 1
    if threads == 1 or len(cases) <= 1:
        return [call(c) for c in cases]
    with _futures.ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(call, cases))
