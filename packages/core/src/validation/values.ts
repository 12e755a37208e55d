import { LIMITS } from './limits.js';
import { codePointLength, exceedsCodePoints, hasLoneSurrogate, truncateCodePoints } from './code-points.js';
import { invalid, show, typeName } from './fail.js';

/** What to do with a param or tag value over MLflow's limit. */
export type LongValuePolicy = 'truncate' | 'reject';

/**
 * Validates a param or run tag value. `truncate` is what MLflow's server does by default
 * (stores the first N characters); `reject` raises an error naming the limit. Characters are code
 * points, as MLflow counts them: 6000 emoji are a valid param value, and truncation never cuts one
 * in half. A value holding a lone surrogate is rejected under either policy (see
 * {@link requireWellFormed}).
 * @returns the value to store.
 */
export function checkStringValue(kind: 'param' | 'tag', key: string, value: unknown, policy: LongValuePolicy, field = `${kind}.value`): string {
  if (typeof value !== 'string') {
    invalid(field, `Value of ${kind} ${show(key)} must be a string, got ${typeof value} (${field}).`);
  }
  requireWellFormed(value, field, `Value of ${kind} ${show(key)}`);
  const limit = kind === 'param' ? LIMITS.maxParamValueLength : LIMITS.maxTagValueLength;
  if (!exceedsCodePoints(value, limit)) return value;
  if (policy === 'truncate') return truncateCodePoints(value, limit);
  return invalid(field, `Value of ${kind} ${show(key)} is ${codePointLength(value)} characters long; the limit is ${limit} characters (${field}).`);
}

/**
 * Rejects a string holding a lone UTF-16 surrogate (half of an emoji, e.g. from cutting a string
 * with `slice`). It has no UTF-8 form: SQLite would keep bytes that read back as U+FFFD, and
 * MLflow 3.17's server stores `''` for it and silently drops the rest of the log-batch.
 * @param what the start of the message, e.g. `Value of param "lr"`.
 */
export function requireWellFormed(value: string, field: string, what: string = field): void {
  if (hasLoneSurrogate(value)) {
    invalid(field, `${what} contains a lone UTF-16 surrogate (half of a character outside the Basic Multilingual Plane); it cannot be stored as given (${field}).`);
  }
}

/** MLflow's SQL stores clamp ±Infinity to ±1.7976931348623157e308. */
export function clampMetricValue(value: number): number {
  if (value === Infinity) return Number.MAX_VALUE;
  if (value === -Infinity) return -Number.MAX_VALUE;
  return value;
}

/** A metric value must be a number (NaN and ±Infinity allowed, booleans rejected). */
export function validateMetricValue(key: string, value: unknown, field = 'metric.value'): asserts value is number {
  if (typeof value !== 'number') {
    invalid(field, `Got invalid value ${show(value)} for metric ${show(key)}: must be a number, got ${typeof value} (${field}).`);
  }
}

/** Timestamps are integer milliseconds since the epoch, not negative. */
export function validateTimestamp(value: unknown, field = 'timestamp'): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    invalid(field, `${field} must be a non-negative integer number of milliseconds since the epoch, got ${show(value)}.`);
  }
}

/** Steps are integers (negative allowed, as in MLflow). */
export function validateStep(value: unknown, field = 'step'): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    invalid(field, `${field} must be an integer, got ${show(value)}.`);
  }
}

/** A required string: present and non-empty. */
export function requireString(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    invalid(field, `Missing value for required parameter '${field}'.`);
  }
}

/** A well-formed string of at most `limit` characters (code points, as MLflow counts). */
export function checkLength(value: string, limit: number, field: string): void {
  // Plain-JS callers reach here too: a non-string must not fall through to the driver.
  if (typeof value !== 'string') invalid(field, `${field} must be a string, got ${typeName(value)}.`);
  if (exceedsCodePoints(value, limit)) {
    invalid(field, `${field} is ${codePointLength(value)} characters long; the limit is ${limit} characters.`);
  }
  requireWellFormed(value, field);
}

/** Page sizes: an integer in 1..max. */
export function validateMaxResults(value: number | undefined, max: number, field = 'maxResults'): void {
  if (value === undefined) return;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    invalid(field, `${field} must be an integer from 1 to ${max}, got ${show(value)}.`);
  }
}
