import type { Migration } from './migration.js';

/**
 * Sync state, kept in the source database so a copy of the file carries it: the station id
 * (drawn once, here), per target the acknowledged cursor and last outcome, the id map local ->
 * target, intents written before non-idempotent creates, runs left pending by a failed sync, and
 * the lease that keeps two syncs of one source to one target apart. Plus the indexes that make
 * "changed since N" a range scan. Metrics get no seq index (it would cost every point's insert):
 * a log-batch bumps its run's seq, so the changed runs come from `runs_seq`, and a changed run's
 * new points from a scan of that run's primary-key prefix.
 */
export const syncMigration: Migration = {
  version: 2,
  name: 'sync',
  sql: `
CREATE TABLE sync_station (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  station_id TEXT NOT NULL
);
INSERT INTO sync_station (id, station_id) VALUES (1, lower(hex(randomblob(16))));

CREATE TABLE sync_targets (
  target_id TEXT PRIMARY KEY,
  acked_seq INTEGER NOT NULL DEFAULT 0,
  last_success_at INTEGER,
  last_error_at INTEGER,
  last_error TEXT
);

CREATE TABLE sync_map (
  target_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  local_id TEXT NOT NULL,
  remote_id TEXT NOT NULL,
  PRIMARY KEY (target_id, kind, local_id)
) WITHOUT ROWID;

CREATE TABLE sync_intents (
  target_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  local_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (target_id, kind, local_id)
) WITHOUT ROWID;

CREATE TABLE sync_pending (
  target_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  since_seq INTEGER NOT NULL,
  PRIMARY KEY (target_id, run_id)
) WITHOUT ROWID;

CREATE TABLE sync_leases (
  target_id TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);

CREATE INDEX runs_seq ON runs (seq);
CREATE INDEX experiments_seq ON experiments (seq);
CREATE INDEX registered_models_seq ON registered_models (seq);
CREATE INDEX model_versions_seq ON model_versions (seq);
`,
};
