import type Database from 'better-sqlite3';
import type { BundleCounts } from './manifest.js';

/**
 * The rows a bundle carries, copied from the attached source database `src` into `main` (same
 * schema, same local ids and seq values): every row changed after `since`, plus the unchanged
 * parent rows they need (the experiment of a run, the parent run of a nested run, the run of a
 * model version, the model of a version, the version an alias points to). Runs outside the
 * selected experiments are left out when `experimentNames` is given; `extraRunIds` (local ids)
 * are added whatever their seq (runs whose artifact files changed). Call inside one
 * transaction, so that every SELECT reads one snapshot of the source.
 */
export function copyChangedRows(
  db: Database.Database,
  since: number,
  experimentNames: readonly string[] | undefined,
  extraRunIds: readonly number[] = [],
): Omit<BundleCounts, 'artifacts' | 'artifactBytes'> {
  const exec = (sql: string, ...args: unknown[]) => db.prepare(sql).run(...args).changes;
  exec('CREATE TEMP TABLE sel_runs (id INTEGER PRIMARY KEY)');
  exec('CREATE TEMP TABLE sel_experiments (id INTEGER PRIMARY KEY)');
  exec('CREATE TEMP TABLE sel_versions (id INTEGER PRIMARY KEY)');
  exec('CREATE TEMP TABLE sel_models (id INTEGER PRIMARY KEY)');
  exec('CREATE TEMP TABLE allowed_runs (run_uuid TEXT PRIMARY KEY, id INTEGER)');
  const filter = experimentNames !== undefined && experimentNames.length > 0;
  if (filter) {
    exec('CREATE TEMP TABLE allowed_experiments (id INTEGER PRIMARY KEY)');
    const add = db.prepare('INSERT OR IGNORE INTO allowed_experiments SELECT experiment_id FROM src.experiments WHERE name = ?');
    for (const name of experimentNames) add.run(name);
    exec('INSERT INTO allowed_runs SELECT run_uuid, id FROM src.runs WHERE experiment_id IN (SELECT id FROM allowed_experiments)');
  } else {
    exec('INSERT INTO allowed_runs SELECT run_uuid, id FROM src.runs');
  }

  // Registry: versions changed (or whose tags changed, or that an alias changed to point at).
  exec(`INSERT OR IGNORE INTO sel_versions SELECT id FROM src.model_versions WHERE seq > ?`, since);
  exec(`INSERT OR IGNORE INTO sel_versions SELECT version_id FROM src.model_version_tags WHERE seq > ?`, since);
  exec(
    `INSERT OR IGNORE INTO sel_versions SELECT v.id FROM src.registered_model_aliases a
        JOIN src.model_versions v ON v.model_id = a.model_id AND v.version = a.version WHERE a.seq > ?`,
    since,
  );
  if (filter) exec('DELETE FROM sel_versions WHERE id NOT IN (SELECT v.id FROM src.model_versions v JOIN allowed_runs r ON r.run_uuid = v.run_id)');
  exec('INSERT OR IGNORE INTO sel_models SELECT model_id FROM src.model_versions WHERE id IN (SELECT id FROM sel_versions)');
  if (!filter) {
    exec('INSERT OR IGNORE INTO sel_models SELECT id FROM src.registered_models WHERE seq > ?', since);
    exec('INSERT OR IGNORE INTO sel_models SELECT model_id FROM src.registered_model_tags WHERE seq > ?', since);
    exec('INSERT OR IGNORE INTO sel_models SELECT model_id FROM src.registered_model_aliases WHERE seq > ?', since);
  }

  // Runs: changed rows or children, the runs of selected versions, then their parents.
  // A log-batch bumps its run's seq, so changed points need no scan of the metric tables.
  for (const table of ['runs', 'params', 'tags']) {
    const column = table === 'runs' ? 'id' : 'run_id';
    exec(`INSERT OR IGNORE INTO sel_runs SELECT DISTINCT ${column} FROM src.${table} WHERE seq > ?`, since);
  }
  const addRun = db.prepare('INSERT OR IGNORE INTO sel_runs (id) VALUES (?)');
  for (const id of extraRunIds) addRun.run(id);
  exec('INSERT OR IGNORE INTO sel_runs SELECT r.id FROM src.model_versions v JOIN src.runs r ON r.run_uuid = v.run_id WHERE v.id IN (SELECT id FROM sel_versions)');
  exec('DELETE FROM sel_runs WHERE id NOT IN (SELECT id FROM allowed_runs)');
  while (
    exec(`INSERT OR IGNORE INTO sel_runs SELECT p.id FROM src.tags t JOIN src.runs p ON p.run_uuid = t.value
               WHERE t.key = 'mlflow.parentRunId' AND t.run_id IN (SELECT id FROM sel_runs) AND p.id NOT IN (SELECT id FROM sel_runs)`) > 0
  );

  // Experiments: changed ones (within the filter) and those of the selected runs.
  exec('INSERT OR IGNORE INTO sel_experiments SELECT experiment_id FROM src.experiments WHERE seq > ?', since);
  exec('INSERT OR IGNORE INTO sel_experiments SELECT experiment_id FROM src.experiment_tags WHERE seq > ?', since);
  if (filter) exec('DELETE FROM sel_experiments WHERE id NOT IN (SELECT id FROM allowed_experiments)');
  exec('INSERT OR IGNORE INTO sel_experiments SELECT experiment_id FROM src.runs WHERE id IN (SELECT id FROM sel_runs)');

  const copy = (table: string, where: string, ...args: unknown[]) => exec(`INSERT INTO main.${table} SELECT * FROM src.${table} WHERE ${where}`, ...args);
  // A fresh Logbook database may hold the Default experiment already: the source's row wins.
  exec('DELETE FROM main.experiments WHERE experiment_id IN (SELECT id FROM sel_experiments)');
  const experiments = copy('experiments', 'experiment_id IN (SELECT id FROM sel_experiments)');
  copy('experiment_tags', 'experiment_id IN (SELECT id FROM sel_experiments) AND seq > ?', since);
  const runs = copy('runs', 'id IN (SELECT id FROM sel_runs)');
  const params = copy('params', 'run_id IN (SELECT id FROM sel_runs) AND seq > ?', since);
  const tags = copy('tags', "run_id IN (SELECT id FROM sel_runs) AND (seq > ? OR key = 'mlflow.parentRunId')", since);
  const metrics = copy('metrics', 'run_id IN (SELECT id FROM sel_runs) AND seq > ?', since);
  copy('latest_metrics', 'run_id IN (SELECT id FROM sel_runs) AND seq > ?', since);
  const registeredModels = copy('registered_models', 'id IN (SELECT id FROM sel_models)');
  copy('registered_model_tags', 'model_id IN (SELECT id FROM sel_models) AND seq > ?', since);
  copy(
    'registered_model_aliases',
    'model_id IN (SELECT id FROM sel_models) AND seq > ? AND version IN (SELECT v.version FROM src.model_versions v WHERE v.model_id = registered_model_aliases.model_id AND v.id IN (SELECT id FROM sel_versions))',
    since,
  );
  const modelVersions = copy('model_versions', 'id IN (SELECT id FROM sel_versions)');
  copy('model_version_tags', 'version_id IN (SELECT id FROM sel_versions) AND seq > ?', since);
  const tombstones = filter ? 0 : copy('tombstones', 'seq > ?', since);
  for (const table of ['sel_runs', 'sel_experiments', 'sel_versions', 'sel_models', 'allowed_runs']) exec(`DROP TABLE temp.${table}`);
  if (filter) exec('DROP TABLE temp.allowed_experiments');
  return { experiments, runs, params, tags, metrics, registeredModels, modelVersions, tombstones };
}
