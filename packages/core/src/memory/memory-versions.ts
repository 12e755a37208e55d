import type { Page } from '../model/common.js';
import { ModelStage, ModelVersionStatus } from '../model/enums.js';
import type { CreateModelVersionInput, ModelVersion, RegistrySearchQuery } from '../model/registry.js';
import { compareModelVersions, matchesModelVersionFilter } from '../search/entity-evaluators.js';
import { parseModelVersionOrderBy } from '../search/order-by.js';
import { paginate } from '../search/page-token.js';
import { parseModelVersionFilter } from '../search/registry-filter.js';
import { validateModelVersion, validateRegistryTag } from '../validation/entities.js';
import { LIMITS } from '../validation/limits.js';
import { requireString, validateMaxResults } from '../validation/values.js';
import { fail } from './memory-errors.js';
import { registryTags } from './memory-models.js';
import { canonicalStage, storedModel, storedVersion, toModelVersion } from './memory-registry-rows.js';
import type { MemoryState, StoredVersion } from './memory-state.js';

const ACTIVE_STAGES: readonly ModelStage[] = [ModelStage.Staging, ModelStage.Production];

/** `createModelVersion`: number = highest ever + 1 (deleted versions keep theirs), READY at once. */
export function createModelVersion(state: MemoryState, input: CreateModelVersionInput): ModelVersion {
  requireString(input.source, 'source');
  const tags = registryTags(input.tags);
  const model = storedModel(state, input.name);
  const now = state.options.now();
  const version: StoredVersion = {
    version: ++model.maxVersion,
    creationTimestamp: now,
    lastUpdatedTimestamp: now,
    currentStage: ModelStage.None,
    source: input.source,
    status: ModelVersionStatus.READY,
    tags: new Map(tags),
    ...(input.runId === undefined ? {} : { runId: input.runId }),
    ...(input.runLink === undefined ? {} : { runLink: input.runLink }),
    ...(input.description === undefined ? {} : { description: input.description }),
  };
  model.versions.set(version.version, version);
  model.lastUpdatedTimestamp = now;
  return toModelVersion(model, version);
}

/** `updateModelVersion`: sets the description (absent = cleared, as MLflow). */
export function updateModelVersion(state: MemoryState, name: string, version: string, description: string | undefined): ModelVersion {
  const found = storedVersion(state, name, version);
  if (description === undefined) delete found.version.description;
  else found.version.description = description;
  found.version.lastUpdatedTimestamp = state.options.now();
  return toModelVersion(found.model, found.version);
}

/**
 * `transitionModelVersionStage`. With `archiveExistingVersions` (Staging/Production only, else
 * INTERNAL_ERROR as MLflow), the other versions in that stage move to Archived.
 */
export function transitionModelVersionStage(state: MemoryState, name: string, version: string, stage: string, archiveExisting: boolean): ModelVersion {
  const target = canonicalStage(stage);
  if (archiveExisting && !ACTIVE_STAGES.includes(target)) {
    fail('INTERNAL_ERROR', `Model version transition cannot archive existing model versions because '${stage}' is not an Active stage. Valid stages are ${ACTIVE_STAGES.join(', ')}`, 'stage');
  }
  const { model, version: v } = storedVersion(state, name, version);
  const now = state.options.now();
  if (archiveExisting) {
    for (const other of model.versions.values()) {
      if (other !== v && other.currentStage === target) Object.assign(other, { currentStage: ModelStage.Archived, lastUpdatedTimestamp: now });
    }
  }
  v.currentStage = target;
  v.lastUpdatedTimestamp = now;
  model.lastUpdatedTimestamp = now;
  return toModelVersion(model, v);
}

/** `deleteModelVersion`: the number is never reused; the version's aliases go with it. */
export function deleteModelVersion(state: MemoryState, name: string, version: string): void {
  const { model, version: v } = storedVersion(state, name, version);
  model.versions.delete(v.version);
  for (const [alias, n] of [...model.aliases]) if (n === v.version) model.aliases.delete(alias);
  model.lastUpdatedTimestamp = state.options.now();
}

/** `setModelVersionTag`: upsert on a live version. */
export function setModelVersionTag(state: MemoryState, name: string, version: string, key: string, value: string): void {
  validateModelVersion(version);
  validateRegistryTag(key, value);
  storedVersion(state, name, version).version.tags.set(key, value);
}

/** `searchModelVersions`: live versions only; default 10,000 per page, at most 200,000. */
export function searchModelVersions(state: MemoryState, query: RegistrySearchQuery = {}): Page<ModelVersion> {
  validateMaxResults(query.maxResults, LIMITS.maxSearchModelVersionsResults);
  const filter = parseModelVersionFilter(query.filter);
  const order = parseModelVersionOrderBy(query.orderBy);
  const items = [...state.models.values()]
    .flatMap((m) => [...m.versions.values()].map((v) => toModelVersion(m, v)))
    .filter((v) => matchesModelVersionFilter(v, filter))
    .sort(compareModelVersions(order));
  return paginate(items, { ...query, maxResults: query.maxResults ?? LIMITS.defaultSearchModelVersionsResults });
}
