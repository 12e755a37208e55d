import { LifecycleStage } from '../model/enums.js';
import { syncExperiment, syncExperimentDeletion } from './ensure-experiment.js';
import { forgetRuns } from './ensure-run.js';
import { replayDeletions } from './replay-deletions.js';
import { syncRegisteredModel } from './sync-registry.js';
import { RunConflictError, SyncJob } from './sync-job.js';
import { syncRun } from './sync-run.js';
import { syncRunArtifacts, unsentArtifacts } from './sync-artifacts.js';
import type { SyncLease, SyncOptions, SyncReport, SyncRunRef, SyncSource, SyncTarget } from './types.js';

const RUN_PAGE = 100;

/**
 * Runs `fn` over `items` with at most `concurrency` in flight. When one call throws, no new item
 * starts and the calls in flight are waited for before the first error is rethrown: a sync that
 * throws has nothing left running (no write to the target or the source after it returned, after
 * its lease was released or after its source was closed).
 */
async function inPool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: { readonly error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failed === undefined && next < items.length) {
      try {
        await fn(items[next++]!);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (failed !== undefined) throw failed.error;
}

/** True when a run passes the `runIds` / `experimentNames` filters. */
async function selected(job: SyncJob, ref: SyncRunRef, names: Map<string, string | undefined>): Promise<boolean> {
  const { runIds, experimentNames } = job.options;
  if (runIds !== undefined && !runIds.includes(ref.runId)) return false;
  if (experimentNames === undefined) return true;
  const run = await job.source.readRun(ref.runId);
  if (run === undefined) return false;
  if (!names.has(run.experimentId)) names.set(run.experimentId, (await job.source.readExperiment(run.experimentId))?.name);
  return experimentNames.includes(names.get(run.experimentId) ?? '');
}

async function syncRuns(job: SyncJob): Promise<void> {
  const { source, target } = job;
  const names = new Map<string, string | undefined>();
  const status = await source.status(target.id);
  job.progress.entitiesTotal += status.backlog.runs;
  job.progress.pointsTotal = status.backlog.points;
  // A run logged while the sync runs moves ahead of the page cursor: meet each run once (its
  // points written after they were read have a seq above the cursor this sync commits).
  const seen = new Set<string>();
  let after = -1;
  for (;;) {
    job.throwIfAborted();
    const page = await source.changedRuns(target.id, job.acked, after, RUN_PAGE);
    if (page.length === 0) break;
    const fresh = page.filter((ref) => !seen.has(ref.runId));
    for (const ref of fresh) seen.add(ref.runId);
    await inPool(fresh, job.options.concurrency ?? 4, async (ref) => {
      job.throwIfAborted();
      if (!(await selected(job, ref, names))) return;
      try {
        await syncRun(job, ref);
        if (!job.dryRun && ref.sinceSeq < job.acked) await source.clearPending(target.id, ref.runId);
      } catch (error) {
        if (!(error instanceof RunConflictError)) job.fail('run', ref.runId, error);
        if (!job.dryRun) await source.markPending(target.id, ref.runId, ref.sinceSeq);
      }
      job.progress.entitiesDone++;
      job.emit('runs');
    });
    after = Math.max(job.acked, page[page.length - 1]!.seq);
  }
  if (!job.dryRun) await syncLateArtifacts(job, seen, names);
}

/**
 * Artifacts written after a run's last database write (no seq moved): the unfinished runs that
 * did not change are looked at too (every run with `rescanArtifacts`), and only their files not
 * recorded as sent go (a listing of the local folder; the target is asked only when one is new).
 */
async function syncLateArtifacts(job: SyncJob, seen: ReadonlySet<string>, names: Map<string, string | undefined>): Promise<void> {
  for (const run of await job.source.unfinishedRuns(job.options.rescanArtifacts === true)) {
    job.throwIfAborted();
    if (seen.has(run.runId) || !(await selected(job, { runId: run.runId, seq: 0, sinceSeq: job.acked }, names))) continue;
    const remoteId = await job.source.lookupMapping(job.target.id, 'run', run.runId);
    if (remoteId === undefined) continue;
    try {
      if ((await unsentArtifacts(job, run.runId, run.artifactUri)).length === 0) continue;
      const remote = await job.target.tracking.getRun(remoteId);
      await syncRunArtifacts(job, run.runId, run.artifactUri, remote.info.artifactUri);
    } catch (error) {
      job.fail('run', run.runId, error);
      await job.source.markPending(job.target.id, run.runId, job.acked);
    }
  }
}

/** Runs one phase over entities; a failure is reported and keeps the cursor where it was. */
async function eachEntity<T>(
  job: SyncJob,
  phase: string,
  items: readonly T[],
  id: (item: T) => [kind: 'experiment' | 'registered_model', localId: string],
  fn: (item: T) => Promise<void>,
): Promise<void> {
  job.progress.entitiesTotal += items.length;
  job.emit(phase);
  for (const item of items) {
    job.throwIfAborted();
    try {
      await fn(item);
    } catch (error) {
      job.globalFailure = true;
      job.fail(...id(item), error);
    }
    job.progress.entitiesDone++;
    job.emit(phase);
  }
}

function keepLease(lease: SyncLease, ttlMs: number, job: SyncJob): () => void {
  const timer = setInterval(
    () => {
      lease.renew().catch((error: unknown) => job.logger?.error({ err: error }, 'sync: lost the sync lease'));
    },
    Math.max(1000, Math.floor(ttlMs / 3)),
  );
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Moves everything changed since the target's acknowledged cursor; exactly-once effect.
 *
 * Order: deletions (tombstones), experiments, runs (several in flight), registry. The cursor moves
 * to the seq read at the start only after the target acknowledged everything; a run that failed or
 * conflicted under `fail-run` stays pending with its own cursor and is retried next time; a failure
 * elsewhere leaves the cursor where it was (everything is sent again, idempotently). With
 * `runIds` / `experimentNames` the cursor does not move (what was left out is not acknowledged).
 *
 * @example
 * ```ts
 * const source = await openSyncSource('./logbook.db');
 * const report = await syncLogbook(source, { id: uri, tracking, registry, artifacts });
 * if (!report.ok) console.error(report.conflicts, report.failures);
 * ```
 */
export async function syncLogbook(source: SyncSource, target: SyncTarget, options: SyncOptions = {}): Promise<SyncReport> {
  const ttlMs = options.leaseTtlMs ?? 60_000;
  const lease = options.dryRun === true ? undefined : await source.acquireLease(target.id, ttlMs);
  const upTo = await source.currentSeq();
  const job = new SyncJob(source, target, options, await source.ackedSeq(target.id));
  const stopRenewing = lease === undefined ? () => undefined : keepLease(lease, ttlMs, job);
  try {
    job.emit('deletions');
    await replayDeletions(job);
    const filtered = options.experimentNames !== undefined || options.runIds !== undefined;
    const experiments = (await source.changedExperiments(job.acked)).filter((e) => options.experimentNames === undefined || options.experimentNames.includes(e.name));
    if (options.runIds === undefined) {
      await eachEntity(
        job,
        'experiments',
        experiments,
        (e) => ['experiment', e.experimentId],
        (e) => syncExperiment(job, e),
      );
    }
    await syncRuns(job);
    if (options.runIds === undefined) {
      await eachEntity(
        job,
        'deletions',
        experiments.filter((e) => e.lifecycleStage === LifecycleStage.DELETED),
        (e) => ['experiment', e.experimentId],
        (e) => syncExperimentDeletion(job, e),
      );
    }
    if (!filtered) {
      const models = await source.changedRegisteredModels(job.acked);
      await eachEntity(
        job,
        'registry',
        models,
        (m) => ['registered_model', m.name],
        (m) => syncRegisteredModel(job, m),
      );
    }
    if (!job.dryRun) {
      const at = Date.now();
      const error = job.failures.length === 0 ? undefined : `${job.failures.length} failure(s); first: ${job.failures[0]!.error}`;
      await source.commitCursor(target.id, job.globalFailure || filtered ? job.acked : upTo, error === undefined ? { at } : { at, error });
    }
    job.emit('done');
    return job.report();
  } catch (error) {
    if (!job.dryRun) {
      await source.commitCursor(target.id, job.acked, { at: Date.now(), error: error instanceof Error ? error.message : String(error) }).catch(() => undefined);
    }
    throw error;
  } finally {
    stopRenewing();
    forgetRuns(job);
    await lease?.release();
  }
}
