import type { Page } from '../model/common.js';
import type { ModelStage } from '../model/enums.js';
import type { CreateRegisteredModelInput, ModelVersion, RegisteredModel, RegistrySearchQuery } from '../model/registry.js';
import type { Tags } from '../model/common.js';
import { compareRegisteredModels, matchesRegisteredModelFilter } from '../search/entity-evaluators.js';
import { parseRegisteredModelOrderBy } from '../search/order-by.js';
import { paginate } from '../search/page-token.js';
import { parseRegisteredModelFilter } from '../search/registry-filter.js';
import { validateAlias, validateModelName, validateModelVersion, validateRegistryTag } from '../validation/entities.js';
import { LIMITS } from '../validation/limits.js';
import { validateMaxResults } from '../validation/values.js';
import { fail, invalidParam, notFound } from './memory-errors.js';
import { canonicalStage, latestVersions, storedModel, storedVersion, toModelVersion, toRegisteredModel } from './memory-registry-rows.js';
import type { MemoryState } from './memory-state.js';

/** Validated registry tag pairs. */
export function registryTags(tags: Tags | undefined): [string, string][] {
  return Object.entries(tags ?? {}).map(([key, value], i) => {
    validateRegistryTag(key, value, `tags[${i}]`);
    return [key, value];
  });
}

/** `createRegisteredModel`: RESOURCE_ALREADY_EXISTS for a taken name. */
export function createRegisteredModel(state: MemoryState, input: CreateRegisteredModelInput): RegisteredModel {
  validateModelName(input.name);
  const tags = registryTags(input.tags);
  if (state.models.has(input.name)) fail('RESOURCE_ALREADY_EXISTS', `Registered Model (name=${input.name}) already exists.`, 'name');
  const now = state.options.now();
  const model = {
    name: input.name,
    creationTimestamp: now,
    lastUpdatedTimestamp: now,
    tags: new Map(tags),
    aliases: new Map<string, number>(),
    versions: new Map(),
    maxVersion: 0,
    ...(input.description === undefined ? {} : { description: input.description }),
  };
  state.models.set(input.name, model);
  return toRegisteredModel(model);
}

/** `updateRegisteredModel`: sets the description (absent = cleared, as MLflow). */
export function updateRegisteredModel(state: MemoryState, name: string, description: string | undefined): RegisteredModel {
  const model = storedModel(state, name);
  if (description === undefined) delete model.description;
  else model.description = description;
  model.lastUpdatedTimestamp = state.options.now();
  return toRegisteredModel(model);
}

/** `renameRegisteredModel`: versions follow. */
export function renameRegisteredModel(state: MemoryState, name: string, newName: string): RegisteredModel {
  validateModelName(newName, 'newName');
  const model = storedModel(state, name);
  if (newName !== name && state.models.has(newName)) fail('RESOURCE_ALREADY_EXISTS', `Registered Model (name=${newName}) already exists.`, 'newName');
  const now = state.options.now();
  state.models.delete(name);
  model.name = newName;
  model.lastUpdatedTimestamp = now;
  for (const v of model.versions.values()) v.lastUpdatedTimestamp = now;
  state.models.set(newName, model);
  return toRegisteredModel(model);
}

/** `setRegisteredModelAlias`: points (or moves) the alias to a live version. */
export function setRegisteredModelAlias(state: MemoryState, name: string, alias: string, version: string): void {
  validateAlias(alias);
  validateModelVersion(version);
  const found = storedVersion(state, name, version);
  found.model.aliases.set(alias, found.version.version);
}

/** `getLatestVersions`: latest live version per requested stage (all four when none). */
export function getLatestVersions(state: MemoryState, name: string, stages?: readonly ModelStage[]): ModelVersion[] {
  const wanted = stages === undefined || stages.length === 0 ? undefined : new Set(stages.map((s, i) => canonicalStage(s, `stages[${i}]`)));
  return latestVersions(storedModel(state, name)).filter((v) => wanted === undefined || wanted.has(v.currentStage));
}

/**
 * `getModelVersionByAlias`: an unknown alias is INVALID_PARAMETER_VALUE (MLflow answers 400);
 * `latest` resolves to the highest live version, as MLflow's store does.
 */
export function getModelVersionByAlias(state: MemoryState, name: string, alias: string): ModelVersion {
  const model = storedModel(state, name);
  if (alias.toLowerCase() === 'latest') {
    const top = Math.max(0, ...model.versions.keys());
    return toModelVersion(model, model.versions.get(top) ?? notFound(`Latest version not found for model ${name}.`, 'alias'));
  }
  const number = model.aliases.get(alias);
  if (number === undefined) invalidParam(`Registered model alias ${alias} not found.`, 'alias');
  return toModelVersion(model, model.versions.get(number)!);
}

/** `searchRegisteredModels`: default 100 per page, at most 1000 (MLflow's limits). */
export function searchRegisteredModels(state: MemoryState, query: RegistrySearchQuery = {}): Page<RegisteredModel> {
  validateMaxResults(query.maxResults, LIMITS.maxSearchRegisteredModelsResults);
  const filter = parseRegisteredModelFilter(query.filter);
  const order = parseRegisteredModelOrderBy(query.orderBy);
  const items = [...state.models.values()]
    .map(toRegisteredModel)
    .filter((m) => matchesRegisteredModelFilter(m, filter))
    .sort(compareRegisteredModels(order));
  return paginate(items, { ...query, maxResults: query.maxResults ?? LIMITS.defaultSearchRegisteredModelsResults });
}
