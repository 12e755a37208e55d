import type { Context } from 'koa';
import { codePointLength, exceedsCodePoints } from '@logbook/core/spi';
import { badField } from '../errors.js';

/** A parsed JSON request body. */
export type Body = Readonly<Record<string, unknown>>;

/** The request body as a JSON object; `{}` when the request has none. 400 for arrays and scalars. */
export function bodyOf(ctx: Context): Body {
  const body = (ctx.request as { body?: unknown }).body;
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) badField('body', 'must be a JSON object');
  return body as Body;
}

/** Length bounds in characters (code points, as MLflow counts: an emoji is one). */
interface StringRule {
  readonly max?: number;
  readonly min?: number;
}

/** A string field; `undefined` when absent or null. */
export function optString(body: Body, key: string, rule: StringRule = {}): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') badField(key, `must be a string, got ${kind(value)}`);
  // Under 2 × min units there may be fewer than min code points; over max units, more than max.
  if (rule.min !== undefined && value.length < 2 * rule.min && codePointLength(value) < rule.min) {
    badField(key, `must have at least ${rule.min} character(s)`);
  }
  if (rule.max !== undefined && exceedsCodePoints(value, rule.max)) {
    badField(key, `must have at most ${rule.max} characters, got ${codePointLength(value)}`);
  }
  return value;
}

/** A required, non-empty string field. */
export function reqString(body: Body, key: string, rule: StringRule = {}): string {
  const value = optString(body, key, { min: 1, ...rule });
  if (value === undefined) badField(key, 'is required');
  return value;
}

/** An integer field within [min, max]; `undefined` when absent. */
export function optInt(body: Body, key: string, min: number, max: number = Number.MAX_SAFE_INTEGER): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) badField(key, `must be an integer, got ${kind(value)}`);
  if (value < min || value > max) badField(key, `must be between ${min} and ${max}`);
  return value;
}

/** A boolean field; `undefined` when absent. */
export function optBool(body: Body, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') badField(key, `must be a boolean, got ${kind(value)}`);
  return value;
}

/** One of a fixed set of strings (compared case-insensitively), returned in its canonical case. */
export function optEnum<T extends string>(body: Body, key: string, allowed: readonly T[]): T | undefined {
  const value = optString(body, key);
  if (value === undefined) return undefined;
  const found = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  if (found === undefined) badField(key, `must be one of ${allowed.join(', ')}`);
  return found;
}

/** A list of `{ key, value }` string pairs, e.g. tags. */
export function optKeyValues(body: Body, key: string, maxItems: number): { key: string; value: string }[] | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) badField(key, `must be an array of {key, value} objects, got ${kind(value)}`);
  if (value.length > maxItems) badField(key, `must have at most ${maxItems} items, got ${value.length}`);
  return value.map((item: unknown, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) badField(`${key}[${i}]`, 'must be an object with string key and value');
    const entry = item as Body;
    const k = prefixed(entry, 'key', `${key}[${i}]`);
    if (k === '') badField(`${key}[${i}].key`, 'must not be empty');
    return { key: k, value: prefixed(entry, 'value', `${key}[${i}]`) };
  });
}

function prefixed(entry: Body, key: string, at: string): string {
  const value = entry[key];
  if (typeof value !== 'string') badField(`${at}.${key}`, `must be a string, got ${kind(value)}`);
  return value;
}

/** Converts pairs to a record; the last value of a repeated key wins. */
export function toRecord(pairs: readonly { key: string; value: string }[] | undefined): Record<string, string> | undefined {
  if (pairs === undefined) return undefined;
  return Object.fromEntries(pairs.map((p) => [p.key, p.value]));
}

/** A JSON type name for messages. */
export function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
