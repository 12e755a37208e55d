import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LogbookError, randomId } from '@logbook/core';
import { DEFAULT_ARTIFACT_SCHEMES, parseArtifactLocation } from '@logbook/core/spi';
import type { ResolvedSqliteOptions, SqliteStoreOptions } from './types.js';

/** The embedded store's default database file (also core's default tracking URI). */
export const DEFAULT_DB_PATH = './logbook.db';
/** Folder beside the database that holds artifacts by default. */
export const ARTIFACTS_FOLDER = 'logbook-artifacts';

function badOption(field: string, rule: string): never {
  throw new LogbookError('INVALID_CONFIGURATION', `[sqlite] Option '${field}' ${rule}.`, { field });
}

/** True for SQLite's private in-memory database names. */
export function isMemoryPath(path: string): boolean {
  return path === ':memory:' || path === '';
}

/**
 * Turns a folder path into an absolute `file:` URI; a URI (`file:`, `s3:`, …) is kept as given.
 * No trailing slash either way.
 */
export function toRootUri(root: string): string {
  if (typeof root !== 'string' || root === '') badOption('artifactRoot', 'must be a folder path or a URI');
  // Two or more letters before ':' so that Windows drive letters stay paths.
  if (/^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(root)) {
    // Run folders are appended to the root's path: a query, fragment or '..' would misplace them.
    try {
      parseArtifactLocation(root, 'artifactRoot');
    } catch (cause) {
      throw new LogbookError('INVALID_CONFIGURATION', `[sqlite] Option 'artifactRoot' must be an absolute URI without query, fragment or '..' segments.`, { field: 'artifactRoot', cause });
    }
    return root.replace(/\/+$/, '');
  }
  return pathToFileURL(resolve(root)).href.replace(/\/+$/, '');
}

/** Applies defaults and validates; throws INVALID_CONFIGURATION naming the option. */
export function resolveOptions(options: SqliteStoreOptions = {}): ResolvedSqliteOptions {
  const path = options.path ?? DEFAULT_DB_PATH;
  if (typeof path !== 'string') badOption('path', "must be a file path or ':memory:'");
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) badOption('busyTimeoutMs', 'must be a non-negative integer');
  const longValues = options.longValues ?? 'truncate';
  if (longValues !== 'truncate' && longValues !== 'reject') badOption('longValues', "must be 'truncate' or 'reject'");
  const synchronous = options.synchronous ?? 'NORMAL';
  if (synchronous !== 'NORMAL' && synchronous !== 'FULL') badOption('synchronous', "must be 'NORMAL' or 'FULL'");
  const memory = isMemoryPath(path);
  const readonly = options.readonly ?? false;
  if (typeof readonly !== 'boolean') badOption('readonly', 'must be true or false');
  if (readonly && memory) badOption('readonly', "cannot be set for ':memory:' (a new, empty database)");
  const root = options.artifactRoot ?? (memory ? join(tmpdir(), `${ARTIFACTS_FOLDER}-${randomUUID()}`) : join(dirname(resolve(path)), ARTIFACTS_FOLDER));
  const artifactRootUri = toRootUri(root);
  const rootScheme = /^([a-zA-Z][a-zA-Z0-9+.-]+):/.exec(artifactRootUri)![1]!.toLowerCase();
  const schemes = options.artifactSchemes ?? [...new Set([...DEFAULT_ARTIFACT_SCHEMES, rootScheme])];
  return {
    path: memory ? ':memory:' : resolve(path),
    artifactRootUri,
    artifactLocations: { schemes, root: artifactRootUri, allowOutsideRoot: options.allowArtifactLocationsOutsideRoot === true },
    busyTimeoutMs,
    longValues,
    synchronous,
    readonly,
    now: options.now ?? Date.now,
    newId: options.newId ?? randomId,
  };
}
