import type { LifecycleStage, ModelStage, Tags } from '@logbook/core';
import type { SyncExperiment, SyncMetricCursor, SyncMetricPage, SyncModelVersion, SyncRegisteredModel, SyncRun, SyncRunRef, SyncTombstone } from '@logbook/core/spi';
import type { Connection } from '../connection.js';
import type { MetricRow, RunRow } from '../tracking/run-rows.js';
import { toMetric, toRunInfo } from '../tracking/run-rows.js';
import { STAGE_DELETED_INTERNAL } from '../registry/stages.js';

/*
 * The read side of the SQLite sync source: what changed after a seq, as plain objects. Every
 * query is a range scan on a seq index (runs, experiments, registered models, versions,
 * tombstones) or on a primary-key prefix (a run's metrics, tags, params).
 */

interface ExperimentRow {
  experiment_id: number;
  name: string;
  lifecycle_stage: string;
  seq: number;
}
interface KeyValueRow {
  key: string;
  value: string;
}

function keyValues(rows: readonly KeyValueRow[]): Tags {
  const out: Record<string, string> = {};
  for (const r of rows) out[r.key] = r.value;
  return out;
}

function toSyncExperiment(conn: Connection, row: ExperimentRow): SyncExperiment {
  const tags = conn.stmt('SELECT key, value FROM experiment_tags WHERE experiment_id = ?').all(row.experiment_id) as KeyValueRow[];
  return {
    experimentId: String(row.experiment_id),
    name: row.name,
    lifecycleStage: row.lifecycle_stage as LifecycleStage,
    tags: keyValues(tags),
    seq: row.seq,
  };
}

/** Experiments whose row or tags changed after `since`, in seq order. */
export function changedExperiments(conn: Connection, since: number): SyncExperiment[] {
  return conn.read(() => {
    const rows = conn
      .stmt(`SELECT experiment_id, name, lifecycle_stage, seq FROM experiments
      WHERE seq > ? OR experiment_id IN (SELECT experiment_id FROM experiment_tags WHERE seq > ?) ORDER BY seq, experiment_id`)
      .all(since, since) as ExperimentRow[];
    return rows.map((r) => toSyncExperiment(conn, r));
  });
}

/** One experiment by local id. */
export function readExperiment(conn: Connection, experimentId: string): SyncExperiment | undefined {
  if (!/^\d+$/.test(experimentId)) return undefined;
  return conn.read(() => {
    const row = conn.stmt('SELECT experiment_id, name, lifecycle_stage, seq FROM experiments WHERE experiment_id = ?').get(Number(experimentId)) as ExperimentRow | undefined;
    return row === undefined ? undefined : toSyncExperiment(conn, row);
  });
}

/**
 * Runs changed after `since` (a log-batch, a tag, a status change bumps the run's seq) in seq
 * order after `after`; the first page (`after < since`, e.g. -1) also carries the runs left pending for
 * the target by an earlier sync, with their own older cursor.
 */
export function changedRuns(conn: Connection, targetId: string, since: number, after: number, limit: number): SyncRunRef[] {
  return conn.read(() => {
    const out: SyncRunRef[] = [];
    if (after < since) {
      const pending = conn
        .stmt(`SELECT r.run_uuid AS runId, r.seq AS seq, p.since_seq AS sinceSeq FROM sync_pending p
        JOIN runs r ON r.run_uuid = p.run_id WHERE p.target_id = ? AND r.seq <= ? ORDER BY r.seq`)
        .all(targetId, since) as SyncRunRef[];
      out.push(...pending);
    }
    const rows = conn
      .stmt(`SELECT r.run_uuid AS runId, r.seq AS seq, MIN(?, COALESCE(p.since_seq, ?)) AS sinceSeq FROM runs r
      LEFT JOIN sync_pending p ON p.target_id = ? AND p.run_id = r.run_uuid
      WHERE r.seq > ? ORDER BY r.seq, r.id LIMIT ?`)
      .all(since, since, targetId, Math.max(since, after), limit) as SyncRunRef[];
    out.push(...rows);
    return out;
  });
}

/** One run with its params and tags. */
export function readRun(conn: Connection, runId: string): SyncRun | undefined {
  return conn.read(() => {
    const row = conn.stmt('SELECT * FROM runs WHERE run_uuid = ?').get(runId) as (RunRow & { seq: number }) | undefined;
    if (row === undefined) return undefined;
    const params = conn.stmt('SELECT key, value FROM params WHERE run_id = ?').all(row.id) as KeyValueRow[];
    const tags = conn.stmt('SELECT key, value FROM tags WHERE run_id = ?').all(row.id) as KeyValueRow[];
    return {
      ...toRunInfo(row),
      params: keyValues(params),
      tags: keyValues(tags),
      seq: row.seq,
    };
  });
}

const METRIC_COLUMNS = 'key, timestamp, step, value, is_nan';

