#!/usr/bin/env bash
# MLflow tests use the machine's PostgreSQL as backend store. Start it when it is installed but
# stopped; fail with a clear message when it is missing.
set -euo pipefail
if pg_isready -h 127.0.0.1 -p "${PGPORT:-5432}" -q 2>/dev/null; then exit 0; fi
if command -v pg_ctlcluster >/dev/null 2>&1 && ls /etc/postgresql >/dev/null 2>&1; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -q && exit 0; sleep 1; done
fi
echo "ensure-postgres: no PostgreSQL answers on 127.0.0.1:${PGPORT:-5432}; the MLflow tests need one (install the 'postgresql' package)." >&2
exit 1
