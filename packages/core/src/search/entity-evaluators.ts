import type { Experiment } from '../model/experiment.js';
import type { ModelVersion, RegisteredModel } from '../model/registry.js';
import { matchesClauseValue as test, sortComparator as comparator } from './compare-values.js';
import type {
  ExperimentFilterClause,
  ExperimentOrderByClause,
  ModelVersionFilterClause,
  ModelVersionOrderByClause,
  RegisteredModelFilterClause,
  RegisteredModelOrderByClause,
  SearchFilter,
} from './types.js';

type Value = string | number | undefined;

function experimentValue(e: Experiment, key: string): Value {
  switch (key) {
    case 'name':
      return e.name;
    case 'experiment_id':
      return Number(e.experimentId);
    case 'creation_time':
      return e.creationTime;
    default:
      return e.lastUpdateTime;
  }
}

/** True when the experiment satisfies every clause of {@link parseExperimentFilter}'s result. */
export function matchesExperimentFilter(experiment: Experiment, filter: SearchFilter<ExperimentFilterClause>): boolean {
  return filter.every((c) => {
    if (c.entity === 'tag') return test(experiment.tags[c.key], c);
    // Ids compare as the strings they are on the wire.
    return test(c.key === 'experiment_id' ? experiment.experimentId : experimentValue(experiment, c.key), c);
  });
}

/** Sort comparator from {@link parseExperimentOrderBy}'s result (`experiment_id` as an integer). */
export function compareExperiments(orderBy: readonly ExperimentOrderByClause[]): (a: Experiment, b: Experiment) => number {
  return comparator(orderBy, experimentValue);
}

/** True when the registered model satisfies every clause of {@link parseRegisteredModelFilter}'s result. */
export function matchesRegisteredModelFilter(model: RegisteredModel, filter: SearchFilter<RegisteredModelFilterClause>): boolean {
  return filter.every((c) => {
    if (c.entity !== 'tag') return test(model.name, c);
    const value = model.tags[c.key];
    return value === undefined ? c.matchesMissing === true : test(value, c);
  });
}

/** Sort comparator from {@link parseRegisteredModelOrderBy}'s result. */
export function compareRegisteredModels(orderBy: readonly RegisteredModelOrderByClause[]): (a: RegisteredModel, b: RegisteredModel) => number {
  return comparator(orderBy, (m, key) => (key === 'name' ? m.name : m.lastUpdatedTimestamp));
}

function versionValue(v: ModelVersion, key: string): Value {
  switch (key) {
    case 'name':
      return v.name;
    case 'version_number':
      return Number(v.version);
    case 'run_id':
      return v.runId;
    case 'source_path':
      return v.source;
    case 'creation_timestamp':
      return v.creationTimestamp;
    default:
      return v.lastUpdatedTimestamp;
  }
}

/** True when the model version satisfies every clause of {@link parseModelVersionFilter}'s result. */
export function matchesModelVersionFilter(version: ModelVersion, filter: SearchFilter<ModelVersionFilterClause>): boolean {
  return filter.every((c) => test(c.entity === 'tag' ? version.tags[c.key] : versionValue(version, c.key), c));
}

/** Sort comparator from {@link parseModelVersionOrderBy}'s result (`version_number` as an integer). */
export function compareModelVersions(orderBy: readonly ModelVersionOrderByClause[]): (a: ModelVersion, b: ModelVersion) => number {
  return comparator(orderBy, versionValue);
}
