import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { isLogbookError } from '@logbook/core';
import { LATEST_SCHEMA_VERSION, SqliteStore } from '../../src/index.js';
import { Connection } from '../../src/connection.js';
import { MIGRATIONS } from '../../src/schema/migrations.js';
import { checkSchemaVersion, migrate } from '../../src/schema/migrate.js';
import { useTempDir } from '../helpers.js';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('schema migrations', () => {
  const tmp = useTempDir();

  it('creates a fresh file at the latest version, in WAL mode, with the Default experiment', async () => {
    const path = join(tmp(), 'nested', 'fresh.db');
    const store = new SqliteStore({ path });
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT version, name FROM schema_version').all()).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare("SELECT COUNT(*) AS n FROM experiments WHERE name = 'Default'").get()).toEqual({ n: 1 });
    db.close();
  });

  it('re-opens without re-applying migrations and keeps the data', async () => {
    const path = join(tmp(), 'reopen.db');
    const first = new SqliteStore({ path });
    const id = await first.createExperiment({ name: 'kept' });
    await first.close();
    const second = new SqliteStore({ path });
    expect((await second.getExperiment(id)).name).toBe('kept');
    expect((await second.searchExperiments({ viewType: 'ALL' as never })).items).toHaveLength(2);
    await second.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM schema_version').get()).toEqual({ n: LATEST_SCHEMA_VERSION });
    db.close();
  });

  it('refuses a file written by a newer schema with SCHEMA_TOO_NEW and leaves it untouched', async () => {
    const path = join(tmp(), 'newer.db');
    await new SqliteStore({ path }).close();
    const db = new Database(path);
    db.prepare("INSERT INTO schema_version (version, name, applied_at) VALUES (99, 'from the future', 0)").run();
    db.close();
    const before = sha(path);
    let caught: unknown;
    try {
      new SqliteStore({ path });
    } catch (error) {
      caught = error;
    }
    expect(isLogbookError(caught, 'SCHEMA_TOO_NEW')).toBe(true);
    expect((caught as Error).message).toMatch(new RegExp(`schema version 99.*versions 1 to ${LATEST_SCHEMA_VERSION}`));
    expect(sha(path)).toBe(before);
    expect(existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`).length : 0).toBe(0);
  });

  it('refuses a SQLite file that is not a Logbook database', () => {
    const path = join(tmp(), 'other.db');
    const db = new Database(path);
    db.exec('CREATE TABLE foreign_stuff (x)');
    db.close();
    expect(() => new SqliteStore({ path })).toThrow(/not a Logbook database/);
  });

  it('applies a later migration once, and rolls a failing one back entirely', () => {
    const path = join(tmp(), 'later.db');
    const conn = new Connection({ path, busyTimeoutMs: 1000 });
    migrate(conn, 1);
    const later = LATEST_SCHEMA_VERSION + 1;
    const v2 = { version: later, name: 'add notes', sql: 'CREATE TABLE notes (x); INSERT INTO notes VALUES (1);' };
    expect(migrate(conn, 2, [...MIGRATIONS, v2])).toBe(later);
    expect(migrate(conn, 3, [...MIGRATIONS, v2])).toBe(later);
    expect(conn.db.prepare('SELECT COUNT(*) AS n FROM notes').get()).toEqual({ n: 1 });
    const broken = { version: later + 1, name: 'broken', sql: 'CREATE TABLE half (x); INSERT INTO missing VALUES (1);' };
    expect(() => migrate(conn, 4, [...MIGRATIONS, v2, broken])).toThrow(/missing/);
    expect(checkSchemaVersion(conn, path, [...MIGRATIONS, v2, broken])).toBe(later);
    expect(conn.db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    conn.close();
  });

  it('opens a fresh file twice at once in one process (second open sees the schema)', async () => {
    const path = join(tmp(), 'twice.db');
    const a = new SqliteStore({ path });
    const b = new SqliteStore({ path });
    await a.createExperiment({ name: 'from-a' });
    expect((await b.getExperimentByName('from-a'))?.name).toBe('from-a');
    await a.close();
    await b.close();
  });
});
