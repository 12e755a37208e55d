import { badConfig, coerce } from './coerce.js';
import type { ConfigSource } from './coerce.js';
import { fieldSpec, isSectionName } from './fields.js';
import { ownerOfKey, sectionOf } from './sections.js';

/** One layer of configuration: dotted key → coerced value and where it came from. */
export type ConfigLayer = Map<string, { readonly value: unknown; readonly source: ConfigSource }>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Flattens a nested config object (a file section, or the caller's input) into a layer,
 * type-checking every value and rejecting unknown keys. `undefined` values are skipped.
 * @param ignore top-level keys that are not settings (e.g. `profiles`, `$schema` in a file).
 * @param unregistered when given, keys of a known backend's section that is not registered yet
 *   are skipped and the package that owns them is added to it (instead of an error).
 */
export function objectLayer(input: unknown, source: ConfigSource, prefix = '', ignore: readonly string[] = [], unregistered?: Set<string>): ConfigLayer {
  const layer: ConfigLayer = new Map();
  if (input === undefined) return layer;
  if (!isPlainObject(input)) badConfig(prefix || 'config', source, 'must be an object.');
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined || ignore.includes(name)) continue;
    const key = prefix + name;
    if (prefix === '' && isSectionName(name)) {
      if (!isPlainObject(value)) badConfig(key, source, 'must be an object.');
      for (const [k, v] of objectLayer(value, source, `${key}.`)) layer.set(k, v);
      continue;
    }
    const spec = fieldSpec(key);
    if (spec === undefined) {
      const top = key.split('.')[0]!;
      const owner = sectionOf(top) === undefined ? ownerOfKey(top) : undefined;
      if (owner !== undefined && unregistered !== undefined) {
        unregistered.add(owner);
        continue;
      }
      if (owner !== undefined) badConfig(key, source, `is a setting of ${owner}, which is not loaded: install it (pnpm add ${owner}) or import it before loading the configuration.`);
      badConfig(key, source, 'is not a known Logbook setting.');
    }
    layer.set(key, { value: coerce(key, spec, value, source), source });
  }
  return layer;
}
