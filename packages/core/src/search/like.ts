/**
 * SQL LIKE as MLflow evaluates it in memory: `%` is any run of characters, `_` any one
 * character, everything else literal (no escape character). Case-sensitive unless
 * `caseInsensitive` (ILIKE).
 */
export function likeToRegExp(pattern: string, caseInsensitive = false): RegExp {
  let source = '';
  for (const ch of pattern) {
    if (ch === '%') source += '[\\s\\S]*';
    else if (ch === '_') source += '[\\s\\S]';
    else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, caseInsensitive ? 'iu' : 'u');
}

/** True when `value` matches the LIKE (or ILIKE) `pattern`. */
export function matchesLike(value: string, pattern: string, caseInsensitive = false): boolean {
  return likeToRegExp(pattern, caseInsensitive).test(value);
}
