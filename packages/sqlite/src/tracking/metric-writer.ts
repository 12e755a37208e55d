import { clampMetricValue } from '@logbook/core/spi';
import type { Metric } from '@logbook/core';
import type { StoreContext } from '../context.js';

/** Points per multi-row INSERT: one native call per 50 points instead of one per point. */
const ROWS_PER_INSERT = 50;
const COLUMNS = 7;
const ROW = `(${new Array(COLUMNS).fill('?').join(', ')})`;
const insertSql = (rows: number) => `INSERT OR IGNORE INTO metrics (run_id, key, timestamp, step, value, is_nan, seq) VALUES ${new Array(rows).fill(ROW).join(', ')}`;
const FULL_INSERT = insertSql(ROWS_PER_INSERT);
// The row-value comparison keeps the stored point unless the new one is strictly more recent.
const UPSERT_LATEST = `INSERT INTO latest_metrics (run_id, key, value, timestamp, step, is_nan, seq) VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp, step = excluded.step,
    is_nan = excluded.is_nan, seq = excluded.seq
  WHERE (excluded.step, excluded.timestamp, excluded.value) > (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)`;

/** MLflow's stored value: NaN → 0 (with is_nan = 1), ±Infinity clamped (`sanitize_metric_value`). */
function storedValue(value: number): number {
  return Number.isNaN(value) ? 0 : clampMetricValue(value);
}

/** MLflow's "more recent" order of latest metrics: (step, timestamp, value), NaN counting as 0. */
function isNewer(a: Metric, b: Metric): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  return storedValue(a.value) > storedValue(b.value);
}

/**
 * Appends points to a run (exact duplicates ignored by the primary key) and moves each key's
 * latest point forward: one upsert per key, not per point. Call inside `write`. Returns how many
 * points were new (0: nothing changed, the latest points included).
 */
export function writeMetrics(ctx: StoreContext, runId: number, metrics: readonly Metric[], seq: number): number {
  let inserted = 0;
  const latest = new Map<string, Metric>();
  const chunk = ROWS_PER_INSERT * COLUMNS;
  const args: unknown[] = new Array(chunk);
  let n = 0;
  for (const m of metrics) {
    args[n++] = runId;
    args[n++] = m.key;
    args[n++] = m.timestamp;
    args[n++] = m.step;
    args[n++] = storedValue(m.value);
    args[n++] = Number.isNaN(m.value) ? 1 : 0;
    args[n++] = seq;
    if (n === chunk) {
      inserted += ctx.conn.stmt(FULL_INSERT).run(args).changes;
      n = 0;
    }
    const best = latest.get(m.key);
    if (best === undefined || isNewer(m, best)) latest.set(m.key, m);
  }
  if (n > 0) inserted += ctx.conn.stmt(insertSql(n / COLUMNS)).run(args.slice(0, n)).changes;
  // A point already stored is at most the latest one: nothing new, nothing to move.
  if (inserted === 0) return 0;
  const upsert = ctx.conn.stmt(UPSERT_LATEST);
  for (const m of latest.values()) upsert.run(runId, m.key, storedValue(m.value), m.timestamp, m.step, Number.isNaN(m.value) ? 1 : 0, seq);
  return inserted;
}
