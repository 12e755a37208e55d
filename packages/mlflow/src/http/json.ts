/** Request query values: arrays become repeated keys, booleans `true`/`false`. */
export type QueryValue = string | number | boolean | readonly string[] | undefined;

/**
 * JSON as MLflow's protobuf parser reads it: NaN and ±Infinity as the strings `"NaN"`,
 * `"Infinity"`, `"-Infinity"` (JSON.stringify would write `null`).
 */
export function encodeJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'number' || Number.isFinite(v)) return v;
    if (Number.isNaN(v)) return 'NaN';
    return v > 0 ? 'Infinity' : '-Infinity';
  });
}

/** A double off the wire: a number, or one of protobuf JSON's special strings. */
export function decodeDouble(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return Number(value);
}

/** `?a=1&b=x&b=y` from an object; undefined values are left out. */
export function encodeQuery(query: Readonly<Record<string, QueryValue>> | undefined): string {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value as readonly string[]) params.append(key, v);
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** Parses a success body; MLflow treats an empty 200 body as `{}`. */
export function parseBody<T>(text: string): T {
  return (text.trim() === '' ? {} : JSON.parse(text)) as T;
}
