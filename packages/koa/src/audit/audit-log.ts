import { LogbookError } from '@logbook/core';
import { emit, stderrAuditEvents, unwritable } from './audit-events.js';
import type { AuditEventHandler } from './audit-events.js';
import { GENESIS_HASH, entryHash, keyBytes, sameDigest } from './hash-chain.js';
import type { AuditKey } from './hash-chain.js';
import { headProblem, makeHead } from './head-check.js';
import { FENCE_ACTION } from './jsonl-walk.js';
import type { AuditDamage, AuditEntry, AuditHead, AuditRecordInput, AuditSink } from './types.js';

/** Filter of {@link AuditLog.query}. */
export interface AuditQuery {
  readonly actor?: string;
  readonly action?: string;
  readonly outcome?: string;
  /** Only entries at or after this time (ms since the epoch). */
  readonly since?: number;
  /** Only entries before this time (ms since the epoch). */
  readonly until?: number;
  /** Only entries with a higher sequence number (the paging cursor). */
  readonly afterSeq?: number;
  readonly limit: number;
}

/** Options of {@link AuditLog}. */
export interface AuditLogOptions {
  /**
   * Key of the chain (at least 32 bytes), held by the host and kept away from the log: entries
   * and the head record are then HMAC-SHA256, which nobody without the key can recompute. Without
   * it the chain is plain SHA-256 and only finds changes made by someone who did not recompute it.
   */
  readonly key?: AuditKey;
  /** Fenced damage and deferred or lost outcome entries. @default one line on stderr */
  readonly onEvent?: AuditEventHandler;
  /** Outcome entries kept in memory while the sink cannot write. @default 10000 */
  readonly maxPendingOutcomes?: number;
}

interface Tail {
  readonly seq: number;
  readonly hash: string;
}

/**
 * The tamper-evident audit log: entries get consecutive sequence numbers and are chained to their
 * predecessor by hash (HMAC-SHA256 with {@link AuditLogOptions.key}), then written durably by the
 * sink together with a head record (last sequence number and hash) kept apart from the entries.
 * Appends are serialized, so concurrent requests still produce one unbroken chain.
 *
 * Opening reads the end of the log: damaged bytes after the last complete entry (a write cut
 * short by a full disk or a crash) are fenced by an `audit.fence` entry that names their offset,
 * length and SHA-256, and the chain continues after it. A failed append never leaves the chain
 * behind: the next append reads the end of the log again (and fences what the failure left).
 *
 * @example
 * ```ts
 * const audit = await AuditLog.open(new JsonlAuditSink({ path: './audit.jsonl' }), { key: process.env.AUDIT_KEY });
 * ```
 */
export class AuditLog {
  readonly #sink: AuditSink;
  readonly #key: Buffer | undefined;
  readonly #onEvent: AuditEventHandler;
  readonly #maxPending: number;
  readonly #pending: AuditRecordInput[] = [];
  readonly #ready: Promise<void>;
  #queue: Promise<unknown> = Promise.resolve();
  /** Where the next entry chains on; `undefined` until the end of the log has been (re)read. */
  #tail: Tail | undefined;
  #head: AuditHead | undefined;

  /**
   * Starts reading the end of the log; never leaves an unhandled rejection. When that fails,
   * {@link AuditLog.ready} rejects and every `record` retries it (and rejects while it fails).
   * Prefer {@link AuditLog.open}, which waits for it.
   */
  constructor(sink: AuditSink, options: AuditLogOptions = {}) {
    this.#sink = sink;
    this.#key = keyBytes(options.key);
    this.#onEvent = options.onEvent ?? stderrAuditEvents;
    this.#maxPending = options.maxPendingOutcomes ?? 10_000;
    this.#ready = this.#serial(() => this.#sync());
    this.#ready.catch(() => undefined);
  }

  /**
   * Opens a log: reads its end and fences a torn tail. Rejects with a LogbookError when the log
   * cannot be read (`TEMPORARILY_UNAVAILABLE`), its last entry does not verify with the key
   * (`INVALID_CONFIGURATION`: another key, none, or an altered entry), or its head record says
   * that entries were cut off (`DATA_LOSS`); the sink is closed then.
   */
  static async open(sink: AuditSink, options: AuditLogOptions = {}): Promise<AuditLog> {
    const log = new AuditLog(sink, options);
    try {
      await log.ready();
    } catch (error) {
      await sink.close().catch(() => undefined);
      throw error;
    }
    return log;
  }

  /** Resolves once the end of the log has been read (and a torn tail fenced). */
  ready(): Promise<void> {
    return this.#ready;
  }

