#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The paper's autoencoder at 64^3 (and 32^3) on 2 threads: discgeom (C++ LibTorch) and Python
# PyTorch (Debian's python3-torch, the same LibTorch underneath) in the same run, alternating.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build/bench-torch -G Ninja -DCMAKE_BUILD_TYPE=Release -DDISCGEOM_BUILD_BENCHMARKS=ON \
  -DDISCGEOM_BUILD_TESTS=OFF -DDISCGEOM_BUILD_EXAMPLES=OFF -DDISCGEOM_WITH_ITK=OFF >/dev/null
cmake --build build/bench-torch --target bench_autoencoder >/dev/null
for size in 64 32; do
  for round in 1 2; do
    build/bench-torch/benchmarks/bench_autoencoder 2 5 $size
    /usr/bin/python3 benchmarks/peers/autoencoder.py 2 5 $size
  done
done
