import { createHash } from 'node:crypto';

/**
 * Turns one `@Param` value into flat string params: nested objects become dotted keys
 * (`optimizer.lr`), arrays are JSON, `undefined` and functions are left out, `null` is `"null"`,
 * dates are ISO strings. With `redact`, every leaf value is replaced by
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
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return;
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) {
    if (seen.has(value)) {
      put(key, '[circular]', redact, out);
      return;
    }
    seen.add(value);
    const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
    for (const [k, v] of entries) walk(key === '' ? String(k) : `${key}.${String(k)}`, v, redact, out, seen);
    seen.delete(value);
    return;
  }
  put(key, leafText(value), redact, out);
}

function put(key: string, text: string, redact: boolean, out: Record<string, string>): void {
  // An unnamed primitive cannot have an empty key; callers name those (see `@Param`).
  out[key === '' ? 'value' : key] = redact ? redactValue(text) : text;
}

function leafText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (Array.isArray(value)) {
    try {
      return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    } catch {
      return String(value); // cyclic arrays
    }
  }
  return String(value);
}
