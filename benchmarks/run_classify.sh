#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# 5-fold cross-validation of gradient-boosted trees on three feature sets of a 1000-disc table:
# discgeom (XGBoost C API) and python-xgboost on the same folds in the same run, one thread each.
set -euo pipefail
cd "$(dirname "$0")/.."
benchmarks/build_benchmark.sh bench_classify
data=build/bench/phantom
OMP_NUM_THREADS=1 build/bench/benchmarks/bench_classify --write-data $data
echo "== discgeom"
OMP_NUM_THREADS=1 build/bench/benchmarks/bench_classify --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true 2>&1 | grep -E "_median|Benchmark"
echo "== peer"
OMP_NUM_THREADS=1 /usr/bin/python3 benchmarks/peers/classify.py $data 5
