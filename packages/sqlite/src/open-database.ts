import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { fail } from './errors.js';
import type { ResolvedSqliteOptions } from './types.js';

/** Byte offsets of the file format versions in the SQLite header: 2 means WAL, 1 rollback journal. */
const WRITE_VERSION_OFFSET = 18;
const READ_VERSION_OFFSET = 19;

function driverCode(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

/**
 * Opens the better-sqlite3 database of the store. Writable: creates the parent folders and the
 * file when missing. Read-only: the file must exist and is never written, created or migrated.
 *
 * A WAL database (every Logbook file) on a read-only mount cannot be opened in place: SQLite
 * needs to create its `-shm` file beside it, and better-sqlite3 offers no `immutable` URI. Such a
 * file is read into memory instead (header switched to rollback mode in the copy), which is
 * only ever done for a read-only open and leaves the file untouched.
 */
export function openDatabase(options: Pick<ResolvedSqliteOptions, 'path' | 'busyTimeoutMs' | 'readonly'>): Database.Database {
  const { path, busyTimeoutMs: timeout } = options;
  if (path === ':memory:') return new Database(path, { timeout });
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory() === true) {
    fail('INVALID_STATE', `${path} is a folder, not a database file.`);
  }
  if (!options.readonly) {
    mkdirSync(dirname(path), { recursive: true });
    return new Database(path, { timeout });
  }
  if (statSync(path, { throwIfNoEntry: false }) === undefined) {
    fail('INVALID_STATE', `${path} does not exist; a read-only store never creates a database.`);
  }
  const db = new Database(path, { timeout, readonly: true, fileMustExist: true });
  try {
    // The first read is where SQLite opens the WAL index (the `-shm` file).
    db.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get();
    return db;
  } catch (error) {
    db.close();
    if (driverCode(error) !== 'SQLITE_CANTOPEN') throw error;
    // Committed rows still in a -wal file would be missing from the copy: refuse rather than show less.
    if ((statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0) > 0) throw error;
    let image: Buffer;
    try {
      image = readFileSync(path);
    } catch {
      throw error;
    }
    if (image.length > READ_VERSION_OFFSET) {
      image[WRITE_VERSION_OFFSET] = 1;
      image[READ_VERSION_OFFSET] = 1;
    }
    return new Database(image, { readonly: true });
  }
}
