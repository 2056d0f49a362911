# SPDX-License-Identifier: MIT
"""discgeom.overlap(convention="monai") and (convention="deepmind") against MONAI 1.5.0 and
DeepMind surface-distance.

The goldens (tests/data/python_metrics/golden.json and the .npy label maps beside it) were made
by tests/golden/make_python_metrics_golden.py, which runs both peers unchanged. When the peers are
importable (on sys.path, or their source trees named by DISCGEOM_MONAI_SOURCE and
DISCGEOM_SURFACE_DISTANCE_SOURCE), the same comparisons also run against them live.

Tolerances:
  * DeepMind computes in float64: 1e-12 relative (summation order).
  * MONAI casts every distance to float32 (monai/metrics/utils.py, get_surface_distance) and
    averages, interpolates and divides in float32 (Dice too): its numbers carry float32 rounding,
    2^-24 = 6e-8 relative per operation. HD is a maximum, and rounding is monotone, so MONAI's HD
    is discgeom's rounded to float32, exactly; the other scores within 1e-6 relative (16 float32
    units in the last place; the largest difference seen is 1.1e-7, in MASD).
Empty masks (docs/metrics.md, presets): where a convention documents a value the peer does not
give, the test pins both the peer's value and ours, so neither may drift unnoticed.
"""
import hashlib
import importlib.util
import json
import math
import os
import pathlib
import sys

import numpy as np
import pytest

import discgeom

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "python_metrics"
GENERATOR = ROOT / "tests" / "golden" / "make_python_metrics_golden.py"
DEEPMIND_RTOL = 1e-12
MONAI_RTOL = 1e-6


def decode(value):
    if isinstance(value, dict):
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, str) and value in ("nan", "inf", "-inf"):
        return float(value)
    return value


GOLDEN = decode(json.loads((DATA / "golden.json").read_text(encoding="utf-8")))
CASES = {case["name"]: case for case in GOLDEN["cases"]}


def load_case(case):
    reference = np.load(DATA / case["reference"])
    prediction = np.load(DATA / case["prediction"])
    geometry = discgeom.Geometry(spacing=tuple(case["spacing"]), origin=(0.0, 0.0, 0.0),
                                 direction=np.eye(3))
    return reference, prediction, geometry


def rows_by_label(table):
    labels = [int(label) for label in np.asarray(table["label"])]
    return {label: {name: np.asarray(column)[i] for name, column in table.items()}
            for i, label in enumerate(labels)}


def ours(case, convention):
    reference, prediction, geometry = load_case(case)
    table = discgeom.overlap(reference, prediction, geometry=geometry, convention=convention,
                             tolerance_mm=GOLDEN["tolerance_mm"])
    rows = rows_by_label(table)
    assert sorted(rows) == case["labels"]
    return rows


def close(value, expected, rtol):
    value, expected = float(value), float(expected)
    return math.isfinite(expected) and abs(value - expected) <= rtol * abs(expected)


def check_deepmind(case, rows, peer):
    """DeepMind's robust HD at 100 and 95, the mean of its two directed area-weighted averages
    (MASD), its surface Dice and its Dice, per label."""
    for label in case["labels"]:
        theirs, row = peer[str(label)], rows[label]
        where = f"{case['name']} label {label}"
        one_empty = theirs["area_reference"] == 0.0 or theirs["area_prediction"] == 0.0
        if one_empty:
            # Both say: HD and HD95 inf, surface Dice 0, Dice 0. DeepMind's directed mean of the
            # empty side is 0/0 = NaN, so MASD (not one of its functions) has no peer value;
            # the deepmind preset gives inf.
            for column, key in (("hd_mm", "hd"), ("hd95_mm", "hd95")):
                assert theirs[key] == math.inf and row[column] == math.inf, (where, column)
            assert theirs["nsd"] == 0.0 and row["nsd"] == 0.0, where
            assert theirs["dice"] == row["dice"], where
            assert row["masd_mm"] == math.inf, where
            continue
        masd = 0.5 * (theirs["asd_reference_to_prediction"] + theirs["asd_prediction_to_reference"])
        for column, expected in (("hd_mm", theirs["hd"]), ("hd95_mm", theirs["hd95"]),
                                 ("masd_mm", masd), ("nsd", theirs["nsd"]),
                                 ("dice", theirs["dice"])):
            assert close(row[column], expected, DEEPMIND_RTOL), (where, column, row[column],
                                                                 expected)


