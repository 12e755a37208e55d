import type { Migration } from './migration.js';

/**
 * A fingerprint per id-map entry: what the sync engine last wrote to the target for that entity
 * (a hash of the synced fields of a model version), so a later change made on the target is
 * seen as a conflict instead of being overwritten. And the artifact files sent per target and
 * run (path, size): artifacts carry no seq, so this is how a sync finds files written after a
 * run's last database write, and how `sync status` counts the bytes not yet sent.
 */
export const syncFingerprintsMigration: Migration = {
  version: 4,
  name: 'sync-fingerprints',
  sql: `
ALTER TABLE sync_map ADD COLUMN fingerprint TEXT;

CREATE TABLE sync_artifacts (
  target_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  path TEXT NOT NULL,
  size INTEGER NOT NULL,
  PRIMARY KEY (target_id, run_id, path)
) WITHOUT ROWID;
`,
};
