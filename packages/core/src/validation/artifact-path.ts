import { invalid, show } from './fail.js';
import { posixNormpath } from './posix-path.js';

/**
 * Validates a relative artifact path and returns it normalized (`a/b.txt`). Rejects what MLflow's
 * `validate_path_is_safe` rejects: absolute paths, `..` segments, backslashes, drive letters, NUL,
 * and percent-encoded variants of these.
 */
export function validateArtifactPath(path: unknown, field = 'path'): string {
  if (typeof path !== 'string') invalid(field, `Artifact path must be a string (${field}).`);
  let decoded = path;
  // Decode repeatedly so %252e%252e cannot smuggle '..' past one decoding layer.
  for (let i = 0; i < 3 && /%[0-9a-fA-F]{2}/.test(decoded); i++) {
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      invalid(field, `Invalid artifact path ${show(path)}: malformed percent-encoding (${field}).`);
    }
  }
  const unsafe = decoded.includes('\0') || decoded.includes('\\') || decoded.startsWith('/') || /^[a-zA-Z]:/.test(decoded) || decoded.split('/').includes('..');
  if (unsafe) invalid(field, `Invalid artifact path ${show(path)}: must be a relative path without '..' (${field}).`);
  const norm = posixNormpath(path);
  return norm === '.' ? '' : norm;
}
