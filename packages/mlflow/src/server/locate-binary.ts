import { accessSync, constants } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { LogbookError } from '@logbook/core';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds the `mlflow` executable: the explicit option, then `LOGBOOK_MLFLOW_BIN`, then
 * `$LOGBOOK_VENV/bin/mlflow`, then the nearest `.cache/venv/bin/mlflow` above `cwd`.
 * @throws INVALID_CONFIGURATION saying how to install it.
 */
export function locateMlflowBinary(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  const given = explicit ?? env.LOGBOOK_MLFLOW_BIN;
  if (given !== undefined && given !== '') {
    if (isExecutable(given)) return given;
    throw new LogbookError('INVALID_CONFIGURATION', `[mlflow] mlflowBin '${given}' is not an executable file.`, { field: 'mlflowBin' });
  }
  const candidates: string[] = [];
  if (env.LOGBOOK_VENV) candidates.push(join(env.LOGBOOK_VENV, 'bin', 'mlflow'));
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    candidates.push(join(dir, '.cache', 'venv', 'bin', 'mlflow'));
    if (dirname(dir) === dir) break;
  }
  const found = candidates.find(isExecutable);
  if (found !== undefined) return found;
  throw new LogbookError(
    'INVALID_CONFIGURATION',
    '[mlflow] No mlflow executable found: pass mlflowBin, set LOGBOOK_MLFLOW_BIN, or install the pinned server with `bash scripts/setup-python.sh` (creates .cache/venv).',
    { field: 'mlflowBin' },
  );
}
