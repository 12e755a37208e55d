import type { SearchExperimentsQuery } from '../contracts/tracking-store.js';
import type { Page } from '../model/common.js';
import { LifecycleStage, ViewType } from '../model/enums.js';
import type { CreateExperimentInput, Experiment } from '../model/experiment.js';
import { compareExperiments, matchesExperimentFilter } from '../search/entity-evaluators.js';
import { parseExperimentFilter } from '../search/experiment-filter.js';
import { parseExperimentOrderBy } from '../search/order-by.js';
import { paginate } from '../search/page-token.js';
import { appendToArtifactUri, validateArtifactLocation } from '../validation/artifact-location.js';
import { validateExperimentName, validateExperimentTagValue } from '../validation/entities.js';
import { validateKey } from '../validation/keys.js';
import { LIMITS } from '../validation/limits.js';
import { validateMaxResults } from '../validation/values.js';
import { fail, invalidParam, notFound } from './memory-errors.js';
import type { MemoryState, StoredExperiment } from './memory-state.js';

/** MLflow's integer check of experiment ids, with its message. */
export function parseExperimentId(experimentId: unknown, field = 'experimentId'): string {
  if (typeof experimentId !== 'string' || !/^[0-9]+$/.test(experimentId) || !Number.isSafeInteger(Number(experimentId))) {
    return invalidParam(`Invalid experiment ID '${String(experimentId)}'. Experiment ID must be a valid integer.`, field);
  }
  return String(Number(experimentId));
}

/** The experiment, any lifecycle stage; RESOURCE_DOES_NOT_EXIST when absent. */
export function storedExperiment(state: MemoryState, experimentId: string): StoredExperiment {
  const id = parseExperimentId(experimentId);
  return state.experiments.get(id) ?? notFound(`No Experiment with id=${id} exists`, 'experimentId');
}

/** INVALID_PARAMETER_VALUE unless the experiment is active (MLflow's `_check_experiment_is_active`). */
export function requireActiveExperiment(e: StoredExperiment): void {
  if (e.lifecycleStage !== LifecycleStage.ACTIVE) {
    invalidParam(`The experiment ${e.experimentId} must be in the 'active' state. Current state is ${e.lifecycleStage}.`, 'experimentId');
  }
}

/** A detached copy of a stored experiment. */
export function toExperiment(e: StoredExperiment): Experiment {
  return {
    experimentId: e.experimentId,
    name: e.name,
    artifactLocation: e.artifactLocation,
    lifecycleStage: e.lifecycleStage,
    creationTime: e.creationTime,
    lastUpdateTime: e.lastUpdateTime,
    tags: Object.fromEntries(e.tags),
  };
}

/** Lifecycle stages a view type selects. */
export function stagesOf(viewType: ViewType | undefined): readonly LifecycleStage[] {
  switch (viewType ?? ViewType.ACTIVE_ONLY) {
    case ViewType.ACTIVE_ONLY:
      return [LifecycleStage.ACTIVE];
    case ViewType.DELETED_ONLY:
      return [LifecycleStage.DELETED];
    default:
      return [LifecycleStage.ACTIVE, LifecycleStage.DELETED];
  }
}

function nameTaken(state: MemoryState, name: string, field: string): void {
  for (const e of state.experiments.values()) {
    if (e.name === name) fail('RESOURCE_ALREADY_EXISTS', `Experiment(name=${name}) already exists.`, field);
  }
}

/** `createExperiment`; the Default experiment ("0") is created this way when the store opens. */
export function createExperiment(state: MemoryState, input: CreateExperimentInput): string {
  validateExperimentName(input.name);
  // An empty location means "the default", as in MLflow.
  if (input.artifactLocation !== undefined && input.artifactLocation !== '') {
    validateArtifactLocation(input.artifactLocation, state.options.artifactLocations, 'artifactLocation');
  }
  const tags = Object.entries(input.tags ?? {}).map(([key, value], i): [string, string] => {
    validateKey('tag', key, `tags[${i}].key`);
    validateExperimentTagValue(key, value, `tags[${i}].value`);
    return [key, value];
  });
  nameTaken(state, input.name, 'name');
  const experimentId = String(state.nextExperimentId++);
  const now = state.options.now();
  state.experiments.set(experimentId, {
    experimentId,
    name: input.name,
    lifecycleStage: LifecycleStage.ACTIVE,
    creationTime: now,
    lastUpdateTime: now,
    tags: new Map(tags),
    artifactLocation: input.artifactLocation || appendToArtifactUri(state.options.artifactRoot, [experimentId], 'artifactRoot'),
  });
  return experimentId;
}

/** `getExperimentByName`: every lifecycle stage, as MLflow. */
export function getExperimentByName(state: MemoryState, name: string): Experiment | undefined {
  for (const e of state.experiments.values()) if (e.name === name) return toExperiment(e);
  return undefined;
}

/** `searchExperiments`: MLflow's filter, order (default creation_time DESC, id ASC), offset pages. */
export function searchExperiments(state: MemoryState, query: SearchExperimentsQuery = {}): Page<Experiment> {
  validateMaxResults(query.maxResults, LIMITS.maxSearchExperimentsResults);
  const filter = parseExperimentFilter(query.filter);
  const order = parseExperimentOrderBy(query.orderBy);
  const stages = stagesOf(query.viewType);
  const items = [...state.experiments.values()]
    .filter((e) => stages.includes(e.lifecycleStage))
    .map(toExperiment)
    .filter((e) => matchesExperimentFilter(e, filter))
    .sort(compareExperiments(order));
  return paginate(items, { ...query, maxResults: query.maxResults ?? LIMITS.defaultSearchExperimentsResults });
}

/** `renameExperiment`: INVALID_STATE for a deleted experiment, as MLflow. */
export function renameExperiment(state: MemoryState, experimentId: string, newName: string): void {
  validateExperimentName(newName, 'newName');
  const e = storedExperiment(state, experimentId);
  if (e.lifecycleStage !== LifecycleStage.ACTIVE) fail('INVALID_STATE', 'Cannot rename a non-active experiment.', 'experimentId');
  if (e.name === newName) return;
  nameTaken(state, newName, 'newName');
  e.name = newName;
  e.lastUpdateTime = state.options.now();
}

/** Soft-deletes or restores an experiment and all its runs; the same stage again is RESOURCE_DOES_NOT_EXIST. */
export function setExperimentStage(state: MemoryState, experimentId: string, stage: LifecycleStage): void {
  const e = storedExperiment(state, experimentId);
  if (e.lifecycleStage === stage) notFound(`No Experiment with id=${e.experimentId} exists`, 'experimentId');
  e.lifecycleStage = stage;
  e.lastUpdateTime = state.options.now();
  for (const run of state.runs.values()) if (run.experimentId === e.experimentId) run.lifecycleStage = stage;
}

/** Upserts an experiment tag; the experiment must be active. */
export function setExperimentTag(state: MemoryState, experimentId: string, key: string, value: string): void {
  validateKey('tag', key, 'key');
  validateExperimentTagValue(key, value);
  const e = storedExperiment(state, experimentId);
  requireActiveExperiment(e);
  e.tags.set(key, value);
}

/** Deletes an experiment tag; RESOURCE_DOES_NOT_EXIST when absent. */
export function deleteExperimentTag(state: MemoryState, experimentId: string, key: string): void {
  const e = storedExperiment(state, experimentId);
  requireActiveExperiment(e);
  if (!e.tags.delete(key)) notFound(`No tag with name: ${key} in experiment with id ${e.experimentId}`, 'key');
}
