#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Segmentation-metrics benchmarks, each with its numpy/scipy peer on the same data, same run:
# multi-label Dice/IoU, surface distances of a 5-disc pair (every engine), the engine crossover
# of the automatic engine's cost model, and the peak memory of a whole evaluation.
set -euo pipefail
cd "$(dirname "$0")/.."
benchmarks/build_benchmark.sh bench_overlap_metrics
benchmarks/build_benchmark.sh bench_surface_distances
bin=build/bench/benchmarks
data=build/bench/phantom

echo "== Dice / IoU by label, 512 x 512 x 64"
$bin/bench_overlap_metrics --write-data $data \
  --benchmark_repetitions=10 --benchmark_report_aggregates_only=true
/usr/bin/python3 benchmarks/peers/overlap_metrics.py $data 5

echo "== Surface distances, 5-disc pair 512 x 512 x 64"
$bin/bench_surface_distances --write-data $data \
  --benchmark_filter='surface_metrics|evaluate_all|bounding_boxes' \
  --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
/usr/bin/python3 benchmarks/peers/surface_distances.py $data 5 3

echo "== Engine crossover (one label per case)"
$bin/bench_surface_distances --benchmark_filter='engine_only|per_label' \
  --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
  --benchmark_out=$data/engine_crossover.json --benchmark_out_format=json >/dev/null
/usr/bin/python3 benchmarks/engine_crossover.py $data/engine_crossover.json

echo "== Peak memory, 5-disc pair"
for mode in load kd_tree distance_transform automatic; do
  /usr/bin/time -v $bin/bench_surface_distances --peak-memory $mode 2>&1 |
    grep -E "peak resident|Maximum resident"
done
