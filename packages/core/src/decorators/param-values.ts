import { createHash } from 'node:crypto';
import { stringifyParam } from '../services/flatten-params.js';

/**
 * Turns one `@Param` value into flat string params: objects (plain, class instances and Maps)
 * become dotted keys (`optimizer.lr`), an empty one is `{}`, a cycle is `[circular]`; leaves are written as the
 * tracker writes params (`stringifyParam`: arrays JSON, `null` `None`, dates ISO, `undefined` and
 * functions left out). With `redact`, every leaf value is replaced by
 * `[redacted:<first 8 hex of its sha256>]`, so runs can be compared without the value being stored.
 *
 * @param prefix the param name; `''` puts an object's keys at the top level.
 * @param out receives the params.
 */
export function flattenParam(prefix: string, value: unknown, redact: boolean, out: Record<string, string>): void {
  walk(prefix, value, redact, out, new Set());
}

/** The redacted form of a value: it identifies equal values without revealing them. */
export function redactValue(text: string): string {
  return `[redacted:${createHash('sha256').update(text).digest('hex').slice(0, 8)}]`;
}

function walk(key: string, value: unknown, redact: boolean, out: Record<string, string>, seen: Set<object>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) {
    if (seen.has(value)) {
      put(key, '[circular]', redact, out);
      return;
    }
    seen.add(value);
    const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
    if (entries.length === 0) put(key, '{}', redact, out);
    for (const [k, v] of entries) walk(key === '' ? String(k) : `${key}.${String(k)}`, v, redact, out, seen);
    seen.delete(value);
    return;
  }
  const text = stringifyParam(value);
  if (text !== undefined) put(key, text, redact, out);
}

function put(key: string, text: string, redact: boolean, out: Record<string, string>): void {
  // An unnamed primitive cannot have an empty key; callers name those (see `@Param`).
  out[key === '' ? 'value' : key] = redact ? redactValue(text) : text;
}
