#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Golden values of pyradiomics' 3D and 2D shape features, computed by pyradiomics itself, and
the IBSI digital phantom with its published morphology reference values.

pyradiomics (github.com/AIM-Harvard/pyradiomics, BSD-3-Clause) v3.1.0 (commit 6a761c4e) is run
unchanged: its C extension _cshape (marching cubes, areas, diameters) built with gcc against
Debian's numpy 1.24 headers (v3.1.0 still builds with numpy 1.x; the C file cshape.c is the same
in later versions up to a comment), and its shape.py / shape2D.py classes, which need SimpleITK
only to pad the mask and hand over arrays and spacing: Debian ships no SimpleITK, so a few lines
below stand in for those calls (``_sitk``). As pyradiomics' feature extractor does, each mask is
first cropped to its label's bounding box (see pyradiomics_features: the origin matters for the
mesh volume of an open surface). Build and run with Debian's python (python3-numpy,
python3-six, python3-pywt, python3-dev):
    git clone https://github.com/AIM-Harvard/pyradiomics /tmp/pyr && git -C /tmp/pyr checkout v3.1.0
    cd /tmp/pyr && NP=$(/usr/bin/python3 -c 'import numpy; print(numpy.get_include())') \\
      && X=$(/usr/bin/python3 -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))') \\
      && for m in cshape cmatrices; do gcc -O2 -shared -fPIC -I/usr/include/python3.11 -I$NP \\
           radiomics/src/_$m.c radiomics/src/$m.c -o radiomics/_$m$X -lm; done
    /usr/bin/python3 tests/golden/make_pyradiomics_shape_golden.py /tmp/pyr \\
        > tests/data/pyradiomics_shape_golden.txt
The IBSI phantom file (also needs python3-nibabel, python3-scipy, python3-skimage, and checkouts of
github.com/theibsi/data_sets and github.com/theibsi/ibsi-doc):
    /usr/bin/python3 tests/golden/make_pyradiomics_shape_golden.py --ibsi /tmp/pyr \\
        /path/to/data_sets /path/to/ibsi-doc > tests/data/ibsi_phantom.txt

Format of pyradiomics_shape_golden.txt, one block per case:
    case NAME
    dim 3 | dim 2
    shape NX NY [NZ]     voxels along x, y (, z); pyradiomics' array is [z][y][x] (or [y][x])
    spacing SX SY [SZ]   mm, same order
    mask RLE             "value count" pairs, x fastest (numpy C order of the [z][y][x] array)
    feature NAME VALUE   pyradiomics' value (repr of the Python float), one line each
    end
