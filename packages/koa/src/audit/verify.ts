import { isLogbookError } from '@logbook/core';
import { GENESIS_HASH, entryHash, keyBytes, sameDigest } from './hash-chain.js';
import type { AuditKey } from './hash-chain.js';
import { headProblem } from './head-check.js';
import { FENCE_ACTION } from './jsonl-walk.js';
import type { AuditDamage, AuditEntry, AuditHead, AuditSink } from './types.js';

/** Options of {@link verifyAuditLog}. */
export interface AuditVerifyOptions {
  /** The key the log was written with (see `AuditLogOptions.key`); without it, plain SHA-256. */
  readonly key?: AuditKey;
  /** Heads exported earlier with `AuditLog.head()`; each must still be in the log, unchanged. */
  readonly anchors?: readonly AuditHead[];
}

/** Result of {@link verifyAuditLog}. */
export interface AuditVerification {
  /** True when every entry is intact and chained, and the head and every anchor fit the log. */
  readonly ok: boolean;
  /** Entries checked. */
  readonly entries: number;
  /** Sequence number (or position, 1-based) of the first bad entry. */
  readonly firstBadSeq?: number;
  readonly reason?: string;
  /** Whether the chain was checked as HMAC-SHA256 with a key. */
  readonly keyed: boolean;
  /** Torn writes fenced by `audit.fence` entries: where, how long, their SHA-256, the fence's seq. */
  readonly fenced: readonly (AuditDamage & { readonly seq: number })[];
  /** Damaged bytes at the end not fenced yet (the log's next open or append fences them); not ok. */
  readonly tornTail?: AuditDamage;
  /**
   * The head record: `ok` (fits), `lagging` (behind the log: a crash between an entry and its head),
   * `missing` (none written; a failure for a keyed log), `bad` (see `reason`), or `none` (no sink).
   */
  readonly head: 'ok' | 'lagging' | 'missing' | 'bad' | 'none';
}

/**
 * Checks an audit log end to end: sequence numbers run 1, 2, 3… without gaps, each entry's hash
 * matches its content, each `prevHash` is the previous entry's hash, the sink's head record (last
 * seq and hash, kept apart from the entries) fits the log, and so does every exported anchor.
 *
 * What that finds depends on the key. With the key (HMAC-SHA256): any edit, insertion, deletion or
 * reordering of entries, even with the chain recomputed, and entries cut off the end (through the
 * signed head; through an anchor kept elsewhere even when head and log are cut back together).
 * Without a key (SHA-256): an edit, insertion, deletion or reordering by someone who did not
 * recompute the chain, and entries cut off the end while the head file stays; someone who can
 * write the log can rewrite it and its head consistently, which only anchors kept elsewhere reveal.
 * Torn writes that the log fenced are listed in `fenced` and are not failures; damage not fenced
 * (yet) is one, reported with its byte offset and length in `tornTail` and `reason`.
 *
 * @example
 * ```ts
 * const result = await verifyAuditLog(new JsonlAuditSink({ path: 'audit.jsonl' }), { key, anchors: [savedHead] });
 * if (!result.ok) console.error(`audit log broken at ${result.firstBadSeq}: ${result.reason}`);
 * ```
 */
export async function verifyAuditLog(source: AuditSink | Iterable<AuditEntry> | AsyncIterable<AuditEntry>, options: AuditVerifyOptions = {}): Promise<AuditVerification> {
  const key = keyBytes(options.key);
  const sink = isSink(source) ? source : undefined;
  const head = await sink?.head?.();
  const anchors = [...(head !== undefined ? [head] : []), ...(options.anchors ?? [])];
  const wanted = new Set(anchors.map((a) => a.seq));
  const hashes = new Map<number, AuditEntry>();
  const fenced: (AuditDamage & { seq: number })[] = [];
  const keyed = key !== undefined;
  const headState = (): AuditVerification['head'] => (sink === undefined ? 'none' : head === undefined ? 'missing' : head.seq < position ? 'lagging' : 'ok');
  let prev = GENESIS_HASH;
  let position = 0;
  try {
    for await (const entry of sink !== undefined ? sink.entries() : (source as AsyncIterable<AuditEntry>)) {
      position += 1;
      const bad = (reason: string): AuditVerification => ({ ok: false, entries: position, firstBadSeq: position, reason, keyed, fenced, head: headState() });
      if (entry.seq !== position) return bad(`expected seq ${position}, found ${String(entry.seq)}`);
      if (entry.prevHash !== prev) return bad('prevHash does not match the previous entry');
      if (!sameDigest(entryHash(entry, key), entry.hash)) return bad(`hash does not match the entry content${keyed ? ' and the key' : ''}`);
      if (entry.action === FENCE_ACTION && entry.detail !== undefined) {
        const { offset, bytes, sha256 } = entry.detail;
        fenced.push({ offset: Number(offset), bytes: Number(bytes), sha256: String(sha256), seq: entry.seq });
      }
      if (wanted.has(entry.seq)) hashes.set(entry.seq, entry);
      prev = entry.hash;
    }
  } catch (error) {
    const reason = isLogbookError(error, 'DATA_LOSS') ? error.message : `unreadable entry: ${(error as Error).message}`;
    return { ok: false, entries: position, firstBadSeq: position + 1, reason, keyed, fenced, head: headState() };
  }
  const tornTail = await sink?.damage?.();
  const result = { entries: position, keyed, fenced, ...(tornTail !== undefined && { tornTail }) };
  for (const anchor of anchors) {
    const problem = headProblem(anchor, position, hashes.get(anchor.seq), key);
    if (problem !== undefined) {
      const which = anchor === head ? 'head record' : `anchor at seq ${anchor.seq}`;
      return { ...result, ok: false, firstBadSeq: Math.min(anchor.seq, position + 1), reason: `${which}: ${problem}`, head: anchor === head ? 'bad' : headState() };
    }
  }
  if (keyed && sink?.head !== undefined && head === undefined && position > 0) {
    return { ...result, ok: false, reason: 'the head record is missing (a keyed log always writes one): entries may have been cut off the end', head: 'missing' };
  }
  if (tornTail !== undefined) {
    const reason = `${tornTail.bytes} damaged bytes at byte offset ${tornTail.offset} after the last entry, not fenced yet (the log fences them when it next opens or appends)`;
    return { ...result, ok: false, firstBadSeq: position + 1, reason, head: headState() };
  }
  return { ...result, ok: true, head: headState() };
}

function isSink(source: unknown): source is AuditSink {
  return typeof (source as AuditSink).append === 'function' && typeof (source as AuditSink).entries === 'function';
}
