import { validateAlias, validateModelName, validateModelVersion, validateRegistryTag } from '@logbook/core/spi';
import type { CreateRegisteredModelInput, ModelStage, ModelVersion, RegisteredModel, Tags } from '@logbook/core';
import type { StoreContext } from '../context.js';
import { fail, invalidParam, isUniqueViolation, notFound } from '../errors.js';
import { recordTombstone } from '../tombstones.js';
import { LIVE_VERSIONS, getModelRow, getVersionRow, toModelVersions, toRegisteredModels } from './registry-rows.js';
import type { ModelRow, VersionRow } from './registry-rows.js';
import { canonicalStage } from './stages.js';

/** Validated tag pairs; later duplicates win. */
export function registryTags(tags: Tags | undefined): [string, string][] {
  return Object.entries(tags ?? {}).map(([key, value], i) => {
    validateRegistryTag(key, value, `tags[${i}]`);
    return [key, value];
  });
}

/** `createRegisteredModel`: RESOURCE_ALREADY_EXISTS for a taken name. */
export function createRegisteredModel(ctx: StoreContext, input: CreateRegisteredModelInput): RegisteredModel {
  validateModelName(input.name);
  const tags = registryTags(input.tags);
  return ctx.conn.write(() => {
    const now = ctx.options.now();
    const seq = ctx.conn.nextSeq();
    let row: ModelRow;
    try {
      row = ctx.conn
        .stmt('INSERT INTO registered_models (name, description, creation_time, last_updated_time, seq) VALUES (?, ?, ?, ?, ?) RETURNING *')
        .get(input.name, input.description ?? null, now, now, seq) as ModelRow;
    } catch (error) {
      if (isUniqueViolation(error)) fail('RESOURCE_ALREADY_EXISTS', `Registered Model (name=${input.name}) already exists.`, 'name');
      throw error;
    }
    const insert = ctx.conn.stmt('INSERT OR REPLACE INTO registered_model_tags (model_id, key, value, seq) VALUES (?, ?, ?, ?)');
    for (const [key, value] of tags) insert.run(row.id, key, value, seq);
    return toRegisteredModels(ctx, [row])[0]!;
  });
}

/** `getRegisteredModel`. */
export function getRegisteredModel(ctx: StoreContext, name: string): RegisteredModel {
  return ctx.conn.read(() => toRegisteredModels(ctx, [getModelRow(ctx, name)])[0]!);
}

/** Bumps a model's `last_updated_time` and `seq`; call inside `write`. */
export function touchModel(ctx: StoreContext, modelId: number, now: number, seq: number): void {
  ctx.conn.stmt('UPDATE registered_models SET last_updated_time = ?, seq = ? WHERE id = ?').run(now, seq, modelId);
}

/** `updateRegisteredModel`: sets the description (absent = cleared, as MLflow). */
export function updateRegisteredModel(ctx: StoreContext, name: string, description: string | undefined): RegisteredModel {
  return ctx.conn.write(() => {
    const row = getModelRow(ctx, name);
    ctx.conn.stmt('UPDATE registered_models SET description = ? WHERE id = ?').run(description ?? null, row.id);
    touchModel(ctx, row.id, ctx.options.now(), ctx.conn.nextSeq());
    return toRegisteredModels(ctx, [getModelRow(ctx, name)])[0]!;
  });
}

/** `renameRegisteredModel`: versions follow (they refer to the model by local id). */
export function renameRegisteredModel(ctx: StoreContext, name: string, newName: string): RegisteredModel {
  validateModelName(newName, 'newName');
  return ctx.conn.write(() => {
    const row = getModelRow(ctx, name);
    const now = ctx.options.now();
    const seq = ctx.conn.nextSeq();
    try {
      ctx.conn.stmt('UPDATE registered_models SET name = ? WHERE id = ?').run(newName, row.id);
    } catch (error) {
      if (isUniqueViolation(error)) fail('RESOURCE_ALREADY_EXISTS', `Registered Model (name=${newName}) already exists.`, 'newName');
      throw error;
    }
    touchModel(ctx, row.id, now, seq);
    ctx.conn.stmt('UPDATE model_versions SET last_updated_time = ?, seq = ? WHERE model_id = ?').run(now, seq, row.id);
    recordTombstone(ctx, 'registered_model_name', name, newName);
    return toRegisteredModels(ctx, [getModelRow(ctx, newName)])[0]!;
  });
}

