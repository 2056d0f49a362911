#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The 64 x 64 correlation matrix over 100 000 rows (Pearson and Spearman, with p and interval),
# discgeom and its numpy/scipy/pandas peer on the same tables in the same run, one core each.
# discgeom is header-only, so the caller's compiler flags decide its SIMD width: it is built
# twice, with the default flags (SSE2 on x86-64) and with -march=native.
set -euo pipefail
cd "$(dirname "$0")/.."
benchmarks/build_benchmark.sh bench_correlation_matrix
cmake -S . -B build/bench-native -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS=-march=native \
  -DDISCGEOM_BUILD_BENCHMARKS=ON -DDISCGEOM_BUILD_TESTS=OFF -DDISCGEOM_BUILD_EXAMPLES=OFF \
  -DDISCGEOM_WITH_ITK=OFF -DDISCGEOM_WITH_TORCH=OFF >/dev/null
cmake --build build/bench-native --target bench_correlation_matrix >/dev/null
data=build/bench/phantom
build/bench/benchmarks/bench_correlation_matrix --write-data $data
for build in bench bench-native; do
  echo "== discgeom, build/$build"
  build/$build/benchmarks/bench_correlation_matrix --benchmark_repetitions=5 \
    --benchmark_report_aggregates_only=true 2>&1 | grep -E "_median|Benchmark"
done
echo "== peers (OpenBLAS on one thread)"
OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 benchmarks/peers/correlation_matrix.py $data 5
