#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what is missing, builds, and runs the main job. For now: a table of label volumes of
# the ten real disc masks in ../shared/data/ivd-real (checked against their published volumes)
# when that folder is present, else of a generated spine (checked against analytic volumes).
#
#   scripts/demo.sh                 real masks if present, else generated
#   scripts/demo.sh MASK...         the table for your own masks
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh >/dev/null
cmake --preset default >/dev/null
cmake --build --preset default --target mask_summary -j "$(nproc)" >/dev/null
program=build/default/examples/mask_summary

if (($# > 0)); then
  exec "$program" "$@"
fi
real_data="../shared/data/ivd-real"
if [[ -f "$real_data/volumes.csv" ]]; then
  exec "$program" --real "$real_data"
fi
exec "$program" --generated build/demo