/** A page of a run's points written after `since`, in primary-key order after `after`. */
export function readMetrics(conn: Connection, runId: string, since: number, after: SyncMetricCursor | undefined, limit: number): SyncMetricPage {
  return conn.read(() => {
    const run = conn.stmt('SELECT id FROM runs WHERE run_uuid = ?').get(runId) as { id: number } | undefined;
    if (run === undefined) return { metrics: [] };
    const rows = (
      after === undefined
        ? conn.stmt(`SELECT ${METRIC_COLUMNS} FROM metrics WHERE run_id = ? AND seq > ? ORDER BY ${METRIC_COLUMNS} LIMIT ?`).all(run.id, since, limit)
        : conn
            .stmt(`SELECT ${METRIC_COLUMNS} FROM metrics WHERE run_id = ? AND (${METRIC_COLUMNS}) > (?, ?, ?, ?, ?) AND seq > ?
          ORDER BY ${METRIC_COLUMNS} LIMIT ?`)
            .all(run.id, after.key, after.timestamp, after.step, after.value, after.isNan, since, limit)
    ) as MetricRow[];
    const last = rows[rows.length - 1];
    const metrics = rows.map(toMetric);
    if (rows.length < limit || last === undefined) return { metrics };
    return { metrics, next: { key: last.key, timestamp: last.timestamp, step: last.step, value: last.value, isNan: last.is_nan } };
  });
}

interface ModelRow {
  id: number;
  name: string;
  description: string | null;
  seq: number;
}
interface VersionRow {
  id: number;
  version: number;
  description: string | null;
  current_stage: string;
  source: string;
  run_id: string | null;
  run_link: string | null;
  seq: number;
}

function toSyncVersion(conn: Connection, name: string, v: VersionRow): SyncModelVersion {
  const tags = conn.stmt('SELECT key, value FROM model_version_tags WHERE version_id = ?').all(v.id) as KeyValueRow[];
  return {
    name,
    version: String(v.version),
    source: v.source,
    ...(v.run_id === null ? {} : { runId: v.run_id }),
    ...(v.run_link === null ? {} : { runLink: v.run_link }),
    ...(v.description === null ? {} : { description: v.description }),
    currentStage: v.current_stage as ModelStage,
    tags: keyValues(tags),
    ...(v.current_stage === STAGE_DELETED_INTERNAL ? { deleted: true } : {}),
    seq: v.seq,
  };
}

/**
 * Registered models whose row, tags, aliases or versions changed after `since`, each with its
 * versions changed after `since` (a deleted version comes with stage `Deleted_Internal`).
 */
export function changedRegisteredModels(conn: Connection, since: number): SyncRegisteredModel[] {
  return conn.read(() => {
    const models = conn
      .stmt(`SELECT id, name, description, seq FROM registered_models WHERE seq > ?
        OR id IN (SELECT model_id FROM registered_model_tags WHERE seq > ?)
        OR id IN (SELECT model_id FROM registered_model_aliases WHERE seq > ?)
        OR id IN (SELECT model_id FROM model_versions WHERE seq > ?)
        OR id IN (SELECT v.model_id FROM model_version_tags t JOIN model_versions v ON v.id = t.version_id WHERE t.seq > ?)
      ORDER BY seq, id`)
      .all(since, since, since, since, since) as ModelRow[];
    return models.map((m) => {
      const tags = conn.stmt('SELECT key, value FROM registered_model_tags WHERE model_id = ?').all(m.id) as KeyValueRow[];
      const aliases = conn.stmt('SELECT alias AS key, CAST(version AS TEXT) AS value FROM registered_model_aliases WHERE model_id = ?').all(m.id) as KeyValueRow[];
      const versions = conn
        .stmt(`SELECT * FROM model_versions WHERE model_id = ? AND (seq > ?
          OR id IN (SELECT version_id FROM model_version_tags WHERE seq > ?)) ORDER BY version`)
        .all(m.id, since, since) as VersionRow[];
      return {
        name: m.name,
        ...(m.description === null ? {} : { description: m.description }),
        tags: keyValues(tags),
        aliases: keyValues(aliases),
        versions: versions.map((v) => toSyncVersion(conn, m.name, v)),
        seq: m.seq,
      };
    });
  });
}

/**
 * Tombstones after `max(since, after)` in seq order: `limit` of them, and then all that share
 * the last one's seq (one transaction may leave several), so paging by seq never splits one.
 */
export function tombstones(conn: Connection, since: number, after: number, limit: number): SyncTombstone[] {
  return conn.read(() => {
    type Row = { seq: number; entity: string; entity_id: string; key: string | null };
    const from = Math.max(since, after);
    const rows = conn.stmt('SELECT seq, entity, entity_id, key FROM tombstones WHERE seq > ? ORDER BY seq, rowid LIMIT ?').all(from, limit) as Row[];
    const last = rows[rows.length - 1];
    if (last !== undefined && rows.length === limit) {
      const seen = rows.filter((r) => r.seq === last.seq).length;
      const rest = conn.stmt('SELECT seq, entity, entity_id, key FROM tombstones WHERE seq = ? ORDER BY rowid LIMIT -1 OFFSET ?').all(last.seq, seen) as Row[];
      rows.push(...rest);
    }
    return rows.map((r) => ({ seq: r.seq, entity: r.entity, entityId: r.entity_id, ...(r.key === null ? {} : { key: r.key }) }));
  });
}