/** `deleteRegisteredModel`: removes the model, its versions, tags and aliases (MLflow deletes too). */
export function deleteRegisteredModel(ctx: StoreContext, name: string): void {
  ctx.conn.write(() => {
    const row = getModelRow(ctx, name);
    ctx.conn.stmt('DELETE FROM registered_models WHERE id = ?').run(row.id);
    recordTombstone(ctx, 'registered_model', name, null);
  });
}

/** `setRegisteredModelTag`: upsert. */
export function setRegisteredModelTag(ctx: StoreContext, name: string, key: string, value: string): void {
  validateRegistryTag(key, value);
  ctx.conn.write(() => {
    const row = getModelRow(ctx, name);
    ctx.conn.stmt('INSERT OR REPLACE INTO registered_model_tags (model_id, key, value, seq) VALUES (?, ?, ?, ?)').run(row.id, key, value, ctx.conn.nextSeq());
  });
}

/** `deleteRegisteredModelTag`: an absent tag is not an error (MLflow). */
export function deleteRegisteredModelTag(ctx: StoreContext, name: string, key: string): void {
  ctx.conn.write(() => {
    const row = getModelRow(ctx, name);
    if (ctx.conn.stmt('DELETE FROM registered_model_tags WHERE model_id = ? AND key = ?').run(row.id, key).changes > 0) {
      recordTombstone(ctx, 'registered_model_tag', name, key);
    }
  });
}

/** `setRegisteredModelAlias`: points (or moves) the alias to a live version. */
export function setRegisteredModelAlias(ctx: StoreContext, name: string, alias: string, version: string): void {
  validateAlias(alias);
  validateModelVersion(version);
  ctx.conn.write(() => {
    const v = getVersionRow(ctx, name, version);
    ctx.conn.stmt('INSERT OR REPLACE INTO registered_model_aliases (model_id, alias, version, seq) VALUES (?, ?, ?, ?)').run(v.model_id, alias, v.version, ctx.conn.nextSeq());
  });
}

/** `deleteRegisteredModelAlias`: the model must exist; an absent alias is not an error. */
export function deleteRegisteredModelAlias(ctx: StoreContext, name: string, alias: string): void {
  ctx.conn.write(() => {
    const row = getModelRow(ctx, name);
    if (ctx.conn.stmt('DELETE FROM registered_model_aliases WHERE model_id = ? AND alias = ?').run(row.id, alias).changes > 0) {
      recordTombstone(ctx, 'registered_model_alias', name, alias);
    }
  });
}

/** `getLatestVersions`: latest live version per requested stage (all four when none). */
export function getLatestVersions(ctx: StoreContext, name: string, stages?: readonly ModelStage[]): ModelVersion[] {
  const wanted = stages === undefined || stages.length === 0 ? undefined : new Set(stages.map((s, i) => canonicalStage(s, `stages[${i}]`)));
  return ctx.conn.read(() => {
    const latest = toRegisteredModels(ctx, [getModelRow(ctx, name)])[0]!.latestVersions;
    return latest.filter((v) => wanted === undefined || wanted.has(v.currentStage));
  });
}

/**
 * `getModelVersionByAlias`: an unknown alias is INVALID_PARAMETER_VALUE (MLflow answers 400);
 * `latest` resolves to the highest live version, as MLflow's store does.
 */
export function getModelVersionByAlias(ctx: StoreContext, name: string, alias: string): ModelVersion {
  return ctx.conn.read(() => {
    const model = getModelRow(ctx, name);
    if (alias.toLowerCase() === 'latest') {
      const top = ctx.conn.stmt(`${LIVE_VERSIONS} AND v.model_id = ? ORDER BY v.version DESC LIMIT 1`).get(model.id) as VersionRow | undefined;
      return toModelVersions(ctx, [top ?? notFound(`Latest version not found for model ${name}.`, 'alias')])[0]!;
    }
    const hit = ctx.conn.stmt('SELECT version FROM registered_model_aliases WHERE model_id = ? AND alias = ?').get(model.id, alias) as { version: number } | undefined;
    if (hit === undefined) invalidParam(`Registered model alias ${alias} not found.`, 'alias');
    return toModelVersions(ctx, [getVersionRow(ctx, name, String(hit.version))])[0]!;
  });
}
