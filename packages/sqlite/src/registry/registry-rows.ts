import { validateModelName, validateModelVersion } from '@logbook/core/spi';
import type { ModelStage, ModelVersion, ModelVersionStatus, RegisteredModel } from '@logbook/core';
import type { StoreContext } from '../context.js';
import { notFound } from '../errors.js';
import { STAGE_DELETED_INTERNAL } from './stages.js';

/** A row of `registered_models`. */
export interface ModelRow {
  readonly id: number;
  readonly name: string;
  readonly description: string | null;
  readonly creation_time: number;
  readonly last_updated_time: number;
}

/** A row of `model_versions` joined with its model's name. */
export interface VersionRow {
  readonly id: number;
  readonly model_id: number;
  readonly name: string;
  readonly version: number;
  readonly creation_time: number;
  readonly last_updated_time: number;
  readonly description: string | null;
  readonly current_stage: string;
  readonly source: string;
  readonly storage_location: string | null;
  readonly run_id: string | null;
  readonly run_link: string | null;
  readonly status: string;
  readonly status_message: string | null;
}

/** SELECT of live (not soft-deleted) versions with their model's name; append WHERE clauses with AND. */
export const LIVE_VERSIONS = `SELECT v.*, m.name AS name FROM model_versions v JOIN registered_models m ON m.id = v.model_id
  WHERE v.current_stage != '${STAGE_DELETED_INTERNAL}'`;

/** The model row; RESOURCE_DOES_NOT_EXIST "Registered Model with name=X not found". */
export function getModelRow(ctx: StoreContext, name: string): ModelRow {
  validateModelName(name);
  const row = ctx.conn.stmt('SELECT * FROM registered_models WHERE name = ?').get(name) as ModelRow | undefined;
  return row ?? notFound(`Registered Model with name=${name} not found`, 'name');
}

/** A live version row; RESOURCE_DOES_NOT_EXIST "Model Version (name=X, version=N) not found". */
export function getVersionRow(ctx: StoreContext, name: string, version: string): VersionRow {
  validateModelName(name);
  validateModelVersion(version);
  const row = ctx.conn.stmt(`${LIVE_VERSIONS} AND m.name = ? AND v.version = ?`).get(name, Number(version)) as VersionRow | undefined;
  return row ?? notFound(`Model Version (name=${name}, version=${version}) not found`, 'version');
}

function keyValues(ctx: StoreContext, sql: string, ids: readonly number[]): Map<number, Record<string, string>> {
  const out = new Map<number, Record<string, string>>(ids.map((id) => [id, {}]));
  const rows = ctx.conn.stmt(sql).all(JSON.stringify(ids)) as { id: number; key: string; value: string }[];
  for (const r of rows) out.get(r.id)![r.key] = r.value;
  return out;
}

/** Version rows → entities, with tags and aliases in one query each. */
export function toModelVersions(ctx: StoreContext, rows: readonly VersionRow[]): ModelVersion[] {
  if (rows.length === 0) return [];
  const tags = keyValues(
    ctx,
    'SELECT version_id AS id, key, value FROM model_version_tags WHERE version_id IN (SELECT value FROM json_each(?))',
    rows.map((r) => r.id),
  );
  const aliasRows = ctx.conn
    .stmt('SELECT model_id, alias, version FROM registered_model_aliases WHERE model_id IN (SELECT value FROM json_each(?)) ORDER BY alias')
    .all(JSON.stringify([...new Set(rows.map((r) => r.model_id))])) as { model_id: number; alias: string; version: number }[];
  return rows.map((r) => ({
    name: r.name,
    version: String(r.version),
    creationTimestamp: r.creation_time,
    lastUpdatedTimestamp: r.last_updated_time,
    currentStage: r.current_stage as ModelStage,
    ...(r.description === null ? {} : { description: r.description }),
    source: r.source,
    ...(r.run_id === null || r.run_id === '' ? {} : { runId: r.run_id }),
    ...(r.run_link === null || r.run_link === '' ? {} : { runLink: r.run_link }),
    status: r.status as ModelVersionStatus,
    ...(r.status_message === null ? {} : { statusMessage: r.status_message }),
    tags: tags.get(r.id)!,
    aliases: aliasRows.filter((a) => a.model_id === r.model_id && a.version === r.version).map((a) => a.alias),
  }));
}

/** Latest live version per stage of each model (MLflow's `latest_versions`). */
function latestVersionRows(ctx: StoreContext, modelIds: readonly number[]): VersionRow[] {
  return ctx.conn
    .stmt(`${LIVE_VERSIONS} AND v.model_id IN (SELECT value FROM json_each(?))
      AND v.version = (SELECT MAX(w.version) FROM model_versions w WHERE w.model_id = v.model_id AND w.current_stage = v.current_stage)
      ORDER BY v.model_id, v.version`)
    .all(JSON.stringify(modelIds)) as VersionRow[];
}

/** Model rows → entities, with latest versions, tags and aliases. */
export function toRegisteredModels(ctx: StoreContext, rows: readonly ModelRow[]): RegisteredModel[] {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const tags = keyValues(ctx, 'SELECT model_id AS id, key, value FROM registered_model_tags WHERE model_id IN (SELECT value FROM json_each(?))', ids);
  const aliasRows = ctx.conn.stmt('SELECT model_id, alias, version FROM registered_model_aliases WHERE model_id IN (SELECT value FROM json_each(?)) ORDER BY alias').all(JSON.stringify(ids)) as {
    model_id: number;
    alias: string;
    version: number;
  }[];
  const latest = toModelVersions(ctx, latestVersionRows(ctx, ids));
  return rows.map((r) => ({
    name: r.name,
    creationTimestamp: r.creation_time,
    lastUpdatedTimestamp: r.last_updated_time,
    ...(r.description === null ? {} : { description: r.description }),
    latestVersions: latest.filter((v) => v.name === r.name),
    tags: tags.get(r.id)!,
    aliases: Object.fromEntries(aliasRows.filter((a) => a.model_id === r.id).map((a) => [a.alias, String(a.version)])),
  }));
}
