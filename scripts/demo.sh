#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what is missing, builds, and runs the main jobs: the per-disc geometry table
# (`discgeom discs`) of the ten real disc masks in ../shared/data/ivd-real when that folder is
# present, after checking their label volumes against the published ones (else of a generated
# spine of five ellipsoidal discs, checked against the analytic volumes); then the segmentation
# quality (`discgeom overlap`) of a simulated second rater, who draws every disc 0.7 mm inside
# the first rater's boundary, with per-level means and 95% intervals; and the correlations
# between the disc measures (`discgeom correlate`).
#
#   scripts/demo.sh                 real masks if present, else generated
#   scripts/demo.sh SEG...          the discs table of your own SPIDER-labelled masks
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh >/dev/null
cmake --preset default >/dev/null
cmake --build --preset default --target discgeom_cli mask_summary second_rater -j "$(nproc)" >/dev/null
discgeom=build/default/examples/discgeom
summary=build/default/examples/mask_summary
second_rater=build/default/examples/second_rater

# Overlap of REFERENCE_DIR's masks with a simulated second rater's, at the given true spacing.
second_rater_overlap() {
  local references="$1" spacing="$2"
  shift 2
  rm -rf build/demo/second_rater
  "$second_rater" build/demo/second_rater 0.7 "$spacing" "$references"/*.nii.gz
  echo
  echo "Second rater (every disc eroded by a 0.7 mm ball) against the first: per label, mean"
  echo "over cases with t and bootstrap 95% intervals (build/demo/overlap.csv, overlap.summary.csv):"
  "$discgeom" overlap --reference "$references" --prediction build/demo/second_rater --match \
    --spacing "$spacing" "$@" --out build/demo/overlap.csv
  awk -F, 'NR == 1 || $2 == "dice" || $2 == "hd95_mm" || $2 == "assd_mm" || $2 == "nsd" ||
           $2 == "detection_rate"' build/demo/overlap.summary.csv
}

# Spearman correlations between measures of the discs table DISCS_CSV, Holm-adjusted.
disc_correlations() {
  echo
  echo "Spearman correlations between disc measures over every disc (Holm-adjusted p):"
  "$discgeom" correlate "$1" --x height_mm,minrect_height_mm \
    --y volume_mm3,ap_width_mm,sagittal_angle_deg --method spearman --adjust holm
}

if (($# > 0)); then
  exec "$discgeom" discs "$@"
fi
real_data="../shared/data/ivd-real"
if [[ -f "$real_data/volumes.csv" ]]; then
  "$summary" --real "$real_data"
  echo
  echo "Per-disc geometry (true spacing and orientation; the headers put 4.4 mm on the wrong axis):"
  mkdir -p build/demo
  "$discgeom" discs "$real_data"/*_Labels.nii.gz --labels ordinal \
    --spacing 0.4296875,0.4296875,4.4 --orientation PIL --min-voxels 100 --out build/demo/discs.csv
  cat build/demo/discs.csv
  disc_correlations build/demo/discs.csv
  second_rater_overlap "$real_data" 0.4296875,0.4296875,4.4 --orientation PIL
  exit 0
fi
"$summary" --generated build/demo
echo
echo "Per-disc geometry of the generated spine:"
"$discgeom" discs build/demo/generated_spine.nii.gz --out build/demo/discs.csv
cat build/demo/discs.csv
disc_correlations build/demo/discs.csv
second_rater_overlap build/demo 0.6,0.6,4.0
