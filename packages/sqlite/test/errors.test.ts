import { copyFileSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LogbookError, isLogbookError } from '@logbook/core';
import { SqliteStore } from '../src/index.js';
import { toStoreError } from '../src/errors.js';
import { useTempDir } from './helpers.js';

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('toStoreError', () => {
  const tmp = useTempDir('logbook-sqlite-errors-');

  it('refuses a file that is not a database with INVALID_STATE naming it, and leaves it untouched', () => {
    const path = join(tmp(), 'notes.db');
    const bytes = Buffer.from('these are my notes, not a database\n'.repeat(200));
    writeFileSync(path, bytes);
    const error = thrownBy(() => new SqliteStore({ path }));
    expect(isLogbookError(error, 'INVALID_STATE')).toBe(true);
    expect((error as Error).message).toBe(`[sqlite] ${path} is corrupt or not a SQLite database (SQLITE_NOTADB); the file was not modified.`);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('refuses a truncated database with INVALID_STATE, never a raw SqliteError', async () => {
    const good = join(tmp(), 'good.db');
    const store = new SqliteStore({ path: good });
    const run = await store.createRun({ experimentId: '0' });
    await store.logBatch(run.info.runId, { metrics: Array.from({ length: 1000 }, (_, i) => ({ key: 'loss', value: i, timestamp: i, step: i })) });
    await store.close();
    const cut = join(tmp(), 'cut.db');
    copyFileSync(good, cut);
    truncateSync(cut, 20_000);
    const error = thrownBy(() => new SqliteStore({ path: cut }));
    expect(error).toBeInstanceOf(LogbookError);
    expect(error).toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/cut\.db is corrupt or not a SQLite database \(SQLITE_CORRUPT\)/) });
  });

  it('types the driver errors of real connections: read-only, locked; keeps the driver error as the cause', () => {
    const path = join(tmp(), 'plain.db');
    const writer = new Database(path);
    writer.exec('CREATE TABLE t (x)');
    const reader = new Database(path, { readonly: true });
    const readonly = toStoreError(
      thrownBy(() => reader.exec('INSERT INTO t VALUES (1)')),
      path,
    );
    expect(readonly).toMatchObject({ code: 'INVALID_STATE', message: expect.stringContaining(`${path} is read-only (SQLITE_READONLY)`) });
    expect((readonly as Error).cause).toMatchObject({ code: 'SQLITE_READONLY' });

    const other = new Database(path, { timeout: 0 });
    writer.exec('BEGIN IMMEDIATE');
    const busy = toStoreError(
      thrownBy(() => other.exec('BEGIN IMMEDIATE')),
      path,
    );
    expect(busy).toMatchObject({ code: 'TEMPORARILY_UNAVAILABLE', message: expect.stringMatching(/^\[sqlite\] .* is locked by another connection \(SQLITE_BUSY\)/) });
    writer.exec('ROLLBACK');
    for (const db of [writer, reader, other]) db.close();
  });

  it("passes LogbookErrors and errors that are not the driver's through unchanged", () => {
    const typed = new LogbookError('RESOURCE_DOES_NOT_EXIST', '[sqlite] gone');
    const bug = new TypeError('x is undefined');
    expect(toStoreError(typed, 'p')).toBe(typed);
    expect(toStoreError(bug, 'p')).toBe(bug);
  });
});
