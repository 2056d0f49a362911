#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what is missing, builds everything, and runs every test with ctest; then builds the
# core tests with AddressSanitizer + UndefinedBehaviorSanitizer and runs them. Exits non-zero on
# any failure.
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
