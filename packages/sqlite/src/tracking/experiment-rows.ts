import { LifecycleStage } from '@logbook/core';
import type { Experiment, Tags } from '@logbook/core';
import type { StoreContext } from '../context.js';
import { invalidParam, notFound } from '../errors.js';

/** A row of `experiments`. */
export interface ExperimentRow {
  readonly experiment_id: number;
  readonly name: string;
  readonly artifact_location: string;
  readonly lifecycle_stage: string;
  readonly creation_time: number;
  readonly last_update_time: number;
}

/** MLflow's integer check of experiment ids, with its message. */
export function parseExperimentId(experimentId: unknown, field = 'experimentId'): number {
  if (typeof experimentId !== 'string' || !/^[0-9]+$/.test(experimentId) || !Number.isSafeInteger(Number(experimentId))) {
    return invalidParam(`Invalid experiment ID '${String(experimentId)}'. Experiment ID must be a valid integer.`, field);
  }
  return Number(experimentId);
}

/** The experiment row, any lifecycle stage; RESOURCE_DOES_NOT_EXIST when absent. */
export function getExperimentRow(ctx: StoreContext, experimentId: string): ExperimentRow {
  const id = parseExperimentId(experimentId);
  const row = ctx.conn.stmt('SELECT * FROM experiments WHERE experiment_id = ?').get(id) as ExperimentRow | undefined;
  return row ?? notFound(`No Experiment with id=${id} exists`, 'experimentId');
}

/** INVALID_PARAMETER_VALUE unless the experiment is active (MLflow's `_check_experiment_is_active`). */
export function requireActiveExperiment(row: ExperimentRow): void {
  if (row.lifecycle_stage !== LifecycleStage.ACTIVE) {
    invalidParam(`The experiment ${row.experiment_id} must be in the 'active' state. Current state is ${row.lifecycle_stage}.`, 'experimentId');
  }
}

/** Tags of several experiments at once. */
export function loadExperimentTags(ctx: StoreContext, ids: readonly number[]): Map<number, Record<string, string>> {
  const out = new Map<number, Record<string, string>>(ids.map((id) => [id, {}]));
  if (ids.length === 0) return out;
  const rows = ctx.conn.db.prepare(`SELECT experiment_id, key, value FROM experiment_tags WHERE experiment_id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as {
    experiment_id: number;
    key: string;
    value: string;
  }[];
  for (const r of rows) out.get(r.experiment_id)![r.key] = r.value;
  return out;
}

/** Row → entity. */
export function toExperiment(row: ExperimentRow, tags: Tags): Experiment {
  return {
    experimentId: String(row.experiment_id),
    name: row.name,
    artifactLocation: row.artifact_location,
    lifecycleStage: row.lifecycle_stage as LifecycleStage,
    creationTime: row.creation_time,
    lastUpdateTime: row.last_update_time,
    tags,
  };
}

/** Rows → entities, tags loaded in one query. */
export function toExperiments(ctx: StoreContext, rows: readonly ExperimentRow[]): Experiment[] {
  const tags = loadExperimentTags(
    ctx,
    rows.map((r) => r.experiment_id),
  );
  return rows.map((r) => toExperiment(r, tags.get(r.experiment_id)!));
}