3D features: MeshVolume, VoxelVolume, SurfaceArea, SurfaceVolumeRatio, Sphericity, Compactness1,
Compactness2, SphericalDisproportion, Maximum3DDiameter, Maximum2DDiameterSlice (plane of
constant z), Maximum2DDiameterColumn (constant y), Maximum2DDiameterRow (constant x),
MajorAxisLength, MinorAxisLength, LeastAxisLength, Elongation, Flatness.
2D features: MeshSurface, PixelSurface, Perimeter, PerimeterSurfaceRatio, Sphericity,
SphericalDisproportion, MaximumDiameter, MajorAxisLength, MinorAxisLength, Elongation.
Each case also carries "check" lines from independent computations (skimage's marching cubes for
3D mesh volume and area where the surface has no ambiguous cube, closed forms for boxes and
rectangles, 4 sqrt(lambda) from numpy's eigvalsh of the divisor-N covariance): check NAME VALUE;
the script asserts that they agree with pyradiomics to 1e-9 (relative). Where an eigenvalue is 0
(one voxel, voxels on a line) pyradiomics returns 4 sqrt(rounding residue), up to about 2e-8,
and 0/0 = nan for elongation and flatness of a single voxel: compare those with an absolute slack.
"""
import importlib
import math
import os
import sys
import types

import numpy as np


# ---------------------------------------------------------------------------------------------
# The SimpleITK calls pyradiomics' shape classes make (arrays are [z][y][x]; spacing x, y, z).
class _Image:
    def __init__(self, array, spacing_xyz):
        self.array = np.asarray(array)
        self.spacing = tuple(float(s) for s in spacing_xyz)

    def GetSpacing(self):
        return self.spacing

    def GetDimension(self):
        return self.array.ndim

    def GetSize(self):
        return tuple(reversed(self.array.shape))


class _ConstantPadImageFilter:
    def SetPadLowerBound(self, bound):
        self.lower = [int(b) for b in bound]

    def SetPadUpperBound(self, bound):
        self.upper = [int(b) for b in bound]

    def Execute(self, image):
        # bounds are given in (x, y, z) order; the array is [z][y][x]
        pad = list(zip(reversed(self.lower), reversed(self.upper)))
        return _Image(np.pad(image.array, pad, mode="constant", constant_values=0), image.spacing)


def _sitk():
    module = types.ModuleType("SimpleITK")
    module.Image = _Image
    module.GetArrayFromImage = lambda image: image.array.copy()
    module.ConstantPadImageFilter = _ConstantPadImageFilter
    return module


def load_pyradiomics(root):
    """pyradiomics' shape modules, unchanged, with the package's own C extension.

    radiomics/__init__.py is not run: it imports every module of the package (the feature
    extractor needs pykwalify and more, which Debian lacks). The package object below carries
    what shape.py and shape2D.py import from it: the C extension, the `deprecated` marker (as
    __init__ defines it: it only tags the function) and the progress reporter base.py imports."""
    sys.modules["SimpleITK"] = _sitk()
    package = types.ModuleType("radiomics")
    package.__path__ = [os.path.join(os.path.abspath(root), "radiomics")]

    def deprecated(func):
        func._is_deprecated = True
        return func

    package.deprecated = deprecated
    package.getProgressReporter = None
    sys.modules["radiomics"] = package
    package.cShape = importlib.import_module("radiomics._cshape")
    import logging

    logging.getLogger("radiomics").setLevel(logging.ERROR)
    shape = importlib.import_module("radiomics.shape")
    shape2d = importlib.import_module("radiomics.shape2D")
    return shape.RadiomicsShape, shape2d.RadiomicsShape2D


FEATURES_3D = ["MeshVolume", "VoxelVolume", "SurfaceArea", "SurfaceVolumeRatio", "Sphericity",
               "Compactness1", "Compactness2", "SphericalDisproportion", "Maximum3DDiameter",
               "Maximum2DDiameterSlice", "Maximum2DDiameterColumn", "Maximum2DDiameterRow",
               "MajorAxisLength", "MinorAxisLength", "LeastAxisLength", "Elongation", "Flatness"]
FEATURES_2D = ["MeshSurface", "PixelSurface", "Perimeter", "PerimeterSurfaceRatio", "Sphericity",
               "SphericalDisproportion", "MaximumDiameter", "MajorAxisLength", "MinorAxisLength",
               "Elongation"]


def pyradiomics_features(classes, mask, spacing_xyz):
    """The shape features as pyradiomics' feature extractor computes them: its computeShape first
    crops image and mask to the label's bounding box (imageoperations.cropToTumorMask, padDistance
    0), then the shape class pads the mask by one voxel. The crop matters for the mesh volume of a
    surface that the table's complement lookup leaves open (two voxels touching at an edge): the
    sum of a . (b x c) / 6 over an open surface depends on the origin, here the bounding box's
    corner less one voxel, as in the extractor. The other features do not depend on the crop."""
    cls = classes[0] if mask.ndim == 3 else classes[1]
    names = FEATURES_3D if mask.ndim == 3 else FEATURES_2D
    nonzero = np.argwhere(mask)
    low, high = nonzero.min(axis=0), nonzero.max(axis=0) + 1
    mask = mask[tuple(slice(a, b) for a, b in zip(low, high))]
    image = _Image(np.zeros(mask.shape, np.float64), spacing_xyz)
    labels = _Image(mask.astype(np.uint8), spacing_xyz)
    extractor = cls(image, labels, label=1)
    return {name: float(getattr(extractor, f"get{name}FeatureValue")()) for name in names}


# ---------------------------------------------------------------------------------------------
# Independent checks.
def skimage_mesh(mask, spacing_zyx):
    """Mesh volume and area of skimage's marching cubes (Lewiner) at level 0.5 on the padded mask."""
    from skimage.measure import marching_cubes, mesh_surface_area

    padded = np.pad(mask.astype(np.float64), 1)
    verts, faces, _, _ = marching_cubes(padded, 0.5, spacing=spacing_zyx)
    a, b, c = verts[faces[:, 0]], verts[faces[:, 1]], verts[faces[:, 2]]
    volume = abs(np.sum(np.einsum("ij,ij->i", a, np.cross(b, c)))) / 6.0
    return volume, mesh_surface_area(verts, faces)


