#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The discs-table benchmark: discgeom (C++) and its numpy/scipy peer on the same phantom, same run.
set -euo pipefail
cd "$(dirname "$0")/.."
benchmarks/build_benchmark.sh bench_discs_table
build/bench/benchmarks/bench_discs_table --write-phantom build/bench/phantom \
  --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
/usr/bin/python3 benchmarks/peers/discs_table.py build/bench/phantom 5
