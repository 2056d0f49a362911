#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the libFuzzer targets of tests/fuzz with clang-14 in build/fuzz (no tests, no examples,
# no ITK, LibTorch, XGBoost or MPI), writes the seed corpus with the library's own writers, and
# runs every target for a bounded time. Exits non-zero when a target finds a crash, an uncaught
# exception, a leak, a hang (an input that takes more than 10 s), an input that needs more than
# 2 GB, or a sanitizer report; the input is saved under build/fuzz/artifacts/<target>/.
#
#   scripts/fuzz.sh [SECONDS [LIBFUZZER_FLAG...]]
#
# SECONDS (default 90) is the time for all targets together, shared evenly; flags after it go to
# every target (-fork=2, -max_len=65536, -only_ascii=1, ...). FUZZ_TARGETS="npy csv" runs only
# those. The corpus each target grows is kept in build/fuzz/corpus/<target>/ for the next run.
# docs/fuzzing.md tells how to run a longer campaign and turn a finding into a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-90}"
if (($# > 0)); then
  shift
fi
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || ((seconds < 1)); then
  echo "fuzz.sh: SECONDS must be a whole number >= 1, got '$seconds'" >&2
  exit 2
fi
for tool in clang-14 clang++-14; do
  if ! command -v "$tool" >/dev/null; then
    echo "fuzz.sh: $tool is missing (scripts/setup.sh installs clang-14 and libclang-rt-14-dev)" >&2
    exit 1
  fi
done

# Sanitizer reports with file and line (llvm-symbolizer, from llvm-14) and UBSan's stack.
if [[ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]]; then
  export ASAN_SYMBOLIZER_PATH="${ASAN_SYMBOLIZER_PATH:-/usr/lib/llvm-14/bin/llvm-symbolizer}"
fi
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"

source_dir="$(pwd)"
build="$source_dir/build/fuzz"
mkdir -p "$build"
CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -G Ninja \
  -DCMAKE_BUILD_TYPE= -DCMAKE_CXX_FLAGS="-O2 -g" \
  -DDISCGEOM_BUILD_FUZZERS=ON -DDISCGEOM_WARNINGS_AS_ERRORS=ON \
  -DDISCGEOM_BUILD_TESTS=OFF -DDISCGEOM_BUILD_EXAMPLES=OFF -DDISCGEOM_BUILD_BENCHMARKS=OFF \
  -DDISCGEOM_WITH_ITK=OFF -DDISCGEOM_WITH_TORCH=OFF -DDISCGEOM_WITH_XGBOOST=OFF \
  -DDISCGEOM_WITH_MPI=OFF -DDISCGEOM_BUILD_PYTHON=OFF -DDISCGEOM_INSTALL=OFF \
  >"$build/configure.log" 2>&1 ||
  { cat "$build/configure.log" >&2; echo "fuzz.sh: configuring $build failed" >&2; exit 1; }
cmake --build "$build" -j "${FUZZ_BUILD_JOBS:-$(nproc)}"

# The seed corpus, written afresh (the corpus the targets grow is kept apart from it).
rm -rf "$build/seeds"
"$build/tests/fuzz/discgeom_fuzz_corpus" "$build/seeds"

read -r -a targets <<<"${FUZZ_TARGETS:-npy csv pipeline_config pipeline_records crop_index image_header}"
per_target=$((seconds / ${#targets[@]}))
((per_target >= 1)) || per_target=1
echo "fuzz: ${#targets[@]} targets, ${per_target} s each"

failed=()
for target in "${targets[@]}"; do
  fuzzer="$build/fuzzers/fuzz_$target"
  if [[ ! -x "$fuzzer" ]]; then
    echo "fuzz.sh: no fuzz target '$target' ($fuzzer)" >&2
    exit 2
  fi
  corpus="$build/corpus/$target"
  artifacts="$build/artifacts/$target"
  logs="$build/logs/$target"
  rm -rf "$logs"
  mkdir -p "$corpus" "$artifacts" "$logs"
  inputs=("$corpus" "$build/seeds/$target")
  if [[ -d "tests/fuzz/seeds/$target" ]]; then
    inputs+=("$source_dir/tests/fuzz/seeds/$target")  # committed inputs: earlier findings
  fi
  dictionary=()
  if [[ -f "tests/fuzz/$target.dict" ]]; then
    dictionary=("-dict=$source_dir/tests/fuzz/$target.dict")
  fi
  log="$logs/fuzz.log"
  status=0
  # From the log folder: with -jobs or -fork libFuzzer writes its per-job logs into the current
  # folder.
  (cd "$logs" && "$fuzzer" -max_total_time="$per_target" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "${dictionary[@]}" "$@" \
    "${inputs[@]}") >"$log" 2>&1 || status=$?
  # Inputs run: the final stats, or (with -fork) the last progress line.
  runs="$({ grep -Eo '^stat::number_of_executed_units: *[0-9]+' "$log" ||
    grep -Eo '^#[0-9]+' "$log"; } | grep -Eo '[0-9]+$' | tail -1 || true)"
  if ((status != 0)) || grep -Eq \
    'ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)|runtime error:|fuzz finding:|SUMMARY: ' \
    "$logs"/*.log; then
    echo "fuzz: $target: FAILED (exit $status); the log is $log, the input in $artifacts/:" >&2
    grep -Eh -A30 'ERROR: |runtime error:|fuzz finding:|terminate called' "$logs"/*.log |
      head -60 >&2 || tail -40 "$log" >&2
    failed+=("$target")
  else
    corpus_size="$(find "$corpus" -type f | wc -l)"
    echo "fuzz: $target: no finding (${runs:-?} inputs in ${per_target} s; corpus ${corpus_size})"
  fi
done

if ((${#failed[@]} > 0)); then
  echo "fuzz.sh: findings in ${failed[*]} (inputs under $build/artifacts/; docs/fuzzing.md)" >&2
  exit 1
fi
echo "fuzz: no finding"