  /**
   * Appends one entry; resolves once it is durable, and rejects with a `TEMPORARILY_UNAVAILABLE`
   * LogbookError when it is not (the caller must then not carry out what the entry announces).
   * Outcome entries waiting from an earlier failure are written first.
   */
  record(input: AuditRecordInput, now?: Date): Promise<AuditEntry> {
    return this.#serial(async () => {
      await this.#flushPending();
      return this.#write(input, now);
    });
  }

  /**
   * Appends the outcome of a change already made; never rejects. When it cannot be written it is
   * kept in memory and written before the next entry, and `onEvent` hears of it.
   */
  recordOutcome(input: AuditRecordInput, now?: Date): Promise<AuditEntry | undefined> {
    return this.#serial(async () => {
      try {
        await this.#flushPending();
        return await this.#write(input, now);
      } catch (error) {
        this.#defer(input, error);
        return undefined;
      }
    });
  }

  /**
   * The current head (last sequence number and hash, signed with the key): an anchor an operator
   * can export and keep elsewhere; `verifyAuditLog(sink, { anchors: [head] })` then finds any later
   * truncation or rewrite before it.
   */
  head(): Promise<AuditHead> {
    return this.#serial(async () => {
      if (this.#tail === undefined) await this.#sync();
      this.#head ??= makeHead(this.#tail!.seq, this.#tail!.hash, this.#key);
      return this.#head;
    });
  }

  /** Entries matching the filter, oldest first, at most `limit`; damage is skipped (verify reports it). */
  async query(q: AuditQuery): Promise<AuditEntry[]> {
    const found: AuditEntry[] = [];
    for await (const e of this.#sink.entries({ skipDamage: true })) {
      if (q.afterSeq !== undefined && e.seq <= q.afterSeq) continue;
      if (q.actor !== undefined && e.actor !== q.actor) continue;
      if (q.action !== undefined && e.action !== q.action) continue;
      if (q.outcome !== undefined && e.outcome !== q.outcome) continue;
      const t = Date.parse(e.time);
      if ((q.since !== undefined && t < q.since) || (q.until !== undefined && t >= q.until)) continue;
      found.push(e);
      if (found.length >= q.limit) break;
    }
    return found;
  }

  /** Waits for pending appends, tries once more to write deferred outcomes, then closes the sink. */
  async close(): Promise<void> {
    await this.#serial(async () => {
      try {
        await this.#flushPending();
      } catch (error) {
        for (const input of this.#pending.splice(0)) emit(this.#onEvent, { kind: 'outcome-lost', requestId: input.requestId, error });
      }
    }).catch(() => undefined);
    await this.#sink.close();
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Reads the end of the log, checks it against the key and the head, and fences damage. */
  async #sync(): Promise<void> {
    const last = await this.#sink.last();
    const damage = await this.#sink.damage?.();
    const head = await this.#sink.head?.();
    if (last !== undefined && !sameDigest(entryHash(last, this.#key), last.hash)) {
      throw new LogbookError(
        'INVALID_CONFIGURATION',
        `[koa] The last audit entry (seq ${last.seq}) does not verify ${this.#key === undefined ? 'without a key' : 'with the configured key'}: the log was written ${this.#key === undefined ? 'with a key' : 'with another key or none'}, or the entry was altered. Run verifyAuditLog; start a new log for a new key.`,
        { field: 'key' },
      );
    }
    const lastSeq = last?.seq ?? 0;
    if (head !== undefined) {
      const problem = headProblem(head, lastSeq, head.seq === lastSeq ? last : undefined, this.#key);
      if (problem !== undefined)
        throw new LogbookError('DATA_LOSS', `[koa] The audit log does not match its head record: ${problem}. Restore the log, or move it and its head aside to start a new one.`);
    }
    this.#tail = { seq: lastSeq, hash: last?.hash ?? GENESIS_HASH };
    this.#head = head !== undefined && head.seq === lastSeq ? head : undefined;
    if (damage !== undefined) await this.#fence(damage);
  }

  async #fence(damage: AuditDamage): Promise<void> {
    const entry = await this.#write({
      requestId: `fence-${damage.offset}`,
      actor: 'logbook',
      action: FENCE_ACTION,
      outcome: 'error',
      detail: { offset: damage.offset, bytes: damage.bytes, sha256: damage.sha256 },
    });
    emit(this.#onEvent, { kind: 'fenced', damage, seq: entry.seq });
  }

  async #write(input: AuditRecordInput, now: Date = new Date()): Promise<AuditEntry> {
    if (this.#tail === undefined) await this.#sync();
    const tail = this.#tail!;
    const unsigned = { ...input, seq: tail.seq + 1, time: now.toISOString(), prevHash: tail.hash };
    const entry: AuditEntry = { ...unsigned, hash: entryHash(unsigned, this.#key) };
    const head = makeHead(entry.seq, entry.hash, this.#key, now);
    try {
      await this.#sink.append(entry, head);
    } catch (error) {
      // The entry may be half written, or whole without its head: read the end again next time.
      this.#tail = undefined;
      this.#head = undefined;
      throw unwritable(entry.seq, error);
    }
    this.#tail = { seq: entry.seq, hash: entry.hash };
    this.#head = head;
    return entry;
  }

  async #flushPending(): Promise<void> {
    while (this.#pending.length > 0) {
      await this.#write(this.#pending[0]!);
      this.#pending.shift();
    }
  }

  #defer(input: AuditRecordInput, error: unknown): void {
    if (this.#pending.length >= this.#maxPending) {
      const dropped = this.#pending.shift()!;
      emit(this.#onEvent, { kind: 'outcome-lost', requestId: dropped.requestId, error });
    }
    this.#pending.push(input);
    emit(this.#onEvent, { kind: 'outcome-deferred', requestId: input.requestId, pending: this.#pending.length, error });
  }
}
