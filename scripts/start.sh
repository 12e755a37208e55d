#!/usr/bin/env bash
# The main job on a fresh machine: install and build, train the decorated U-Net example on the
# embedded SQLite default (./logbook.db), then show what was logged with the logbook CLI.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/bootstrap.sh
node examples/unet-training/dist/main.js
echo
logbook() { node packages/cli/dist/bin.js "$@"; }
echo "== logbook runs list --experiment anomaly-detection/unet-training"
logbook runs list --experiment anomaly-detection/unet-training
echo
echo "== logbook runs compare <the sweep's child runs>"
children=$(logbook runs list --experiment anomaly-detection/unet-training --filter "tags.mlflow.parentRunId != ''" --json \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).map(r=>r.runId??r.info?.runId).join(" ")))')
# shellcheck disable=SC2086
logbook runs compare $children
echo
echo "== logbook models list"
logbook models list
