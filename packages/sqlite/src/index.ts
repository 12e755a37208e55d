import { registerBackend } from '@logbook/core/spi';
import { sqliteBackend } from './backend.js';

export { SqliteStore } from './sqlite-store.js';
export type { SqliteStoreOptions, ResolvedSqliteOptions, SynchronousMode } from './types.js';
export { LocalArtifactStore } from './artifacts/local-artifact-store.js';
export type { LocalArtifactStoreOptions } from './artifacts/local-artifact-store.js';
export { sqliteBackend, createSqliteBackend, handlesSqliteUri, isReadonlySqliteUri, sqlitePathFromUri } from './backend.js';
export { DEFAULT_DB_PATH, ARTIFACTS_FOLDER } from './options.js';
export { LATEST_SCHEMA_VERSION } from './schema/migrations.js';
export { exportBundle, verifyBundle, openBundle, BUNDLE_FORMAT_VERSION } from './bundle/index.js';
export type { ExportBundleOptions, BundleSyncSource, OpenBundleOptions, BundleManifest, BundlePart, BundleCounts } from './bundle/index.js';
export { SqliteSyncSource, openSyncSource } from './sync/sqlite-sync-source.js';
export type { SqliteSyncSourceOptions } from './sync/sqlite-sync-source.js';

// Importing the package makes `sqlite:` URIs, `.db` paths and `:memory:` work in createLogbook().
registerBackend(sqliteBackend);
