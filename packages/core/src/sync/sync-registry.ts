import { createHash } from 'node:crypto';
import { isLogbookError, LogbookError } from '../errors.js';
import type { Tags } from '../model/common.js';
import { modelNameFilter } from '../search/name-filter.js';
import type { ModelVersion } from '../model/registry.js';
import type { SyncJob } from './sync-job.js';
import { orMissing } from './sync-job.js';
import { SYNC_FINGERPRINT_TAG, SYNC_LOCAL_ID_TAG, SYNC_STATION_TAG } from './types.js';
import type { SyncModelVersion, SyncRegisteredModel } from './types.js';

/** The target's name of a local registered model: mapped, else the same name (created when missing). */
function ensureModel(job: SyncJob, model: SyncRegisteredModel): Promise<string | undefined> {
  return job.once(`registered_model:${model.name}`, async () => {
    const { source, target } = job;
    const mapped = await source.lookupMapping(target.id, 'registered_model', model.name);
    if (mapped !== undefined) return mapped;
    const existing = await orMissing(() => target.registry.getRegisteredModel(model.name));
    if (existing === undefined) {
      job.created.registered_model++;
      if (job.dryRun) return undefined;
      await source.recordIntent(target.id, 'registered_model', model.name);
      try {
        await target.registry.createRegisteredModel({ name: model.name, ...(model.description === undefined ? {} : { description: model.description }), tags: model.tags });
      } catch (error) {
        if (!isLogbookError(error, 'RESOURCE_ALREADY_EXISTS')) throw error;
        job.created.registered_model--;
      }
    }
    if (!job.dryRun) await source.recordMapping(target.id, 'registered_model', model.name, model.name);
    return model.name;
  });
}

/** A version of `name` on the target carrying this station's provenance for `localId`. */
async function findVersionByProvenance(job: SyncJob, name: string, localId: string): Promise<ModelVersion | undefined> {
  let pageToken: string | undefined;
  do {
    const page = await job.target.registry.searchModelVersions({ filter: modelNameFilter(name), maxResults: 1000, ...(pageToken === undefined ? {} : { pageToken }) });
    const found = page.items.find((v) => v.name === name && v.tags[SYNC_LOCAL_ID_TAG] === localId && v.tags[SYNC_STATION_TAG] === job.source.stationId);
    if (found !== undefined) return found;
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined);
  return undefined;
}

/** `runs:/<local>/…` and sources inside the local run's artifacts, rewritten to the target run. */
async function rewriteSource(job: SyncJob, version: SyncModelVersion, remoteRunId: string | undefined): Promise<string> {
  if (version.runId === undefined || remoteRunId === undefined) return version.source;
  const runsPrefix = `runs:/${version.runId}/`;
  if (version.source.startsWith(runsPrefix) || version.source === `runs:/${version.runId}`) {
    return `runs:/${remoteRunId}${version.source.slice(`runs:/${version.runId}`.length)}`;
  }
  const local = await job.source.readRun(version.runId);
  if (local !== undefined && version.source.startsWith(local.artifactUri)) {
    const remote = await job.target.tracking.getRun(remoteRunId);
    return remote.info.artifactUri + version.source.slice(local.artifactUri.length);
  }
  return version.source;
}

const PROVENANCE = new Set([SYNC_LOCAL_ID_TAG, SYNC_STATION_TAG, SYNC_FINGERPRINT_TAG]);

/**
 * A hash of the fields of a version the engine writes (stage, description, tags but provenance),
 * as the target holds them after a sync: kept in the id map, it tells a version changed on the
 * target since (a conflict) from one only the source changed (an update). It is also written on
 * the target version as {@link SYNC_FINGERPRINT_TAG}, for when the map has none (a bundle import).
 */
function versionFingerprint(stage: string, description: string | undefined, tags: Tags): string {
  const own = Object.entries(tags)
    .filter(([key]) => !PROVENANCE.has(key))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256')
    .update(JSON.stringify([stage, description ?? '', own]))
    .digest('hex');
}

