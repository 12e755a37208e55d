import { isLogbookError, LogbookError } from '../errors.js';
import { LifecycleStage } from '../model/enums.js';
import type { SyncJob } from './sync-job.js';
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

/** Brings a changed experiment's tags and lifecycle to the target. */
export async function syncExperiment(job: SyncJob, experiment: SyncExperiment): Promise<void> {
  const { target } = job;
  const wasMapped = (await job.source.lookupMapping(target.id, 'experiment', experiment.experimentId)) !== undefined;
  const remoteId = await ensureExperiment(job, experiment.experimentId, experiment);
  if (remoteId === undefined) return;
  const remote = await target.tracking.getExperiment(remoteId);
  const tags = Object.entries(experiment.tags).filter(([k, v]) => remote.tags[k] !== v);
  const deleting = experiment.lifecycleStage === LifecycleStage.DELETED && remote.lifecycleStage === LifecycleStage.ACTIVE;
  if (remote.lifecycleStage === LifecycleStage.DELETED && experiment.lifecycleStage === LifecycleStage.ACTIVE) {
    job.conflict('experiment', experiment.experimentId, remoteId, `Experiment '${experiment.name}' is deleted on the target; its runs are not restored.`);
    return;
  }
  if (tags.length === 0 && !deleting) {
    if (wasMapped) job.skipped.experiment++;
    return;
  }
  if (job.dryRun) {
    job.updated.experiment++;
    return;
  }
  for (const [key, value] of tags) await target.tracking.setExperimentTag(remoteId, key, value);
  if (deleting) {
    await target.tracking.deleteExperiment(remoteId);
    job.deleted.experiment++;
  } else if (wasMapped) job.updated.experiment++;
}