def check_monai(case, rows, peer):
    """MONAI's compute_hausdorff_distance (HD, HD95), compute_average_surface_distance
    (symmetric = ASSD; the two directed means give MASD), compute_surface_dice and DiceMetric."""
    for label in case["labels"]:
        theirs, row = peer[str(label)], rows[label]
        where = f"{case['name']} label {label}"
        if not math.isfinite(theirs["asd_symmetric"]):
            # One mask empty. MONAI: HD inf, HD95 NaN (the empty direction's quantile is NaN),
            # ASSD and both directed means inf, NSD 0; Dice NaN when the reference is empty
            # (ignore_empty=True), else 0. The monai preset: the same, except HD95 inf, as
            # docs/metrics.md states.
            assert theirs["hd"] == math.inf and row["hd_mm"] == math.inf, where
            assert math.isnan(theirs["hd95"]) and row["hd95_mm"] == math.inf, where
            assert theirs["asd_symmetric"] == math.inf and row["assd_mm"] == math.inf, where
            assert row["masd_mm"] == math.inf, where
            assert theirs["nsd"] == 0.0 and row["nsd"] == 0.0, where
            if math.isnan(theirs["dice"]):
                assert math.isnan(row["dice"]), where
            else:
                assert theirs["dice"] == row["dice"], where
            continue
        assert np.float32(row["hd_mm"]) == np.float32(theirs["hd"]), (where, row["hd_mm"],
                                                                       theirs["hd"])
        masd = 0.5 * (theirs["asd_reference_to_prediction"] + theirs["asd_prediction_to_reference"])
        for column, expected in (("hd95_mm", theirs["hd95"]), ("assd_mm", theirs["asd_symmetric"]),
                                 ("masd_mm", masd), ("nsd", theirs["nsd"]),
                                 ("dice", theirs["dice"])):
            assert close(row[column], expected, MONAI_RTOL), (where, column, row[column], expected)


def test_goldens_cover_what_they_claim():
    """The golden set holds the cases the generator documents, with both peers' versions."""
    assert GOLDEN["peers"]["monai"]["version"] == "1.5.0"
    assert GOLDEN["peers"]["surface_distance"]["commit"] == \
        "1f805cea446805e559badc80dd27f34175e4173d"
    assert sorted(CASES) == ["empty_prediction", "five_discs", "one_voxel_shift",
                             "two_labels_anisotropic"]
    for case in GOLDEN["cases"]:
        reference, prediction, _ = load_case(case)
        assert list(reference.shape) == case["shape"] == list(prediction.shape)
        for role, volume in (("reference", reference), ("prediction", prediction)):
            digest = hashlib.sha256(np.ascontiguousarray(volume).tobytes()).hexdigest()
            assert digest == case["sha256"][role], (case["name"], role)


@pytest.mark.parametrize("name", sorted(CASES))
def test_deepmind_convention_equals_stored_deepmind(name):
    case = CASES[name]
    check_deepmind(case, ours(case, "deepmind"), case["deepmind"])


@pytest.mark.parametrize("name", sorted(CASES))
def test_monai_convention_equals_stored_monai(name):
    case = CASES[name]
    check_monai(case, ours(case, "monai"), case["monai"])


def test_one_voxel_shift_known_answers():
    """The box moved by one 3.3 mm voxel along axis 2: the centre of either box's end face is one
    3.3 mm step from the other box's face, and no surface point is farther (any other point of
    the other surface is at least as far along axis 2), so HD = 3.3 mm under both conventions.
    The whole bottom face of the reference is at 3.3 mm: 80 of its 256 edge voxels and about
    32 of its 433 mm^2 of surfels, both above 5 %, so HD95 = 3.3 mm too."""
    case = CASES["one_voxel_shift"]
    for convention in ("monai", "deepmind"):
        row = ours(case, convention)[1]
        assert row["hd_mm"] == pytest.approx(3.3, rel=1e-12)
        assert row["hd95_mm"] == pytest.approx(3.3, rel=1e-12)


# ------------------------------------------------------------------------------------------------
# The peers themselves, when importable.


def load_generator():
    spec = importlib.util.spec_from_file_location("make_python_metrics_golden", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generator_builds_the_stored_inputs():
    """The generator's cases are the stored .npy files, byte for byte."""
    generator = load_generator()
    for make in generator.CASES:
        name, spacing, reference, prediction = make()
        case = CASES[name]
        assert list(spacing) == case["spacing"]
        np.testing.assert_array_equal(reference, np.load(DATA / case["reference"]))
        np.testing.assert_array_equal(prediction, np.load(DATA / case["prediction"]))


def live_peers():
    for variable in ("DISCGEOM_MONAI_SOURCE", "DISCGEOM_SURFACE_DISTANCE_SOURCE"):
        path = os.environ.get(variable)
        if path and path not in sys.path:
            sys.path.insert(0, path)
    try:
        import torch  # pylint: disable=import-outside-toplevel
        from monai import metrics as monai_metrics  # pylint: disable=import-outside-toplevel
        from surface_distance import metrics as deepmind_metrics  # pylint: disable=C0415
    except ImportError as error:
        pytest.skip(f"MONAI or DeepMind surface-distance not importable ({error}); set "
                    "DISCGEOM_MONAI_SOURCE and DISCGEOM_SURFACE_DISTANCE_SOURCE")
    return torch, monai_metrics, deepmind_metrics


@pytest.mark.parametrize("name", sorted(CASES))
def test_against_live_peers(name):
    torch, monai_metrics, deepmind_metrics = live_peers()
    generator = load_generator()  # its peer calls, with its scipy namespace aliases
    case = CASES[name]
    reference, prediction, _ = load_case(case)
    spacing = tuple(case["spacing"])
    monai_live = generator.monai_scores(torch, monai_metrics, reference, prediction,
                                        case["labels"], spacing)
    deepmind_live = generator.deepmind_scores(deepmind_metrics, reference, prediction,
                                              case["labels"], spacing)
    check_monai(case, ours(case, "monai"), monai_live)
    check_deepmind(case, ours(case, "deepmind"), deepmind_live)