/** Creates (exactly once) or updates one version; returns the target's version number. */
async function syncVersion(job: SyncJob, remoteName: string, synced: SyncModelVersion): Promise<void> {
  const { source, target } = job;
  // A fingerprint a hub received from upstream is not this engine's: never forwarded.
  const { [SYNC_FINGERPRINT_TAG]: _upstream, ...ownTags } = synced.tags;
  const version: SyncModelVersion = { ...synced, tags: ownTags };
  const localId = `${version.name}/${version.version}`;
  const mapped = await source.lookupMapping(target.id, 'model_version', localId);
  if (version.deleted === true) {
    if (mapped === undefined) return;
    if (!job.dryRun) await orMissing(() => target.registry.deleteModelVersion(remoteName, mapped));
    job.deleted.model_version++;
    return;
  }
  let remote: ModelVersion | undefined;
  if (mapped !== undefined) {
    remote = await orMissing(() => target.registry.getModelVersion(remoteName, mapped));
    if (remote === undefined) {
      job.conflict('model_version', localId, `${remoteName}/${mapped}`, `Model version ${localId} was deleted on the target; not synced.`);
      return;
    }
  } else if (job.firstSync || (await source.hasIntent(target.id, 'model_version', localId))) {
    remote = await findVersionByProvenance(job, remoteName, localId);
    if (remote !== undefined && !job.dryRun) await source.recordMapping(target.id, 'model_version', localId, remote.version);
  }
  if (remote !== undefined) {
    // The map's fingerprint, else the one written on the version itself (a bundle's map is fresh).
    const written = (await source.lookupFingerprint(target.id, 'model_version', localId)) ?? remote.tags[SYNC_FINGERPRINT_TAG];
    const now = versionFingerprint(remote.currentStage, remote.description, remote.tags);
    // A target already holding what this sync writes is no conflict (a sync killed before its last write).
    const wanted = versionFingerprint(version.currentStage, version.description, { ...remote.tags, ...version.tags });
    if (written !== undefined && written !== now && now !== wanted) {
      job.conflict(
        'model_version',
        localId,
        `${remoteName}/${remote.version}`,
        `Model version ${localId} was changed on the target (${remoteName}/${remote.version}: stage, description or tags) since the last sync; not overwritten.`,
      );
      job.skipped.model_version++;
      return;
    }
  }
  if (job.dryRun) {
    if (remote === undefined) job.created.model_version++;
    else job.updated.model_version++;
    return;
  }
  if (remote === undefined) {
    const remoteRunId = version.runId === undefined ? undefined : await source.lookupMapping(target.id, 'run', version.runId);
    if (version.runId !== undefined && remoteRunId === undefined) {
      throw new LogbookError('INVALID_STATE', `[core] Model version ${localId}: its run ${version.runId} is not on the target yet; it follows once the run has synced.`);
    }
    await source.recordIntent(target.id, 'model_version', localId);
    remote = await target.registry.createModelVersion({
      name: remoteName,
      source: await rewriteSource(job, version, remoteRunId),
      ...(remoteRunId === undefined ? {} : { runId: remoteRunId }),
      ...(version.runLink === undefined ? {} : { runLink: version.runLink }),
      ...(version.description === undefined ? {} : { description: version.description }),
      tags: { ...version.tags, ...job.provenance(localId) },
    });
    await source.recordMapping(target.id, 'model_version', localId, remote.version);
    job.created.model_version++;
  } else job.updated.model_version++;
  if (remote.currentStage !== version.currentStage) {
    await target.registry.transitionModelVersionStage(remoteName, remote.version, version.currentStage, false);
  }
  if ((remote.description ?? '') !== (version.description ?? '')) {
    await target.registry.updateModelVersion(remoteName, remote.version, { description: version.description ?? '' });
  }
  for (const [key, value] of Object.entries(version.tags)) {
    if (remote.tags[key] !== value) await target.registry.setModelVersionTag(remoteName, remote.version, key, value);
  }
  // What the target holds now: its tags the source lacks are kept, so they count too.
  const fingerprint = versionFingerprint(version.currentStage, version.description, { ...remote.tags, ...version.tags });
  // Written last, after the fields it describes: a sync killed before it leaves the old one.
  if (remote.tags[SYNC_FINGERPRINT_TAG] !== fingerprint) await target.registry.setModelVersionTag(remoteName, remote.version, SYNC_FINGERPRINT_TAG, fingerprint);
  await source.recordFingerprint(target.id, 'model_version', localId, fingerprint);
}

/** Brings one changed registered model to the target: description, tags, versions, aliases. */
export async function syncRegisteredModel(job: SyncJob, model: SyncRegisteredModel): Promise<void> {
  const { source, target } = job;
  const remoteName = await ensureModel(job, model);
  if (remoteName === undefined) {
    job.created.model_version += model.versions.filter((v) => v.deleted !== true).length;
    return;
  }
  const remote = job.dryRun ? undefined : await target.registry.getRegisteredModel(remoteName);
  if (remote !== undefined) {
    if ((remote.description ?? '') !== (model.description ?? '')) {
      await target.registry.updateRegisteredModel(remoteName, { description: model.description ?? '' });
    }
    for (const [key, value] of Object.entries(model.tags)) {
      if (remote.tags[key] !== value) await target.registry.setRegisteredModelTag(remoteName, key, value);
    }
  }
  for (const version of model.versions) await syncVersion(job, remoteName, version);
  if (job.dryRun) return;
  for (const [alias, version] of Object.entries(model.aliases)) {
    const remoteVersion = await source.lookupMapping(target.id, 'model_version', `${model.name}/${version}`);
    if (remoteVersion === undefined) continue;
    if (remote?.aliases[alias] !== remoteVersion) await target.registry.setRegisteredModelAlias(remoteName, alias, remoteVersion);
  }
}
