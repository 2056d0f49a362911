#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""nibabel -> discgeom -> pandas -> matplotlib: the discs of a spine mask and MONAI-identical
HD95, one call each, in cells (`# %%`) that run as a script or in an editor's notebook mode.

    /usr/bin/python3 examples/python/discs_from_nibabel.py MASK.nii.gz \
        [--prediction PRED.nii.gz] [--out DIR]

MASK is a label image in SPIDER labels (discs 201-209), e.g. a phantom from
`discgeom phantom --out DIR --cases 1`. Without --prediction the example scores a stand-in
prediction: the mask moved by one voxel along its first array axis. Writes DIR/discs.csv,
DIR/overlap_monai.csv and DIR/discs.png (default DIR: the current folder). Needs
PYTHONPATH=build/default/python (or the installed module; docs/python.md).
"""
# %% Setup: arguments, the non-interactive matplotlib backend
import argparse
import pathlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nibabel  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import discgeom  # noqa: E402

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("mask", type=pathlib.Path, help="the label image (NIfTI)")
parser.add_argument("--prediction", type=pathlib.Path, help="a predicted label image to score")
parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("."), help="output folder")
args = parser.parse_args()
args.out.mkdir(parents=True, exist_ok=True)

# %% Load with nibabel: the voxels as a view of the image's array, the geometry in LPS
# from_nibabel reads the voxels once and hands discgeom that array (no copy); the geometry is
# the affine's spacing, origin and direction as ITK (and the discgeom program) reads the file.
image = nibabel.load(args.mask)
labels, geometry = discgeom.from_nibabel(image)
print(f"{args.mask.name}: {labels.shape} {labels.dtype}, spacing {geometry.spacing} mm, "
      f"axes {''.join(nibabel.aff2axcodes(image.affine))} (RAS codes)")

# %% The discs table: one row per disc, the discgeom program's columns, straight into pandas
discs = pd.DataFrame(discgeom.discs(labels, geometry=geometry))
discs.to_csv(args.out / "discs.csv", index=False)
print(discs[["level", "label", "volume_mm3", "height_mm", "ap_width_mm",
             "sagittal_angle_deg", "status"]].to_string(index=False))

# %% A prediction to score: the given one, or the mask moved by one voxel along axis 0
if args.prediction is not None:
    prediction, prediction_geometry = discgeom.from_nibabel(nibabel.load(args.prediction))
    if not np.allclose(prediction_geometry.spacing, geometry.spacing):
        raise SystemExit(f"{args.prediction}: spacing {prediction_geometry.spacing} differs "
                         f"from the mask's {geometry.spacing}")
else:
    prediction = np.zeros_like(labels)
    prediction[1:] = labels[:-1]

# %% HD95 and the other scores as MONAI computes them (compute_hausdorff_distance with
# percentile=95: the larger of the two directed 95th percentiles of the edge voxels' distances)
disc_labels = sorted(int(v) for v in discs["label"])
overlap = pd.DataFrame(discgeom.overlap(labels, prediction, geometry=geometry,
                                        convention="monai", labels=disc_labels))
overlap.to_csv(args.out / "overlap_monai.csv", index=False)
print(overlap[["label", "dice", "hd_mm", "hd95_mm", "assd_mm", "nsd", "status"]]
      .to_string(index=False))

# %% A figure: the mid slice of the mask, the disc heights and the HD95 per disc
scores = discs.merge(overlap[["label", "hd95_mm"]], on="label")
figure, (ax_slice, ax_height, ax_hd) = plt.subplots(1, 3, figsize=(13, 4.2))
middle = labels.shape[2] // 2
section = labels[:, :, middle]
aspect = geometry.spacing[1] / geometry.spacing[0]  # a pixel's height over its width, in mm
ax_slice.imshow((section > 0).T, cmap="Greys", vmax=3, interpolation="nearest", aspect=aspect)
discs_only = np.ma.masked_less(section, 201).astype(float)
ax_slice.imshow(discs_only.T, cmap="tab10", interpolation="nearest", aspect=aspect)
ax_slice.set_title(f"discs, slice {middle} of axis 2")
ax_slice.set_xlabel("array axis 0")
ax_slice.set_ylabel("array axis 1")
ax_height.bar(scores["level"], scores["height_mm"], color="tab:blue")
ax_height.set_ylabel("disc height (mm)")
ax_height.set_title("discgeom.discs")
ax_hd.bar(scores["level"], scores["hd95_mm"], color="tab:orange")
ax_hd.set_ylabel("HD95 (mm)")
ax_hd.set_title('discgeom.overlap(convention="monai")')
for axis in (ax_height, ax_hd):
    axis.tick_params(axis="x", labelrotation=45)
figure.tight_layout()
figure.savefig(args.out / "discs.png", dpi=100)
print(f"wrote {args.out / 'discs.csv'}, {args.out / 'overlap_monai.csv'}, "
      f"{args.out / 'discs.png'}")
