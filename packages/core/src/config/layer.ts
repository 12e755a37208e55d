import { badConfig, coerce } from './coerce.js';
import type { ConfigSource } from './coerce.js';
import { FIELDS, SECTIONS } from './fields.js';

/** One layer of configuration: dotted key → coerced value and where it came from. */
export type ConfigLayer = Map<string, { readonly value: unknown; readonly source: ConfigSource }>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Flattens a nested config object (a file section, or the caller's input) into a layer,
 * type-checking every value and rejecting unknown keys. `undefined` values are skipped.
 * @param ignore top-level keys that are not settings (e.g. `profiles`, `$schema` in a file).
 */
export function objectLayer(input: unknown, source: ConfigSource, prefix = '', ignore: readonly string[] = []): ConfigLayer {
  const layer: ConfigLayer = new Map();
  if (input === undefined) return layer;
  if (!isPlainObject(input)) badConfig(prefix || 'config', source, 'must be an object.');
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined || ignore.includes(name)) continue;
    const key = prefix + name;
    if (prefix === '' && SECTIONS.includes(name)) {
      if (!isPlainObject(value)) badConfig(key, source, 'must be an object.');
      for (const [k, v] of objectLayer(value, source, `${key}.`)) layer.set(k, v);
      continue;
    }
    const spec = FIELDS[key];
    if (spec === undefined) badConfig(key, source, 'is not a known Logbook setting.');
    layer.set(key, { value: coerce(key, spec, value, source), source });
  }
  return layer;
}
