import { ModelStage, ModelVersionStatus } from '@logbook/core';
import { requireString, validateModelVersion, validateRegistryTag } from '@logbook/core/spi';
import type { CreateModelVersionInput, ModelVersion } from '@logbook/core';
import type { StoreContext } from '../context.js';
import { fail } from '../errors.js';
import { recordTombstone } from '../tombstones.js';
import { registryTags, touchModel } from './models.js';
import { getModelRow, getVersionRow, toModelVersions } from './registry-rows.js';
import type { VersionRow } from './registry-rows.js';
import { ACTIVE_STAGES, STAGE_DELETED_INTERNAL, canonicalStage } from './stages.js';

function reread(ctx: StoreContext, name: string, version: number | string): ModelVersion {
  return toModelVersions(ctx, [getVersionRow(ctx, name, String(version))])[0]!;
}

/** `createModelVersion`: number = highest ever + 1 (deleted versions keep theirs), READY at once. */
export function createModelVersion(ctx: StoreContext, input: CreateModelVersionInput): ModelVersion {
  requireString(input.source, 'source');
  const tags = registryTags(input.tags);
  return ctx.conn.write(() => {
    const model = getModelRow(ctx, input.name);
    const now = ctx.options.now();
    const seq = ctx.conn.nextSeq();
    const { next } = ctx.conn.stmt('SELECT COALESCE(MAX(version), 0) + 1 AS next FROM model_versions WHERE model_id = ?').get(model.id) as { next: number };
    const { id } = ctx.conn
      .stmt(`INSERT INTO model_versions (model_id, version, creation_time, last_updated_time, description, user_id, current_stage,
               source, storage_location, run_id, run_link, status, status_message, seq)
             VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, NULL, ?) RETURNING id`)
      .get(model.id, next, now, now, input.description ?? null, ModelStage.None, input.source, input.source, input.runId ?? null, input.runLink ?? null, ModelVersionStatus.READY, seq) as {
      id: number;
    };
    const insert = ctx.conn.stmt('INSERT OR REPLACE INTO model_version_tags (version_id, key, value, seq) VALUES (?, ?, ?, ?)');
    for (const [key, value] of tags) insert.run(id, key, value, seq);
    touchModel(ctx, model.id, now, seq);
    return reread(ctx, input.name, next);
  });
}

/** `getModelVersion`: soft-deleted versions are RESOURCE_DOES_NOT_EXIST. */
export function getModelVersion(ctx: StoreContext, name: string, version: string): ModelVersion {
  return ctx.conn.read(() => reread(ctx, name, version));
}

/** `updateModelVersion`: sets the description (absent = cleared, as MLflow). */
export function updateModelVersion(ctx: StoreContext, name: string, version: string, description: string | undefined): ModelVersion {
  return ctx.conn.write(() => {
    const v = getVersionRow(ctx, name, version);
    ctx.conn.stmt('UPDATE model_versions SET description = ?, last_updated_time = ?, seq = ? WHERE id = ?').run(description ?? null, ctx.options.now(), ctx.conn.nextSeq(), v.id);
    return reread(ctx, name, version);
  });
}

/**
 * `transitionModelVersionStage`. With `archiveExistingVersions` (Staging/Production only, else
 * INTERNAL_ERROR as MLflow), the other versions in that stage move to Archived.
 */
export function transitionModelVersionStage(ctx: StoreContext, name: string, version: string, stage: string, archiveExisting: boolean): ModelVersion {
  const target = canonicalStage(stage);
  if (archiveExisting && !ACTIVE_STAGES.includes(target)) {
    fail('INTERNAL_ERROR', `Model version transition cannot archive existing model versions because '${stage}' is not an Active stage. Valid stages are ${ACTIVE_STAGES.join(', ')}`, 'stage');
  }
  return ctx.conn.write(() => {
    const v = getVersionRow(ctx, name, version);
    const now = ctx.options.now();
    const seq = ctx.conn.nextSeq();
    if (archiveExisting) {
      ctx.conn
        .stmt('UPDATE model_versions SET current_stage = ?, last_updated_time = ?, seq = ? WHERE model_id = ? AND version != ? AND current_stage = ?')
        .run(ModelStage.Archived, now, seq, v.model_id, v.version, target);
    }
    ctx.conn.stmt('UPDATE model_versions SET current_stage = ?, last_updated_time = ?, seq = ? WHERE id = ?').run(target, now, seq, v.id);
    touchModel(ctx, v.model_id, now, seq);
    return reread(ctx, name, version);
  });
}

/**
 * `deleteModelVersion`: soft, as MLflow: stage `Deleted_Internal`, source/run redacted, aliases
 * removed (each leaving a tombstone); the number is never reused and the version disappears from every read.
 */
export function deleteModelVersion(ctx: StoreContext, name: string, version: string): void {
  ctx.conn.write(() => {
    const v = getVersionRow(ctx, name, version);
    const now = ctx.options.now();
    const seq = ctx.conn.nextSeq();
    const aliases = ctx.conn.stmt('SELECT alias FROM registered_model_aliases WHERE model_id = ? AND version = ?').all(v.model_id, v.version) as { alias: string }[];
    ctx.conn.stmt('DELETE FROM registered_model_aliases WHERE model_id = ? AND version = ?').run(v.model_id, v.version);
    // A removed alias row has no seq left to say so: a tombstone does, as deleteRegisteredModelAlias leaves.
    for (const { alias } of aliases) recordTombstone(ctx, 'registered_model_alias', name, alias);
    ctx.conn
      .stmt(`UPDATE model_versions SET current_stage = ?, last_updated_time = ?, description = NULL, user_id = NULL,
               source = 'REDACTED-SOURCE-PATH', run_id = 'REDACTED-RUN-ID', run_link = 'REDACTED-RUN-LINK', status_message = NULL, seq = ?
             WHERE id = ?`)
      .run(STAGE_DELETED_INTERNAL, now, seq, v.id);
    touchModel(ctx, v.model_id, now, seq);
  });
}

/** `getModelVersionDownloadUri`: the storage location, else the source. */
export function getModelVersionDownloadUri(ctx: StoreContext, name: string, version: string): string {
  const v: VersionRow = ctx.conn.read(() => getVersionRow(ctx, name, version));
  return v.storage_location ?? v.source;
}

/** `setModelVersionTag`: upsert on a live version. */
export function setModelVersionTag(ctx: StoreContext, name: string, version: string, key: string, value: string): void {
  validateModelVersion(version);
  validateRegistryTag(key, value);
  ctx.conn.write(() => {
    const v = getVersionRow(ctx, name, version);
    ctx.conn.stmt('INSERT OR REPLACE INTO model_version_tags (version_id, key, value, seq) VALUES (?, ?, ?, ?)').run(v.id, key, value, ctx.conn.nextSeq());
  });
}

/** `deleteModelVersionTag`: an absent tag is not an error. */
export function deleteModelVersionTag(ctx: StoreContext, name: string, version: string, key: string): void {
  ctx.conn.write(() => {
    const v = getVersionRow(ctx, name, version);
    if (ctx.conn.stmt('DELETE FROM model_version_tags WHERE version_id = ? AND key = ?').run(v.id, key).changes > 0) {
      recordTombstone(ctx, 'model_version_tag', `${name}/${version}`, key);
    }
  });
}
