import type { Migration } from './migration.js';

/**
 * The first schema: MLflow's tracking and registry tables, keyed by integer local ids (runs keep
 * their uuid too). Sync-readiness: every row carries `seq`, the value of the global change counter
 * (`sync_state`) of the transaction that last wrote it, so "what changed since N" is a range
 * query; deletions that remove rows leave a `tombstones` row. NaN metrics are stored as value 0
 * with `is_nan = 1`, as MLflow does (SQLite turns NaN into NULL).
 */
export const initialMigration: Migration = {
  version: 1,
  name: 'initial',
  sql: `
CREATE TABLE sync_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL
);
INSERT INTO sync_state (id, seq) VALUES (1, 0);

CREATE TABLE tombstones (
  seq INTEGER NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  key TEXT,
  deleted_at INTEGER NOT NULL
);
CREATE INDEX tombstones_seq ON tombstones (seq);

CREATE TABLE experiments (
  experiment_id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  artifact_location TEXT NOT NULL,
  lifecycle_stage TEXT NOT NULL CHECK (lifecycle_stage IN ('active', 'deleted')),
  creation_time INTEGER NOT NULL,
  last_update_time INTEGER NOT NULL,
  seq INTEGER NOT NULL
);

CREATE TABLE experiment_tags (
  experiment_id INTEGER NOT NULL REFERENCES experiments (experiment_id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (experiment_id, key)
) WITHOUT ROWID;

CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  run_uuid TEXT NOT NULL UNIQUE,
  experiment_id INTEGER NOT NULL REFERENCES experiments (experiment_id),
  name TEXT NOT NULL,
  user_id TEXT NOT NULL,
  status TEXT NOT NULL,
  start_time INTEGER NOT NULL,
  end_time INTEGER,
  artifact_uri TEXT NOT NULL,
  lifecycle_stage TEXT NOT NULL CHECK (lifecycle_stage IN ('active', 'deleted')),
  deleted_time INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  seq INTEGER NOT NULL
);
CREATE INDEX runs_experiment ON runs (experiment_id, start_time);

CREATE TABLE params (
  run_id INTEGER NOT NULL REFERENCES runs (id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (run_id, key)
) WITHOUT ROWID;

CREATE TABLE tags (
  run_id INTEGER NOT NULL REFERENCES runs (id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (run_id, key)
) WITHOUT ROWID;

-- The primary key is MLflow's (run, key, timestamp, step, value, is_nan): exact duplicates are
-- ignored with INSERT OR IGNORE, and history comes out in (timestamp, step, value) order.
-- No REFERENCES on the two metric tables: the foreign-key check costs ~30% of a point's insert,
-- and log-batch checks the run in the same transaction anyway.
CREATE TABLE metrics (
  run_id INTEGER NOT NULL,
  key TEXT NOT NULL,
  timestamp INTEGER NOT NULL,
  step INTEGER NOT NULL,
  value REAL NOT NULL,
  is_nan INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (run_id, key, timestamp, step, value, is_nan)
) WITHOUT ROWID;

CREATE TABLE latest_metrics (
  run_id INTEGER NOT NULL,
  key TEXT NOT NULL,
  value REAL NOT NULL,
  timestamp INTEGER NOT NULL,
  step INTEGER NOT NULL,
  is_nan INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (run_id, key)
) WITHOUT ROWID;

CREATE TABLE registered_models (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  description TEXT,
  creation_time INTEGER NOT NULL,
  last_updated_time INTEGER NOT NULL,
  seq INTEGER NOT NULL
);

CREATE TABLE registered_model_tags (
  model_id INTEGER NOT NULL REFERENCES registered_models (id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (model_id, key)
) WITHOUT ROWID;

CREATE TABLE model_versions (
  id INTEGER PRIMARY KEY,
  model_id INTEGER NOT NULL REFERENCES registered_models (id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  creation_time INTEGER NOT NULL,
  last_updated_time INTEGER NOT NULL,
  description TEXT,
  user_id TEXT,
  current_stage TEXT NOT NULL,
  source TEXT NOT NULL,
  storage_location TEXT,
  run_id TEXT,
  run_link TEXT,
  status TEXT NOT NULL,
  status_message TEXT,
  seq INTEGER NOT NULL,
  UNIQUE (model_id, version)
);

CREATE TABLE model_version_tags (
  version_id INTEGER NOT NULL REFERENCES model_versions (id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (version_id, key)
) WITHOUT ROWID;

CREATE TABLE registered_model_aliases (
  model_id INTEGER NOT NULL REFERENCES registered_models (id) ON DELETE CASCADE,
  alias TEXT NOT NULL,
  version INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (model_id, alias)
) WITHOUT ROWID;
`,
};