def ambiguous_cubes(mask):
    """Number of 2x2x2 cubes whose corners show a face or body ambiguity (then meshes may differ)."""
    m = np.pad(mask.astype(bool), 1)
    count = 0
    for z in range(m.shape[0] - 1):
        for y in range(m.shape[1] - 1):
            for x in range(m.shape[2] - 1):
                c = m[z : z + 2, y : y + 2, x : x + 2]
                faces = [c[0], c[1], c[:, 0], c[:, 1], c[:, :, 0], c[:, :, 1]]
                if any(f[0, 0] == f[1, 1] and f[0, 1] == f[1, 0] and f[0, 0] != f[0, 1] for f in faces):
                    count += 1
                elif c.sum() in (2, 6):
                    odd = np.argwhere(c == (c.sum() == 2))
                    if np.all(np.abs(odd[0] - odd[1]) == 1):  # the two odd corners are body-opposite
                        count += 1
    return count


def box_mesh(n, s):
    """Marching-cubes (level 0.5, mid-edge vertices) volume and area of an n0 x n1 x n2 voxel box.

    The surface is the box (n_i s_i) with every edge cut by a 45-degree (in index space) chamfer
    through the mid-points of the cube edges and every corner cut by a triangle."""
    L = [n[i] * s[i] for i in range(3)]
    volume = L[0] * L[1] * L[2]
    area = 0.0
    for i in range(3):
        j, k = (i + 1) % 3, (i + 2) % 3
        # flat face pieces: the two faces normal to i, each (n_j - 1) s_j by (n_k - 1) s_k
        area += 2 * (n[j] - 1) * s[j] * (n[k] - 1) * s[k]
        # chamfers along the 4 edges parallel to i, length (n_i - 1) s_i, cross-section legs s_j/2, s_k/2
        volume -= 4 * (n[i] - 1) * s[i] * (s[j] * s[k] / 8)
        area += 4 * (n[i] - 1) * s[i] * math.hypot(s[j] / 2, s[k] / 2)
    # 8 corner cubes: each keeps the tetrahedron-cut octant, volume s0 s1 s2 / 48 of the octant's
    # s0 s1 s2 / 8; the corner triangle has sides joining the three half-edges.
    volume -= 8 * (s[0] * s[1] * s[2] / 8 - s[0] * s[1] * s[2] / 48)
    h = [x / 2 for x in s]
    tri = 0.5 * math.sqrt((h[0] * h[1]) ** 2 + (h[1] * h[2]) ** 2 + (h[0] * h[2]) ** 2)
    area += 8 * tri
    return volume, area


def rect_mesh(n, s):
    """2D marching squares on an n0 x n1 pixel rectangle: area and perimeter (corners cut)."""
    area = n[0] * s[0] * n[1] * s[1] - 4 * (s[0] * s[1] / 8)
    perimeter = 2 * (n[0] - 1) * s[0] + 2 * (n[1] - 1) * s[1] + 4 * math.hypot(s[0] / 2, s[1] / 2)
    return area, perimeter


