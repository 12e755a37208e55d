import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { invalid } from './fail.js';
import { LIMITS } from './limits.js';

/** Schemes Logbook's own artifact stores serve: local files, S3, an MLflow server's artifact proxy. */
export const DEFAULT_ARTIFACT_SCHEMES: readonly string[] = ['file', 's3', 'mlflow-artifacts'];

/** What {@link validateArtifactLocation} accepts. Every field is optional; defaults are the safe choice. */
export interface ArtifactLocationPolicy {
  /** Accepted URI schemes, lower case. @default {@link DEFAULT_ARTIFACT_SCHEMES} */
  readonly schemes?: readonly string[];
  /**
   * The configured artifact root (a folder path or a URI): `file:` locations must lie inside it.
   * A root of another scheme (`s3://…`) admits no `file:` location.
   * @default none: `file:` locations are refused unless `allowOutsideRoot`
   */
  readonly root?: string;
  /** Accept `file:` locations anywhere on the host's disk. @default false */
  readonly allowOutsideRoot?: boolean;
}

/** An artifact location after {@link parseArtifactLocation}. */
export interface ParsedArtifactLocation {
  /** Lower case; `file` for a bare absolute path. */
  readonly scheme: string;
  /** For `file:` locations: the absolute local folder. */
  readonly localPath?: string;
}

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/s;

function decodeSegment(segment: string, field: string): string {
  let decoded = segment;
  // Decode repeatedly so %252e%252e cannot smuggle '..' past one decoding layer.
  for (let i = 0; i < 3 && /%[0-9a-fA-F]{2}/.test(decoded); i++) {
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      invalid(field, `Invalid artifact location: malformed percent-encoding (${field}).`);
    }
  }
  return decoded;
}

/**
 * Parses an artifact location strictly: an absolute URI with a hierarchical path (`file:///…`,
 * `s3://bucket/prefix`, `mlflow-artifacts:/…`) or an absolute local path. Refuses what could make
 * the folder of a run differ from what it looks like: a query or fragment (run folders appended
 * after `?` or `#` would be dropped when the URI is read), relative locations, `.`/`..` segments
 * (also percent-encoded), encoded separators, control characters and backslashes.
 * Error messages never repeat the location: it may be a server path.
 * @throws LogbookError INVALID_PARAMETER_VALUE naming `field`.
 */
export function parseArtifactLocation(location: unknown, field = 'artifactLocation'): ParsedArtifactLocation {
  if (typeof location !== 'string' || location === '') invalid(field, `Artifact location must be a non-empty string (${field}).`);
  const length = [...location].length;
  if (length > LIMITS.maxArtifactLocationLength) {
    invalid(field, `Invalid artifact location: it is ${length} characters long; the limit is ${LIMITS.maxArtifactLocationLength} (${field}).`);
  }
  if (/[\u0000-\u001f\u007f\\]/.test(location)) invalid(field, `Invalid artifact location: control characters and backslashes are not allowed (${field}).`);
  if (location.includes('?') || location.includes('#')) invalid(field, `Invalid artifact location: a query ('?') or fragment ('#') is not allowed (${field}).`);
  const match = SCHEME.exec(location);
  if (match === null && !location.startsWith('/')) {
    invalid(field, `Invalid artifact location: must be an absolute URI (scheme:/…) or an absolute path; relative locations are not allowed (${field}).`);
  }
  const scheme = match === null ? 'file' : match[1]!.toLowerCase();
  const rest = match === null ? location : match[2]!;
  if (scheme === 'runs') invalid(field, `Invalid artifact location: cannot be a runs:/ URI (${field}).`);
  if (!rest.startsWith('/')) invalid(field, `Invalid artifact location: a URI must have a path starting with '/' (${field}).`);
  for (const segment of rest.split('/')) {
    const decoded = decodeSegment(segment, field);
    if (decoded === '.' || decoded === '..' || decoded.includes('/') || /[\u0000\\]/.test(decoded)) {
      invalid(field, `Invalid artifact location: '.' and '..' segments and encoded separators are not allowed (${field}).`);
    }
  }
  if (match === null) return { scheme, localPath: resolve(location) };
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return invalid(field, `Invalid artifact location: not a valid URI (${field}).`);
  }
  if (scheme !== 'file') return { scheme };
  if (url.hostname !== '' && url.hostname !== 'localhost') invalid(field, `Invalid artifact location: a file: URI must not name a host (${field}).`);
  try {
    return { scheme, localPath: fileURLToPath(url) };
  } catch {
    return invalid(field, `Invalid artifact location: not a local file: URI (${field}).`);
  }
}

/** True when `path` is `root` or inside it (both absolute local paths; compared as given). */
export function isPathWithin(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The local folder of a configured root, or undefined when the root is not local. */
export function localArtifactRoot(root: string | undefined): string | undefined {
  if (root === undefined || root === '') return undefined;
  const match = SCHEME.exec(root);
  // One letter before ':' is a Windows drive, not a scheme.
  if (match === null || match[1]!.length === 1) return resolve(root);
  if (match[1]!.toLowerCase() !== 'file') return undefined;
  try {
    return fileURLToPath(root);
  } catch {
    return undefined;
  }
}

/**
 * Validates an artifact location given by a caller (`createExperiment`): {@link parseArtifactLocation},
 * a scheme from the allow-list, and for `file:` locations, inside the configured root unless the
 * host opted out. Returns the location unchanged.
 * @throws LogbookError INVALID_PARAMETER_VALUE naming `field`.
 */
export function validateArtifactLocation(location: unknown, policy: ArtifactLocationPolicy = {}, field = 'artifactLocation'): string {
  const parsed = parseArtifactLocation(location, field);
  const schemes = policy.schemes ?? DEFAULT_ARTIFACT_SCHEMES;
  if (!schemes.includes(parsed.scheme)) {
    invalid(field, `Invalid artifact location: scheme '${parsed.scheme}:' is not accepted; accepted: ${schemes.map((s) => `${s}:`).join(', ')} (${field}).`);
  }
  if (parsed.scheme === 'file' && policy.allowOutsideRoot !== true) {
    const root = localArtifactRoot(policy.root);
    if (root === undefined || !isPathWithin(root, parsed.localPath!)) {
      invalid(field, `Invalid artifact location: a file: location must be inside the host's artifact root (${field}).`);
    }
  }
  return location as string;
}

/**
 * Appends folders to the path of an artifact URI (or absolute path): the URI is parsed and the
 * segments go into its path, percent-encoded, never after a query or fragment. A base that does
 * not pass {@link parseArtifactLocation} (e.g. stored before these rules) is refused.
 * @example appendToArtifactUri('s3://bucket/exp', ['3f2a', 'artifacts']) // 's3://bucket/exp/3f2a/artifacts'
 * @throws LogbookError INVALID_PARAMETER_VALUE naming `field`.
 */
export function appendToArtifactUri(base: string, segments: readonly string[], field = 'artifactLocation'): string {
  parseArtifactLocation(base, field);
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..' || segment.includes('/')) invalid(field, `Invalid artifact folder name ${JSON.stringify(segment)} (${field}).`);
  }
  const tail = segments.map(encodeURIComponent).join('/');
  if (!SCHEME.test(base)) return `${base.replace(/\/+$/, '')}/${tail}`;
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${tail}`;
  return url.href;
}
