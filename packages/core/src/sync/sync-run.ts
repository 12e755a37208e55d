import { chunkEntries } from '../logging/chunk-entries.js';
import { toBatch } from '../logging/entries.js';
import type { Entry } from '../logging/entries.js';
import { LIMITS } from '../validation/limits.js';
import { LifecycleStage, RunStatus } from '../model/enums.js';
import type { Run } from '../model/run.js';
import type { DatasetInput } from '../model/dataset-input.js';
import { INPUTS_TAG, parseInputsTag } from '../services/run-inputs.js';
import { ensureRun } from './ensure-run.js';
import { MetricSender } from './metric-sender.js';
import { syncRunArtifacts } from './sync-artifacts.js';
import type { SyncJob } from './sync-job.js';
import { orMissing } from './sync-job.js';
import { STAND_IN_RUN_NAME, SYNC_LOCAL_ID_TAG, SYNC_STANDS_FOR_TAG, SYNC_STATION_TAG } from './types.js';
import type { SyncRun, SyncRunRef } from './types.js';

const PARENT_TAG = 'mlflow.parentRunId';
const RUN_NAME_TAG = 'mlflow.runName';
/** Points read from the source per page: bounded memory per run in flight. */
const METRIC_PAGE = 5 * LIMITS.maxBatchMetrics;

/** Sends entries in MLflow's log-batch limits (the logger's chunker). */
async function sendEntries(job: SyncJob, runId: string, entries: readonly Entry[]): Promise<void> {
  for (const chunk of chunkEntries(entries, LIMITS.maxBatchTotal)) await job.target.tracking.logBatch(runId, toBatch(chunk));
}

/** The run's tags as the target must hold them: the parent id rewritten to the target's. */
async function remoteTags(job: SyncJob, run: SyncRun): Promise<Record<string, string>> {
  const tags: Record<string, string> = { ...run.tags };
  delete tags[SYNC_STATION_TAG];
  delete tags[SYNC_LOCAL_ID_TAG];
  // A stand-in adds to the target run: its made-up name is not sent, a name it was given is.
  if (tags[SYNC_STANDS_FOR_TAG] !== undefined && tags[RUN_NAME_TAG] === STAND_IN_RUN_NAME) delete tags[RUN_NAME_TAG];
  delete tags[SYNC_STANDS_FOR_TAG];
  const parent = tags[PARENT_TAG];
  if (parent !== undefined) {
    const parentRun = await job.source.readRun(parent);
    const remoteParent = parentRun === undefined ? undefined : (await ensureRun(job, parentRun)).runId;
    if (remoteParent === undefined) delete tags[PARENT_TAG];
    else tags[PARENT_TAG] = remoteParent;
  }
  return tags;
}

/** Params and tags to send; params whose remote value differs are conflicts. */
async function paramsAndTags(job: SyncJob, run: SyncRun, remote: Run | undefined, remoteId: string | undefined): Promise<Entry[]> {
  const entries: Entry[] = [];
  for (const [key, value] of Object.entries(run.params)) {
    const there = remote?.data.params[key];
    if (there === value) continue;
    if (there !== undefined) {
      job.conflict('run', run.runId, remoteId, `Param '${key}' of run ${run.runId} is '${there}' on the target, '${value}' here; kept the target's.`);
      continue;
    }
    entries.push({ kind: 'param', key, value });
  }
  for (const [key, value] of Object.entries(await remoteTags(job, run))) {
    if (remote?.data.tags[key] !== value) entries.push({ kind: 'tag', key, value });
  }
  return entries;
}

/**
 * Dataset inputs kept in the source's `logbook.inputs` tag (SQLite has no native inputs) become
 * MLflow run inputs on a target that has them; those the remote run already has are not resent.
 */
async function sendInputs(job: SyncJob, run: SyncRun, remote: Run | undefined, remoteId: string): Promise<void> {
  const logInputs = job.target.tracking.logInputs;
  if (logInputs === undefined) return;
  // Only native inputs count: the tag itself may already be on the remote from an earlier sync.
  const have = new Set((remote?.inputs ?? []).map(inputKey));
  const missing = parseInputsTag(run.tags[INPUTS_TAG]).filter((d) => !have.has(inputKey(d)));
  if (missing.length > 0) await logInputs.call(job.target.tracking, remoteId, missing);
}

