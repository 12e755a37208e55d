// Reads what the spool delivered back through MLflow's own Python client (the sync tests' snapshot
// script over the pinned mlflow in .cache/venv), so the spool tests check what MLflow itself sees,
// not what Logbook's client makes of it.
import { expect } from 'vitest';
import type { LogbookSnapshot, RunSnapshot } from '../../../packages/testkit/src/index.js';
import { readMlflowSnapshot } from '../../sync/mlflow-snapshot.js';

/** A run as MLflow's Python client reads it, with each metric's sorted steps and its experiment's run count. */
export interface SeenRun extends RunSnapshot {
  readonly steps: Record<string, number[]>;
  readonly runsInExperiment: number;
}

/**
 * Run `key` of experiment `experiment` on the server at `uri`: `key` is the run's
 * `logbook.sync.local_id` when a drain created it, else its server id. `models` are read too.
 */
export async function readRun(uri: string, experiment: string, key: string, models: readonly string[] = []): Promise<SeenRun & { readonly snapshot: LogbookSnapshot }> {
  const snapshot = await readMlflowSnapshot(uri, [experiment], models);
  const run = snapshot.runs[key];
  expect(run, `run ${key} of experiment ${experiment} on the server`).toBeDefined();
  const steps = Object.fromEntries(Object.entries(run!.metrics).map(([metric, points]) => [metric, points.map((p) => p[1]).sort((a, b) => a - b)]));
  const runsInExperiment = Object.values(snapshot.runs).filter((r) => r.experiment === experiment).length;
  return { ...run!, steps, runsInExperiment, snapshot };
}
