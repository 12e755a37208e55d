import { LifecycleStage, LogbookError, RunStatus } from '@logbook/core';
import { generateRunId, appendToArtifactUri, checkStringValue, validateKey, validateRunId, validateRunName, validateRunTag, validateTimestamp } from '@logbook/core/spi';
import type { CreateRunInput, Run, RunInfo, UpdateRunInput } from '@logbook/core';
import type { StoreContext } from '../context.js';
import { invalidParam, notFound } from '../errors.js';
import { recordTombstone } from '../tombstones.js';
import { getExperimentRow, requireActiveExperiment } from './experiment-rows.js';
import { generateRunName } from './run-names.js';
import { getRunRow, requireActiveRun, toRunInfo, toRuns } from './run-rows.js';
import type { RunRow } from './run-rows.js';

/** The tag that mirrors the run name. */
export const RUN_NAME_TAG = 'mlflow.runName';
const USER_TAG = 'mlflow.user';
const STATUSES = new Set<string>(Object.values(RunStatus));

/**
 * Upserts one run tag; `mlflow.runName` renames the run too. Call inside `write`. Returns false,
 * writing nothing, when the tag already holds `value` (a replayed tag is no change).
 */
export function upsertRunTag(ctx: StoreContext, run: RunRow, key: string, value: string, seq: number, now: number): boolean {
  const old = ctx.conn.stmt('SELECT value FROM tags WHERE run_id = ? AND key = ?').get(run.id, key) as { value: string } | undefined;
  if (old?.value === value) return false;
  ctx.conn.stmt('INSERT OR REPLACE INTO tags (run_id, key, value, updated_at, seq) VALUES (?, ?, ?, ?, ?)').run(run.id, key, value, now, seq);
  if (key === RUN_NAME_TAG) ctx.conn.stmt('UPDATE runs SET name = ?, updated_at = ?, seq = ? WHERE id = ?').run(value, now, seq, run.id);
  return true;
}

/** `createRun`: a RUNNING run with id uuid4 hex and the `mlflow.runName` tag. */
export function createRun(ctx: StoreContext, input: CreateRunInput): Run {
  const tags = Object.entries(input.tags ?? {}).map(([key, value], i): [string, string] => {
    validateKey('tag', key, `tags[${i}].key`);
    validateRunTag(key, value, `tags[${i}].value`);
    return [key, checkStringValue('tag', key, value, ctx.options.longValues, `tags[${i}].value`)];
  });
  if (input.runName !== undefined) validateRunName(input.runName);
  const tagName = input.tags?.[RUN_NAME_TAG];
  if (input.runName && tagName && input.runName !== tagName) {
    invalidParam(`Both 'run_name' argument and '${RUN_NAME_TAG}' tag are specified, but with different values (run_name='${input.runName}', ${RUN_NAME_TAG}='${tagName}').`, 'runName');
  }
  const runName = input.runName || tagName || generateRunName();
  validateRunName(runName);
  if (input.startTime !== undefined) validateTimestamp(input.startTime, 'startTime');
  if (!tagName) tags.push([RUN_NAME_TAG, runName]);
  return ctx.conn.write(() => {
    const experiment = getExperimentRow(ctx, input.experimentId);
    requireActiveExperiment(experiment);
    const now = ctx.options.now();
    const seq = ctx.conn.nextSeq();
    const runUuid = generateRunId(ctx.options.newId);
    if (ctx.conn.stmt('SELECT 1 FROM runs WHERE run_uuid = ?').get(runUuid) !== undefined) {
      throw new LogbookError('RESOURCE_ALREADY_EXISTS', `[sqlite] The id generator returned ${runUuid}, the id of an existing run.`, { field: 'ID_GENERATOR' });
    }
    const userId = input.userId ?? input.tags?.[USER_TAG] ?? 'unknown';
    const row = ctx.conn
      .stmt(`INSERT INTO runs (run_uuid, experiment_id, name, user_id, status, start_time, end_time, artifact_uri,
               lifecycle_stage, deleted_time, created_at, updated_at, seq)
             VALUES (?, ?, ?, ?, 'RUNNING', ?, NULL, ?, 'active', NULL, ?, ?, ?) RETURNING *`)
      .get(
        runUuid,
        experiment.experiment_id,
        runName,
        userId,
        input.startTime ?? now,
        appendToArtifactUri(experiment.artifact_location, [runUuid, 'artifacts'], 'artifactLocation'),
        now,
        now,
        seq,
      ) as RunRow;
    for (const [key, value] of tags) upsertRunTag(ctx, row, key, value, seq, now);
    return toRuns(ctx, [row])[0]!;
  });
}

