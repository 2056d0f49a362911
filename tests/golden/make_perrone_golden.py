#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Golden values of `discgeom discs --convention perrone`: the geometric features that Perrone et
al.'s released code computes, for the C++ tests and for the docs.

The released code is not part of discgeom. Bring a copy of
https://github.com/MattiaPerrone123/CNN-autoencoder-feature-extraction and run, with Debian's
python (numpy, scipy, scikit-image, matplotlib):
    /usr/bin/python3 tests/golden/make_perrone_golden.py /path/to/CNN-autoencoder-feature-extraction \\
        > tests/data/perrone_golden.txt
    /usr/bin/python3 tests/golden/make_perrone_golden.py /path/to/CNN-autoencoder-feature-extraction \\
        --real /path/to/shared/data/ivd-real > tests/data/perrone_real.txt
The first writes synthetic masks and their values; the second the values of the ten real masks
of data/ivd-real (no mask data). The tests read the file; they never run Python. Values were
generated with numpy 1.24.2, scipy 1.10.1, scikit-image 0.19.3 (the released code pins numpy
1.23.5, scipy 1.9.3).

This script imports the released functions from the given path and calls them as the released
pipeline (main.ipynb, src/utils.py process_files) does, one case at a time:
    np_image = process_image(image, (1.4, 1.2, 1.5))      # resample; None = field-of-view check failed
    masks = process_mask(mask, np_image.shape)            # labels >= 201, zoom order 1, clip 0..1
    _, rotated = preprocess_and_rotate_images_and_masks([np_image], [masks["disk"]])
    blobs = process_and_stack_masks(process_test_set_masks(rotated))   # components, 64^3 each
    sag, trasv, front = compute_angles_for_masks(blobs)
    height, ap, lat = compute_disc_dimensions(rotate_masks_sequentially(blobs))
SimpleITK is not needed: a stand-in module gives process_image and process_mask the arrays held
here (sitk.ReadImage / GetArrayFromImage), and an image of the size that the released
resample_sitk_image asks sitk.Resample for (only its size is used downstream; the masks never
pass through sitk.Resample). When the field-of-view check of process_image fails (the released
pipeline then skips the case), the script goes on with the resampled image that process_image
computed and records `fov_check fail`. Each component (blob) is measured on its own; a blob that
makes the released code raise is recorded with the exception's name. A blob belongs to the SPIDER
label that most of its voxels come from (the labels resampled one at a time with the same zoom,
cropped, padded and rotated with the released functions); one row per disc is the disc's largest
blob, as the discgeom contract for `discs --convention perrone` says. The released pipeline
also drops a whole case whose blob count differs from SPIDER's overview.csv disc count
(utils.process_mismatched_data); the `components` line shows that count.

