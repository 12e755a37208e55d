import { describe, inject } from 'vitest';
import type { LiveMlflow } from '../../../../test/setup/mlflow.js';

/** The live servers started by test/setup/mlflow.ts. */
export function live(): LiveMlflow {
  const servers = inject('mlflow');
  if (servers === null) throw new Error(`MLflow tests skipped: ${inject('mlflowSkipReason')}`);
  return servers;
}

/** `describe`, or `describe.skip` when the developer set LOGBOOK_SKIP_MLFLOW=1 without the services. */
export const describeLive = (inject('mlflow') === null ? describe.skip : describe) as typeof describe;
