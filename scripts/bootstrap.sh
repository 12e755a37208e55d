#!/usr/bin/env bash
# Brings a fresh machine to a built workspace: pnpm (pinned), node modules, then `tsc -b`.
# Sourced by start.sh and test.sh; safe to run again (each step is a no-op when already done).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
want_pnpm=$(node -p "require('./package.json').packageManager.split('@')[1]")
if [ "$(pnpm --version 2>/dev/null || true)" != "$want_pnpm" ]; then
  echo "bootstrap: installing pnpm $want_pnpm"
  npm install --global --no-fund --no-audit "pnpm@$want_pnpm" >/dev/null
fi
# better-sqlite3 builds from source; node-gyp must use the machine's Node headers instead of
# downloading them (pnpm reads no nodedir from .npmrc).
export npm_config_nodedir=${npm_config_nodedir:-$(dirname "$(dirname "$(command -v node)")")}
pnpm install --frozen-lockfile
pnpm run build
