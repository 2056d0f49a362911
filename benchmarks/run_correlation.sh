#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The 64 x 64 correlation matrix over 100 000 rows (Pearson and Spearman, with p and interval),
# discgeom and its numpy/scipy/pandas peer on the same tables in the same run, one core each.
set -euo pipefail
cd "$(dirname "$0")/.."
benchmarks/build_benchmark.sh bench_correlation_matrix
bin=build/bench/benchmarks
data=build/bench/phantom
$bin/bench_correlation_matrix --write-data $data
$bin/bench_correlation_matrix --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 benchmarks/peers/correlation_matrix.py $data 5
