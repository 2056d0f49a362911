#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what is missing, builds, and runs the main job: for now, the per-disc geometry table
# (`discgeom discs`) of the ten real disc masks in ../shared/data/ivd-real when that folder is
# present, after checking their label volumes against the published ones; else of a generated
# spine of five ellipsoidal discs, after checking its volumes against the analytic ones.
#
#   scripts/demo.sh                 real masks if present, else generated
#   scripts/demo.sh SEG...          the discs table of your own SPIDER-labelled masks
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh >/dev/null
cmake --preset default >/dev/null
cmake --build --preset default --target discgeom_cli mask_summary -j "$(nproc)" >/dev/null
discgeom=build/default/examples/discgeom
summary=build/default/examples/mask_summary

if (($# > 0)); then
  exec "$discgeom" discs "$@"
fi
real_data="../shared/data/ivd-real"
if [[ -f "$real_data/volumes.csv" ]]; then
  "$summary" --real "$real_data"
  echo
  echo "Per-disc geometry (true spacing and orientation; the headers put 4.4 mm on the wrong axis):"
  exec "$discgeom" discs "$real_data"/*_Labels.nii.gz --labels ordinal \
    --spacing 0.4296875,0.4296875,4.4 --orientation PIL --min-voxels 100
fi
"$summary" --generated build/demo
echo
echo "Per-disc geometry of the generated spine:"
exec "$discgeom" discs build/demo/generated_spine.nii.gz
