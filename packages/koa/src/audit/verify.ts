import { GENESIS_HASH, entryHash } from './hash-chain.js';
import type { AuditEntry, AuditSink } from './types.js';

/** Result of {@link verifyAuditLog}. */
export interface AuditVerification {
  /** True when every entry is intact and chained to its predecessor. */
  readonly ok: boolean;
  /** Entries checked. */
  readonly entries: number;
  /** Sequence number (or position, 1-based) of the first bad entry. */
  readonly firstBadSeq?: number;
  readonly reason?: string;
}

/**
 * Checks an audit log end to end: sequence numbers run 1, 2, 3… without gaps, each entry's hash
 * matches its content, and each `prevHash` is the previous entry's hash. Any edit, deletion,
 * insertion or reordering of entries is reported with the first entry where the chain breaks.
 *
 * @example
 * ```ts
 * const result = await verifyAuditLog(new JsonlAuditSink({ path: 'audit.jsonl' }));
 * if (!result.ok) console.error(`audit log broken at ${result.firstBadSeq}: ${result.reason}`);
 * ```
 */
export async function verifyAuditLog(source: AuditSink | Iterable<AuditEntry> | AsyncIterable<AuditEntry>): Promise<AuditVerification> {
  const entries = isSink(source) ? source.entries() : source;
  let prev = GENESIS_HASH;
  let position = 0;
  try {
    for await (const entry of entries) {
      position += 1;
      const bad = (reason: string): AuditVerification => ({ ok: false, entries: position, firstBadSeq: position, reason });
      if (entry.seq !== position) return bad(`expected seq ${position}, found ${String(entry.seq)}`);
      if (entry.prevHash !== prev) return bad('prevHash does not match the previous entry');
      if (entryHash(entry) !== entry.hash) return bad('hash does not match the entry content');
      prev = entry.hash;
    }
  } catch (error) {
    return { ok: false, entries: position, firstBadSeq: position + 1, reason: `unreadable entry: ${(error as Error).message}` };
  }
  return { ok: true, entries: position };
}

function isSink(source: unknown): source is AuditSink {
  return typeof (source as AuditSink).append === 'function' && typeof (source as AuditSink).entries === 'function';
}
