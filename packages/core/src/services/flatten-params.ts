/**
 * Flattens nested params to dotted keys and stringifies values, as MLflow stores params:
 * `{ optimizer: { lr: 0.01 } }` → `{ 'optimizer.lr': '0.01' }`. Arrays and other non-plain
 * objects are JSON; dates ISO strings; `undefined` and functions are skipped; `null` is `'None'`
 * (what MLflow's Python client writes for None).
 */
export function flattenParams(params: Readonly<Record<string, unknown>>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (isPlainObject(value) && Object.keys(value).length > 0) Object.assign(out, flattenParams(value, name));
    else {
      const text = stringifyParam(value);
      if (text !== undefined) out[name] = text;
    }
  }
  return out;
}

/** The string MLflow would store for one param value, or `undefined` to skip it. */
export function stringifyParam(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      if (value === null) return 'None';
      if (value instanceof Date) return value.toISOString();
      try {
        return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
      } catch {
        return String(value);
      }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