/** `getRun`: info, latest metrics, params, tags. */
export function getRun(ctx: StoreContext, runId: string): Run {
  validateRunId(runId);
  return ctx.conn.read(() => toRuns(ctx, [getRunRow(ctx, runId)])[0]!);
}

/** `updateRun`: status, end time and name; the run must be active. */
export function updateRun(ctx: StoreContext, runId: string, update: UpdateRunInput): RunInfo {
  validateRunId(runId);
  if (update.status !== undefined && !STATUSES.has(update.status)) invalidParam(`Invalid run status '${String(update.status)}'.`, 'status');
  if (update.endTime !== undefined) validateTimestamp(update.endTime, 'endTime');
  if (update.runName !== undefined) validateRunName(update.runName);
  return ctx.conn.write(() => {
    const row = getRunRow(ctx, runId);
    requireActiveRun(row);
    const now = ctx.options.now();
    const seq = ctx.conn.nextSeq();
    ctx.conn
      .stmt('UPDATE runs SET status = COALESCE(?, status), end_time = COALESCE(?, end_time), updated_at = ?, seq = ? WHERE id = ?')
      .run(update.status ?? null, update.endTime ?? null, now, seq, row.id);
    if (update.runName) upsertRunTag(ctx, row, RUN_NAME_TAG, update.runName, seq, now);
    return toRunInfo(ctx.conn.stmt('SELECT * FROM runs WHERE id = ?').get(row.id) as RunRow);
  });
}

/** Soft-deletes (with `deleted_time`) or restores a run. */
export function setRunStage(ctx: StoreContext, runId: string, stage: LifecycleStage): void {
  validateRunId(runId);
  ctx.conn.write(() => {
    const row = getRunRow(ctx, runId);
    const now = ctx.options.now();
    ctx.conn
      .stmt('UPDATE runs SET lifecycle_stage = ?, deleted_time = ?, updated_at = ?, seq = ? WHERE id = ?')
      .run(stage, stage === LifecycleStage.DELETED ? now : null, now, ctx.conn.nextSeq(), row.id);
  });
}

/** `setTag`: upsert; `mlflow.runName` renames the run. */
export function setTag(ctx: StoreContext, runId: string, key: string, value: string): void {
  validateRunId(runId);
  validateKey('tag', key, 'key');
  validateRunTag(key, value, 'value');
  const stored = checkStringValue('tag', key, value, ctx.options.longValues, 'value');
  ctx.conn.write(() => {
    const row = getRunRow(ctx, runId);
    requireActiveRun(row);
    const now = ctx.options.now();
    // Same value: no change, no seq (a hub's own downstream sync stays idle).
    if (!upsertRunTag(ctx, row, key, stored, ctx.conn.peekSeq(), now)) return;
    ctx.conn.stmt('UPDATE runs SET updated_at = ?, seq = ? WHERE id = ?').run(now, ctx.conn.nextSeq(), row.id);
  });
}

/** `deleteTag`: RESOURCE_DOES_NOT_EXIST when absent. */
export function deleteTag(ctx: StoreContext, runId: string, key: string): void {
  validateRunId(runId);
  ctx.conn.write(() => {
    const row = getRunRow(ctx, runId);
    requireActiveRun(row);
    const result = ctx.conn.stmt('DELETE FROM tags WHERE run_id = ? AND key = ?').run(row.id, key);
    if (result.changes === 0) notFound(`No tag with name: ${key} in run with id ${runId}`, 'key');
    recordTombstone(ctx, 'run_tag', runId, key);
  });
}