def pca_axes(mask, spacing_zyx):
    """4 sqrt(lambda) of the covariance (ddof 0) of the voxel-centre coordinates, largest first."""
    pts = np.argwhere(mask) * np.asarray(spacing_zyx, float)
    cov = np.cov(pts.T, bias=True)
    return [4 * math.sqrt(max(v, 0.0)) for v in sorted(np.linalg.eigvalsh(cov), reverse=True)]


# ---------------------------------------------------------------------------------------------
def rle(array):
    flat = np.ascontiguousarray(array).ravel(order="C")  # x fastest for a [z][y][x] array
    change = np.flatnonzero(np.diff(flat)) + 1
    starts = np.concatenate(([0], change))
    lengths = np.diff(np.concatenate((starts, [flat.size])))
    return " ".join(f"{int(flat[s])} {int(n)}" for s, n in zip(starts, lengths))


def grid(shape_zyx, spacing_zyx):
    return np.meshgrid(*[np.arange(n) * s for n, s in zip(shape_zyx, spacing_zyx)], indexing="ij")


def cases():
    out = []
    # A box of 4 x 5 x 6 voxels (x, y, z) at 0.7 x 1.1 x 2.5 mm, one voxel of margin.
    m = np.zeros((8, 7, 6), np.uint8)
    m[1:7, 1:6, 1:5] = 1
    out.append(("box_4x5x6_0.7x1.1x2.5", m, (0.7, 1.1, 2.5), {"box": (4, 5, 6)}))
    # A sphere of radius 6 mm at 0.8 x 1.0 x 2.0 mm.
    spacing = (0.8, 1.0, 2.0)
    z, y, x = grid((10, 17, 21), spacing[::-1])
    m = (((x - 8.0) ** 2 + (y - 8.2) ** 2 + (z - 9.1) ** 2) <= 36.0).astype(np.uint8)
    out.append(("sphere_r6_0.8x1.0x2.0", m, spacing, {}))
    # A tilted disc-like ellipsoid (semi-axes 9, 5, 3 mm) at sagittal-MRI spacing 0.45 x 0.45 x 3.3.
    spacing = (0.45, 0.45, 3.3)
    z, y, x = grid((6, 36, 48), spacing[::-1])
    t = math.radians(20.0)
    u = (x - 10.6) * math.cos(t) + (y - 7.9) * math.sin(t)
    v = -(x - 10.6) * math.sin(t) + (y - 7.9) * math.cos(t)
    m = ((u / 9.0) ** 2 + (v / 5.0) ** 2 + ((z - 8.2) / 6.0) ** 2 <= 1.0).astype(np.uint8)
    out.append(("tilted_ellipsoid_0.45x0.45x3.3", m, spacing, {}))
    # A single voxel (the octahedron: volume s0 s1 s2 / 6).
    m = np.zeros((3, 3, 3), np.uint8)
    m[1, 1, 1] = 1
    out.append(("single_voxel_1x2x3", m, (1.0, 2.0, 3.0), {"box": (1, 1, 1)}))
    # 2D: a rectangle of 7 x 4 pixels at 0.6 x 0.9 mm.
    m = np.zeros((6, 9), np.uint8)
    m[1:5, 1:8] = 1
    out.append(("rectangle_7x4_0.6x0.9", m, (0.6, 0.9), {"rect": (7, 4)}))
    # 2D: a tilted ellipse (semi-axes 8 and 3 mm, 25 degrees) at 0.5 x 0.8 mm.
    spacing = (0.5, 0.8)
    y, x = grid((20, 40), spacing[::-1])
    t = math.radians(25.0)
    u = (x - 10.1) * math.cos(t) + (y - 7.7) * math.sin(t)
    v = -(x - 10.1) * math.sin(t) + (y - 7.7) * math.cos(t)
    m = ((u / 8.0) ** 2 + (v / 3.0) ** 2 <= 1.0).astype(np.uint8)
    out.append(("tilted_ellipse_0.5x0.8", m, spacing, {}))
    # 2D: an L shape with a one-pixel bump and a pixel touching it at a corner only (a saddle
    # square: pyradiomics' table keeps the two diagonal pixels apart).
    m = np.zeros((9, 10), np.uint8)
    m[1:8, 1:3] = 1
    m[6:8, 1:8] = 1
    m[5, 4] = 1
    m[5, 8] = 1
    out.append(("l_shape_diagonal_pixel_1.0x1.3", m, (1.0, 1.3), {}))
    # 3D: two voxels sharing an edge only, and two sharing a corner only (ambiguous cubes).
    m = np.zeros((4, 4, 3), np.uint8)
    m[1, 1, 1] = m[2, 2, 1] = 1
    out.append(("two_voxels_edge_contact_0.5x0.7x1.1", m, (0.5, 0.7, 1.1), {}))
    m = np.zeros((4, 4, 4), np.uint8)
    m[1, 1, 1] = m[2, 2, 2] = 1
    out.append(("two_voxels_corner_contact_0.5x0.7x1.1", m, (0.5, 0.7, 1.1), {}))
    # Random voxels (many ambiguous cubes: these pin down pyradiomics' own triangle table, which
    # neither of skimage's tables reproduces) in 3D and 2D.
    rng = np.random.default_rng(20260)
    m = (rng.random((6, 7, 8)) < 0.45).astype(np.uint8)
    out.append(("random_voxels_0.7x1.1x1.9", m, (0.7, 1.1, 1.9), {}))
    m = (rng.random((9, 11)) < 0.5).astype(np.uint8)
    out.append(("random_pixels_0.6x0.9", m, (0.6, 0.9), {}))
    # 3D: four voxels touching only along edges, where cubes of either state of p7 meet at
    # ambiguous faces: the surface is left open and its signed "mesh volume" is negative.
    m = np.zeros((3, 3, 3), np.uint8)
    m[0, 2, 2] = m[1, 1, 0] = m[1, 1, 2] = m[1, 2, 1] = 1
    out.append(("four_voxels_open_mesh_0.8x1.1x2.5", m, (0.8, 1.1, 2.5), {}))
    return out


