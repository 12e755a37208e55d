import { LogbookError } from '@logbook/core';
import type { Connection } from '../connection.js';

/**
 * For a read-only store: the database must already be at the schema this version reads, since
 * reading never migrates. An empty file (0 bytes, or no tables at all) holds nothing logged; an
 * older schema needs one writable open (any logging program) to be migrated first.
 */
export function checkReadableSchema(conn: Connection, version: number, latest: number, path: string): void {
  if (version === latest) return;
  if (version === 0) {
    const tables = conn.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1").get();
    if (tables === undefined) {
      throw new LogbookError('INVALID_STATE', `[sqlite] ${path} is empty: it is not a Logbook database yet (nothing has been logged there). Opened read-only, it was not modified.`);
    }
  }
  throw new LogbookError(
    'INVALID_STATE',
    `[sqlite] ${path} has schema version ${version}; this version reads version ${latest}. Opened read-only, it was not migrated: open it once for writing (any program that logs to it) to migrate it, then read it again.`,
  );
}
