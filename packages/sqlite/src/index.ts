import 'reflect-metadata';

export { SqliteStore } from './sqlite-store.js';
export type { SqliteStoreOptions, ResolvedSqliteOptions, SynchronousMode } from './types.js';
export { DEFAULT_DB_PATH, ARTIFACTS_FOLDER } from './options.js';
export { LATEST_SCHEMA_VERSION } from './schema/migrations.js';