def main_golden(root):
    classes = load_pyradiomics(root)
    print("# pyradiomics shape golden values: tests/golden/make_pyradiomics_shape_golden.py "
          "(format in its docstring); pyradiomics v3.1.0, numpy " + np.__version__)
    for name, mask, spacing, extra in cases():
        spacing_zyx = spacing[::-1]
        values = pyradiomics_features(classes, mask, spacing)
        print(f"case {name}")
        print(f"dim {mask.ndim}")
        print("shape " + " ".join(str(n) for n in mask.shape[::-1]))
        print("spacing " + " ".join(repr(float(s)) for s in spacing))
        print("mask " + rle(mask))
        for key, value in values.items():
            print(f"feature {key} {value!r}")
        axes = pca_axes(mask, spacing_zyx)
        checks = {}
        if mask.ndim == 3:
            checks["voxels"] = int(mask.sum())
            if ambiguous_cubes(mask) == 0:
                checks["skimage_MeshVolume"], checks["skimage_SurfaceArea"] = skimage_mesh(mask, spacing_zyx)
            for key, value in zip(("MajorAxisLength", "MinorAxisLength", "LeastAxisLength"), axes):
                checks[f"eigh_{key}"] = value
            if "box" in extra:
                checks["closed_MeshVolume"], checks["closed_SurfaceArea"] = box_mesh(extra["box"], spacing)
        else:
            checks["pixels"] = int(mask.sum())
            for key, value in zip(("MajorAxisLength", "MinorAxisLength"), axes):
                checks[f"eigh_{key}"] = value
            if "rect" in extra:
                checks["closed_MeshSurface"], checks["closed_Perimeter"] = rect_mesh(extra["rect"], spacing)
        for key, value in checks.items():
            target = key.split("_", 1)[-1]
            if target in values:
                # An axis whose eigenvalue is 0 comes out as 4 sqrt(rounding residue), up to ~1e-7.
                slack = 2e-7 if key.startswith("eigh_") else 0.0
                assert abs(values[target] - value) <= 1e-9 * max(1.0, abs(value)) + slack, (name, key)
            print(f"check {key} {value!r}")
        print("end")


