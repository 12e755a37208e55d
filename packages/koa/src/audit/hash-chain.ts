import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { LogbookError } from '@logbook/core';
import type { AuditEntry, AuditHead } from './types.js';

/** `prevHash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** The key of a keyed (HMAC-SHA256) audit chain: at least 32 bytes, held by the host. */
export type AuditKey = string | Uint8Array;

const MIN_KEY_BYTES = 32;

/** Checks a key's length and returns its bytes; `undefined` for an unkeyed chain. */
export function keyBytes(key: AuditKey | undefined): Buffer | undefined {
  if (key === undefined) return undefined;
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key);
  if (bytes.length < MIN_KEY_BYTES) {
    throw new LogbookError('INVALID_CONFIGURATION', `[koa] The audit key must be at least ${MIN_KEY_BYTES} bytes (got ${bytes.length}); use e.g. 32 random bytes.`, { field: 'key' });
  }
  return bytes;
}

/** JSON with object keys sorted at every level, so the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function digest(text: string, key: AuditKey | undefined): string {
  const bytes = keyBytes(key);
  return (bytes === undefined ? createHash('sha256') : createHmac('sha256', bytes)).update(text).digest('hex');
}

/**
 * The hash an entry must carry: of its `prevHash`, a newline, and the canonical JSON of its other
 * fields; HMAC-SHA256 with `key` when one is given, plain SHA-256 otherwise.
 */
export function entryHash(entry: Omit<AuditEntry, 'hash'> | AuditEntry, key?: AuditKey): string {
  const { hash: _ignored, ...rest } = entry as AuditEntry;
  return digest(`${rest.prevHash}\n${canonicalJson(rest)}`, key);
}

/** The `mac` of a head record (HMAC-SHA256 of its other fields); `undefined` without a key. */
export function headMac(head: Omit<AuditHead, 'mac'>, key: AuditKey | undefined): string | undefined {
  if (key === undefined) return undefined;
  return digest(`logbook-audit-head\n${canonicalJson({ seq: head.seq, hash: head.hash, time: head.time })}`, key);
}

/** Compares two hex digests in constant time. */
export function sameDigest(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
