import type { StoreContext } from '../context.js';

/**
 * When each run was last written, from `runs.updated_at` (set by creation, every logged batch,
 * tags and status changes), in milliseconds since the epoch. Ids of unknown runs are left out.
 */
export function runUpdateTimes(ctx: StoreContext, runIds: readonly string[]): Map<string, number> {
  const select = ctx.conn.stmt('SELECT updated_at FROM runs WHERE run_uuid = ?');
  const times = new Map<string, number>();
  for (const runId of runIds) {
    const row = select.get(runId) as { updated_at: number } | undefined;
    if (row !== undefined) times.set(runId, row.updated_at);
  }
  return times;
}
