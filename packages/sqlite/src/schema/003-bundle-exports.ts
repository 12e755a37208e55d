import type { Migration } from './migration.js';

/**
 * What `exportBundle` exported from this database, so the next `--since-last-export` bundle
 * starts where the last one (with the same experiment filter) ended: its seq range, when it
 * started (artifact files modified after that go into the next bundle), the file and its
 * manifest hash.
 */
export const bundleExportsMigration: Migration = {
  version: 3,
  name: 'bundle-exports',
  sql: `
CREATE TABLE bundle_exports (
  id INTEGER PRIMARY KEY,
  filter_key TEXT NOT NULL,
  seq_from INTEGER NOT NULL,
  seq_to INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  file TEXT NOT NULL,
  manifest_sha256 TEXT NOT NULL
);
CREATE INDEX bundle_exports_filter ON bundle_exports (filter_key, seq_to);
`,
};
