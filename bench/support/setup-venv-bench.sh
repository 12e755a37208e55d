#!/usr/bin/env bash
# Installs the pinned MLflow (the line of scripts/python-requirements.txt) plus mlflow-export-import
# (bench/support/export-import-requirements.txt) into a cached virtualenv of the benchmarks' own,
# .cache/venv-bench (LOGBOOK_BENCH_VENV overrides). Idempotent: re-installs only when either file changed.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
venv=${LOGBOOK_BENCH_VENV:-$root/.cache/venv-bench}
pins=$root/scripts/python-requirements.txt
extra=$root/bench/support/export-import-requirements.txt
stamp=$venv/.requirements.sha256
want=$(cat "$pins" "$extra" | sha256sum | cut -d' ' -f1)
if [ -x "$venv/bin/export-experiment" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  echo "setup-venv-bench: $venv is up to date"
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
mlflow_pin=$(grep -E '^mlflow(\[[^]]*\])?==' "$pins" | head -1)
psycopg_pin=$(grep -E '^psycopg2-binary==' "$pins" | head -1)
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$mlflow_pin" "$psycopg_pin" -r "$extra"
"$venv/bin/mlflow" --version
echo "$want" > "$stamp"
echo "setup-venv-bench: installed into $venv"
