# SPDX-License-Identifier: MIT
"""examples/python/discs_from_nibabel.py runs on a small phantom and writes what it says, so the
example cannot rot. The phantom comes from the discgeom program (`discgeom phantom`), found in
DISCGEOM_CLI (set by the ctest entry) or build/default/examples/discgeom."""
import csv
import os
import pathlib
import subprocess
import sys

import nibabel
import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "python" / "discs_from_nibabel.py"


def discgeom_program():
    candidates = [os.environ.get("DISCGEOM_CLI"),
                  ROOT / "build" / "default" / "examples" / "discgeom"]
    for candidate in candidates:
        if candidate and pathlib.Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    pytest.skip("the discgeom program is not built (DISCGEOM_CLI unset)")
    return None


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def test_example_on_a_phantom(tmp_path):
    program = discgeom_program()
    phantom = tmp_path / "phantom"
    subprocess.run([program, "phantom", "--out", str(phantom), "--cases", "1", "--quiet"],
                   check=True)
    mask = phantom / "phantom_001.nii.gz"
    out = tmp_path / "out"
    env = dict(os.environ, MPLBACKEND="Agg")
    run = subprocess.run([sys.executable, str(EXAMPLE), str(mask), "--out", str(out)],
                         capture_output=True, text=True, env=env, check=False)
    assert run.returncode == 0, run.stdout + run.stderr

    truth = read_csv(phantom / "truth.csv")
    discs = read_csv(out / "discs.csv")
    assert [int(row["label"]) for row in discs] == [int(row["label"]) for row in truth]
    assert all(row["status"] == "ok" for row in discs)

    # The stand-in prediction is the mask moved by one voxel along axis 0. Every edge voxel of
    # the mask moves onto an edge voxel of the prediction, so no distance exceeds spacing[0];
    # the in-plane spacings are equal and the through-plane one larger, so the smallest non-zero
    # distance is spacing[0] too, and the front face's voxels are at exactly that: HD =
    # spacing[0] for every disc, Dice < 1. (The header stores the zooms and the affine in
    # float32; the spacing from the affine and the zooms agree to float32 precision.)
    zooms = nibabel.load(mask).header.get_zooms()
    assert zooms[0] == zooms[1] < zooms[2]
    overlap = read_csv(out / "overlap_monai.csv")
    assert [int(row["label"]) for row in overlap] == [int(row["label"]) for row in discs]
    for row in overlap:
        assert row["status"] == "ok"
        assert float(row["hd_mm"]) == pytest.approx(float(zooms[0]), rel=1e-6)
        assert 0.0 < float(row["hd95_mm"]) <= float(row["hd_mm"])
        assert 0.5 < float(row["dice"]) < 1.0

    figure = out / "discs.png"
    assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert figure.stat().st_size > 10_000
    assert np.isfinite([float(row["height_mm"]) for row in discs]).all()
