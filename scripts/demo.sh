#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what is missing, builds the discgeom program, and runs the whole pipeline of Perrone
# et al. (docs/pipeline.md): segmentation-free on masks -> per-disc geometry -> crops -> 3D
# autoencoder -> latent codes -> traversal -> latent-geometry correlations -> narrowing
# classification -> a self-contained report.
#
#   scripts/demo.sh                       a phantom cohort of 40 spines, reduced settings, with
#                                         the axial muscle phantoms (--muscles)
#   scripts/demo.sh --data DIR            the same on your data (SPIDER layout or a folder of masks)
#   scripts/demo.sh --paper [--data DIR]  the paper's configuration (hours, not minutes)
#   scripts/demo.sh --out DIR ...         any other `discgeom pipeline` option is passed on
#
# The report is DIR/report.html (default build/demo/pipeline/report.html).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh >/dev/null
cmake --preset default >/dev/null
cmake --build --preset default --target discgeom_cli -j "$(nproc)" >/dev/null
discgeom=build/default/examples/discgeom

arguments=("$@")
out=build/demo/pipeline
for ((i = 0; i < ${#arguments[@]}; ++i)); do
  [[ "${arguments[$i]}" == "--out" ]] && out="${arguments[$((i + 1))]}"
done
if [[ " $* " != *" --out "* ]]; then
  arguments+=(--out "$out")
fi
if [[ " $* " != *" --data "* && " $* " != *" --phantom "* ]]; then
  arguments+=(--phantom 40)
fi
if [[ " $* " != *" --data "* && " $* " != *" --muscles "* ]]; then
  arguments+=(--muscles)  # the axial muscle phantoms, manual against automatic (Hess et al.)
fi

start=$(date +%s)
status=0
"$discgeom" pipeline "${arguments[@]}" || status=$?
echo
echo "Pipeline finished in $(($(date +%s) - start)) s with status $status; outputs in $out:"
if [[ -f "$out/classification.summary.csv" ]]; then
  echo
  echo "Disc narrowing prediction (mean over the folds, 95% interval):"
  column -s, -t <"$out/classification.summary.csv"
fi
if [[ -f "$out/correlations.csv" ]]; then
  echo
  echo "Strongest latent-geometry correlations (Holm-adjusted p):"
  head -1 "$out/correlations.csv" | cut -d, -f1-2,4-6,9
  tail -n +2 "$out/correlations.csv" | awk -F, '$5 != "" { a = $5 < 0 ? -$5 : $5; print a "," $0 }' |
    sort -t, -k1 -g -r | awk 'NR <= 8' | cut -d, -f2-3,5-7,10  # awk reads all: no SIGPIPE
fi
if [[ -f "$out/muscle_agreement.csv" ]]; then
  echo
  echo "Muscle CSA (mm^2), manual against automatic over every level (Hess et al.'s Tables 6-8):"
  awk -F, 'NR == 1 { print $2 "," $3 "," $5 "," $6 "," $8 "," $10 "," $11 "," $12 "," $13 "," $14 }
    NR > 1 && $1 == "csa_mm2" && $4 == "" {
      printf "%s,%s,%s,%.4g,%.4g,%.4g,%.4g,%.4g,%.4g,%.4g\n", $2, $3, $5, $6, $8, $10, $11, $12, $13, $14
    }' "$out/muscle_agreement.csv" | column -s, -t | awk 'NR <= 9'  # awk reads all: no SIGPIPE
fi
if [[ -f "$out/failures.csv" ]]; then
  echo
  echo "Failures ($(($(wc -l <"$out/failures.csv") - 1))):"
  awk 'NR > 1 && NR <= 11' "$out/failures.csv"
fi
echo
echo "Report: $out/report.html"
exit "$status"
