import { join } from 'node:path';
import { LogbookError } from '@logbook/core';
import { parseArtifactLocation, validateArtifactPath } from '@logbook/core/spi';
import { invalidParam } from '../errors.js';

/** A validated artifact location: the folder of the run, the relative path, and both joined (not yet resolved). */
export interface ResolvedArtifact {
  readonly root: string;
  /** Normalized relative path, `''` for the root itself. */
  readonly rel: string;
  readonly full: string;
}

/**
 * The local folder of a `file:` URI (or an absolute path), parsed strictly: a query, fragment,
 * `..` segment or relative location is INVALID_PARAMETER_VALUE (a run stored before locations
 * were validated cannot point its folder elsewhere). Messages never show the URI: it is a server path.
 */
export function rootFolder(artifactUri: string): string {
  let parsed;
  try {
    parsed = parseArtifactLocation(artifactUri, 'artifactUri');
  } catch (cause) {
    throw new LogbookError('INVALID_PARAMETER_VALUE', "[sqlite] The run's artifact URI is not a safe local location (absolute, no query, fragment or '..'); its artifacts are not read.", {
      field: 'artifactUri',
      cause,
    });
  }
  if (parsed.scheme !== 'file') invalidParam(`The local artifact store serves file: URIs only, not '${parsed.scheme}:'.`, 'artifactUri');
  return parsed.localPath!;
}

/** Validates `path` (no `..`, absolute or encoded traversal) and joins it under the run folder. */
export function resolveArtifact(artifactUri: string, path: string | undefined): ResolvedArtifact {
  const root = rootFolder(artifactUri);
  const rel = path === undefined ? '' : validateArtifactPath(path);
  return { root, rel, full: rel === '' ? root : join(root, ...rel.split('/')) };
}

/** Suffix of in-flight uploads; listings skip them. */
export const TEMP_SUFFIX = '.logbook-tmp';

/** Joins a listed folder's relative path and an entry name with `/`. */
export function childPath(rel: string, name: string): string {
  return rel === '' ? name : `${rel}/${name}`;
}