# ---------------------------------------------------------------------------------------------
IBSI_IDS = ["RNU0", "YEKZ", "C0JK", "2PR5", "SKGS", "BQWJ", "KRCK", "QCFX", "25C7", "KLMA", "L0JK",
            "TDIC", "P9VJ", "7J51", "Q3CK", "N17B", "PBX1", "R59B", "ZH1A", "IQYR", "6BDE", "RDD2",
            "SWZ1", "BRI8", "R3ER", "7T7F", "99N0", "N365", "NPT7"]


def ibsi_reference_values(doc_root):
    """(id, name, value, tolerance, consensus, line) of the digital phantom rows of the manual."""
    import re

    path = os.path.join(doc_root, "docs", "03_Image_features.rst")
    lines = open(path, encoding="utf-8").read().splitlines()
    rows, name, fid = [], None, None
    for i, line in enumerate(lines):
        if i + 1 < len(lines) and line.strip() and re.fullmatch(r"\^{3,}", lines[i + 1].strip()):
            name, fid = line.strip(), None
        match = re.search(r">([A-Z0-9]{4})</p>", line)
        if match and fid is None:
            fid = match.group(1)
        if "dig. phantom" in line and fid in IBSI_IDS:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            value = cells[1].replace(":math:`1.2 \\times 10^{3}`", "1.2e3")
            rows.append((fid, name, value, cells[2], cells[3].replace(" ", "_"), i + 1))
            fid = "done"
    return rows


