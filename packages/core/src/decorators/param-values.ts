import { createHash } from 'node:crypto';
import type { LogbookError } from '../errors.js';
import { CIRCULAR, paramTextOrProblem, rejectedParam } from '../services/flatten-params.js';

/** Where {@link flattenParam} puts what it reads. */
export interface ParamSink {
  /** Receives the params. */
  readonly params: Record<string, string>;
  /** Receives one INVALID_PARAMETER_VALUE per value that cannot be a param, naming it. */
  readonly rejected: LogbookError[];
}

/**
 * Turns one `@Param` value into flat string params: objects (plain, class instances and Maps)
 * become dotted keys (`optimizer.lr`), an empty one is `{}`; leaves are written as the tracker
 * writes params (arrays JSON, `null` `None`, dates ISO, `undefined` left out). A value that cannot
 * be a param (a function, a symbol, a cycle, an invalid date) is rejected by name, as
 * `logParameters` does, and the other params are kept. With `redact`, every leaf value is replaced
 * by `[redacted:<first 8 hex of its sha256>]`, so runs can be compared without the value being stored.
 *
 * @param prefix the param name; `''` puts an object's keys at the top level.
 */
export function flattenParam(prefix: string, value: unknown, redact: boolean, out: ParamSink): void {
  walk(prefix, value, redact, out, new Set());
}

/** The redacted form of a value: it identifies equal values without revealing them. */
export function redactValue(text: string): string {
  return `[redacted:${createHash('sha256').update(text).digest('hex').slice(0, 8)}]`;
}

function walk(key: string, value: unknown, redact: boolean, out: ParamSink, seen: Set<object>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) {
    if (seen.has(value)) {
      out.rejected.push(rejectedParam(name(key), CIRCULAR));
      return;
    }
    seen.add(value);
    const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
    if (entries.length === 0) put(key, '{}', redact, out);
    for (const [k, v] of entries) walk(key === '' ? String(k) : `${key}.${String(k)}`, v, redact, out, seen);
    seen.delete(value);
    return;
  }
  const text = paramTextOrProblem(value);
  if (typeof text === 'string') put(key, text, redact, out);
  else if (text !== undefined) out.rejected.push(rejectedParam(name(key), text.problem));
}

function put(key: string, text: string, redact: boolean, out: ParamSink): void {
  out.params[name(key)] = redact ? redactValue(text) : text;
}

/** An unnamed primitive cannot have an empty key; callers name those (see `@Param`). */
function name(key: string): string {
  return key === '' ? 'value' : key;
}
