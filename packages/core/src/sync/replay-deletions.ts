import type { SyncJob } from './sync-job.js';
import { ignoreMissing } from './sync-job.js';
import type { SyncTombstone } from './types.js';

const PAGE = 500;

/** The target's `name/version` parts of a local model version, if mapped. */
async function remoteVersion(job: SyncJob, localId: string): Promise<[string, string] | undefined> {
  const slash = localId.lastIndexOf('/');
  const name = localId.slice(0, slash);
  const remoteName = await job.source.lookupMapping(job.target.id, 'registered_model', name);
  const version = await job.source.lookupMapping(job.target.id, 'model_version', localId);
  return remoteName === undefined || version === undefined ? undefined : [remoteName, version];
}

/** Replays one hard deletion on the target; entities never synced have nothing to delete. */
async function replay(job: SyncJob, t: SyncTombstone): Promise<void> {
  const { source, target } = job;
  const key = t.key ?? '';
  const map = (kind: 'run' | 'experiment' | 'registered_model') => source.lookupMapping(target.id, kind, t.entityId);
  switch (t.entity) {
    case 'run_tag': {
      const run = await map('run');
      if (run !== undefined) await ignoreMissing(() => target.tracking.deleteTag(run, key));
      return;
    }
    case 'experiment_tag': {
      const experiment = await map('experiment');
      if (experiment !== undefined) await ignoreMissing(() => target.tracking.deleteExperimentTag(experiment, key));
      return;
    }
    case 'registered_model': {
      const model = await map('registered_model');
      if (model === undefined) return;
      await ignoreMissing(() => target.registry.deleteRegisteredModel(model));
      job.deleted.registered_model++;
      return;
    }
    case 'registered_model_tag': {
      const model = await map('registered_model');
      if (model !== undefined) await ignoreMissing(() => target.registry.deleteRegisteredModelTag(model, key));
      return;
    }
    case 'registered_model_alias': {
      const model = await map('registered_model');
      if (model !== undefined) await ignoreMissing(() => target.registry.deleteRegisteredModelAlias(model, key));
      return;
    }
    case 'model_version_tag': {
      const remote = await remoteVersion(job, t.entityId);
      if (remote !== undefined) await ignoreMissing(() => target.registry.deleteModelVersionTag(remote[0], remote[1], key));
      return;
    }
    case 'registered_model_name': {
      const model = await map('registered_model');
      if (model === undefined) return;
      await ignoreMissing(() => target.registry.renameRegisteredModel(model, key));
      await source.recordMapping(target.id, 'registered_model', key, key);
      const prefix = `${t.entityId}/`;
      for (const m of (await source.status(target.id)).mappings) {
        if (m.kind === 'model_version' && m.localId.startsWith(prefix)) {
          await source.recordMapping(target.id, 'model_version', `${key}/${m.localId.slice(prefix.length)}`, m.remoteId);
        }
      }
      return;
    }
    default:
      job.logger?.warn({ entity: t.entity }, `sync: unknown tombstone '${t.entity}' skipped`);
  }
}

/**
 * Replays the source's hard deletions after the cursor, in seq order, before anything is set:
 * what was deleted and set again is then deleted and set, never the reverse.
 */
export async function replayDeletions(job: SyncJob): Promise<void> {
  let after = job.acked;
  for (;;) {
    job.throwIfAborted();
    const page = await job.source.tombstones(job.acked, after, PAGE);
    if (page.length === 0) return;
    for (const t of page) {
      if (job.dryRun) continue;
      try {
        await replay(job, t);
      } catch (error) {
        job.globalFailure = true;
        job.fail(
          t.entity.startsWith('run') ? 'run' : t.entity.startsWith('experiment') ? 'experiment' : t.entity.startsWith('model_version') ? 'model_version' : 'registered_model',
          t.entityId,
          error,
        );
      }
    }
    after = page[page.length - 1]!.seq;
  }
}
