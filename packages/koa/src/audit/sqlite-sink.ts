import type { AuditEntry, AuditSink } from './types.js';

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
  /** @default 'logbook_audit' */
  readonly table?: string;
}

/**
 * Audit entries in a SQLite table. Triggers refuse UPDATE and DELETE, so the table is
 * append-only even for code holding the connection; each insert commits before `append` resolves.
 */
export class SqliteAuditSink implements AuditSink {
  readonly #db: SqliteDatabaseLike;
  readonly #table: string;

  constructor(options: SqliteAuditSinkOptions) {
    const table = options.table ?? 'logbook_audit';
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(table)) throw new Error(`[koa] Invalid audit table name '${table}'.`);
    this.#db = options.db;
    this.#table = table;
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS ${table} (seq INTEGER PRIMARY KEY, entry TEXT NOT NULL, hash TEXT NOT NULL);
      CREATE TRIGGER IF NOT EXISTS ${table}_no_update BEFORE UPDATE ON ${table}
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
      CREATE TRIGGER IF NOT EXISTS ${table}_no_delete BEFORE DELETE ON ${table}
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;`);
  }

  async last(): Promise<AuditEntry | undefined> {
    const row = this.#db.prepare(`SELECT entry FROM ${this.#table} ORDER BY seq DESC LIMIT 1`).get() as { entry: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.entry) as AuditEntry);
  }

  async append(entry: AuditEntry): Promise<void> {
    this.#db.prepare(`INSERT INTO ${this.#table} (seq, entry, hash) VALUES (?, ?, ?)`).run(entry.seq, JSON.stringify(entry), entry.hash);
  }

  async *entries(): AsyncIterable<AuditEntry> {
    for (const row of this.#db.prepare(`SELECT entry FROM ${this.#table} ORDER BY seq`).all()) {
      yield JSON.parse((row as { entry: string }).entry) as AuditEntry;
    }
  }

  async close(): Promise<void> {
    // The database belongs to the host.
  }
}
