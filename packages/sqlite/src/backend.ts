import { fileURLToPath } from 'node:url';
import { ChangeMarkingArtifactStore, composeBackend } from '@logbook/core/spi';
import type { LogbookConfig } from '@logbook/core';
import type { Backend, BackendContext, BackendProvider } from '@logbook/core/spi';
import { LocalArtifactStore } from './artifacts/local-artifact-store.js';
import { SqliteStore } from './sqlite-store.js';
import { SqliteSyncSource } from './sync/sqlite-sync-source.js';

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]+):/;

/**
 * True for the tracking URIs the embedded store serves: `:memory:`, `sqlite:…`, paths ending in
 * `.db`, `.sqlite` or `.sqlite3` (`file:` URIs included), and anything without a URI scheme
 * (a plain path; a Windows drive letter is not a scheme).
 */
export function handlesSqliteUri(uri: string): boolean {
  if (uri === ':memory:' || /^sqlite:/i.test(uri)) return true;
  if (/\.(db|sqlite3?)$/i.test(uri)) return !/^https?:/i.test(uri);
  return !SCHEME.test(uri);
}

/**
 * The database path of a tracking URI, SQLAlchemy-style for `sqlite:` URIs: `sqlite:///rel.db`
 * is relative, `sqlite:////abs/x.db` absolute, `sqlite://` and `sqlite:///:memory:` in memory;
 * `sqlite:x.db` is a plain path, and so is anything without a scheme.
 */
export function sqlitePathFromUri(uri: string): string {
  if (uri.startsWith('file:')) return fileURLToPath(uri);
  if (!/^sqlite:/i.test(uri)) return uri;
  let rest = uri.slice('sqlite:'.length).replace(/\?.*$/, '');
  if (rest.startsWith('///')) rest = rest.slice(3);
  else if (rest.startsWith('//')) rest = rest.slice(2);
  return rest === '' ? ':memory:' : rest;
}

/**
 * True for a `sqlite:` URI that asks for a read-only store with SQLite's own URI parameter,
 * `sqlite:///runs.db?mode=ro`: the file must exist and is never created, migrated or written.
 */
export function isReadonlySqliteUri(uri: string): boolean {
  return /^sqlite:/i.test(uri) && /[?&]mode=ro(&|$)/.test(uri);
}

/**
 * Opens the stores of one Logbook config: tracking + registry on one file, local artifacts.
 * A tracking URI with `?mode=ro` opens both stores read-only.
 */
export async function createSqliteBackend(config: LogbookConfig, context?: BackendContext): Promise<Backend> {
  const readonly = isReadonlySqliteUri(config.trackingUri);
  const timing = context === undefined ? {} : { now: context.now, newId: context.newId };
  const tracking = new SqliteStore({
    ...timing,
    path: sqlitePathFromUri(config.trackingUri),
    ...(readonly ? { readonly } : {}),
    ...(config.artifactRoot === undefined ? {} : { artifactRoot: config.artifactRoot }),
  });
  const registryPath = config.registryUri !== undefined && handlesSqliteUri(config.registryUri) ? sqlitePathFromUri(config.registryUri) : undefined;
  const registry =
    registryPath === undefined || registryPath === sqlitePathFromUri(config.trackingUri)
      ? tracking
      : new SqliteStore({ ...timing, path: registryPath, artifactRoot: tracking.artifactRootUri, ...(readonly ? { readonly } : {}) });
  // Runs of this database keep their artifacts under its root: a run folder elsewhere is refused.
  const localRoot = tracking.artifactRootUri.startsWith('file:') ? { root: tracking.artifactRootUri } : {};
  const artifacts = new LocalArtifactStore({ maxArtifactSize: config.maxArtifactSize, ...localRoot, ...(config.artifactCompression ? { compress: true } : {}) });
  // The change feed of the tracking file, on its own connection (none in memory or read-only).
  const syncSource = tracking.path === ':memory:' || readonly ? undefined : new SqliteSyncSource(tracking.path, { artifacts });
  // Files written through the logbook mark their run changed, so a sync sends late files of finished runs.
  const markArtifactsChanged = (uri: string) => tracking.markArtifactsChanged(uri);
  const written = syncSource === undefined ? artifacts : new ChangeMarkingArtifactStore(artifacts, markArtifactsChanged);
  const backend = composeBackend({ tracking, registry, artifacts: written }, syncSource === undefined ? [] : [syncSource]);
  return syncSource === undefined ? backend : { ...backend, syncSource, markArtifactsChanged };
}

/** The `sqlite` backend plug-in, registered with core when this package is imported. */
export const sqliteBackend: BackendProvider = {
  name: 'sqlite',
  handles: handlesSqliteUri,
  create: (config, _logger, context) => createSqliteBackend(config, context),
};
