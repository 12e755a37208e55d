import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { AuditDamage, AuditEntry } from './types.js';

/** Action of the entry that fences damaged bytes; its detail names `offset`, `bytes`, `sha256`. */
export const FENCE_ACTION = 'audit.fence';

/** What {@link walkJsonl} finds, in file order. */
export type JsonlItem =
  /** A complete entry; `fenced` when it is the fence that names the damage right before it. */
  | { readonly kind: 'entry'; readonly entry: AuditEntry; readonly fenced?: AuditDamage }
  /** Damaged bytes no fence names: followed by `next` (an entry), or at the end of the file. */
  | { readonly kind: 'damage'; readonly damage: AuditDamage; readonly next?: AuditEntry };

const NEWLINE = 0x0a;

/** True when the entry is a fence naming exactly this damage. */
export function fences(entry: AuditEntry, damage: AuditDamage): boolean {
  const d = entry.detail;
  return entry.action === FENCE_ACTION && d?.offset === damage.offset && d.bytes === damage.bytes && d.sha256 === damage.sha256;
}

function parseEntry(line: Buffer): AuditEntry | undefined {
  try {
    const value = JSON.parse(line.toString('utf8')) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const e = value as Partial<AuditEntry>;
    return typeof e.seq === 'number' && typeof e.hash === 'string' && typeof e.prevHash === 'string' ? (e as AuditEntry) : undefined;
  } catch {
    return undefined;
  }
}

async function* lines(path: string): AsyncGenerator<{ line: Buffer; offset: number; complete: boolean }> {
  let carry = Buffer.alloc(0);
  let offset = 0;
  for await (const chunk of createReadStream(path)) {
    let buffer = carry.length === 0 ? (chunk as Buffer) : Buffer.concat([carry, chunk as Buffer]);
    let at = buffer.indexOf(NEWLINE);
    while (at !== -1) {
      yield { line: buffer.subarray(0, at), offset, complete: true };
      offset += at + 1;
      buffer = buffer.subarray(at + 1);
      at = buffer.indexOf(NEWLINE);
    }
    carry = Buffer.from(buffer);
  }
  if (carry.length > 0) yield { line: carry, offset, complete: false };
}

/**
 * Reads a JSON-lines audit file byte by byte: a line is an entry only when it is complete (ends
 * in a newline) and parses as one. Runs of other lines are damage: each is reported with its byte
 * offset, length and SHA-256, and counts as fenced when the next entry is a fence naming exactly it.
 */
export async function* walkJsonl(path: string): AsyncGenerator<JsonlItem> {
  let start: number | undefined;
  let end = 0;
  let hash: Hash | undefined;
  const close = (): AuditDamage => {
    const damage = { offset: start!, bytes: end - start!, sha256: hash!.digest('hex') };
    start = undefined;
    hash = undefined;
    return damage;
  };
  for await (const { line, offset, complete } of lines(path)) {
    const entry = complete ? parseEntry(line) : undefined;
    if (entry === undefined) {
      if (start === undefined) {
        start = offset;
        hash = createHash('sha256');
      } else {
        hash!.update('\n');
      }
      hash!.update(line);
      end = offset + line.length;
      continue;
    }
    if (start === undefined) {
      yield { kind: 'entry', entry };
      continue;
    }
    const damage = close();
    if (fences(entry, damage)) yield { kind: 'entry', entry, fenced: damage };
    else yield { kind: 'damage', damage, next: entry };
  }
  if (start !== undefined) yield { kind: 'damage', damage: close() };
}
