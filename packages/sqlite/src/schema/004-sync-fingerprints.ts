import type { Migration } from './migration.js';

/**
 * A fingerprint per id-map entry: what the sync engine last wrote to the target for that entity
 * (a hash of the synced fields of a model version), so a later change made on the target is
 * seen as a conflict instead of being overwritten.
 */
export const syncFingerprintsMigration: Migration = {
  version: 4,
  name: 'sync-fingerprints',
  sql: `
ALTER TABLE sync_map ADD COLUMN fingerprint TEXT;
`,
};
