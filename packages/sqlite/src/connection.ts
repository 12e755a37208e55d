import type Database from 'better-sqlite3';
import { openDatabase } from './open-database.js';
import type { ResolvedSqliteOptions } from './types.js';

type Statement = Database.Statement<unknown[], unknown>;

/**
 * One better-sqlite3 connection with a prepared-statement cache and short write transactions.
 * Writes take the write lock up front (`BEGIN IMMEDIATE`): a deferred transaction that reads
 * first and writes later can fail with SQLITE_BUSY at once when another process committed in
 * between, whatever the busy timeout; an immediate one simply waits its turn.
 *
 * SQLite waits for a lock synchronously (`busy_timeout`), blocking the event loop. The connection
 * opens with the full `busyTimeoutMs` (creating or migrating a file must happen before the store
 * can be used), then {@link Connection.limitSyncWait} cuts it to a few milliseconds: longer waits
 * are the store's asynchronous retries (`busy-retry.ts`).
 */
export class Connection {
  readonly db: Database.Database;
  readonly memory: boolean;
  private readonly statements = new Map<string, Statement>();
  private readonly runInTransaction: Database.Transaction<(fn: () => unknown) => unknown>;
  private closed = false;
  /** The seq of the open write transaction, once drawn. */
  private transactionSeq: number | undefined;

  /** Opened read-only (`readonly` option): never written, no pragmas that write. */
  readonly readonly: boolean;

  constructor(options: Pick<ResolvedSqliteOptions, 'path' | 'busyTimeoutMs'> & { readonly readonly?: boolean }) {
    this.memory = options.path === ':memory:';
    this.readonly = options.readonly === true;
    this.db = openDatabase({ ...options, readonly: this.readonly });
    this.runInTransaction = this.db.transaction((fn: () => unknown) => fn());
  }

  /** Applies the durability pragmas; called once the schema version was checked. */
  configure(synchronous: 'NORMAL' | 'FULL'): void {
    if (this.readonly) return;
    if (!this.memory) this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${synchronous}`);
    this.db.pragma('foreign_keys = ON');
    // 64 MiB of page cache (default 2 MiB): keeps the metric b-tree's upper levels in memory.
    this.db.pragma('cache_size = -65536');
  }

  /** From now on, one statement blocks at most `ms` waiting for a lock before SQLITE_BUSY. */
  limitSyncWait(ms: number): void {
    this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(ms))}`);
  }

  /** A cached prepared statement. */
  stmt(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs `fn` in a write transaction (`BEGIN IMMEDIATE`); a savepoint when already inside one. */
  write<T>(fn: () => T): T {
    if (this.db.inTransaction) return this.runInTransaction.immediate(fn) as T;
    try {
      return this.runInTransaction.immediate(fn) as T;
    } finally {
      this.transactionSeq = undefined;
    }
  }

  /** Runs `fn` in a read transaction, so several SELECTs see one snapshot. */
  read<T>(fn: () => T): T {
    return this.runInTransaction.deferred(fn) as T;
  }

  /**
   * The change counter of the current write transaction; call inside `write`. The counter is bumped
   * once per transaction (the first call), so every row one transaction touches gets the same seq.
   */
  /**
   * The seq {@link nextSeq} would return, without bumping the counter: rows written with it are
   * valid only if `nextSeq()` is then called in the same transaction (a write that turns out to
   * change nothing skips that call, and leaves the counter alone). Call inside `write`.
   */
  peekSeq(): number {
    if (this.transactionSeq !== undefined) return this.transactionSeq;
    return (this.stmt('SELECT seq FROM sync_state WHERE id = 1').get() as { seq: number }).seq + 1;
  }

  nextSeq(): number {
    if (this.transactionSeq !== undefined) return this.transactionSeq;
    const row = this.stmt('UPDATE sync_state SET seq = seq + 1 WHERE id = 1 RETURNING seq').get() as { seq: number };
    if (this.db.inTransaction) this.transactionSeq = row.seq;
    return row.seq;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Closes the connection (checkpointing the WAL); idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.statements.clear();
    this.db.close();
  }
}
