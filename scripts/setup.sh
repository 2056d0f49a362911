#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs, with apt-get, exactly the Debian packages discgeom needs that are missing.
# Idempotent: a second run installs nothing. Runs as root; uses sudo only when not root.
#
#   scripts/setup.sh            everything (core, linear algebra, I/O, LibTorch, tests, fuzzing)
#   scripts/setup.sh --core     only what the core and its tests need (no ITK, no LibTorch)
set -euo pipefail

core_packages=(
  g++ cmake make ninja-build pkg-config git ca-certificates
  libxtensor-dev xtl-dev libxtensor-blas-dev libopenblas-dev liblapack-dev
  libboost-dev libnanoflann-dev catch2 clang-format libbenchmark-dev
  nlohmann-json3-dev       # the program's JSON tables and the pipeline's records and MPI payloads
  libcli11-dev             # the program's command-line parsing and generated --help
  libpugixml-dev           # discgeom/opensim/model.hpp and `discgeom opensim`: OpenSim models
)
optional_packages=(
  libinsighttoolkit5-dev   # discgeom::io (NIfTI, MetaImage, NRRD)
  libgdcm-tools            # only silences warnings: ITK's CMake config names these programs
  libtorch-dev             # discgeom::torch
  zlib1g-dev
  python3-numpy python3-scipy  # peers of the benchmarks in benchmarks/peers (Debian's /usr/bin/python3)
  python3-sklearn python3-statsmodels python3-pandas  # peers of tests/golden and benchmarks/peers
  python3-torch            # the TorchScript golden model and the PyTorch benchmark peer
  libopenmpi-dev openmpi-bin  # `discgeom pipeline` under mpirun (cohorts shared among ranks)
  chromium                 # the report's test: headless Chromium loads it and takes a screenshot
  libxgboost-dev           # discgeom::xgboost (gradient boosting, `discgeom classify`)
  python3-xgboost          # the XGBoost golden values and the classify benchmark peer
  python3-nibabel python3-skimage python3-opencv python3-openpyxl  # golden generators in tests/golden
  insighttoolkit5-examples # ITK's ImageReadWrite example: the start-up benchmark's peer
  clang-14 libclang-rt-14-dev  # scripts/fuzz.sh: the readers' libFuzzer targets (tests/fuzz)
  llvm-14                  # llvm-symbolizer: file and line in the fuzzers' sanitizer reports
  python3-dev pybind11-dev python3-pybind11 python3-pytest  # `import discgeom` (python/) and its tests
)

want=("${core_packages[@]}")
if [[ "${1:-}" != "--core" ]]; then
  want+=("${optional_packages[@]}")
fi

missing=()
for package in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#want[@]} packages already installed"
  exit 0
fi

as_root=()
if [[ "$(id -u)" != 0 ]]; then
  as_root=(sudo)
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq || echo "setup: apt-get update failed; trying the cached package lists" >&2
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
