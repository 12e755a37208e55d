#!/usr/bin/env bash
# The whole test suite, from a fresh machine: toolchain, node modules, the pinned MLflow and moto
# servers in a cached virtualenv, PostgreSQL, then type-check, unit, conformance and end-to-end
# tests, and the examples. `npm test` runs this; so does CI.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/bootstrap.sh
bash scripts/setup-python.sh
bash scripts/ensure-postgres.sh
pnpm run typecheck
# Biome (biome.json): lint and format check; fails on errors, warnings and unformatted files alike.
pnpm run lint
# The API reference must build without a warning (typedoc treats warnings as errors here).
pnpm exec typedoc
mkdir -p .cache
status=0
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=.cache/vitest-report.json || status=$?
# One plain closing line that any CI reader understands.
node -e '
const r = require("./.cache/vitest-report.json");
const skipped = r.numPendingTests + r.numTodoTests;
console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
' || true
exit $status
