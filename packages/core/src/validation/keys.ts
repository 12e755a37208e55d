import { LIMITS } from './limits.js';
import { codePointLength, exceedsCodePoints } from './code-points.js';
import { invalid, show } from './fail.js';
import { isPathUnstable } from './posix-path.js';

/** Python's `^[/\w.\- :]*$` with Unicode `\w` (letters, numbers, underscore). */
const KEY_CHARS = /^[/\p{L}\p{N}_.\- :]*$/u;

/** What a key names, for messages: `metric`, `param`, `tag`. */
export type KeyKind = 'metric' | 'param' | 'tag';

/**
 * Validates a metric, param or tag key as MLflow does: non-empty, at most 250 characters (code
 * points), only letters, digits, `_ - . : /` and space (a lone surrogate is neither), and
 * path-stable (no `a//b`, `./a`, `a/`, `../a`).
 */
export function validateKey(kind: KeyKind, key: unknown, field = `${kind}.key`): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) {
    invalid(field, `Missing value for required ${kind} key (${field}).`);
  }
  if (exceedsCodePoints(key, LIMITS.maxEntityKeyLength)) {
    invalid(field, `${cap(kind)} key ${show(key)} is ${codePointLength(key)} characters long; the limit is ${LIMITS.maxEntityKeyLength} characters (${field}).`);
  }
  if (!KEY_CHARS.test(key)) {
    invalid(field, `Invalid ${kind} name: ${show(key)}. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon (:) and slashes (/) (${field}).`);
  }
  if (isPathUnstable(key)) {
    invalid(field, `Invalid ${kind} name: ${show(key)}. Names must be normalized paths: no leading or trailing '/', no '//', no '.' or '..' segments (${field}).`);
  }
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
