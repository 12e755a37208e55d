import { LogbookError } from '@logbook/core';
import type { Connection } from '../connection.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations.js';
import type { Migration } from './migration.js';

const VERSION_TABLE = `CREATE TABLE IF NOT EXISTS schema_version (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at INTEGER NOT NULL
)`;

function hasVersionTable(conn: Connection): boolean {
  return conn.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").get() !== undefined;
}

function currentVersion(conn: Connection): number {
  if (!hasVersionTable(conn)) return 0;
  const row = conn.db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null };
  return row.v ?? 0;
}

/**
 * Reads the schema version without writing anything. A database written by a newer schema is
 * refused with SCHEMA_TOO_NEW; a database with tables but no `schema_version` (not Logbook's) is
 * refused with INVALID_STATE. Both leave the file untouched.
 */
export function checkSchemaVersion(conn: Connection, path: string, migrations: readonly Migration[] = MIGRATIONS): number {
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (!hasVersionTable(conn)) {
    const other = conn.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' LIMIT 1").get();
    if (other !== undefined) {
      throw new LogbookError('INVALID_STATE', `[sqlite] ${path} is not a Logbook database (it has tables but no schema_version); refusing to touch it.`);
    }
    return 0;
  }
  const found = currentVersion(conn);
  if (found > latest) {
    throw new LogbookError(
      'SCHEMA_TOO_NEW',
      `[sqlite] ${path} has schema version ${found}, written by a newer Logbook; this version knows schema versions 1 to ${latest}. The file was not modified: upgrade @logbook/sqlite to open it.`,
    );
  }
  return found;
}

/**
 * Applies the pending migrations in one IMMEDIATE transaction, recording each in
 * `schema_version`. Safe when several processes open a fresh file at once: the version is read
 * again under the write lock, so a migration runs exactly once.
 * @returns the schema version after migrating.
 */
export function migrate(conn: Connection, now: number, migrations: readonly Migration[] = MIGRATIONS): number {
  return conn.write(() => {
    conn.db.exec(VERSION_TABLE);
    const from = currentVersion(conn);
    const record = conn.db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)');
    for (const migration of migrations) {
      if (migration.version <= from) continue;
      conn.db.exec(migration.sql);
      record.run(migration.version, migration.name, now);
    }
    return Math.max(from, migrations[migrations.length - 1]?.version ?? 0);
  });
}

export { LATEST_SCHEMA_VERSION };
