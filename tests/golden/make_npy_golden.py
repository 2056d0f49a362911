#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Small .npy files written by numpy, for tests/io/npy.cpp (which never runs Python).

    /usr/bin/python3 tests/golden/make_npy_golden.py tests/data

Each array holds value 100 i + 10 j + k at [i][j][k] (uint8: modulo 256), so the reader's axis
order can be checked element by element.
"""
import sys

import numpy as np

folder = sys.argv[1]
i, j, k = np.meshgrid(np.arange(3), np.arange(4), np.arange(5), indexing="ij")
values = 100 * i + 10 * j + k
np.save(f"{folder}/npy_c_uint8.npy", (values % 256).astype(np.uint8))
np.save(f"{folder}/npy_c_float32.npy", values.astype(np.float32))
np.save(f"{folder}/npy_fortran_float64.npy", np.asfortranarray(values.astype(np.float64)))
