/** Keys whose values are never written to a log, whatever their nesting. */
const SECRET_KEY = /pass(word|wd)?|token|secret|authori[sz]ation|api[-_]?key|credential|cookie|session/i;

/** The placeholder written instead of a secret. */
export const REDACTED = '[Redacted]';

/**
 * A copy of `value` with the value of every secret-looking key (password, token, secret,
 * authorization, api key, credentials, cookie, session) replaced by `[Redacted]`, at any depth.
 * Errors keep their name, message, code and stack. Cycles are cut.
 */
export function redactSecrets(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, seen));
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  const out: Record<string, unknown> = {};
  if (value instanceof Error) {
    out['type'] = value.name;
    out['message'] = value.message;
    if (value.stack !== undefined) out['stack'] = value.stack;
  }
  for (const [key, v] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? REDACTED : redactSecrets(v, seen);
  }
  return out;
}
