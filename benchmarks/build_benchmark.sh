#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds one benchmark target in build/bench (Release, core only) and prepares the phantom folder:
#   benchmarks/build_benchmark.sh TARGET
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DDISCGEOM_BUILD_BENCHMARKS=ON \
  -DDISCGEOM_BUILD_TESTS=OFF -DDISCGEOM_BUILD_EXAMPLES=OFF -DDISCGEOM_WITH_ITK=OFF -DDISCGEOM_WITH_TORCH=OFF >/dev/null
cmake --build build/bench --target "$1" >/dev/null
mkdir -p build/bench/phantom
