import { LifecycleStage } from '@logbook/core';
import { appendToArtifactUri, validateArtifactLocation, validateExperimentName, validateExperimentTagValue, validateKey } from '@logbook/core/spi';
import type { CreateExperimentInput, Experiment, Tags } from '@logbook/core';
import type { StoreContext } from '../context.js';
import { fail, isUniqueViolation, notFound } from '../errors.js';
import { recordTombstone } from '../tombstones.js';
import { getExperimentRow, requireActiveExperiment, toExperiments } from './experiment-rows.js';
import type { ExperimentRow } from './experiment-rows.js';

/** MLflow's "Default" experiment, id 0, created when the store opens. */
export const DEFAULT_EXPERIMENT_NAME = 'Default';

/** Creates experiment 0 when missing (MLflow's `_create_default_experiment`). */
export function ensureDefaultExperiment(ctx: StoreContext): void {
  ctx.conn.write(() => {
    if (ctx.conn.stmt('SELECT 1 FROM experiments WHERE experiment_id = 0').get() !== undefined) return;
    const now = ctx.options.now();
    ctx.conn
      .stmt(`INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time, seq)
             VALUES (0, ?, ?, 'active', ?, ?, ?)`)
      .run(DEFAULT_EXPERIMENT_NAME, appendToArtifactUri(ctx.options.artifactRootUri, ['0'], 'artifactRoot'), now, now, ctx.conn.nextSeq());
  });
}

function validateTags(tags: Tags | undefined): [string, string][] {
  return Object.entries(tags ?? {}).map(([key, value], i) => {
    validateKey('tag', key, `tags[${i}].key`);
    validateExperimentTagValue(key, value, `tags[${i}].value`);
    return [key, value];
  });
}

/** `createExperiment` of the TrackingStore contract. */
export function createExperiment(ctx: StoreContext, input: CreateExperimentInput): string {
  validateExperimentName(input.name);
  // An empty location means "the default", as in MLflow.
  if (input.artifactLocation !== undefined && input.artifactLocation !== '') {
    validateArtifactLocation(input.artifactLocation, ctx.options.artifactLocations, 'artifactLocation');
  }
  const tags = validateTags(input.tags);
  return ctx.conn.write(() => {
    const now = ctx.options.now();
    const seq = ctx.conn.nextSeq();
    let id: number;
    try {
      id = Number(
        ctx.conn
          .stmt(`INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time, seq)
               VALUES (?, '', 'active', ?, ?, ?)`)
          .run(input.name, now, now, seq).lastInsertRowid,
      );
    } catch (error) {
      if (isUniqueViolation(error)) fail('RESOURCE_ALREADY_EXISTS', `Experiment(name=${input.name}) already exists.`, 'name');
      throw error;
    }
    const location = input.artifactLocation || appendToArtifactUri(ctx.options.artifactRootUri, [String(id)], 'artifactRoot');
    ctx.conn.stmt('UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?').run(location, id);
    const insertTag = ctx.conn.stmt('INSERT OR REPLACE INTO experiment_tags (experiment_id, key, value, seq) VALUES (?, ?, ?, ?)');
    for (const [key, value] of tags) insertTag.run(id, key, value, seq);
    return String(id);
  });
}

/** `getExperiment`: deleted experiments too. */
export function getExperiment(ctx: StoreContext, experimentId: string): Experiment {
  return ctx.conn.read(() => toExperiments(ctx, [getExperimentRow(ctx, experimentId)])[0]!);
}

/** `getExperimentByName`: undefined when no experiment has that name. */
export function getExperimentByName(ctx: StoreContext, name: string): Experiment | undefined {
  return ctx.conn.read(() => {
    const row = ctx.conn.stmt('SELECT * FROM experiments WHERE name = ?').get(name) as ExperimentRow | undefined;
    return row === undefined ? undefined : toExperiments(ctx, [row])[0];
  });
}

/** `renameExperiment`: INVALID_STATE for a deleted experiment, as MLflow. */
export function renameExperiment(ctx: StoreContext, experimentId: string, newName: string): void {
  validateExperimentName(newName, 'newName');
  ctx.conn.write(() => {
    const row = getExperimentRow(ctx, experimentId);
    if (row.lifecycle_stage !== LifecycleStage.ACTIVE) fail('INVALID_STATE', 'Cannot rename a non-active experiment.', 'experimentId');
    try {
      ctx.conn.stmt('UPDATE experiments SET name = ?, last_update_time = ?, seq = ? WHERE experiment_id = ?').run(newName, ctx.options.now(), ctx.conn.nextSeq(), row.experiment_id);
    } catch (error) {
      if (isUniqueViolation(error)) fail('RESOURCE_ALREADY_EXISTS', `Experiment(name=${newName}) already exists.`, 'newName');
      throw error;
    }
  });
}

/**
 * Soft-deletes (`deleted`) or restores (`active`) an experiment and all its runs. The experiment
 * must be in the other stage, else RESOURCE_DOES_NOT_EXIST as MLflow's view-type lookup answers.
 */
export function setExperimentStage(ctx: StoreContext, experimentId: string, stage: LifecycleStage): void {
  ctx.conn.write(() => {
    const row = getExperimentRow(ctx, experimentId);
    if (row.lifecycle_stage === stage) notFound(`No Experiment with id=${row.experiment_id} exists`, 'experimentId');
    const now = ctx.options.now();
    const seq = ctx.conn.nextSeq();
    ctx.conn.stmt('UPDATE experiments SET lifecycle_stage = ?, last_update_time = ?, seq = ? WHERE experiment_id = ?').run(stage, now, seq, row.experiment_id);
    ctx.conn
      .stmt('UPDATE runs SET lifecycle_stage = ?, deleted_time = ?, updated_at = ?, seq = ? WHERE experiment_id = ?')
      .run(stage, stage === LifecycleStage.DELETED ? now : null, now, seq, row.experiment_id);
  });
}

/** Upserts an experiment tag; the experiment must be active. */
export function setExperimentTag(ctx: StoreContext, experimentId: string, key: string, value: string): void {
  validateKey('tag', key, 'key');
  validateExperimentTagValue(key, value);
  ctx.conn.write(() => {
    const row = getExperimentRow(ctx, experimentId);
    requireActiveExperiment(row);
    ctx.conn.stmt('INSERT OR REPLACE INTO experiment_tags (experiment_id, key, value, seq) VALUES (?, ?, ?, ?)').run(row.experiment_id, key, value, ctx.conn.nextSeq());
  });
}

/** Deletes an experiment tag; RESOURCE_DOES_NOT_EXIST when absent. */
export function deleteExperimentTag(ctx: StoreContext, experimentId: string, key: string): void {
  ctx.conn.write(() => {
    const row = getExperimentRow(ctx, experimentId);
    requireActiveExperiment(row);
    const result = ctx.conn.stmt('DELETE FROM experiment_tags WHERE experiment_id = ? AND key = ?').run(row.experiment_id, key);
    if (result.changes === 0) notFound(`No tag with name: ${key} in experiment with id ${row.experiment_id}`, 'key');
    recordTombstone(ctx, 'experiment_tag', String(row.experiment_id), key);
  });
}
