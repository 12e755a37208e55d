import { ModelStage } from '../model/enums.js';
import type { ModelVersion, RegisteredModel } from '../model/registry.js';
import { validateModelName, validateModelVersion } from '../validation/entities.js';
import { invalidParam, notFound } from './memory-errors.js';
import type { MemoryState, StoredModel, StoredVersion } from './memory-state.js';

const CANONICAL = new Map<string, ModelStage>(Object.values(ModelStage).map((s) => [s.toLowerCase(), s]));

/** Case-insensitive stage → canonical name; others are INVALID_PARAMETER_VALUE, as MLflow. */
export function canonicalStage(stage: string, field = 'stage'): ModelStage {
  const found = typeof stage === 'string' ? CANONICAL.get(stage.toLowerCase()) : undefined;
  return found ?? invalidParam(`Invalid Model Version stage: ${String(stage)}. Value must be one of None, Staging, Production, Archived.`, field);
}

/** The model; RESOURCE_DOES_NOT_EXIST "Registered Model with name=X not found". */
export function storedModel(state: MemoryState, name: string): StoredModel {
  validateModelName(name);
  return state.models.get(name) ?? notFound(`Registered Model with name=${name} not found`, 'name');
}

/** A live version; RESOURCE_DOES_NOT_EXIST "Model Version (name=X, version=N) not found". */
export function storedVersion(state: MemoryState, name: string, version: string): { model: StoredModel; version: StoredVersion } {
  validateModelName(name);
  validateModelVersion(version);
  const model = state.models.get(name);
  const found = model?.versions.get(Number(version));
  if (model === undefined || found === undefined) return notFound(`Model Version (name=${name}, version=${version}) not found`, 'version');
  return { model, version: found };
}

/** A detached copy of a version with its aliases (sorted). */
export function toModelVersion(model: StoredModel, v: StoredVersion): ModelVersion {
  const aliases = [...model.aliases]
    .filter(([, n]) => n === v.version)
    .map(([alias]) => alias)
    .sort();
  return {
    name: model.name,
    version: String(v.version),
    creationTimestamp: v.creationTimestamp,
    lastUpdatedTimestamp: v.lastUpdatedTimestamp,
    currentStage: v.currentStage,
    ...(v.description === undefined ? {} : { description: v.description }),
    source: v.source,
    ...(v.runId === undefined || v.runId === '' ? {} : { runId: v.runId }),
    ...(v.runLink === undefined || v.runLink === '' ? {} : { runLink: v.runLink }),
    status: v.status,
    tags: Object.fromEntries(v.tags),
    aliases,
  };
}

/** The latest version in each stage, ordered by version (MLflow's `latest_versions`). */
export function latestVersions(model: StoredModel): ModelVersion[] {
  const latest = new Map<ModelStage, StoredVersion>();
  for (const v of model.versions.values()) {
    const held = latest.get(v.currentStage);
    if (held === undefined || v.version > held.version) latest.set(v.currentStage, v);
  }
  return [...latest.values()].sort((a, b) => a.version - b.version).map((v) => toModelVersion(model, v));
}

/** A detached copy of a model with its latest versions, tags and aliases. */
export function toRegisteredModel(model: StoredModel): RegisteredModel {
  const aliases = [...model.aliases].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([alias, n]) => [alias, String(n)]);
  return {
    name: model.name,
    creationTimestamp: model.creationTimestamp,
    lastUpdatedTimestamp: model.lastUpdatedTimestamp,
    ...(model.description === undefined ? {} : { description: model.description }),
    latestVersions: latestVersions(model),
    tags: Object.fromEntries(model.tags),
    aliases: Object.fromEntries(aliases),
  };
}
