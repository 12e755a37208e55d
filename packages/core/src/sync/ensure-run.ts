import { ViewType } from '../model/enums.js';
import { ensureExperiment } from './ensure-experiment.js';
import type { SyncJob } from './sync-job.js';
import { SYNC_LOCAL_ID_TAG, SYNC_STATION_TAG } from './types.js';
import type { SyncRun } from './types.js';

/** A local run's counterpart on the target. */
export interface RemoteRun {
  /** Undefined in a dry run when the run would be created. */
  readonly runId: string | undefined;
  /** Created by this call: nothing of it is on the target yet. */
  readonly created: boolean;
  /** Mapped before this sync: only changes after the cursor need sending. */
  readonly known: boolean;
  /** The target run's artifact root, when this call created it. */
  readonly artifactUri?: string;
}

/** The target's run carrying this station's provenance tags for `localId`, if any. */
export async function findRunByProvenance(job: SyncJob, remoteExperimentId: string, localId: string): Promise<string | undefined> {
  const filter = `tags.\`${SYNC_LOCAL_ID_TAG}\` = '${localId}' and tags.\`${SYNC_STATION_TAG}\` = '${job.source.stationId}'`;
  const page = await job.target.tracking.searchRuns({ experimentIds: [remoteExperimentId], filter, viewType: ViewType.ALL, maxResults: 10 });
  return page.items[0]?.info.runId;
}

/** Runs of this station per target experiment, listed once per job (first syncs). */
const listed = new WeakMap<SyncJob, Map<string, Promise<ReadonlyMap<string, string>>>>();

/**
 * This station's runs on the target in one experiment, local id -> target id, from one paged
 * search (in the order a per-run search returns them; the first one of a local id wins). Listed
 * once per job, after its lease was taken: every run an earlier sync created is in it, and the
 * runs this job creates go into the id map as they are created.
 */
function stationRuns(job: SyncJob, remoteExperimentId: string): Promise<ReadonlyMap<string, string>> {
  let perJob = listed.get(job);
  if (perJob === undefined) listed.set(job, (perJob = new Map()));
  let runs = perJob.get(remoteExperimentId);
  if (runs === undefined) {
    const forJob = perJob;
    runs = listStationRuns(job, remoteExperimentId);
    // A failed listing is not kept: the next run of the experiment lists again.
    runs.catch(() => forJob.delete(remoteExperimentId));
    perJob.set(remoteExperimentId, runs);
  }
  return runs;
}

async function listStationRuns(job: SyncJob, remoteExperimentId: string): Promise<ReadonlyMap<string, string>> {
  const filter = `tags.\`${SYNC_STATION_TAG}\` = '${job.source.stationId}'`;
  const out = new Map<string, string>();
  let pageToken: string | undefined;
  do {
    const page = await job.target.tracking.searchRuns({
      experimentIds: [remoteExperimentId],
      filter,
      viewType: ViewType.ALL,
      maxResults: 1000,
      ...(pageToken === undefined ? {} : { pageToken }),
    });
    for (const r of page.items) {
      const localId = r.data.tags[SYNC_LOCAL_ID_TAG];
      if (localId !== undefined && !out.has(localId)) out.set(localId, r.info.runId);
    }
    pageToken = page.nextPageToken === '' ? undefined : page.nextPageToken;
  } while (pageToken !== undefined);
  return out;
}

const resolved = new Map<SyncJob, Map<string, RemoteRun>>();

/**
 * Finds or creates the target run of a local run, exactly once: the id map first; then, when an
 * intent says a create may have happened (or on a first sync, when the map may have been lost), a
 * search by provenance tags; else intent, create, map.
 */
export async function ensureRun(job: SyncJob, run: SyncRun): Promise<RemoteRun> {
  let results = resolved.get(job);
  if (results === undefined) resolved.set(job, (results = new Map()));
  await job.once(`run:${run.runId}`, async () => {
    const result = await resolveRun(job, run);
    results.set(run.runId, result);
    return result.runId;
  });
  return results.get(run.runId)!;
}

/** Forgets a job's memo of resolved runs (at the end of the job). */
export function forgetRuns(job: SyncJob): void {
  resolved.delete(job);
}

/** A dry run's answer for a run it would create. */
function planned(job: SyncJob): RemoteRun {
  job.created.run++;
  return { runId: undefined, created: true, known: false };
}

async function resolveRun(job: SyncJob, run: SyncRun): Promise<RemoteRun> {
  const { source, target } = job;
  const mapped = await source.lookupMapping(target.id, 'run', run.runId);
  if (mapped !== undefined) return { runId: mapped, created: false, known: true };
  const experimentId = await ensureExperiment(job, run.experimentId);
  if (experimentId === undefined) return planned(job);
  // A first sync (the map may have been lost) lists the station's runs once per experiment; an
  // intent left by a killed sync looks for its one run.
  const found = job.firstSync
    ? (await stationRuns(job, experimentId)).get(run.runId)
    : (await source.hasIntent(target.id, 'run', run.runId))
      ? await findRunByProvenance(job, experimentId, run.runId)
      : undefined;
  if (found !== undefined) {
    if (!job.dryRun) await source.recordMapping(target.id, 'run', run.runId, found);
    return { runId: found, created: false, known: false };
  }
  if (job.dryRun) return planned(job);
  await source.recordIntent(target.id, 'run', run.runId);
  const created = await target.tracking.createRun({
    experimentId,
    runName: run.runName,
    startTime: run.startTime,
    userId: run.userId,
    tags: job.provenance(run.runId),
  });
  await source.recordMapping(target.id, 'run', run.runId, created.info.runId);
  job.created.run++;
  return { runId: created.info.runId, created: true, known: false, artifactUri: created.info.artifactUri };
}
