import { LogbookError } from '../errors.js';
import type { FieldSpec } from './fields.js';
import { exceedsCodePoints, truncateCodePoints } from '../validation/code-points.js';

/** Where a value came from, for error messages: `environment variable LOGBOOK_ENV`, a file path… */
export type ConfigSource = string;

/** Throws INVALID_CONFIGURATION naming the key and where the value came from. */
export function badConfig(key: string, source: ConfigSource, rule: string): never {
  throw new LogbookError('INVALID_CONFIGURATION', `[core] Invalid configuration: ${key} (from ${source}) ${rule}`, { field: key });
}

const SIZE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** Shows a value in an error, unless it is a secret; URIs lose their user info. */
function shown(spec: FieldSpec, value: unknown): string {
  if (spec.secret && spec.kind !== 'uri') return '';
  const text = String(value).replace(/\/\/[^/@]*@/, '//***@');
  if (spec.secret && text === String(value) && /[?&](token|password|secret)=/i.test(text)) return '';
  return `, got ${JSON.stringify(exceedsCodePoints(text, 80) ? `${truncateCodePoints(text, 77)}...` : text)}`;
}

function parseNumber(spec: FieldSpec, value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (spec.kind === 'size') {
    const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([a-z]*)\s*$/i.exec(value);
    const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
    return m && unit !== undefined ? Math.round(Number(m[1]) * unit) : undefined;
  }
  const n = Number(value.trim());
  return Number.isNaN(n) ? undefined : n;
}

function checkUri(key: string, source: ConfigSource, spec: FieldSpec, value: string): void {
  if (value.trim() === '') badConfig(key, source, 'must not be empty.');
  // A scheme of two letters or more (one letter is a Windows drive).
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(value)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https' || scheme === 'file') {
    let ok = false;
    try {
      const url = new URL(value);
      ok = scheme === 'file' || (url.hostname !== '' && /^https?:\/\/[^/]/i.test(value));
    } catch {
      ok = false;
    }
    if (!ok) badConfig(key, source, `is not a valid ${scheme} URI${shown(spec, value)}.`);
  } else if (scheme === undefined && /^[a-z]+\/\//i.test(value)) {
    badConfig(key, source, `is not a valid URI (missing ':' after the scheme?)${shown(spec, value)}.`);
  }
}

/**
 * Converts one raw value (an environment string, or a JSON value from a file or the caller) to
 * the key's type, or throws INVALID_CONFIGURATION naming the key, its source and the rule.
 */
export function coerce(key: string, spec: FieldSpec, value: unknown, source: ConfigSource): unknown {
  switch (spec.kind) {
    case 'string':
    case 'uri':
      if (typeof value !== 'string') badConfig(key, source, `must be a string, got ${typeof value}.`);
      if (spec.kind === 'uri') checkUri(key, source, spec, value);
      return value;
    case 'enum':
      if (typeof value !== 'string' || !spec.values!.includes(value)) {
        badConfig(key, source, `must be one of ${spec.values!.join(', ')}${shown(spec, value)}.`);
      }
      return value;
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      const s = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
      if (s === 'true' || s === '1' || s === 'yes' || s === 'on') return true;
      if (s === 'false' || s === '0' || s === 'no' || s === 'off') return false;
      return badConfig(key, source, `must be a boolean (true/false)${shown(spec, value)}.`);
    }
    default: {
      const n = parseNumber(spec, value);
      const integer = spec.kind !== 'number';
      const what = spec.kind === 'size' ? 'a size in bytes (e.g. 1048576 or 5GiB)' : integer ? 'an integer' : 'a number';
      const inRange = n !== undefined && Number.isFinite(n) && (!integer || Number.isSafeInteger(n)) && (spec.min === undefined || n >= spec.min) && (spec.max === undefined || n <= spec.max);
      if (!inRange) {
        const bounds = spec.max !== undefined ? ` from ${spec.min} to ${spec.max}` : spec.min !== undefined ? ` ≥ ${spec.min}` : '';
        badConfig(key, source, `must be ${what}${bounds}${shown(spec, value)}.`);
      }
      return n;
    }
  }
}
