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

/**
 * Marks the runs whose artifact root is `artifactUri` changed (a new seq, `updated_at` now), so
 * the change feed visits them again: artifact files carry no seq, and a file nested in a run's
 * folder does not change the folder's mtime. Returns how many runs were marked (0 for a root that
 * is no run's of this database: nothing is written then).
 */
export function markArtifactsChanged(ctx: StoreContext, artifactUri: string): number {
  return ctx.conn.write(() => {
    const rows = ctx.conn.stmt('SELECT id FROM runs WHERE artifact_uri = ?').all(artifactUri) as { id: number }[];
    if (rows.length === 0) return 0;
    const now = ctx.options.now();
    const seq = ctx.conn.nextSeq();
    const update = ctx.conn.stmt('UPDATE runs SET updated_at = ?, seq = ? WHERE id = ?');
    for (const row of rows) update.run(now, seq, row.id);
    return rows.length;
  });
}
