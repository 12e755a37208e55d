#!/usr/bin/env bash
# The main job on a fresh machine: install and build, train the decorated U-Net example on the
# embedded SQLite default (./logbook.db), then show what was logged with the logbook CLI.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/bootstrap.sh
node examples/unet-training/dist/main.js
echo
echo "== What was logged (logbook runs list / runs compare / models list):"
node packages/cli/dist/bin.js runs list --experiment anomaly-detection/unet-training
