/**
 * Python's `posixpath.normpath`, which MLflow uses to decide whether a key or artifact path is
 * "path-stable". Kept exact, leading double slash included.
 */
export function posixNormpath(path: string): string {
  if (path === '') return '.';
  const initialSlashes = path.startsWith('/') ? (path.startsWith('//') && !path.startsWith('///') ? 2 : 1) : 0;
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..' || (initialSlashes === 0 && parts.length === 0) || parts[parts.length - 1] === '..') {
      parts.push(part);
    } else if (parts.length > 0) {
      parts.pop();
    }
  }
  const joined = '/'.repeat(initialSlashes) + parts.join('/');
  return joined === '' ? '.' : joined;
}

/** MLflow's `path_not_unique`: true when a key would not name one stable path. */
export function isPathUnstable(name: string): boolean {
  const norm = posixNormpath(name);
  return norm !== name || norm === '.' || norm.startsWith('..') || norm.startsWith('/');
}
