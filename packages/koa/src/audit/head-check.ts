import { headMac, sameDigest } from './hash-chain.js';
import type { AuditKey } from './hash-chain.js';
import type { AuditEntry, AuditHead } from './types.js';

/** A head record for the entry `seq` with hash `hash`, signed when there is a key. */
export function makeHead(seq: number, hash: string, key: AuditKey | undefined, now: Date = new Date()): AuditHead {
  const unsigned = { seq, hash, time: now.toISOString() };
  const mac = headMac(unsigned, key);
  return mac === undefined ? unsigned : { ...unsigned, mac };
}

/**
 * Why a head record (or an exported anchor) does not fit a log whose last entry is `lastSeq`;
 * `undefined` when it fits. `atHead` is the log's entry at `head.seq`, when known. A head behind
 * the log is fine (it lags when a crash fell between an entry and its head); one ahead of it means
 * entries were cut off the end.
 */
export function headProblem(head: AuditHead, lastSeq: number, atHead: AuditEntry | undefined, key: AuditKey | undefined): string | undefined {
  if (typeof head.seq !== 'number' || typeof head.hash !== 'string') return 'the head record is malformed';
  if (key !== undefined && !sameDigest(headMac(head, key), head.mac)) return 'the head record is not signed with this key';
  if (head.seq > lastSeq) return `the log ends at seq ${lastSeq}, but its head records ${head.seq} entries: entries were cut off the end`;
  if (atHead !== undefined && !sameDigest(atHead.hash, head.hash)) return `entry ${head.seq} is not the one the head records: entries were replaced`;
  return undefined;
}