Masks are in SPIDER's layout: the MetaImage index order (x, y, z) = (left-right: right to left,
antero-posterior: anterior to posterior, cranio-caudal: inferior to superior), identity
direction, spacing (x, y, z) in mm; numpy's sitk.GetArrayFromImage order is (z, y, x). Disc
labels 201.. count up from the lowest disc. Real masks (--real) are converted to this layout:
the ivd-real arrays are (AP anterior-to-posterior, SI superior-to-inferior, LR) with true
spacing 0.4296875, 0.4296875, 4.4 mm whatever the header says; their labels are relabelled in
increasing value order to 201.. (L5/S1 = 201); labels that are not one of the five discs
(subject 5's ten stray voxels of 255) are set to 0. Their left-right direction is unknown: the
stored order is kept (x index = stored slice index).

Format (whitespace separated, one record a line, '#' lines are comments):
    case NAME
    shape NX NY NZ                      MetaImage index order (LR, AP, SI)
    spacing SX SY SZ                    mm, same order
    mask V N V N ...                    run-length code, x fastest (Fortran order of (x, y, z))
    resampled NZ NY NX                  numpy shape of process_image's result (z, y, x)
    fov_check pass|fail                 process_image's "2*shape[-1] > shape[1] or shape[0]" test
    components N                        26-connected blobs of the resampled disc mask
    blob I label L voxels N extent EX EY EZ disc_height H ap_width A lat_width W sag_angle S
        axial_angle T front_angle F     (one line) blob I in scikit-image's label order
    trace I step_sag A0 step_axial A1 step_front A2 aligned_voxels N middle M centroid_row R
        centroid_col C                  (one line) intermediate values of blob I, see trace()
    blob I label L voxels N extent EX EY EZ error NAME    the released code raised NAME
    disc label L pieces P voxels N disc_height ... front_angle F
    end
`disc_height ap_width lat_width sag_angle axial_angle front_angle` are the released columns
"disc height", "ap width", "lat width", "sag angle", "axial angle", "front angle" (in voxels
of the resampled 1.4 x 1.2 x 1.5 mm grid, and degrees); `voxels` counts the blob in that grid
and `extent` gives its bounding box there along LR, AP, SI.
The `disc` line repeats the values of the disc's largest blob (the lowest blob index on a tie).
"""
import argparse
import os
import sys
import types
import warnings

import numpy as np

TARGET_RESOLUTION = (1.4, 1.2, 1.5)  # src/config.py "target_resolution" (sitk x, y, z)
COLUMNS = ("disc_height", "ap_width", "lat_width", "sag_angle", "axial_angle", "front_angle")


# ---------------------------------------------------------------------------------------------
# A stand-in for the SimpleITK calls of src/image_preprocessing.py (process_image, process_mask,
# resample_sitk_image). Images live in memory, registered under a path.
class _Image:
    def __init__(self, array_zyx, spacing_xyz):
        self.array = array_zyx
        self.spacing = tuple(float(s) for s in spacing_xyz)

    def GetSize(self):
        return tuple(int(n) for n in self.array.shape[::-1])

    def GetSpacing(self):
        return self.spacing

    def GetOrigin(self):
        return (0.0, 0.0, 0.0)

    def GetDirection(self):
        return (1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0)

    def GetPixelID(self):
        return str(self.array.dtype)


_REGISTRY = {}


def _sitk_stand_in():
    sitk = types.ModuleType("SimpleITK")
    sitk.sitkBSpline = "sitkBSpline"
    sitk.Transform = lambda: "identity"
    sitk.ReadImage = lambda path: _REGISTRY[path]
    sitk.GetArrayFromImage = lambda image: image.array.copy()

    def resample(image, size, transform, interpolator, origin, spacing, direction, default, pixel):
        # Only the output size and spacing matter downstream (the image content is normalised
        # and never reaches the masks); an image of zeros stands for the B-spline resampling.
        assert transform == "identity" and interpolator == "sitkBSpline"
        return _Image(np.zeros(tuple(int(n) for n in size)[::-1], np.float32), spacing)

    sitk.Resample = resample
    return sitk


def import_released(repo):
    os.environ.setdefault("MPLBACKEND", "Agg")
    try:
        import SimpleITK  # noqa: F401  (only to know whether it is there)
        sys.stderr.write("note: SimpleITK is installed, but the stand-in is used all the same\n")
    except ImportError:
        pass
    sys.modules["SimpleITK"] = _sitk_stand_in()
    sys.path.insert(0, os.path.abspath(repo))
    import src.image_preprocessing as ip  # noqa: E402
    import src.compute_geometry as cg  # noqa: E402
    return ip, cg


# ---------------------------------------------------------------------------------------------
def run_released(ip, cg, mask_xyz, spacing_xyz):
    """The released pipeline on one case; returns per-blob records and case facts."""
    from scipy import ndimage
    from skimage import measure

    mask_zyx = np.ascontiguousarray(np.transpose(mask_xyz, (2, 1, 0))).astype(np.int16)
    _REGISTRY.clear()
    _REGISTRY["image"] = _Image(np.zeros(mask_zyx.shape, np.float32), spacing_xyz)
    _REGISTRY["mask"] = _Image(mask_zyx, spacing_xyz)

    np_image = ip.process_image("image", TARGET_RESOLUTION)
    fov_ok = np_image is not None
    if not fov_ok:  # the resampling process_image did before its check
        np_image = ip.resample_image(_REGISTRY["image"], TARGET_RESOLUTION).array
    masks = ip.process_mask("mask", np_image.shape)
    disk = masks["disk"]
    components = int(np.max(np.unique(measure.label(disk))))  # as utils.append_data

    _, rotated = ip.preprocess_and_rotate_images_and_masks([np_image], [disk])
    singles = ip.process_test_set_masks(rotated)

    # Provenance only (not a released step): each disc label resampled on its own with the same
    # zoom, the voxel taking the label of the largest interpolated value, then cropped, padded
    # and rotated with the released functions on the same bounding box.
    labels = [int(v) for v in np.unique(mask_zyx) if v >= 201]
    factors = [float(t) / float(o) for t, o in zip(np_image.shape, mask_zyx.shape)]
    stack = np.stack([ndimage.zoom((mask_zyx == v).astype(np.float64), factors, order=1)
                      for v in labels])
    label_map = np.asarray(labels)[np.argmax(stack, axis=0)].astype(np.int16)
    cropped_map, cropped_disk = ip.crop_images_masks([label_map], [disk])
    target = ip.calculate_target_dimensions(cropped_disk)
    padded_map, _ = ip.pad_images_masks(cropped_map, cropped_disk, target, 0, 0)
    rotated_map = ip.rotate_and_swap_axes(padded_map[0])

    blobs = []
    for index, single in enumerate(singles):
        inside = single.astype(bool)
        votes = np.bincount(rotated_map[inside].astype(np.int64), minlength=256)
        where = np.argwhere(inside)
        extent = where.max(axis=0) - where.min(axis=0) + 1  # released frame (LR, SI, AP)
        record = {"index": index + 1, "label": int(np.argmax(votes)), "voxels": int(inside.sum()),
                  "extent": (int(extent[0]), int(extent[2]), int(extent[1]))}
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # numpy on an empty slice
                cube = ip.process_and_stack_masks(single[np.newaxis])
                sag, trasv, front = cg.compute_angles_for_masks(cube)
                aligned = cg.rotate_masks_sequentially(cube)
                height, ap, lat = cg.compute_disc_dimensions(aligned)
            record["values"] = (height[0], ap[0], lat[0], sag[0], trasv[0], front[0])
            record["trace"] = trace(ip, cg, cube[0], aligned[0])
        except Exception as exc:  # the released code's own failure on this blob
            record["error"] = type(exc).__name__
        blobs.append(record)
    return {"resampled": np_image.shape, "fov_ok": fov_ok, "components": components,
            "blobs": blobs}


def trace(ip, cg, cube, aligned):
    """Intermediate values of rotate_masks_sequentially and compute_disc_dimensions, for
    debugging: the angle each of the three alignment steps rotates by (MaskAlignerAllAngles on
    the mask the previous step left, as rotate_masks_sequentially does), the sagittal slice that
    the widths use (find_medial_mask_indices) and its centroid (calculate_centroid)."""
    mask, steps = cube, []
    for slice_dim in range(3):
        aligner = ip.MaskAlignerAllAngles(mask, slice_dim=slice_dim)
        aligner.compute_rotation_angle()
        mask, angle = aligner.align_mask()
        steps.append(angle)
    assert np.array_equal(mask, aligned)
    middle = cg.find_medial_mask_indices(aligned)[0]
    centroid_col, centroid_row = cg.calculate_centroid(aligned[middle])
    return (("step_sag", steps[0]), ("step_axial", steps[1]), ("step_front", steps[2]),
            ("aligned_voxels", int(np.count_nonzero(aligned))), ("middle", middle),
            ("centroid_row", centroid_row), ("centroid_col", centroid_col))


def fmt(value):
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    return repr(float(value))


def rle(volume):
    flat = volume.ravel(order="F")  # axis 0 fastest, as discgeom::image stores it
    change = np.flatnonzero(np.diff(flat)) + 1
    starts = np.concatenate(([0], change))
    lengths = np.diff(np.concatenate((starts, [flat.size])))
    return " ".join(f"{int(flat[s])} {int(n)}" for s, n in zip(starts, lengths))


def write_case(ip, cg, name, mask_xyz, spacing_xyz, with_mask=True):
    result = run_released(ip, cg, mask_xyz, spacing_xyz)
    print(f"case {name}")
    print("shape " + " ".join(str(n) for n in mask_xyz.shape))
    print("spacing " + " ".join(repr(float(s)) for s in spacing_xyz))
    if with_mask:
        print("mask " + rle(mask_xyz))
    print("resampled " + " ".join(str(n) for n in result["resampled"]))
    print("fov_check " + ("pass" if result["fov_ok"] else "fail"))
    print(f"components {result['components']}")
    for b in result["blobs"]:
        head = (f"blob {b['index']} label {b['label']} voxels {b['voxels']} extent "
                + " ".join(str(n) for n in b["extent"]))
        if "error" in b:
            print(f"{head} error {b['error']}")
        else:
            print(head + "".join(f" {c} {fmt(v)}" for c, v in zip(COLUMNS, b["values"])))
            print(f"trace {b['index']}" + "".join(f" {k} {fmt(v)}" for k, v in b["trace"]))
    for label in sorted({int(v) for v in np.unique(mask_xyz) if v >= 201}):
        pieces = [b for b in result["blobs"] if b["label"] == label]
        if not pieces:
            print(f"disc label {label} pieces 0")
            continue
        largest = max(pieces, key=lambda b: (b["voxels"], -b["index"]))
        head = f"disc label {label} pieces {len(pieces)} voxels {largest['voxels']}"
        if "error" in largest:
            print(f"{head} error {largest['error']}")
        else:
            print(head + "".join(f" {c} {fmt(v)}" for c, v in zip(COLUMNS, largest["values"])))
    print("end")
    return result


# ---------------------------------------------------------------------------------------------
def rotation(sagittal_deg, coronal_deg, transverse_deg):
    """Rotation of body axes (LR, AP, SI): about LR (sagittal tilt), AP (coronal), SI (axial)."""
    a, b, c = np.deg2rad([sagittal_deg, coronal_deg, transverse_deg])
    about_lr = np.array([[1, 0, 0], [0, np.cos(a), -np.sin(a)], [0, np.sin(a), np.cos(a)]])
    about_ap = np.array([[np.cos(b), 0, -np.sin(b)], [0, 1, 0], [np.sin(b), 0, np.cos(b)]])
    about_si = np.array([[np.cos(c), -np.sin(c), 0], [np.sin(c), np.cos(c), 0], [0, 0, 1]])
    return about_si @ about_ap @ about_lr


def ellipsoid(shape, spacing, centre_mm, semi_axes_mm, angles_deg=(0.0, 0.0, 0.0)):
    """Voxels (x, y, z index order) whose centre lies in a rotated ellipsoid; mm = index * spacing.

    semi_axes_mm along (LR, AP, SI) before the rotation; angles_deg = (about LR, about AP,
    about SI), positive by the right-hand rule in (x, y, z) = (right->left, ant->post, inf->sup).
    """
    grids = np.meshgrid(*[np.arange(n) * s for n, s in zip(shape, spacing)], indexing="ij")
    p = np.stack([g - c for g, c in zip(grids, centre_mm)], axis=-1)
    body = p @ rotation(*angles_deg)  # coordinates in the ellipsoid's own axes
    return np.sum((body / np.asarray(semi_axes_mm)) ** 2, axis=-1) <= 1.0


def synthetic_cases():
    cases = []

    # Three tilted discs, SPIDER sagittal T1-like spacing (x = 16 LR slices of 3.3 mm); the
    # resampled grid passes the field-of-view check (2 * 38 <= 78 and <= 83).
    shape, spacing = (16, 150, 200), (3.3, 0.625, 0.625)
    m = np.zeros(shape, np.int16)
    m[ellipsoid(shape, spacing, (26.4, 45.0, 25.0), (21.0, 17.0, 5.0), (14.0, 0.0, 0.0))] = 201
    m[ellipsoid(shape, spacing, (26.0, 47.0, 62.0), (22.0, 18.0, 5.5), (-8.0, 5.0, 0.0))] = 202
    m[ellipsoid(shape, spacing, (27.0, 48.0, 100.0), (20.0, 16.0, 4.5), (3.0, -4.0, 9.0))] = 203
    cases.append(("tilted_discs_3.3x0.625x0.625", m, spacing))

    # Disc 202 split in two by a 4.5 mm gap (an anterior piece cut off), disc 203 with one
    # stray voxel 8 mm above it. 153 * 0.75 / 1.5 = 76.5 resamples to 76 slices (Python's
    # round, half to even); 2 * 38 <= 76 passes the field-of-view check.
    shape, spacing = (12, 124, 153), (4.4, 0.75, 0.75)
    m = np.zeros(shape, np.int16)
    m[ellipsoid(shape, spacing, (26.0, 46.0, 30.0), (22.0, 17.0, 5.0), (6.0, 0.0, 0.0))] = 201
    disc = ellipsoid(shape, spacing, (26.5, 47.0, 66.0), (21.0, 18.0, 5.0), (-10.0, 3.0, -5.0))
    y_mm = np.arange(shape[1]) * spacing[1]
    disc[:, (y_mm > 33.0) & (y_mm < 37.5), :] = False
    m[disc] = 202
    m[ellipsoid(shape, spacing, (27.0, 48.0, 98.0), (20.0, 16.0, 4.0), (4.0, 0.0, 0.0))] = 203
    m[6, 64, 149] = 203
    cases.append(("split_and_stray_4.4x0.75x0.75", m, spacing))

    # A narrow left-right field (9 slices of 4.4 mm, like data/ivd-real): the discs are cut on
    # both sides, wider antero-posteriorly than laterally in the resampled grid, so the
    # axial alignment step turns them by about 90 degrees. Fails the field-of-view check.
    shape, spacing = (9, 110, 170), (4.4, 0.5, 0.5)
    m = np.zeros(shape, np.int16)
    m[ellipsoid(shape, spacing, (19.8, 27.0, 22.0), (24.0, 19.0, 5.0), (10.0, 0.0, 6.0))] = 201
    m[ellipsoid(shape, spacing, (19.8, 28.0, 55.0), (24.0, 18.0, 5.5), (-4.0, 2.0, -7.0))] = 202
    cases.append(("narrow_lr_4.4x0.5x0.5", m, spacing))

    # One disc cut by both left-right borders and the anterior border. 8 slices resample to
    # 26 and (26 - 1) * (7 / 25) > 7 in double arithmetic, so scipy's zoom (mode 'constant')
    # leaves the last resampled left-right slice empty.
    shape, spacing = (8, 60, 60), (4.55, 0.7, 0.7)
    m = np.zeros(shape, np.int16)
    m[ellipsoid(shape, spacing, (16.0, 18.0, 20.0), (22.0, 19.0, 6.0), (12.0, -6.0, 4.0))] = 201
    cases.append(("border_4.55x0.7x0.7", m, spacing))
    return cases


# ---------------------------------------------------------------------------------------------
def real_cases(folder):
    import nibabel as nib

    spacing = (4.4, 0.4296875, 0.4296875)  # true (LR, AP, SI); the header's pixdim is permuted
    for subject in range(1, 11):
        path = os.path.join(folder, f"{subject}_Labels.nii.gz")
        stored = np.asanyarray(nib.load(path).dataobj)  # (AP ant->post, SI sup->inf, LR)
        values = [int(v) for v in np.unique(stored) if v != 0]
        if subject == 5:
            values = [v for v in values if v != 255]  # the ten stray voxels, not a disc
        assert len(values) == 5, (subject, values)
        relabelled = np.zeros(stored.shape, np.int16)
        for rank, v in enumerate(sorted(values)):  # increasing value = going up the spine
            relabelled[stored == v] = 201 + rank
        # (AP, SI down, LR) -> (x LR, y AP, z SI up)
        mask_xyz = np.transpose(relabelled, (2, 0, 1))[:, :, ::-1]
        yield f"{subject}_Labels", np.ascontiguousarray(mask_xyz), spacing


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("released", help="a copy of CNN-autoencoder-feature-extraction")
    parser.add_argument("--real", help="data/ivd-real: write its values instead of the goldens")
    args = parser.parse_args()
    ip, cg = import_released(args.released)
    print("# Generated by tests/golden/make_perrone_golden.py; do not edit.")
    if args.real:
        print("# data/ivd-real (Menezes-Reis et al. 2016), converted to SPIDER's layout; no mask data.")
        for name, mask, spacing in real_cases(args.real):
            write_case(ip, cg, name, mask, spacing, with_mask=False)
    else:
        for name, mask, spacing in synthetic_cases():
            write_case(ip, cg, name, mask, spacing)


if __name__ == "__main__":
    main()
