import type { StoreContext } from './context.js';

/**
 * Records a hard deletion (a row that is gone, so its `seq` cannot say so) for a future sync.
 * Call inside a write transaction.
 */
export function recordTombstone(ctx: StoreContext, entity: string, entityId: string, key: string | null): void {
  ctx.conn.stmt('INSERT INTO tombstones (seq, entity, entity_id, key, deleted_at) VALUES (?, ?, ?, ?, ?)').run(ctx.conn.nextSeq(), entity, entityId, key, ctx.options.now());
}
