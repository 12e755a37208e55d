#!/usr/bin/env bash
# Installs the pinned MLflow server and moto (S3-compatible server) into a cached virtualenv.
# Idempotent: re-runs only when scripts/python-requirements.txt changed since the last install.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=${LOGBOOK_VENV:-$root/.cache/venv}
req=$root/scripts/python-requirements.txt
stamp=$venv/.requirements.sha256
want=$(sha256sum "$req" | cut -d' ' -f1)
if [ -x "$venv/bin/mlflow" ] && [ -x "$venv/bin/moto_server" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "setup-python: $venv is up to date"
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
"$venv/bin/mlflow" --version
echo "$want" > "$stamp"
echo "setup-python: installed into $venv"