const inputKey = (d: DatasetInput): string => JSON.stringify([d.name, d.digest, d.context ?? '']);

/**
 * Streams the run's points written after `since`, page by page, in full log-batches with several
 * in flight ({@link MetricSender}); returns once the target acknowledged them all.
 */
async function sendMetrics(job: SyncJob, run: SyncRun, remoteId: string | undefined, since: number): Promise<void> {
  const sender = remoteId !== undefined && !job.dryRun ? new MetricSender(job, remoteId) : undefined;
  let read = false;
  try {
    let after;
    do {
      job.throwIfAborted();
      const page = await job.source.readMetrics(run.runId, since, after, METRIC_PAGE);
      await sender?.send(page.metrics);
      job.points += page.metrics.length;
      job.progress.pointsDone += page.metrics.length;
      job.emit('metrics');
      after = page.next;
    } while (after !== undefined);
    read = true;
  } finally {
    // Every request settles before the run goes on (status, cursor); an error of the loop wins.
    if (read) await sender?.drain();
    else await sender?.drain().catch(() => undefined);
  }
}

/**
 * Brings one changed run to the target: created (exactly once) if needed, then params, tags,
 * points after the cursor, status and end time, artifacts and lifecycle. Conflicts are reported;
 * with policy `fail-run` they throw and the caller keeps the run pending.
 */
export async function syncRun(job: SyncJob, ref: SyncRunRef): Promise<void> {
  const run = await job.source.readRun(ref.runId);
  if (run === undefined) return;
  const ensured = await ensureRun(job, run);
  const remoteId = ensured.runId;
  const since = ensured.known ? ref.sinceSeq : 0;
  let remote: Run | undefined;
  if (!ensured.created && remoteId !== undefined) {
    remote = await orMissing(() => job.target.tracking.getRun(remoteId));
    if (remote === undefined || (remote.info.lifecycleStage === LifecycleStage.DELETED && run.lifecycleStage === LifecycleStage.ACTIVE)) {
      job.conflict('run', run.runId, remoteId, `Run ${run.runId} was deleted on the target (${remoteId}); not synced.`);
      job.skipped.run++;
      return;
    }
    if (remote.info.lifecycleStage === LifecycleStage.DELETED) {
      job.skipped.run++;
      return;
    }
  }
  if (!job.dryRun && remoteId !== undefined) {
    await sendEntries(job, remoteId, await paramsAndTags(job, run, remote, remoteId));
    await sendInputs(job, run, remote, remoteId);
  }
  await sendMetrics(job, run, remoteId, since);
  if (job.dryRun || remoteId === undefined) {
    if (!ensured.created) job.updated.run++;
    return;
  }
  const ended = run.status !== RunStatus.RUNNING || run.endTime !== undefined;
  // A stand-in that was not ended leaves the target run's status alone (it may have finished).
  const standIn = run.tags[SYNC_STANDS_FOR_TAG] !== undefined;
  const infoDiffers = remote === undefined || (standIn && !ended) ? ended : remote.info.status !== run.status || remote.info.endTime !== run.endTime;
  if (infoDiffers && (remote?.info.lifecycleStage ?? LifecycleStage.ACTIVE) === LifecycleStage.ACTIVE) {
    await job.target.tracking.updateRun(remoteId, { status: run.status, ...(run.endTime === undefined ? {} : { endTime: run.endTime }) });
  }
  const artifactUri = remote?.info.artifactUri ?? ensured.artifactUri ?? (await job.target.tracking.getRun(remoteId)).info.artifactUri;
  await syncRunArtifacts(job, run.runId, run.artifactUri, artifactUri);
  if (run.lifecycleStage === LifecycleStage.DELETED && remote?.info.lifecycleStage !== LifecycleStage.DELETED) {
    await job.target.tracking.deleteRun(remoteId);
    job.deleted.run++;
  } else if (!ensured.created) job.updated.run++;
}
