import { clampMetricValue, validateLogBatch, validateRunId } from '@logbook/core';
import type { LogBatch, Metric } from '@logbook/core';
import type { StoreContext } from '../context.js';
import { invalidParam } from '../errors.js';
import { getRunRow, requireActiveRun } from './run-rows.js';
import type { RunRow } from './run-rows.js';
import { upsertRunTag } from './runs.js';

/** A metric as stored: NaN → (0, is_nan = 1), ±Infinity clamped (MLflow's `sanitize_metric_value`). */
interface StoredMetric {
  readonly key: string;
  readonly value: number;
  readonly timestamp: number;
  readonly step: number;
  readonly isNan: 0 | 1;
}

function sanitize(m: Metric): StoredMetric {
  const isNan = Number.isNaN(m.value);
  return { key: m.key, value: isNan ? 0 : clampMetricValue(m.value), timestamp: m.timestamp, step: m.step, isNan: isNan ? 1 : 0 };
}

/** MLflow's "more recent" order of latest metrics: (step, timestamp, value), NaN counting as 0. */
function isNewer(a: StoredMetric, b: StoredMetric): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  return a.value > b.value;
}

const INSERT_METRIC = 'INSERT OR IGNORE INTO metrics (run_id, key, timestamp, step, value, is_nan, seq) VALUES (?, ?, ?, ?, ?, ?, ?)';
// The row-value comparison keeps the stored point unless the new one is strictly more recent.
const UPSERT_LATEST = `INSERT INTO latest_metrics (run_id, key, value, timestamp, step, is_nan, seq) VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp, step = excluded.step,
    is_nan = excluded.is_nan, seq = excluded.seq
  WHERE (excluded.step, excluded.timestamp, excluded.value) > (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)`;

function writeParams(ctx: StoreContext, run: RunRow, params: readonly { key: string; value: string }[], seq: number, now: number): void {
  if (params.length === 0) return;
  const existing = ctx.conn.stmt('SELECT value FROM params WHERE run_id = ? AND key = ?');
  const conflicts: string[] = [];
  const fresh: { key: string; value: string }[] = [];
  for (const p of params) {
    const old = existing.get(run.id, p.key) as { value: string } | undefined;
    if (old === undefined) fresh.push(p);
    else if (old.value !== p.value) conflicts.push(`{'key': '${p.key}', 'old_value': '${old.value}', 'new_value': '${p.value}'}`);
  }
  if (conflicts.length > 0) {
    invalidParam(`Changing param values is not allowed. Params were already logged='[${conflicts.join(', ')}]' for run ID='${run.run_uuid}'.`, 'params');
  }
  const insert = ctx.conn.stmt('INSERT OR IGNORE INTO params (run_id, key, value, created_at, seq) VALUES (?, ?, ?, ?, ?)');
  for (const p of fresh) insert.run(run.id, p.key, p.value, now, seq);
}

function writeMetrics(ctx: StoreContext, runId: number, metrics: readonly Metric[], seq: number): void {
  if (metrics.length === 0) return;
  const insert = ctx.conn.stmt(INSERT_METRIC);
  // Only the most recent point per key can change latest_metrics: one upsert per key, not per point.
  const latest = new Map<string, StoredMetric>();
  for (const metric of metrics) {
    const m = sanitize(metric);
    insert.run(runId, m.key, m.timestamp, m.step, m.value, m.isNan, seq);
    const best = latest.get(m.key);
    if (best === undefined || isNewer(m, best)) latest.set(m.key, m);
  }
  const upsert = ctx.conn.stmt(UPSERT_LATEST);
  for (const m of latest.values()) upsert.run(runId, m.key, m.value, m.timestamp, m.step, m.isNan, seq);
}

/**
 * `logBatch`: validates as MLflow's server does, then writes params (write-once), metrics
 * (duplicates ignored, latest maintained) and tags (last wins) in ONE transaction, so a batch
 * is all-or-nothing (MLflow's own is not atomic; this is stricter, never looser).
 */
export function logBatch(ctx: StoreContext, runId: string, batch: LogBatch): void {
  validateRunId(runId);
  const valid = validateLogBatch(batch, ctx.options.longValues);
  if (valid.metrics.length === 0 && valid.params.length === 0 && valid.tags.length === 0) {
    ctx.conn.read(() => requireActiveRun(getRunRow(ctx, runId)));
    return;
  }
  ctx.conn.write(() => {
    const run = getRunRow(ctx, runId);
    requireActiveRun(run);
    const now = ctx.options.now();
    const seq = ctx.conn.nextSeq();
    writeParams(ctx, run, valid.params, seq, now);
    writeMetrics(ctx, run.id, valid.metrics, seq);
    for (const t of valid.tags) upsertRunTag(ctx, run, t.key, t.value, seq, now);
    ctx.conn.stmt('UPDATE runs SET updated_at = ?, seq = ? WHERE id = ?').run(now, seq, run.id);
  });
}
