import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateArtifactPath } from '@logbook/core';
import { invalidParam } from '../errors.js';

/** A validated artifact location: the folder of the root, the relative path, and both joined. */
export interface ResolvedArtifact {
  readonly root: string;
  /** Normalized relative path, `''` for the root itself. */
  readonly rel: string;
  readonly full: string;
}

/** The local folder of a `file:` URI (or an absolute path). Other schemes are INVALID_PARAMETER_VALUE. */
export function rootFolder(artifactUri: string): string {
  if (artifactUri.startsWith('file:')) return fileURLToPath(artifactUri);
  if (isAbsolute(artifactUri)) return artifactUri;
  return invalidParam(`The local artifact store serves file: URIs only, got '${artifactUri}'.`, 'artifactUri');
}

/** Validates `path` (no `..`, absolute or encoded traversal) and joins it under the root. */
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
