import { LogbookError } from '@logbook/core';
import type { AuditEntry, AuditHead, AuditSink } from './types.js';

/** The part of a better-sqlite3 `Database` this sink uses (pass one in; no dependency here). */
export interface SqliteDatabaseLike {
  exec(sql: string): unknown;
  prepare(sql: string): {
    run(...params: unknown[]): unknown;
    get(...params: unknown[]): unknown;
    all(...params: unknown[]): unknown[];
  };
}

/** Options of {@link SqliteAuditSink}. */
export interface SqliteAuditSinkOptions {
  /** An open better-sqlite3 database; the host owns it and closes it. */
  readonly db: SqliteDatabaseLike;
  /** Table of the entries; the head record is one row of `<table>_head`. @default 'logbook_audit' */
  readonly table?: string;
}

/** SQLite result codes after which a retry can succeed (lock held, disk full, I/O). */
const RETRYABLE = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN|READONLY)/;

/** A driver error as a LogbookError: retryable ones are a 503, anything else DATA_LOSS. */
function sqliteError(what: string, error: unknown): LogbookError {
  const code = (error as { code?: unknown }).code;
  const name = typeof code === 'string' ? code : 'unknown';
  return new LogbookError(RETRYABLE.test(name) ? 'TEMPORARILY_UNAVAILABLE' : 'DATA_LOSS', `[koa] Cannot ${what} the SQLite audit table (${name}).`, { cause: error });
}

function parse(text: string, what: string): AuditEntry {
  try {
    return JSON.parse(text) as AuditEntry;
  } catch (error) {
    throw new LogbookError('DATA_LOSS', `[koa] Unreadable ${what} in the SQLite audit table.`, { cause: error });
  }
}

/**
 * Audit entries in a SQLite table. Triggers refuse UPDATE and DELETE, so the table is
 * append-only even for code holding the connection; each insert commits, together with the
 * head row, in one transaction before `append` resolves. A transaction cannot tear.
 */
export class SqliteAuditSink implements AuditSink {
  readonly #db: SqliteDatabaseLike;
  readonly #table: string;

  constructor(options: SqliteAuditSinkOptions) {
    const table = options.table ?? 'logbook_audit';
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,57}$/.test(table)) {
      throw new LogbookError('INVALID_CONFIGURATION', `[koa] Invalid audit table name '${table}': letters, digits and '_', at most 58 characters, not starting with a digit.`, { field: 'table' });
    }
    this.#db = options.db;
    this.#table = table;
    try {
      this.#db.exec(`
        CREATE TABLE IF NOT EXISTS ${table} (seq INTEGER PRIMARY KEY, entry TEXT NOT NULL, hash TEXT NOT NULL);
        CREATE TRIGGER IF NOT EXISTS ${table}_no_update BEFORE UPDATE ON ${table}
          BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
        CREATE TRIGGER IF NOT EXISTS ${table}_no_delete BEFORE DELETE ON ${table}
          BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
        CREATE TABLE IF NOT EXISTS ${table}_head (id INTEGER PRIMARY KEY CHECK (id = 1), head TEXT NOT NULL);`);
    } catch (error) {
      throw sqliteError('create', error);
    }
  }

  async last(): Promise<AuditEntry | undefined> {
    let row: { entry: string } | undefined;
    try {
      row = this.#db.prepare(`SELECT entry FROM ${this.#table} ORDER BY seq DESC LIMIT 1`).get() as { entry: string } | undefined;
    } catch (error) {
      throw sqliteError('read', error);
    }
    return row === undefined ? undefined : parse(row.entry, 'last entry');
  }

  async head(): Promise<AuditHead | undefined> {
    let row: { head: string } | undefined;
    try {
      row = this.#db.prepare(`SELECT head FROM ${this.#table}_head WHERE id = 1`).get() as { head: string } | undefined;
    } catch (error) {
      throw sqliteError('read the head of', error);
    }
    return row === undefined ? undefined : (parse(row.head, 'head record') as unknown as AuditHead);
  }

  async append(entry: AuditEntry, head?: AuditHead): Promise<void> {
    try {
      this.#db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      throw sqliteError('append to', error);
    }
    try {
      this.#db.prepare(`INSERT INTO ${this.#table} (seq, entry, hash) VALUES (?, ?, ?)`).run(entry.seq, JSON.stringify(entry), entry.hash);
      if (head !== undefined) {
        this.#db.prepare(`INSERT INTO ${this.#table}_head (id, head) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET head = excluded.head`).run(JSON.stringify(head));
      }
      this.#db.exec('COMMIT');
    } catch (error) {
      try {
        this.#db.exec('ROLLBACK');
      } catch {
        // SQLite may have rolled back already (SQLITE_FULL does).
      }
      throw sqliteError('append to', error);
    }
  }

  async *entries(): AsyncIterable<AuditEntry> {
    let rows: unknown[];
    try {
      rows = this.#db.prepare(`SELECT entry FROM ${this.#table} ORDER BY seq`).all();
    } catch (error) {
      throw sqliteError('read', error);
    }
    for (const row of rows) yield parse((row as { entry: string }).entry, 'entry');
  }

  async close(): Promise<void> {
    // The database belongs to the host.
  }
}
