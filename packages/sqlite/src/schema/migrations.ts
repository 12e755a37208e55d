import { initialMigration } from './001-initial.js';
import { syncMigration } from './002-sync.js';
import { bundleExportsMigration } from './003-bundle-exports.js';
import { syncFingerprintsMigration } from './004-sync-fingerprints.js';
import type { Migration } from './migration.js';

/** Every migration this version knows, in order. Append only; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [initialMigration, syncMigration, bundleExportsMigration, syncFingerprintsMigration];

/** The schema version this version of the package writes. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
