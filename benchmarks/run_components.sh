#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Connected-components benchmark: discgeom and scipy.ndimage.label on the same volume, same run.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DDISCGEOM_BUILD_BENCHMARKS=ON \
  -DDISCGEOM_BUILD_TESTS=OFF -DDISCGEOM_BUILD_EXAMPLES=OFF -DDISCGEOM_WITH_ITK=OFF -DDISCGEOM_WITH_TORCH=OFF >/dev/null
cmake --build build/bench --target bench_connected_components >/dev/null
mkdir -p build/bench/phantom
build/bench/benchmarks/bench_connected_components --write-phantom build/bench/phantom \
  --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
/usr/bin/python3 benchmarks/peers/connected_components.py build/bench/phantom 5
