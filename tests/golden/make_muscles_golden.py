#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Golden muscle cross-sections of the real TotalSegmentator MR, computed with nibabel and numpy.

Run once with Debian's python (numpy, nibabel), given the folder ../shared/data/totalsegmentator-mr:
    /usr/bin/python3 tests/golden/make_muscles_golden.py ../shared/data/totalsegmentator-mr \
        > tests/data/muscles_totalsegmentator_golden.csv
Only derived numbers are stored, never the data. Independently of the C++: the slice axis is the
array axis whose affine column is most aligned with the patient's S axis; for each of the labels
46-49 (autochthon left/right, iliopsoas left/right) and each slice holding it, pixels, CSA =
pixels x the two in-plane voxel sizes (norms of the affine's other columns), and the centroid:
the affine applied to the mean voxel index, RAS converted to LPS (x and y negated), as ITK reads
the sform.
"""
import os
import sys

import nibabel as nib
import numpy as np

LABELS = {46: ("autochthon", "L"), 47: ("autochthon", "R"), 48: ("iliopsoas", "L"),
          49: ("iliopsoas", "R")}


def main():
    image = nib.load(os.path.join(sys.argv[1], "example_seg_mr.nii.gz"))
    labels = np.asarray(image.dataobj)
    affine = image.affine
    columns = affine[:3, :3]
    sizes = np.linalg.norm(columns, axis=0)
    si = int(np.argmax(np.abs(columns[2, :]) / sizes))
    in_plane = [a for a in range(3) if a != si]
    pixel_area = sizes[in_plane[0]] * sizes[in_plane[1]]
    print("label,muscle,side,slice,pixels,csa_mm2,centroid_x_mm,centroid_y_mm,centroid_z_mm")
    for label, (muscle, side) in LABELS.items():
        index = np.argwhere(labels == label)
        for s in np.unique(index[:, si]):
            section = index[index[:, si] == s]
            mean = section.mean(axis=0)
            ras = affine @ np.append(mean, 1.0)
            lps = (-ras[0], -ras[1], ras[2])
            print(f"{label},{muscle},{side},{int(s)},{len(section)},{len(section) * pixel_area!r},"
                  f"{lps[0]!r},{lps[1]!r},{lps[2]!r}")


if __name__ == "__main__":
    main()
