#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Start-up of the discgeom program as a cohort script sees it: whole-process timings (median of
# 21 runs) and peak memory of `--help`, `discs` of one real mask and `overlap` of the 5-disc pair,
# against the in-process time of the same commands and ITK's own ImageReadWrite example reading
# the same mask (benchmarks/RESULTS.md, "Start-up").
#
#   benchmarks/run_startup.sh [PROGRAM [BASELINE_PROGRAM]]
# PROGRAM defaults to build/default/examples/discgeom (built by scripts/test.sh); a second
# program (an earlier build) is measured in the same run for a before/after ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
program="${1:-build/default/examples/discgeom}"
baseline="${2:-}"
repetitions=21
data=build/startup
mkdir -p "$data"

# The in-process peer and ITK's example, Release, in their own build folder.
cmake -S . -B build/startup-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DDISCGEOM_BUILD_BENCHMARKS=ON \
  -DDISCGEOM_BUILD_TESTS=OFF -DDISCGEOM_BUILD_EXAMPLES=OFF -DDISCGEOM_WITH_TORCH=OFF \
  -DDISCGEOM_WITH_XGBOOST=OFF >/dev/null
cmake --build build/startup-bench --target bench_cli_inprocess itk_image_read_write >/dev/null
benchmarks/build_benchmark.sh bench_surface_distances
bench=build/startup-bench/benchmarks

# One real mask (the first of the ten real lumbar masks) when ../shared/data is there, else a
# phantom spine; the 5-disc pair of benchmarks/surface_distances.cpp as MetaImage headers.
mask=../shared/data/ivd-real/1_Labels.nii.gz
if [[ ! -f "$mask" ]]; then
  "$program" phantom --out "$data/phantom" --cases 1 --quiet >/dev/null
  mask="$(ls "$data"/phantom/*.nii.gz | head -n 1)"
fi
build/bench/benchmarks/bench_surface_distances --write-data "$data" >/dev/null
for side in reference prediction; do
  cat >"$data/discs_$side.mhd" <<HEADER
ObjectType = Image
NDims = 3
DimSize = 512 512 64
ElementSpacing = 0.6 0.6 1.0
ElementType = MET_UCHAR
ElementDataFile = discs_${side}_uint8.raw
HEADER
done
pair="--reference $data/discs_reference.mhd --prediction $data/discs_prediction.mhd"

echo "mask: $mask"
echo "in-process (median of $repetitions, ms):"
echo "  discs   $($bench/bench_cli_inprocess $repetitions discs "$mask" --out "$data/inprocess_discs.csv" --quiet)"
echo "  overlap $($bench/bench_cli_inprocess 5 overlap $pair --out "$data/inprocess_overlap.csv" --quiet)"

rows=("help=$program --help"
      "discs=$program discs $mask --out $data/discs.csv --quiet"
      "overlap=$program overlap $pair --out $data/overlap.csv --quiet"
      "ITK ImageReadWrite=$bench/itk_image_read_write $mask $data/itk_copy.nii")
if [[ -n "$baseline" ]]; then
  rows+=("baseline help=$baseline --help"
         "baseline discs=$baseline discs $mask --out $data/discs_baseline.csv --quiet"
         "baseline overlap=$baseline overlap $pair --out $data/overlap_baseline.csv --quiet")
fi
/usr/bin/python3 benchmarks/startup.py "$repetitions" "${rows[@]}"
