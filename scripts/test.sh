#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what is missing, builds everything, and runs every test with ctest; then builds the
# core tests with AddressSanitizer + UndefinedBehaviorSanitizer and runs them; then builds the
# programs the way most users build (a plain Release build: -O3, no -Werror) and fails on any
# warning; then fuzzes the readers of untrusted bytes for about 90 s (scripts/fuzz.sh). Exits
# non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh
jobs="$(nproc)"

echo "== build and test (all components) =="
cmake --preset default
cmake --build --preset default -j "$jobs"
ctest --preset default -j "$jobs"

echo "== core tests under ASan + UBSan =="
cmake --preset sanitize
cmake --build --preset sanitize -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --preset sanitize -j "$jobs"

echo "== plain Release build of the programs (-O3, as users build), warning-free =="
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release >/dev/null
log=build/release/programs.log
if ! cmake --build build/release --target discgeom_cli mask_summary second_rater -j "$jobs" >"$log" 2>&1; then
  cat "$log" >&2
  echo "test.sh: the plain Release build of the programs failed" >&2
  exit 1
fi
if grep -E "warning:" "$log"; then
  echo "test.sh: the plain Release build of the programs warns ($log)" >&2
  exit 1
fi

echo "== fuzzing the readers (libFuzzer, ASan + UBSan; scripts/fuzz.sh) =="
./scripts/fuzz.sh
