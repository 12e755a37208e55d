import { validateBatchSize, validateLogBatch, validateRunId } from '@logbook/core/spi';
import type { LogBatch } from '@logbook/core';
import type { StoreContext } from '../context.js';
import { invalidParam } from '../errors.js';
import { getRunRow, requireActiveRun } from './run-rows.js';
import type { RunRow } from './run-rows.js';
import { upsertRunTag } from './runs.js';
import { writeMetrics } from './metric-writer.js';

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

/**
 * `logBatch`: validates as MLflow's server does, then writes params (write-once), metrics
 * (duplicates ignored, latest maintained) and tags (last wins) in ONE transaction, so a batch
 * is all-or-nothing (MLflow's own is not atomic; this is stricter, never looser).
 */
export function logBatch(ctx: StoreContext, runId: string, batch: LogBatch): void {
  validateRunId(runId);
  validateBatchSize(batch);
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
    if (valid.metrics.length > 0) writeMetrics(ctx, run.id, valid.metrics, seq);
    for (const t of valid.tags) upsertRunTag(ctx, run, t.key, t.value, seq, now);
    ctx.conn.stmt('UPDATE runs SET updated_at = ?, seq = ? WHERE id = ?').run(now, seq, run.id);
  });
}
