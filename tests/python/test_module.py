# SPDX-License-Identifier: MIT
"""import discgeom: each function against the discgeom program on the same inputs, zero-copy
views, the errors, the GIL released during the C++ kernels, connected components and clean-ups
with known answers.

The program is the one built beside the module (DISCGEOM_CLI, set by ctest; else
build/default/examples/discgeom). The inputs are a phantom spine written by `discgeom phantom`
(an oblique, anisotropic SPIDER label map) and a prediction made from it here, written with
nibabel, so the comparison also covers geometry_from_nibabel against ITK's reading of the file.
"""
import json
import os
import pathlib
import subprocess
import sys
import textwrap
import threading
import time
import warnings

import numpy as np
import pytest

import discgeom

ROOT = pathlib.Path(__file__).resolve().parents[2]
TOLERANCE = 1e-12


def cli_path():
    """The program beside the module: DISCGEOM_CLI as ctest sets it (empty when the build has
    no program), else the default preset's."""
    path = os.environ.get("DISCGEOM_CLI",
                          str(ROOT / "build" / "default" / "examples" / "discgeom"))
    return path if path and os.path.exists(path) else None


def run_cli(*arguments):
    path = cli_path()
    if path is None:
        pytest.skip("the discgeom program is not built (DISCGEOM_CLI)")
    done = subprocess.run([path, *map(str, arguments), "--format", "json", "--quiet"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def nib():
    return pytest.importorskip("nibabel")


@pytest.fixture(scope="module")
def spine(tmp_path_factory, nib):
    """(reference file, prediction file, disc mask file): a phantom and a damaged copy."""
    folder = tmp_path_factory.mktemp("spine")
    path = cli_path()
    if path is None:
        pytest.skip("the discgeom program is not built (DISCGEOM_CLI)")
    subprocess.run([path, "phantom", "--out", str(folder), "--cases", "1", "--quiet"], check=True)
    reference_file = folder / "phantom_001.nii.gz"
    img = nib.load(reference_file)
    reference = np.asanyarray(img.dataobj)
    prediction = reference.copy()
    # A disc moved by two voxels along array axis 1, one missing, a vertebra eroded, a spurious
    # blob with a label the reference lacks.
    moved = reference == 203
    prediction[moved] = 0
    prediction[np.roll(moved, 2, axis=1)] = 203
    prediction[prediction == 205] = 0
    vertebra = np.argwhere(reference == 3)
    prediction[tuple(vertebra[: len(vertebra) // 3].T)] = 0
    prediction[5:9, 5:9, 2:4] = 207
    prediction_file = folder / "prediction.nii.gz"
    nib.save(nib.Nifti1Image(prediction, img.affine, img.header), prediction_file)
    discs_mask = ((reference >= 201) & (reference <= 225)).astype(np.uint8)
    mask_file = folder / "discs_mask.nii.gz"
    nib.save(nib.Nifti1Image(discs_mask, img.affine, img.header), mask_file)
    return reference_file, prediction_file, mask_file


def assert_same_table(cli_rows, table, skip=("case",)):
    """The program's JSON records and a dict of numpy columns hold the same table: the same
    columns, text equal, numbers within 1e-12, the program's null where ours is None, NaN or
    infinite."""
    assert cli_rows, "the program wrote no rows"
    columns = [c for c in cli_rows[0] if c not in skip]
    assert columns == list(table), (columns, list(table))
    for name in columns:
        ours = table[name]
        assert len(ours) == len(cli_rows), name
        for row, value in zip(cli_rows, ours):
            expected = row[name]
            if expected is None:
                assert value is None or (isinstance(value, (float, np.floating)) and
                                         not np.isfinite(value)), (name, value)
            elif isinstance(expected, str):
                assert value == expected, (name, value, expected)
            else:
                assert value is not None and np.isfinite(value), (name, value, expected)
                assert abs(float(value) - expected) <= TOLERANCE * max(1.0, abs(expected)), (
                    name, float(value), expected)


def assert_same_columns(table, expected, message=""):
    """Two of our tables are equal: text and counts exactly, measures to 1e-12 (another memory
    order sums the voxels in another order)."""
    assert list(table) == list(expected), message
    for name, column in expected.items():
        if column.dtype == object or column.dtype.kind == "i":
            assert table[name].dtype == column.dtype, (message, name)
            assert list(table[name]) == list(column), (message, name)
        else:
            np.testing.assert_allclose(table[name], column, rtol=TOLERANCE, atol=TOLERANCE,
                                       err_msg=f"{message} {name}")


# --- discs ---------------------------------------------------------------------------------

DISCS_OPTIONS = [
    ({}, {}),
    ({"convention": "perrone"}, {"--convention": "perrone"}),
    ({"largest_component": True}, {"--largest-component": None}),
    ({"min_voxels": 15000, "lowest_level": "L4/L5"}, {"--min-voxels": 15000,
                                                      "--lowest-level": "L4/L5"}),
]


def cli_options(options):
    out = []
    for key, value in options.items():
        out.append(key)
        if value is not None:
            out.append(value)
    return out


@pytest.mark.parametrize("ours, theirs", DISCS_OPTIONS, ids=lambda o: str(o))
def test_discs_equal_the_program(spine, nib, ours, theirs):
    reference_file, _, _ = spine
    expected = run_cli("discs", reference_file, *cli_options(theirs))
    table = discgeom.discs(nib.load(reference_file), **ours)
    assert_same_table(expected, table)
    assert len(table["level"]) >= 5


def test_discs_components_scheme_equal_the_program(spine, nib):
    _, _, mask_file = spine
    expected = run_cli("discs", mask_file, "--labels", "components")
    img = nib.load(mask_file)
    array, geometry = discgeom.from_nibabel(img)
    table = discgeom.discs(array, geometry, scheme="components", case="discs_mask")
    assert list(table["case"]) == ["discs_mask"] * len(expected)
    assert_same_table(expected, table, skip=())


def test_discs_of_every_dtype_and_layout_are_equal(spine, nib):
    reference_file, _, _ = spine
    array, geometry = discgeom.from_nibabel(nib.load(reference_file))
    expected = discgeom.discs(array, geometry)
    variants = [array.astype(t) for t in (np.uint16, np.int16, np.int32, np.uint32,
                                          np.int64, np.uint64, np.float32, np.float64)]
    variants += [np.asfortranarray(array), np.ascontiguousarray(array)]
    big = np.zeros((array.shape[0], 2 * array.shape[1], array.shape[2]), np.int16)
    big[:, ::2, :] = array
    variants.append(big[:, ::2, :])  # a strided view
    # int8 cannot hold SPIDER's 201-225: its discs are those of an ordinal map.
    assert discgeom.discs(array.astype(np.int8), geometry)["status"].tolist() == ["no discs"]
    for variant in variants:
        table = discgeom.discs(variant, geometry)
        assert_same_columns(table, expected, str(variant.dtype))


def test_discs_of_a_flipped_view_equal_those_of_its_copy(spine, nib):
    reference_file, _, _ = spine
    array, geometry = discgeom.from_nibabel(nib.load(reference_file))
    view = array[::-1, :, ::-1]
    copy = np.ascontiguousarray(view)
    assert_same_columns(discgeom.discs(view, geometry), discgeom.discs(copy, geometry))


# --- overlap -------------------------------------------------------------------------------

@pytest.mark.parametrize("convention", discgeom.CONVENTIONS)
def test_overlap_equals_the_program_in_every_convention(spine, nib, convention):
    reference_file, prediction_file, _ = spine
    expected = run_cli("overlap", "--reference", reference_file, "--prediction",
                       prediction_file, "--convention", convention)
    table = discgeom.overlap(nib.load(reference_file), nib.load(prediction_file),
                             convention=convention)
    if convention == "spider-challenge":  # the case's row; mean and std follow in the program's
        expected = expected[:1]
    assert_same_table(expected, table)


@pytest.mark.parametrize("ours, theirs", [
    ({"labels": [201, 203, 205, 207, 99]}, ["--labels", "201,203,205,207,99"]),
    ({"tolerance_mm": 2.5, "percentile": 90}, ["--tolerance-mm", "2.5", "--percentile", "90"]),
    ({"match": True}, ["--match"]),
    ({"min_dice": 0.6, "convention": "monai"}, ["--min-dice", "0.6", "--convention", "monai"]),
    ({"convention": "spider-challenge", "challenge_spacing": "as-released"},
     ["--convention", "spider-challenge", "--challenge-spacing", "as-released"]),
], ids=lambda o: str(o))
def test_overlap_options_equal_the_program(spine, nib, ours, theirs):
    reference_file, prediction_file, _ = spine
    expected = run_cli("overlap", "--reference", reference_file, "--prediction",
                       prediction_file, *theirs)
    if ours.get("convention") == "spider-challenge":
        expected = expected[:1]
    reference, geometry = discgeom.from_nibabel(nib.load(reference_file))
    prediction, _ = discgeom.from_nibabel(nib.load(prediction_file))
    assert_same_table(expected, discgeom.overlap(reference, prediction, geometry, **ours))
    assert_same_table(expected, discgeom.evaluate(reference, prediction, geometry, **ours))


def test_overlap_of_floats_views_and_orders_equal_that_of_integers(spine, nib):
    reference_file, prediction_file, _ = spine
    reference, geometry = discgeom.from_nibabel(nib.load(reference_file))
    prediction, _ = discgeom.from_nibabel(nib.load(prediction_file))
    expected = discgeom.overlap(reference, prediction, geometry, convention="deepmind")
    for r, p in [(reference.astype(np.float64), prediction.astype(np.float64)),
                 (reference.astype(np.float32), prediction.astype(np.float32)),
                 (np.asfortranarray(reference), np.ascontiguousarray(prediction)),
                 (reference.astype(np.uint64), prediction.astype(np.uint64))]:
        assert_same_columns(discgeom.overlap(r, p, geometry, convention="deepmind"), expected)


def test_overlap_known_answer_of_two_boxes():
    # Reference 4x4x4 box, prediction the same box moved by one voxel along axis 2 (2 mm):
    # TP 48, FP 16, FN 16, Dice 0.75; every surface distance of the moved faces is 2 mm.
    reference = np.zeros((10, 10, 10), np.uint8)
    prediction = np.zeros_like(reference)
    reference[2:6, 2:6, 2:6] = 1
    prediction[2:6, 2:6, 3:7] = 1
    table = discgeom.overlap(reference, prediction, spacing=(1.0, 1.0, 2.0))
    assert table["label"].tolist() == [1]
    assert (table["tp"][0], table["fp"][0], table["fn"][0]) == (48, 16, 16)
    assert table["dice"][0] == 0.75
    assert table["hd_mm"][0] == 2.0
    assert table["status"].tolist() == ["ok"]


def test_an_empty_prediction_gives_infinite_distances_not_empty_cells():
    reference = np.zeros((6, 6, 6), np.uint8)
    reference[1:4, 1:4, 1:4] = 1
    table = discgeom.overlap(reference, np.zeros_like(reference), spacing=(1, 1, 1),
                             convention="monai")
    assert table["dice"][0] == 0.0
    assert np.isinf(table["hd_mm"][0])


# --- geometry and nibabel ------------------------------------------------------------------

def test_geometry_from_nibabel_flips_ras_to_lps(nib):
    affine = np.array([[0.0, 0.0, -3.5, 10.0],
                       [-0.5, 0.0, 0.0, 20.0],
                       [0.0, 0.8, 0.0, -30.0],
                       [0.0, 0.0, 0.0, 1.0]])
    img = nib.Nifti1Image(np.zeros((4, 5, 6), np.uint8), affine)
    g = discgeom.geometry_from_nibabel(img)
    assert g.spacing == pytest.approx((0.5, 0.8, 3.5), rel=1e-7)
    assert g.origin == (-10.0, -20.0, -30.0)
    np.testing.assert_allclose(g.direction, [[0, 0, 1], [1, 0, 0], [0, 1, 0]], atol=1e-12)
    # index (1, 0, 0) lies 0.5 mm towards R (LPS x grows to the left... -0.5 RAS y: posterior)
    p = g.index_to_physical(1, 0, 0)
    np.testing.assert_allclose(np.subtract(p, g.origin), [0.0, 0.5, 0.0], atol=1e-7)


def test_from_nibabel_returns_the_image_array_itself(nib):
    data = np.zeros((4, 5, 6), np.int16)
    img = nib.Nifti1Image(data, np.eye(4))
    array, _ = discgeom.from_nibabel(img)
    assert np.shares_memory(array, data)
    img4 = nib.Nifti1Image(np.zeros((4, 5, 6, 1), np.int16), np.eye(4))
    array4, _ = discgeom.from_nibabel(img4)
    assert array4.shape == (4, 5, 6) and np.shares_memory(array4, img4.dataobj)


def test_geometry_keywords_and_2d_slices():
    slice_ = np.zeros((12, 12), np.uint8)
    slice_[3:7, 3:7] = 1
    ids, columns = discgeom.connected_components(slice_, spacing=(0.5, 2.0))
    assert ids.shape == (12, 12)
    assert columns["volume_mm3"].tolist() == [16 * 0.5 * 2.0]
    table = discgeom.overlap(slice_, slice_, spacing=(0.5, 2.0))
    assert table["dice"].tolist() == [1.0]
    g = discgeom.Geometry(spacing=(0.5, 2.0))
    assert g.spacing == (0.5, 2.0, 1.0)


# --- zero copy -----------------------------------------------------------------------------

@pytest.mark.parametrize("make", [
    lambda a: a,
    lambda a: np.asfortranarray(a),
    lambda a: a[::-1, 1:, ::2],
    lambda a: a.transpose(2, 0, 1),
    lambda a: a[:, :, 3],
], ids=["C", "F", "negative-strided", "transposed", "2D"])
def test_the_module_views_the_array_itself(make):
    a = make(np.arange(5 * 6 * 7, dtype=np.int32).reshape(5, 6, 7))
    address, shape, strides = discgeom._discgeom._viewed(a)
    assert address == a.__array_interface__["data"][0]
    assert shape[:a.ndim] == a.shape
    assert strides[:a.ndim] == tuple(s // a.itemsize for s in a.strides)


MEMORY_SCRIPT = textwrap.dedent("""
    import resource, sys
    import numpy as np
    import discgeom
    base = np.empty((400, 400, 400), np.int64)   # 512 MB
    base.fill(0)
    base[10:30, 10:30, 10:30] = 201
    base[40:60, 10:30, 10:30] = 202
    # The prediction, allocated before the measurement without any temporary array (a 64 MB
    # temporary would hide a 64 MB copy in the peak).
    other_base = base.copy()
    other_base[40:60, 10:30, 10:30] = 0
    layouts = {"C": lambda a: a, "F": lambda a: a.T, "negative": lambda a: a[::-1, :, ::-1]}
    view = layouts[sys.argv[1]](base)
    other = layouts[sys.argv[1]](other_base)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if len(sys.argv) > 2:   # the check of the check: a uint8 copy of the labels is seen
        copy = view.astype(np.uint8)
    discgeom.discs(view, spacing=(1, 1, 1), scheme="ordinal")
    discgeom.overlap(view, other, spacing=(1, 1, 1))
    discgeom.overlap(view, other, spacing=(1, 1, 1), convention="spider-challenge")
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print((after - before) / 1024)  # MB
""")


@pytest.mark.parametrize("layout", ["C", "F", "negative"])
def test_measuring_a_big_array_does_not_copy_it(layout):
    # A copy of the 512 MB volume (or even of it as uint8: 64 MB) would raise the peak resident
    # memory by at least 64 MB; the measures themselves need a few MB on these small labels.
    done = subprocess.run([sys.executable, "-c", MEMORY_SCRIPT, layout], capture_output=True,
                          text=True, check=False, env=os.environ.copy())
    assert done.returncode == 0, done.stderr
    grown_mb = float(done.stdout.strip())
    assert grown_mb < 32.0, grown_mb


def test_the_memory_check_sees_a_copy():
    # The same script with one uint8 copy of the labels (64 MB) inside the measured span: the
    # peak must show it, or the test above could not catch a copy.
    done = subprocess.run([sys.executable, "-c", MEMORY_SCRIPT, "F", "copy"], capture_output=True,
                          text=True, check=False, env=os.environ.copy())
    assert done.returncode == 0, done.stderr
    assert float(done.stdout.strip()) >= 60.0


def test_writes_go_to_the_array_itself_and_reads_see_changes():
    labels = np.zeros((8, 8, 8), np.uint16)
    labels[1:3, 1:3, 1:3] = 5
    labels[5:7, 5:7, 5:7] = 5
    view = labels[:, :, :]
    result = discgeom.keep_largest_component(view, out=view)  # in place
    assert result is view and np.shares_memory(result, labels)
    assert (labels == 5).sum() == 8
    labels[5, 5, 5] = 9  # the next call sees the change without any refresh
    assert discgeom.connected_components(labels, spacing=(1, 1, 1))[1]["label"].tolist() == [5, 9]


# --- errors --------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.complex128, object, np.float16, "U3", "S2",
                                   np.dtype(">i4")])
def test_an_unsupported_dtype_raises_value_error(dtype):
    labels = np.zeros((3, 3, 3), dtype=dtype)
    with pytest.raises(ValueError, match=r"discs\(\): labels has dtype"):
        discgeom.discs(labels, spacing=(1, 1, 1))


def test_errors_carry_discgeom_messages():
    a = np.zeros((4, 4, 4), np.uint8)
    with pytest.raises(discgeom.PreconditionError, match="differ in shape"):
        discgeom.overlap(a, np.zeros((4, 4, 3), np.uint8), spacing=(1, 1, 1))
    with pytest.raises(ValueError, match="same dtype"):
        discgeom.overlap(a, a.astype(np.int64), spacing=(1, 1, 1))
    with pytest.raises(ValueError, match="dimensions"):
        discgeom.discs(np.zeros((4, 4, 4, 2), np.uint8), spacing=(1, 1, 1))
    with pytest.raises(ValueError, match="dimensions"):
        discgeom.discs(np.zeros(4, np.uint8), spacing=(1, 1, 1))
    with pytest.raises(discgeom.PreconditionError, match=r"spacing\[1\] must be finite"):
        discgeom.discs(a, spacing=(1, float("nan"), 1))
    with pytest.raises(discgeom.PreconditionError, match=r"origin\[2\] must be finite"):
        discgeom.Geometry(spacing=(1, 1, 1), origin=(0, 0, float("inf")))
    with pytest.raises(discgeom.PreconditionError, match="not orthonormal"):
        discgeom.Geometry(direction=np.ones((3, 3)))
    with pytest.raises(discgeom.PreconditionError, match="convention 'hausdorff'"):
        discgeom.overlap(a, a, spacing=(1, 1, 1), convention="hausdorff")
    with pytest.raises(ValueError, match="does not apply"):
        discgeom.overlap(a, a, spacing=(1, 1, 1), convention="spider-challenge", match=True)
    with pytest.raises(discgeom.PreconditionError, match=r"labels\[1, 0, 0\] = 2.5"):
        f = np.zeros((3, 3, 3))
        f[1, 0, 0] = 2.5
        discgeom.discs(f, spacing=(1, 1, 1))
    with pytest.raises(discgeom.PreconditionError, match="not a label"):
        discgeom.overlap(np.full((2, 2, 2), -1, np.int8), np.zeros((2, 2, 2), np.int8),
                         spacing=(1, 1, 1))
    with pytest.raises(ValueError, match="no geometry"):
        discgeom.discs(a)
    with pytest.raises(ValueError, match="read-only"):
        r = np.zeros((4, 4, 4), np.uint8)
        r.flags.writeable = False
        discgeom.fill_holes(r, out=r)
    with pytest.raises(ValueError, match="connectivity 4"):
        discgeom.connected_components(a, spacing=(1, 1, 1), connectivity=4)
    with pytest.raises(ValueError, match="fill 300"):
        discgeom.fill_holes(a, fill=300)
    with pytest.raises(ValueError, match="background -1"):
        discgeom.keep_largest_component(a, background=-1)
    with pytest.raises(ValueError, match="background 2.5"):
        discgeom.keep_largest_component(a, background=2.5)
    with pytest.raises(ValueError, match="fill 'x'"):
        discgeom.fill_holes(a, fill="x")
    with pytest.raises(ValueError, match="spacing has 2 values"):
        discgeom.discs(a, spacing=(1, 1))
    assert issubclass(discgeom.PreconditionError, discgeom.Error)
    assert issubclass(discgeom.PreconditionError, ValueError)
    assert issubclass(discgeom.IoError, discgeom.Error) and issubclass(discgeom.IoError, OSError)


# --- the GIL and threads -------------------------------------------------------------------

def big_pair():
    # Two spheres of radius about 140 voxels: about a second of surface distances.
    shape = (320, 320, 320)
    grid = np.indices(shape, dtype=np.float32)
    reference = (sum((g - 160.0) ** 2 for g in grid) < 140.0 ** 2).astype(np.uint8)
    prediction = (sum((g - 157.0) ** 2 for g in grid) < 136.0 ** 2).astype(np.uint8)
    return reference, prediction


def test_the_gil_is_released_during_a_long_call():
    reference, prediction = big_pair()
    ticks = []
    stop = threading.Event()

    def count():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    thread = threading.Thread(target=count)
    thread.start()
    time.sleep(0.05)
    start = time.perf_counter()
    discgeom.overlap(reference, prediction, spacing=(1, 1, 1))
    end = time.perf_counter()
    stop.set()
    thread.join()
    assert end - start > 0.3, "the call is too short to tell"
    inside = [t for t in ticks if start + 0.1 < t < end - 0.1]
    # Holding the GIL, the call would let no tick through; released, a tick every few ms.
    assert len(inside) >= 10, (len(inside), end - start)


def test_batch_runs_cases_in_threads_in_order():
    cases = []
    for n in range(6):
        reference = np.zeros((20, 20, 20), np.uint8)
        reference[2:10, 2:10, 2:10] = 1
        prediction = np.zeros_like(reference)
        prediction[2 + n % 3:10, 2:10, 2:10] = 1
        cases.append(((reference, prediction), {"spacing": (1, 1, 1)}))
    serial = [discgeom.overlap(*args, **kwargs) for args, kwargs in cases]
    parallel = discgeom.batch(discgeom.overlap, cases, threads=3)
    assert [t["dice"].tolist() for t in parallel] == [t["dice"].tolist() for t in serial]
    dicts = [{"labels": c[0][0], "spacing": (1, 1, 1)} for c in cases]
    assert len(discgeom.batch(discgeom.discs, dicts, threads=2)) == 6


# --- connected components and clean-up -----------------------------------------------------

def test_connected_components_known_answer():
    labels = np.zeros((9, 9, 9), np.int16)
    labels[1:3, 1:3, 1:3] = 4      # 8 voxels
    labels[3, 3, 3] = 4            # touches the cube at a corner only
    labels[6:9, 6:8, 0:1] = 7      # 6 voxels
    # Numbered by first voxel, axis 0 fastest, then 1, then 2: the 7s (k = 0) come first.
    for connectivity, expected in [(26, [(7, 6), (4, 9)]), (6, [(7, 6), (4, 8), (4, 1)])]:
        ids, columns = discgeom.connected_components(labels, spacing=(0.5, 1.0, 2.0),
                                                     connectivity=connectivity)
        assert list(zip(columns["label"].tolist(), columns["voxels"].tolist())) == expected
        np.testing.assert_array_equal(columns["volume_mm3"], [v * 1.0 for _, v in expected])
        assert ids.dtype == np.uint32 and ids.shape == labels.shape
        for component, (label, voxels) in enumerate(expected, start=1):
            assert (ids == component).sum() == voxels
            assert np.all(labels[ids == component] == label)
    ids, columns = discgeom.connected_components(labels, spacing=(1, 1, 1))
    assert (columns["lower_i"][0], columns["upper_i"][0]) == (6, 8)
    np.testing.assert_allclose(columns["centroid_x_mm"][0], 7.0)


def test_connected_components_partition_equals_scipy():
    ndimage = pytest.importorskip("scipy.ndimage")
    rng = np.random.default_rng(3)
    mask = rng.random((30, 31, 32)) < 0.3
    ids, columns = discgeom.connected_components(mask, spacing=(1, 1, 1), connectivity=6)
    theirs, count = ndimage.label(mask)
    assert len(columns["id"]) == count
    # The same partition: each of our components is exactly one of theirs.
    pairs = np.unique(np.stack([ids[mask], theirs[mask]]), axis=1)
    assert pairs.shape[1] == count


def test_cleanup_values_are_written_exactly():
    # 2**53 + 1 has no double: it must reach an int64 map unrounded; numpy scalars are values.
    labels = np.zeros((6, 6, 6), np.int64)
    labels[0:2, 0:2, 0:2] = 4
    labels[4, 4, 4] = 4
    big = 2**53 + 1
    kept = discgeom.keep_largest_component(labels, background=big)
    assert kept[4, 4, 4] == big and kept[0, 0, 0] == 4
    assert discgeom.keep_largest_component(labels, background=np.int16(-3))[4, 4, 4] == -3
    with pytest.raises(ValueError, match="background 18446744073709551616"):
        discgeom.keep_largest_component(labels.astype(np.uint64), background=2**64)
    hollow = np.zeros((5, 5, 5), np.float32)
    hollow[1:4, 1:4, 1:4] = 1
    hollow[2, 2, 2] = 0
    assert discgeom.fill_holes(hollow, fill=np.float32(0.5))[2, 2, 2] == np.float32(0.5)
    with pytest.raises(ValueError, match="fill 0.1"):
        discgeom.fill_holes(hollow, fill=0.1)   # 0.1 has no float32


def test_cleanups_known_answers():
    labels = np.zeros((10, 10, 10), np.uint8)
    labels[1:4, 1:4, 1:4] = 2   # 27 voxels
    labels[6:8, 6:8, 6:8] = 2   # 8 voxels
    labels[6, 1, 1] = 3
    before = labels.copy()
    kept = discgeom.keep_largest_component(labels)
    np.testing.assert_array_equal(labels, before)  # a new array unless out= is given
    assert (kept == 2).sum() == 27 and (kept == 3).sum() == 1
    small = discgeom.remove_small_components(labels, min_voxels=8)
    assert (small == 2).sum() == 35 and (small == 3).sum() == 0
    by_volume = discgeom.remove_small_components(labels, spacing=(2, 2, 2), min_volume_mm3=100)
    assert (by_volume == 2).sum() == 27
    hollow = np.zeros((7, 7, 7), bool)
    hollow[1:6, 1:6, 1:6] = True
    hollow[2:5, 2:5, 2:5] = False
    filled = discgeom.fill_holes(hollow)
    assert filled.sum() == 125 and hollow.sum() == 125 - 27
    ring = np.zeros((7, 7, 3), np.float32)
    ring[1:6, 1:6, :] = 1
    ring[2:5, 2:5, :] = 0   # a tube along axis 2: no hole in 3D, a hole in each axial slice
    assert discgeom.fill_holes(ring).sum() == ring.sum()
    assert discgeom.fill_holes(ring, fill=5, axis=2)[3, 3, 1] == 5
    f = labels.astype(np.float64)
    np.testing.assert_array_equal(discgeom.keep_largest_component(f), kept)


def test_postprocess_known_answer_without_smoothing():
    labels = np.zeros((12, 12, 12), np.int16)
    labels[2:8, 2:8, 2:8] = 1
    labels[5, 5, 5] = 0          # a hole of one voxel
    labels[0, 0, 0] = 1          # a second component of label 1
    labels[9:11, 9:11, 9:11] = 7  # another label, whole
    expected = np.zeros_like(labels)
    expected[2:8, 2:8, 2:8] = 1
    expected[9:11, 9:11, 9:11] = 7
    before = labels.copy()
    result, report = discgeom.postprocess(labels)
    np.testing.assert_array_equal(labels, before)  # a new array unless out= is given
    np.testing.assert_array_equal(result, expected)
    assert report == {"labels": 2, "smoothing_removed": 0, "smoothing_added": 0,
                      "holes_filled": 1, "components_removed": 1,
                      "component_voxels_removed": 1}
    # Each step off: the hole stays, or the stray voxel stays.
    kept_hole, _ = discgeom.postprocess(labels, holes="off")
    assert kept_hole[5, 5, 5] == 0 and kept_hole[0, 0, 0] == 0
    kept_stray, _ = discgeom.postprocess(labels, keep_largest_component=False)
    assert kept_stray[0, 0, 0] == 1 and kept_stray[5, 5, 5] == 1
    # In place through out=.
    discgeom.postprocess(labels, out=labels)
    np.testing.assert_array_equal(labels, expected)


def test_postprocess_smoothing_equals_scipy_open_close():
    """One label, anisotropic voxels: the smoothing step equals scipy's binary opening (outside
    the array is background) then a closing computed with room around it, with the ball
    {o : sum_d (o_d s_d / r)^2 <= 1} as the structuring element."""
    ndimage = pytest.importorskip("scipy.ndimage")
    spacing, radius = (0.8, 1.0, 2.0), 2.1
    reach = [int(np.floor(radius / s)) for s in spacing]
    grid = np.meshgrid(*[np.arange(-r, r + 1) for r in reach], indexing="ij")
    ball = sum((g * s / radius) ** 2 for g, s in zip(grid, spacing)) <= 1 + 1e-12
    rng = np.random.default_rng(5)
    mask = np.zeros((24, 22, 12), bool)
    mask[4:19, 3:18, 2:10] = True
    mask |= rng.random(mask.shape) < 0.04          # specks outside
    mask &= ~(rng.random(mask.shape) < 0.04)       # pits inside
    mask[0:6, 8:10, 5] = True                      # a spur reaching the border
    opened = ndimage.binary_dilation(ndimage.binary_erosion(mask, ball, border_value=0), ball)
    pad = [(2 * r, 2 * r) for r in reach]
    closed = ndimage.binary_erosion(ndimage.binary_dilation(np.pad(opened, pad), ball), ball)
    expected = closed[tuple(slice(2 * r, 2 * r + n) for r, n in zip(reach, mask.shape))]
    labels = mask.astype(np.uint16) * 3
    result, report = discgeom.postprocess(labels, spacing=spacing, smoothing_radius_mm=radius,
                                          holes="off", keep_largest_component=False)
    np.testing.assert_array_equal(result == 3, expected)
    assert set(np.unique(result)) <= {0, 3}
    assert report["smoothing_removed"] == int((mask & ~expected).sum()) > 0
    assert report["smoothing_added"] == int((~mask & expected).sum()) > 0


def test_postprocess_errors():
    labels = np.zeros((5, 5, 5), np.int32)
    with pytest.raises(discgeom.PreconditionError, match="smoothing_radius_mm"):
        discgeom.postprocess(labels, spacing=(1, 1, 1), smoothing_radius_mm=-1)
    with pytest.raises(ValueError, match="integer label map"):
        discgeom.postprocess(labels.astype(np.float32))
    with pytest.raises(ValueError, match="hole_plane 'oblique'"):
        discgeom.postprocess(labels, spacing=(1, 1, 1), holes="slices", hole_plane="oblique")
    with pytest.raises(discgeom.PreconditionError, match="holes"):
        discgeom.postprocess(labels, holes="sometimes")
    with pytest.raises(ValueError, match="no geometry"):
        discgeom.postprocess(labels, smoothing_radius_mm=1.0)


# --- correlations --------------------------------------------------------------------------

def correlation_table(tmp_path):
    rng = np.random.default_rng(11)
    n = 40
    a = rng.normal(size=n)
    columns = {"height_mm": a * 2 + 9, "volume_mm3": a * 300 + rng.normal(size=n) * 200 + 4000,
               "z0": rng.normal(size=n), "z1": a + rng.normal(size=n) * 0.5,
               "z2": np.round(rng.normal(size=n), 1)}
    columns["z1"][[3, 17]] = np.nan  # missing values: pairs left out
    path = tmp_path / "features.csv"
    with open(path, "w", encoding="utf-8") as f:
        f.write(",".join(columns) + "\n")
        for r in range(n):
            f.write(",".join("" if np.isnan(v[r]) else repr(float(v[r]))
                             for v in columns.values()) + "\n")
    return path, columns


@pytest.mark.parametrize("ours, theirs", [
    ({}, []),
    ({"method": ["pearson", "spearman", "kendall"], "adjust": "holm"},
     ["--method", "pearson,spearman,kendall", "--adjust", "holm"]),
    ({"alternative": "greater", "confidence": 0.9, "adjust": "bh"},
     ["--alternative", "greater", "--confidence", "0.9", "--adjust", "bh"]),
    ({"ci": "bootstrap", "resamples": 300, "seed": 7, "method": "spearman"},
     ["--ci", "bootstrap", "--resamples", "300", "--seed", "7", "--method", "spearman"]),
], ids=lambda o: str(o))
def test_correlate_equals_the_program(tmp_path, ours, theirs):
    path, columns = correlation_table(tmp_path)
    expected = run_cli("correlate", path, "--x", "z*", "--y", "height_mm,volume_mm3", *theirs)
    x = {k: v for k, v in columns.items() if k.startswith("z")}
    y = {k: columns[k] for k in ("height_mm", "volume_mm3")}
    assert_same_table(expected, discgeom.correlate(x, y, **ours))


def test_correlation_matrix_holds_the_same_numbers_as_the_table(tmp_path):
    _, columns = correlation_table(tmp_path)
    features = np.column_stack(list(columns.values()))  # a 2D array: strided float64 columns
    table = discgeom.correlate(features, method="kendall", adjust="holm")
    m = discgeom.correlation_matrix(features, method="kendall", adjust="holm")
    assert m["x"] == m["y"] == [f"x{c}" for c in range(5)]
    np.testing.assert_array_equal(m["r"].ravel(), table["r"])
    np.testing.assert_array_equal(m["p_adjusted"].ravel(), table["p_adjusted"])
    np.testing.assert_array_equal(m["n"].ravel(), table["n"])
    assert m["n"][0, 3] == 38 and np.allclose(np.diag(m["r"]), 1.0)
    with pytest.raises(discgeom.PreconditionError, match="method"):
        discgeom.correlate(features, method="pearsn")


# --- shape ---------------------------------------------------------------------------------

@pytest.mark.parametrize("ours, theirs", [
    ({}, []),
    ({"labels": [202, 3, 150]}, ["--labels", "202,3,150"]),
], ids=lambda o: str(o))
def test_shape_equals_the_program(spine, nib, ours, theirs):
    reference_file, _, _ = spine
    expected = run_cli("shape", reference_file, *theirs)
    assert_same_table(expected, discgeom.shape(nib.load(reference_file), **ours))


def test_shape_of_a_slice_equals_the_program(tmp_path, nib):
    # One sagittal slice of a disc: 2D features (PixelSurface, Perimeter, ...).
    labels = np.zeros((30, 40, 1), np.uint8)
    grid = np.indices((30, 40))
    labels[..., 0][((grid[0] - 15) / 9.0) ** 2 + ((grid[1] - 20) / 14.0) ** 2 < 1] = 201
    labels[2:5, 2:6, 0] = 7
    affine = np.diag([0.625, 0.75, 4.0, 1.0])  # exact in the header's float32
    path = tmp_path / "slice.nii.gz"
    nib.save(nib.Nifti1Image(labels, affine), path)
    expected = run_cli("shape", path)
    table = discgeom.shape(labels[:, :, 0], spacing=(0.625, 0.75))
    assert "PixelSurface" in table
    assert_same_table(expected, table)
    assert_same_table(expected, discgeom.shape(labels, nib.load(path)))


# --- muscles -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def muscle_phantom(tmp_path_factory):
    folder = tmp_path_factory.mktemp("muscles")
    path = cli_path()
    if path is None:
        pytest.skip("the discgeom program is not built (DISCGEOM_CLI)")
    subprocess.run([path, "phantom", "--out", str(folder), "--cases", "1", "--muscles",
                    "--quiet"], check=True)
    return folder / "muscles" / "phantom_001.nii.gz"


def test_muscles_equal_the_program(muscle_phantom, nib, tmp_path):
    discs_file = tmp_path / "discs.csv"
    subprocess.run([cli_path(), "discs", str(muscle_phantom), "--out", str(discs_file),
                    "--quiet"], check=True)
    img = nib.load(muscle_phantom)
    for theirs, ours in [([], {}), (["--discs", discs_file], {"discs": discgeom.discs(img)})]:
        expected = run_cli("muscles", muscle_phantom, "--labels", "phantom", *theirs)
        table = discgeom.muscles(img, scheme="phantom", **ours)
        assert len(table["muscle"]) > 20
        assert_same_table(expected, table)
    custom = [(61, "psoas", "L"), (62, "psoas", "R")]
    table = discgeom.muscles(img, scheme=custom)
    assert set(table["muscle"]) == {"psoas"} and set(table["label"]) == {61, 62}


def test_muscles_refuse_a_sagittal_map():
    labels = np.zeros((10, 40, 40), np.uint8)  # axis 0 (LR) the coarsest: sagittal slices
    with pytest.raises(discgeom.PreconditionError, match="muscles"):
        discgeom.muscles(labels, spacing=(4.0, 0.5, 0.5))


def test_muscles_of_one_axial_slice_with_coarse_pixels():
    # A 2D array is one axial slice: its pixels may be larger than the 1 mm the missing third
    # axis stands for. Psoas L (61) is a 6 x 5 pixel box at 1.5 mm: 30 px, 67.5 mm^2.
    labels = np.zeros((20, 20), np.int32)
    labels[12:18, 4:9] = 61
    labels[2:8, 4:9] = 62
    table = discgeom.muscles(labels, spacing=(1.5, 1.5),
                             scheme=[(61, "psoas", "L"), (62, "psoas", "R")])
    left = list(table["label"]).index(61)
    assert table["pixels"][left] == 30 and table["pixels"].dtype == np.int64
    assert table["csa_mm2"][left] == pytest.approx(67.5, rel=1e-12)
    assert table["centroid_x_mm"][left] == pytest.approx(14.5 * 1.5, rel=1e-12)
    assert table["slice"].dtype == np.int64


# --- agree ---------------------------------------------------------------------------------

def write_csv(path, columns):
    with open(path, "w", encoding="utf-8") as f:
        f.write(",".join(columns) + "\n")
        for r in range(len(next(iter(columns.values())))):
            cells = []
            for values in columns.values():
                v = values[r]
                cells.append("" if isinstance(v, float) and np.isnan(v) else
                             (repr(float(v)) if isinstance(v, (float, np.floating)) else str(v)))
            f.write(",".join(cells) + "\n")


def test_agree_equals_the_program(tmp_path):
    rng = np.random.default_rng(5)
    levels = ["L1/L2", "L2/L3", "L3/L4", "L4/L5", "L5/S1"]
    cases = [f"case{c}" for c in range(8)]
    reference = {"case": [], "level": [], "height_mm": [], "ap_width_mm": [], "volume_mm3": []}
    for case in cases:
        for level in levels:
            reference["case"].append(case)
            reference["level"].append(level)
            reference["height_mm"].append(float(rng.normal(9, 1.5)))
            reference["ap_width_mm"].append(float(rng.normal(35, 3)))
            reference["volume_mm3"].append(float(rng.normal(12000, 1500)))
    n = len(reference["case"])
    test = {k: list(v) for k, v in reference.items()}
    for measure, noise in [("height_mm", 0.4), ("ap_width_mm", 1.0), ("volume_mm3", 400.0)]:
        test[measure] = [v + float(rng.normal(0.2, noise)) for v in test[measure]]
    test["height_mm"][4] = float("nan")  # a missing measure
    for k in test:  # a reference row without a partner, and a test row without one
        del test[k][7]
    test["case"].append("case99")
    test["level"].append("L4/L5")
    for k in ("height_mm", "ap_width_mm", "volume_mm3"):
        test[k].append(1.0)
    write_csv(tmp_path / "reference.csv", reference)
    write_csv(tmp_path / "test.csv", test)
    expected = run_cli("agree", tmp_path / "reference.csv", tmp_path / "test.csv", "--key",
                       "case,level", "--measures", "*_mm,volume_mm3", "--by", "level")
    table = discgeom.agree(reference, test, key=["case", "level"],
                           measures=["*_mm", "volume_mm3"], by="level")
    assert len(table["measure"]) == 3 * 6 and n == 40
    assert_same_table(expected, table)
    expected = run_cli("agree", tmp_path / "reference.csv", tmp_path / "test.csv", "--key",
                       "case,level", "--measures", "height_mm")
    assert_same_table(expected, discgeom.agree(reference, test, ["case", "level"], "height_mm"))


# --- latent traversal ----------------------------------------------------------------------

def ellipsoid_decoder(code):
    """A known decoder: an ellipsoid of semi-axes 12 + z0 (axes 0 and 1) and 3 + z1 (axis 2)."""
    grid = np.indices((44, 44, 24), dtype=np.float64)
    a, c = 12.0 + code[0], 3.0 + code[1]
    inside = ((grid[0] - 21.5) / a) ** 2 + ((grid[1] - 21.5) / a) ** 2 + \
        ((grid[2] - 11.5) / c) ** 2 <= 1.0
    return inside.astype(np.uint8)


def test_traverse_with_a_python_decoder_known_answers():
    rng = np.random.default_rng(2)
    codes = np.column_stack([rng.uniform(0, 4, 30), rng.uniform(0, 5, 30)])
    codes[0] = (0.0, 0.0)
    codes[1] = (4.0, 5.0)
    calls = []

    def decoder(code):
        calls.append(code.copy())
        return ellipsoid_decoder(code)

    study = discgeom.traverse(codes, decoder, spacing=(1, 1, 1), steps=6)
    grid = study["grid"]
    assert len(calls) == 12 and grid["feature"].tolist() == [0] * 6 + [1] * 6
    assert grid["step"].tolist() == list(range(6)) * 2
    np.testing.assert_allclose(grid["z1"][:6], codes[:, 1].mean())  # held at the mean
    np.testing.assert_allclose(grid["z0"][:6], np.linspace(0, 4, 6), atol=1e-12)
    # Each point is measured as discs() measures the decoded mask.
    for p in range(12):
        code = np.array([grid["z0"][p], grid["z1"][p]])
        expected = discgeom.discs(ellipsoid_decoder(code), spacing=(1, 1, 1), scheme="ordinal")
        for name in ("volume_mm3", "height_mm", "ap_width_mm", "minrect_height_mm"):
            assert grid[name][p] == pytest.approx(expected[name][0], rel=1e-12), name
    assert np.all(np.diff(grid["height_mm"][6:]) > 0)  # taller with z1
    correlations = study["correlations"]
    pairs = dict(zip(zip(correlations["x"], correlations["y"]), correlations["r"]))
    assert pairs[("z1", "height_mm")] == 1.0 and pairs[("z0", "volume_mm3")] == 1.0
    assert np.all(np.isfinite(grid["plausibility"])) and study["typical_distance"] > 0


def test_traverse_passes_the_decoder_errors_through():
    codes = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.5]])

    def broken(code):
        raise RuntimeError("the decoder failed")

    with pytest.raises(RuntimeError, match="the decoder failed"):
        discgeom.traverse(codes, broken, spacing=(1, 1, 1), plausibility=False)
    with pytest.raises(ValueError, match="decoded mask has dtype"):
        discgeom.traverse(codes, lambda code: np.zeros((4, 4, 4), np.complex64),
                          spacing=(1, 1, 1), plausibility=False)


# --- indices -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def spine_with_image(tmp_path_factory):
    folder = tmp_path_factory.mktemp("spine_image")
    path = cli_path()
    if path is None:
        pytest.skip("the discgeom program is not built (DISCGEOM_CLI)")
    subprocess.run([path, "phantom", "--out", str(folder), "--cases", "1", "--image", "--seed",
                    "4", "--quiet"], check=True)
    return folder / "phantom_001.nii.gz", folder / "phantom_001_t1.nii.gz"


@pytest.mark.parametrize("ours, theirs", [
    ({}, []),
    ({"with_image": True}, ["--image"]),
    ({"with_image": True, "age": 45, "sex": "F"}, ["--image", "--age", "45", "--sex", "F"]),
    ({"clean": False, "slice": 10}, ["--no-clean", "--slice", "10"]),
], ids=lambda o: str(o))
def test_indices_equal_the_program(spine_with_image, nib, ours, theirs):
    labels_file, image_file = spine_with_image
    arguments = [labels_file]
    if "--image" in theirs:
        arguments += ["--image", image_file]
        theirs = [t for t in theirs if t != "--image"]
    expected = run_cli("indices", *arguments, *theirs)
    ours = dict(ours)
    if ours.pop("with_image", False):
        ours["image"] = nib.load(image_file)
    table = discgeom.indices(nib.load(labels_file), **ours)
    assert len(table["level"]) >= 5
    assert_same_table(expected, table)
    if "image" in ours:
        assert np.isfinite(table["delta_si"]).any()


def test_discs_warn_of_an_implausible_spacing_as_the_program(spine, nib):
    reference_file, _, _ = spine
    array, _ = discgeom.from_nibabel(nib.load(reference_file))
    done = subprocess.run([cli_path(), "discs", str(reference_file), "--spacing", "5,5,5",
                           "--quiet"], capture_output=True, text=True, check=True)
    assert "implausible spacing 5,5,5: disc L5/S1 (label 201) has height" in done.stderr
    with pytest.warns(UserWarning, match=r"implausible spacing 5,5,5: disc L5/S1 \(label 201\) "
                                         r"has height"):
        discgeom.discs(array, spacing=(5, 5, 5))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        discgeom.discs(nib.load(reference_file))  # its own header: no warning
