import { isLogbookError, LogbookError } from '../errors.js';
import { LifecycleStage } from '../model/enums.js';
import { orMissing } from './sync-job.js';
import type { SyncJob } from './sync-job.js';
import { SYNC_STANDS_FOR_TAG } from './types.js';
import type { SyncExperiment } from './types.js';

/**
 * The target id of a local experiment: from the id map, else the target's experiment of the same
 * name (shared experiments are reused, whoever created them), else created with its tags. When two
 * stations create one name at once, the loser's RESOURCE_ALREADY_EXISTS is answered by a lookup.
 * Undefined in a dry run when it would be created.
 */
export function ensureExperiment(job: SyncJob, localId: string, known?: SyncExperiment): Promise<string | undefined> {
  return job.once(`experiment:${localId}`, async () => {
    const { source, target } = job;
    const mapped = await source.lookupMapping(target.id, 'experiment', localId);
    if (mapped !== undefined) return mapped;
    const experiment = known ?? (await source.readExperiment(localId));
    if (experiment === undefined) throw new LogbookError('RESOURCE_DOES_NOT_EXIST', `[core] Local experiment ${localId} does not exist in the sync source.`);
    const standsFor = experiment.tags[SYNC_STANDS_FOR_TAG];
    if (standsFor !== undefined) {
      // A stand-in's experiment is the target run's own: never created, never looked up by name.
      const run = await orMissing(() => target.tracking.getRun(standsFor));
      if (run === undefined) {
        job.conflict('experiment', localId, undefined, `Local experiment ${localId} stands for target run ${standsFor}, which the target does not have; not synced.`);
        return undefined;
      }
      if (!job.dryRun) await source.recordMapping(target.id, 'experiment', localId, run.info.experimentId);
      return run.info.experimentId;
    }
    let remote = await target.tracking.getExperimentByName(experiment.name);
    if (remote === undefined) {
      if (job.dryRun) {
        job.created.experiment++;
        return undefined;
      }
      await source.recordIntent(target.id, 'experiment', localId);
      try {
        const id = await target.tracking.createExperiment({ name: experiment.name, tags: experiment.tags });
        job.created.experiment++;
        await source.recordMapping(target.id, 'experiment', localId, id);
        return id;
      } catch (error) {
        if (!isLogbookError(error, 'RESOURCE_ALREADY_EXISTS')) throw error;
        remote = await target.tracking.getExperimentByName(experiment.name);
        if (remote === undefined) throw error;
      }
    }
    if (!job.dryRun) await source.recordMapping(target.id, 'experiment', localId, remote.experimentId);
    return remote.experimentId;
  });
}

/** Brings a changed experiment's tags to the target (its deletion waits for its runs: {@link syncExperimentDeletion}). */
export async function syncExperiment(job: SyncJob, experiment: SyncExperiment): Promise<void> {
  const { target } = job;
  const wasMapped = (await job.source.lookupMapping(target.id, 'experiment', experiment.experimentId)) !== undefined;
  const remoteId = await ensureExperiment(job, experiment.experimentId, experiment);
  if (remoteId === undefined) return;
  const remote = await target.tracking.getExperiment(remoteId);
  if (remote.lifecycleStage === LifecycleStage.DELETED && experiment.lifecycleStage === LifecycleStage.ACTIVE) {
    job.conflict('experiment', experiment.experimentId, remoteId, `Experiment '${experiment.name}' is deleted on the target; its runs are not restored.`);
    return;
  }
  const tags = Object.entries(experiment.tags).filter(([k, v]) => k !== SYNC_STANDS_FOR_TAG && remote.tags[k] !== v);
  // A mapped experiment whose name differs was renamed at the source (a rename bumps its seq).
  const renamed = wasMapped && remote.name !== experiment.name && remote.lifecycleStage === LifecycleStage.ACTIVE;
  if (tags.length === 0 && !renamed) {
    if (wasMapped) job.skipped.experiment++;
    return;
  }
  if (wasMapped) job.updated.experiment++;
  if (job.dryRun || remote.lifecycleStage === LifecycleStage.DELETED) return;
  if (renamed) await renameExperiment(job, experiment, remoteId, remote.name);
  for (const [key, value] of tags) await target.tracking.setExperimentTag(remoteId, key, value);
}

/** Replays a rename; a name taken on the target is a conflict (the target keeps its name). */
async function renameExperiment(job: SyncJob, experiment: SyncExperiment, remoteId: string, remoteName: string): Promise<void> {
  const taken = () =>
    job.conflict(
      'experiment',
      experiment.experimentId,
      remoteId,
      `Experiment '${remoteName}' was renamed '${experiment.name}' here, a name another experiment holds on the target; kept '${remoteName}'.`,
    );
  // Looked up first: MLflow answers a taken name with its database's raw error, not a code.
  const holder = await job.target.tracking.getExperimentByName(experiment.name);
  if (holder !== undefined && holder.experimentId !== remoteId) return taken();
  try {
    await job.target.tracking.renameExperiment(remoteId, experiment.name);
  } catch (error) {
    if (!isLogbookError(error, 'RESOURCE_ALREADY_EXISTS')) throw error;
    taken();
  }
}

/**
 * Deletes on the target an experiment deleted at the source, after its runs synced (a run cannot
 * be created in a deleted experiment).
 */
export async function syncExperimentDeletion(job: SyncJob, experiment: SyncExperiment): Promise<void> {
  if (experiment.lifecycleStage !== LifecycleStage.DELETED) return;
  const remoteId = await job.source.lookupMapping(job.target.id, 'experiment', experiment.experimentId);
  if (remoteId === undefined) return;
  const remote = await job.target.tracking.getExperiment(remoteId);
  if (remote.lifecycleStage !== LifecycleStage.ACTIVE) return;
  if (!job.dryRun) await job.target.tracking.deleteExperiment(remoteId);
  job.deleted.experiment++;
}
