#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Connected-components benchmark: discgeom and scipy.ndimage.label on the same volume, same run.
set -euo pipefail
cd "$(dirname "$0")/.."
benchmarks/build_benchmark.sh bench_connected_components
build/bench/benchmarks/bench_connected_components --write-phantom build/bench/phantom \
  --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
/usr/bin/python3 benchmarks/peers/connected_components.py build/bench/phantom 5
