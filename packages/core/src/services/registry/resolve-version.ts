import semver from 'semver';
import type { RegistryStore } from '../../contracts/registry-store.js';
import { LogbookError } from '../../errors.js';
import { ModelStage } from '../../model/enums.js';
import type { ModelVersion } from '../../model/registry.js';
import { LIMITS } from '../../validation/limits.js';
import { collectPages, filterString } from '../paging.js';
import { SEMVER_TAG } from './tags.js';

const STAGES: Readonly<Record<string, ModelStage>> = {
  none: ModelStage.None,
  staging: ModelStage.Staging,
  production: ModelStage.Production,
  archived: ModelStage.Archived,
};

/** A stage name in any case (`production`, `Production`); anything else is INVALID_PARAMETER_VALUE. */
export function parseModelStage(stage: string): ModelStage {
  const parsed = STAGES[stage.toLowerCase()];
  if (parsed === undefined) {
    throw new LogbookError('INVALID_PARAMETER_VALUE', `[core] Unknown model stage '${stage}': expected one of None, Staging, Production, Archived.`, { field: 'stage' });
  }
  return parsed;
}

/** Every live version of `name` (all pages), by ascending version number. */
export async function listVersions(store: RegistryStore, name: string): Promise<ModelVersion[]> {
  await store.getRegisteredModel(name); // an unknown model is RESOURCE_DOES_NOT_EXIST, not an empty list
  const filter = `name = ${filterString(name)}`;
  const versions = await collectPages((page) => store.searchModelVersions({ ...page, filter }), LIMITS.defaultSearchModelVersionsResults);
  return versions.filter((v) => v.name === name).sort((a, b) => Number(a.version) - Number(b.version));
}

/** The version with the highest number, if any. */
export function newestVersion(versions: readonly ModelVersion[]): ModelVersion | undefined {
  return versions.reduce<ModelVersion | undefined>((best, v) => (best === undefined || Number(v.version) > Number(best.version) ? v : best), undefined);
}

/**
 * How a version is named, in this order: MLflow's integer version (`3`); `latest`; a stage
 * (`Production`, any case: the newest version in it); an exact semver (`1.2.0`, `v1.2.0`); a semver
 * range (`^1.2`, `~1.2.3`, `>=2 <3`: the highest matching semver); else an alias (`champion`).
 * An alias that looks like a version (`v3`) is refused, as MLflow refuses to create one.
 *
 * @throws LogbookError RESOURCE_DOES_NOT_EXIST when the model or the version is missing;
 *   INVALID_PARAMETER_VALUE for an empty or malformed reference, or an unknown alias.
 */
export async function resolveModelVersion(store: RegistryStore, name: string, ref: string): Promise<ModelVersion> {
  const trimmed = ref.trim();
  if (trimmed === '') throw invalid(name, ref, 'the version is empty');
  if (/^\d+$/.test(trimmed)) return store.getModelVersion(name, String(Number(trimmed)));
  if (trimmed.toLowerCase() === 'latest') return found(name, ref, newestVersion(await listVersions(store, name)));
  const stage = STAGES[trimmed.toLowerCase()];
  if (stage !== undefined) {
    const latest = await store.getLatestVersions(name, [stage]);
    return found(name, ref, newestVersion(latest.filter((v) => v.currentStage === stage)));
  }
  if (/^v\d+$/i.test(trimmed)) throw invalid(name, ref, `it looks like a version number, not an alias: write '${trimmed.slice(1)}'`);
  const exact = semver.valid(trimmed);
  if (exact !== null) {
    const versions = await listVersions(store, name);
    return found(name, ref, newestVersion(versions.filter((v) => v.tags[SEMVER_TAG] === exact)));
  }
  if (/[\d*]/.test(trimmed)) {
    const range = semver.validRange(trimmed);
    if (range === null) throw invalid(name, ref, 'it is neither a version number, a semver nor a valid semver range');
    const versions = (await listVersions(store, name)).filter((v) => v.tags[SEMVER_TAG] !== undefined);
    const best = semver.maxSatisfying(
      versions.map((v) => v.tags[SEMVER_TAG]!),
      range,
    );
    return found(name, ref, best === null ? undefined : newestVersion(versions.filter((v) => v.tags[SEMVER_TAG] === best)));
  }
  if (!/^[\w-]+$/.test(trimmed)) throw invalid(name, ref, 'an alias holds only letters, digits, `_` and `-`');
  return store.getModelVersionByAlias(name, trimmed);
}

function found(name: string, ref: string, version: ModelVersion | undefined): ModelVersion {
  if (version === undefined) {
    throw new LogbookError('RESOURCE_DOES_NOT_EXIST', `[core] Model '${name}' has no version matching '${ref}'.`, { field: 'version' });
  }
  return version;
}

function invalid(name: string, ref: string, why: string): LogbookError {
  return new LogbookError('INVALID_PARAMETER_VALUE', `[core] Version '${ref}' of model '${name}' cannot be resolved: ${why}.`, { field: 'version' });
}
