import { LifecycleStage } from '@logbook/core';
import type { Metric, Run, RunInfo, RunStatus } from '@logbook/core';
import type { StoreContext } from '../context.js';
import { invalidParam, notFound } from '../errors.js';

/** A row of `runs`. */
export interface RunRow {
  readonly id: number;
  readonly run_uuid: string;
  readonly experiment_id: number;
  readonly name: string;
  readonly user_id: string;
  readonly status: string;
  readonly start_time: number;
  readonly end_time: number | null;
  readonly artifact_uri: string;
  readonly lifecycle_stage: string;
  readonly deleted_time: number | null;
}

/** A row of `metrics` or `latest_metrics`. */
export interface MetricRow {
  readonly key: string;
  readonly value: number;
  readonly timestamp: number;
  readonly step: number;
  readonly is_nan: number;
}

/** The run row; RESOURCE_DOES_NOT_EXIST "Run with id=X not found" when absent. */
export function getRunRow(ctx: StoreContext, runId: string): RunRow {
  const row = ctx.conn.stmt('SELECT * FROM runs WHERE run_uuid = ?').get(runId) as RunRow | undefined;
  return row ?? notFound(`Run with id=${runId} not found`, 'runId');
}

/** INVALID_PARAMETER_VALUE unless the run is active (MLflow's `_check_run_is_active`). */
export function requireActiveRun(row: Pick<RunRow, 'run_uuid' | 'lifecycle_stage'>): void {
  if (row.lifecycle_stage !== LifecycleStage.ACTIVE) {
    invalidParam(`The run ${row.run_uuid} must be in the 'active' state. Current state is ${row.lifecycle_stage}.`, 'runId');
  }
}

/** Row → RunInfo; `endTime` absent while the run has not ended. */
export function toRunInfo(row: RunRow): RunInfo {
  return {
    runId: row.run_uuid,
    experimentId: String(row.experiment_id),
    runName: row.name,
    userId: row.user_id,
    status: row.status as RunStatus,
    startTime: row.start_time,
    ...(row.end_time === null ? {} : { endTime: row.end_time }),
    artifactUri: row.artifact_uri,
    lifecycleStage: row.lifecycle_stage as LifecycleStage,
  };
}

/** Metric row → entity: NaN comes back as NaN. */
export function toMetric(row: MetricRow): Metric {
  return { key: row.key, value: row.is_nan ? Number.NaN : row.value, timestamp: row.timestamp, step: row.step };
}

interface Collected {
  metrics: Metric[];
  params: Record<string, string>;
  tags: Record<string, string>;
}

/** Full runs (info, latest metrics, params, tags) for rows, with one query per table. */
export function toRuns(ctx: StoreContext, rows: readonly RunRow[]): Run[] {
  if (rows.length === 0) return [];
  const byId = new Map<number, Collected>(rows.map((r) => [r.id, { metrics: [], params: {}, tags: {} }]));
  const ids = JSON.stringify(rows.map((r) => r.id));
  const inIds = 'run_id IN (SELECT value FROM json_each(?))';
  const metrics = ctx.conn.stmt(`SELECT run_id, key, value, timestamp, step, is_nan FROM latest_metrics WHERE ${inIds} ORDER BY key`).all(ids) as (MetricRow & { run_id: number })[];
  for (const m of metrics) byId.get(m.run_id)!.metrics.push(toMetric(m));
  const params = ctx.conn.stmt(`SELECT run_id, key, value FROM params WHERE ${inIds}`).all(ids) as { run_id: number; key: string; value: string }[];
  for (const p of params) byId.get(p.run_id)!.params[p.key] = p.value;
  const tags = ctx.conn.stmt(`SELECT run_id, key, value FROM tags WHERE ${inIds}`).all(ids) as { run_id: number; key: string; value: string }[];
  for (const t of tags) byId.get(t.run_id)!.tags[t.key] = t.value;
  return rows.map((r) => ({ info: toRunInfo(r), data: byId.get(r.id)! }));
}
