import { LIMITS } from './limits.js';
import { invalid, show } from './fail.js';

/** What to do with a param or tag value over MLflow's limit. */
export type LongValuePolicy = 'truncate' | 'reject';

/**
 * Validates a param or run tag value. `truncate` is what MLflow's server does by default
 * (stores the first N characters); `reject` raises an error naming the limit.
 * @returns the value to store.
 */
export function checkStringValue(
  kind: 'param' | 'tag',
  key: string,
  value: unknown,
  policy: LongValuePolicy,
  field = `${kind}.value`,
): string {
  if (typeof value !== 'string') {
    invalid(field, `Value of ${kind} ${show(key)} must be a string, got ${typeof value} (${field}).`);
  }
  const limit = kind === 'param' ? LIMITS.maxParamValueLength : LIMITS.maxTagValueLength;
  if (value.length <= limit) return value;
  if (policy === 'truncate') return value.slice(0, limit);
  return invalid(field, `Value of ${kind} ${show(key)} is ${value.length} characters long; the limit is ${limit} (${field}).`);
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

/** A string no longer than `limit` characters. */
export function checkLength(value: string, limit: number, field: string): void {
  if (value.length > limit) {
    invalid(field, `${field} is ${value.length} characters long; the limit is ${limit}.`);
  }
}

/** Page sizes: an integer in 1..max. */
export function validateMaxResults(value: number | undefined, max: number, field = 'maxResults'): void {
  if (value === undefined) return;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    invalid(field, `${field} must be an integer from 1 to ${max}, got ${show(value)}.`);
  }
}