def main_ibsi(root, data_root, doc_root):
    import nibabel

    folder = os.path.join(data_root, "ibsi_1_digital_phantom", "nifti")
    image = nibabel.load(os.path.join(folder, "image", "phantom.nii.gz"))
    mask = nibabel.load(os.path.join(folder, "mask", "mask.nii.gz"))
    values = np.asanyarray(image.dataobj).astype(np.int64)  # [i][j][k] = (x, y, z)
    roi = np.asanyarray(mask.dataobj).astype(np.int64)
    spacing = tuple(float(s) for s in image.header.get_zooms())
    assert values.shape == (5, 4, 4) and spacing == (2.0, 2.0, 2.0) and roi.shape == values.shape
    print("# IBSI 1 digital phantom (Zwanenburg et al., Radiology 295(2):328-338, 2020,")
    print("# doi:10.1148/radiol.2020191145; reference manual arXiv:1612.07003, section 'Digital phantom').")
    print("# Data: github.com/theibsi/data_sets, ibsi_1_digital_phantom/nifti/image/phantom.nii.gz and")
    print("# .../nifti/mask/mask.nii.gz, CC BY 4.0 (Alex Zwanenburg).")
    print("# Written by tests/golden/make_pyradiomics_shape_golden.py --ibsi.")
    print("# shape NX NY NZ and spacing (mm) in the NIfTI's index order (i, j, k) = the manual's (x, y, z);")
    print("# image and mask list the voxels with i fastest, then j, then k. The NIfTI affine is")
    print("# diag(-2, -2, 2) (qform code 2); morphology does not depend on it. 74 of the 80 voxels are")
    print("# in the ROI; the morphological and intensity masks are the same (no re-segmentation).")
    print(f"shape {' '.join(str(n) for n in values.shape)}")
    print(f"spacing {' '.join(repr(s) for s in spacing)}")
    print("image " + " ".join(str(v) for v in values.ravel(order="F")))
    print("mask " + " ".join(str(v) for v in roi.ravel(order="F")))
    print("#")
    print("# Reference values for the digital phantom, morphological features (IBSI feature ID, name,")
    print("# value, tolerance, consensus), from the IBSI reference manual's source,")
    print("# github.com/theibsi/ibsi-doc docs/03_Image_features.rst (commit b952e71e, 2021-12-13),")
    print("# section 'Morphological features',")
    print("# table 'Reference values for the <feature> feature', row 'dig. phantom'; LINE = its line there.")
    print("# Features without a digital-phantom value in the manual are absent (OMBB, MVEE densities).")
    print("# ref ID NAME VALUE TOLERANCE CONSENSUS LINE")
    for fid, name, value, tol, consensus, line in ibsi_reference_values(doc_root):
        print(f"ref {fid} {name.replace(' ', '_')} {value} {tol} {consensus} {line}")
    print("#")
    print("# pyradiomics v3.1.0 on the same mask (shape.py with its C extension; spacing 2 mm):")
    print("# pyradiomics NAME VALUE")
    classes = load_pyradiomics(root)
    zyx = np.transpose(roi, (2, 1, 0)).copy()
    features = pyradiomics_features(classes, zyx, spacing)
    for key, value in features.items():
        print(f"pyradiomics {key} {value!r}")
    print("#")
    print("# Independent computations (numpy/scipy, this script) that reproduce the reference values:")
    print("# computed NAME VALUE. The axis lengths 4 sqrt(lambda) match IBSI (TDIC, P9VJ, 7J51) with the")
    print("# sample covariance (divisor N - 1 = 73) of the voxel-centre coordinates; pyradiomics divides")
    print("# by N (ddof 0) and its minor and least axes fall just outside IBSI's tolerance. CoM shift: voxel")
    print("# centres in mm, intensity weights = image values. Bounding-box and convex-hull densities use")
    print("# the mesh vertices (edge mid-points), i.e. the voxel-centre extent plus one voxel.")
    from scipy.spatial import ConvexHull

    pts = np.argwhere(roi) * np.asarray(spacing)
    for ddof in (1, 0):
        axes = sorted(np.linalg.eigvalsh(np.cov(pts.T, ddof=ddof)), reverse=True)
        for key, lam in zip(("MajorAxisLength", "MinorAxisLength", "LeastAxisLength"), axes):
            print(f"computed {key}_ddof{ddof} {4 * math.sqrt(lam)!r}")
    weights = values[roi == 1].astype(np.float64)
    shift = pts.mean(axis=0) - (pts * weights[:, None]).sum(axis=0) / weights.sum()
    print(f"computed CentreOfMassShift {float(np.linalg.norm(shift))!r}")
    volume, area = features["MeshVolume"], features["SurfaceArea"]
    print(f"computed IntegratedIntensity {float(weights.mean() * volume)!r}")
    extent = pts.max(axis=0) - pts.min(axis=0) + np.asarray(spacing)
    print(f"computed VolumeDensityAABB {volume / float(np.prod(extent))!r}")
    box_area = 2 * (extent[0] * extent[1] + extent[1] * extent[2] + extent[0] * extent[2])
    print(f"computed AreaDensityAABB {area / float(box_area)!r}")
    from skimage.measure import marching_cubes

    verts = marching_cubes(np.pad(roi.astype(np.float64), 1), 0.5, spacing=spacing)[0]
    hull = ConvexHull(verts)
    print(f"computed VolumeDensityConvexHull {volume / hull.volume!r}")
    print(f"computed AreaDensityConvexHull {area / hull.area!r}")


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "--ibsi":
        main_ibsi(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) == 2:
        main_golden(sys.argv[1])
    else:
        sys.exit("usage: make_pyradiomics_shape_golden.py [--ibsi] PYRADIOMICS [DATA_SETS IBSI_DOC]")


if __name__ == "__main__":
    main()
