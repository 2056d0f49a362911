#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The Python module against MONAI's and DeepMind's Python metrics and scipy on the 5-disc pair,
# in one process (benchmarks/python_metrics.py), after the C++ benchmark of the same pair for
# reference. Builds the module and bench_surface_distances in build/bench (Release, as the other
# benchmarks) and needs the two peers' source trees, which it runs unchanged:
#   mkdir /tmp/monai-1.5.0 && git -C MONAI archive 1.5.0 | tar -x -C /tmp/monai-1.5.0
#   mkdir /tmp/surface-distance
#   git -C surface-distance archive 1f805ce | tar -x -C /tmp/surface-distance
#   DISCGEOM_MONAI_SOURCE=/tmp/monai-1.5.0 DISCGEOM_SURFACE_DISTANCE_SOURCE=/tmp/surface-distance \
#     benchmarks/run_python_metrics.sh [REPEATS] [PEER_REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DISCGEOM_MONAI_SOURCE:?the MONAI source tree (release 1.5.0)}"
: "${DISCGEOM_SURFACE_DISTANCE_SOURCE:?the DeepMind surface-distance source tree}"
cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DDISCGEOM_BUILD_BENCHMARKS=ON \
  -DDISCGEOM_BUILD_TESTS=OFF -DDISCGEOM_BUILD_EXAMPLES=OFF -DDISCGEOM_WITH_ITK=OFF \
  -DDISCGEOM_WITH_TORCH=OFF -DDISCGEOM_BUILD_PYTHON=ON >/dev/null
cmake --build build/bench --target discgeom_python bench_surface_distances >/dev/null
mkdir -p build/bench/phantom

echo "== C++: the same pair, bench_surface_distances"
build/bench/benchmarks/bench_surface_distances --write-data build/bench/phantom \
  --benchmark_filter='surface_metrics/2|evaluate_all' \
  --benchmark_repetitions=5 --benchmark_report_aggregates_only=true

echo "== Python, one process"
PYTHONPATH=build/bench/python /usr/bin/python3 benchmarks/python_metrics.py \
  --monai "$DISCGEOM_MONAI_SOURCE" --surface-distance "$DISCGEOM_SURFACE_DISTANCE_SOURCE" \
  --repeats "${1:-10}" --peer-repeats "${2:-3}" --check-pair build/bench/phantom
