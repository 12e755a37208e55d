import { validateBatchSize, validateLogBatch, validateRunId } from '@logbook/core/spi';
import type { LogBatch } from '@logbook/core';
import type { StoreContext } from '../context.js';
import { invalidParam } from '../errors.js';
import { getRunRow, requireActiveRun } from './run-rows.js';
import type { RunRow } from './run-rows.js';
import { upsertRunTag } from './runs.js';
import { writeMetrics } from './metric-writer.js';

/** Writes the params not yet logged; returns how many (an identical param is no change). */
function writeParams(ctx: StoreContext, run: RunRow, params: readonly { key: string; value: string }[], seq: number, now: number): number {
  if (params.length === 0) return 0;
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
  return fresh.length;
}

/**
 * `logBatch`: validates as MLflow's server does, then writes params (write-once), metrics
 * (duplicates ignored, latest maintained) and tags (last wins) in ONE transaction, so a batch
 * is all-or-nothing (MLflow's own is not atomic; this is stricter, never looser). A batch that
 * changes nothing (every point, param and tag already there: a replayed sync) leaves `seq` and
 * the run's row alone, so it is no change for anyone syncing from this database.
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
    // Rows are written with the seq this transaction would draw; it is drawn only if one changed.
    const seq = ctx.conn.peekSeq();
    let changed = writeParams(ctx, run, valid.params, seq, now);
    if (valid.metrics.length > 0) changed += writeMetrics(ctx, run.id, valid.metrics, seq);
    for (const t of valid.tags) if (upsertRunTag(ctx, run, t.key, t.value, seq, now)) changed++;
    if (changed === 0) return;
    ctx.conn.nextSeq();
    ctx.conn.stmt('UPDATE runs SET updated_at = ?, seq = ? WHERE id = ?').run(now, seq, run.id);
  });
}
