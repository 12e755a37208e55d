import { GENESIS_HASH, entryHash } from './hash-chain.js';
import type { AuditEntry, AuditRecordInput, AuditSink } from './types.js';

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

/**
 * The tamper-evident audit log: entries get consecutive sequence numbers and are chained by
 * SHA-256 to their predecessor, then written durably by the sink. Appends are serialized, so
 * concurrent requests still produce one unbroken chain.
 */
export class AuditLog {
  readonly #sink: AuditSink;
  #tail: Promise<{ seq: number; hash: string }>;

  constructor(sink: AuditSink) {
    this.#sink = sink;
    this.#tail = sink.last().then((last) => (last === undefined ? { seq: 0, hash: GENESIS_HASH } : { seq: last.seq, hash: last.hash }));
  }

  /** Appends one entry; resolves once it is durable. */
  record(input: AuditRecordInput, now: Date = new Date()): Promise<AuditEntry> {
    const written = this.#tail.then(async (tail) => {
      const unsigned = { ...input, seq: tail.seq + 1, time: now.toISOString(), prevHash: tail.hash };
      const entry: AuditEntry = { ...unsigned, hash: entryHash(unsigned) };
      await this.#sink.append(entry);
      return entry;
    });
    // A failed append leaves the chain where it was; the next entry reuses the sequence number.
    const previous = this.#tail;
    this.#tail = written.then((e) => ({ seq: e.seq, hash: e.hash }), () => previous);
    return written;
  }

  /** Entries matching the filter, oldest first, at most `limit`. */
  async query(q: AuditQuery): Promise<AuditEntry[]> {
    const found: AuditEntry[] = [];
    for await (const e of this.#sink.entries()) {
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

  /** Waits for pending appends, then closes the sink. */
  async close(): Promise<void> {
    await this.#tail.catch(() => undefined);
    await this.#sink.close();
  }
}
