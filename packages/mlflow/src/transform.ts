import { LifecycleStage, ModelStage, ModelVersionStatus, RunStatus } from '@logbook/core';
import { requireWellFormed } from '@logbook/core/spi';
import type { DatasetInput, Experiment, Metric, ModelVersion, RegisteredModel, Run, RunInfo, Tags } from '@logbook/core';
import { decodeDouble } from './http/json.js';
import type { WireExperiment, WireKeyValue, WireMetric, WireModelVersion, WireRegisteredModel, WireRun, WireRunInfo, WireDatasetInput } from './wire.js';

// Pure conversions between Logbook's model and MLflow's JSON. No I/O.

/**
 * Refuses an outgoing JSON body when one of its strings holds a lone UTF-16 surrogate, with
 * INVALID_PARAMETER_VALUE naming the field (`params[3].value`). MLflow 3.17 answers 200 to such a
 * log-batch, stores `''` for the value and silently drops every later param and tag of the request.
 * Lengths need no check here: MLflow counts them in characters, as Logbook does.
 */
export function requireWellFormedJson(value: unknown, field = ''): void {
  if (typeof value === 'string') requireWellFormed(value, field === '' ? 'body' : field);
  else if (Array.isArray(value)) value.forEach((item, i) => requireWellFormedJson(item, `${field}[${i}]`));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) requireWellFormedJson(item, field === '' ? key : `${field}.${key}`);
  }
}

/** `[{key, value}]` → `{key: value}`; a missing value (proto default) is `''`. */
export function fromKeyValues(list: readonly WireKeyValue[] | undefined): Tags {
  const out: Record<string, string> = {};
  for (const { key, value } of list ?? []) out[key] = value ?? '';
  return out;
}

/** `{key: value}` → `[{key, value}]`. */
export function toKeyValues(tags: Tags | undefined): WireKeyValue[] {
  return Object.entries(tags ?? {}).map(([key, value]) => ({ key, value }));
}

const lifecycle = (stage: string | undefined): LifecycleStage => (stage === 'deleted' ? LifecycleStage.DELETED : LifecycleStage.ACTIVE);

export function toExperiment(e: WireExperiment): Experiment {
  return {
    experimentId: e.experiment_id,
    name: e.name,
    artifactLocation: e.artifact_location ?? '',
    lifecycleStage: lifecycle(e.lifecycle_stage),
    creationTime: e.creation_time ?? 0,
    lastUpdateTime: e.last_update_time ?? e.creation_time ?? 0,
    tags: fromKeyValues(e.tags),
  };
}

/** A metric off the wire; "NaN"/"Infinity" strings become numbers, missing step is 0. */
export function toMetric(m: WireMetric): Metric {
  return { key: m.key, value: decodeDouble(m.value), timestamp: m.timestamp ?? 0, step: m.step ?? 0 };
}

/** A metric for the wire (the JSON encoder writes NaN/±Infinity as protobuf strings). */
export function fromMetric(m: Metric): { key: string; value: number; timestamp: number; step: number } {
  return { key: m.key, value: m.value, timestamp: m.timestamp, step: m.step ?? 0 };
}

const RUN_STATUSES = new Set<string>(Object.values(RunStatus));

export function toRunInfo(i: WireRunInfo): RunInfo {
  return {
    runId: i.run_id ?? i.run_uuid,
    experimentId: i.experiment_id,
    runName: i.run_name ?? '',
    userId: i.user_id ?? '',
    status: RUN_STATUSES.has(i.status ?? '') ? (i.status as RunStatus) : RunStatus.RUNNING,
    startTime: i.start_time ?? 0,
    ...(i.end_time === undefined || i.end_time === null ? {} : { endTime: i.end_time }),
    artifactUri: i.artifact_uri ?? '',
    lifecycleStage: lifecycle(i.lifecycle_stage),
  };
}

export function toRun(r: WireRun): Run {
  const inputs = (r.inputs?.dataset_inputs ?? []).map(toDatasetInput);
  return {
    info: toRunInfo(r.info),
    data: {
      metrics: (r.data?.metrics ?? []).map(toMetric),
      params: fromKeyValues(r.data?.params),
      tags: fromKeyValues(r.data?.tags),
    },
    ...(inputs.length === 0 ? {} : { inputs }),
  };
}

/** MLflow's input tag naming a dataset's role (`training`, `eval`). */
export const DATASET_CONTEXT_TAG = 'mlflow.data.context';

export function toDatasetInput(d: WireDatasetInput): DatasetInput {
  const context = d.tags?.find((t) => t.key === DATASET_CONTEXT_TAG)?.value;
  return {
    name: d.dataset.name,
    digest: d.dataset.digest,
    sourceType: d.dataset.source_type,
    source: d.dataset.source,
    ...(context === undefined ? {} : { context }),
  };
}

export function fromDatasetInput(d: DatasetInput): WireDatasetInput {
  return {
    tags: d.context === undefined ? [] : [{ key: DATASET_CONTEXT_TAG, value: d.context }],
    dataset: { name: d.name, digest: d.digest, source_type: d.sourceType, source: d.source },
  };
}

const STAGES: Readonly<Record<string, ModelStage>> = {
  none: ModelStage.None,
  staging: ModelStage.Staging,
  production: ModelStage.Production,
  archived: ModelStage.Archived,
};
const VERSION_STATUSES = new Set<string>(Object.values(ModelVersionStatus));

export function toModelVersion(v: WireModelVersion): ModelVersion {
  return {
    name: v.name,
    version: String(v.version),
    creationTimestamp: v.creation_timestamp ?? 0,
    lastUpdatedTimestamp: v.last_updated_timestamp ?? v.creation_timestamp ?? 0,
    currentStage: STAGES[(v.current_stage ?? 'None').toLowerCase()] ?? ModelStage.None,
    ...(v.description === undefined || v.description === '' ? {} : { description: v.description }),
    source: v.source ?? '',
    ...(v.run_id === undefined || v.run_id === '' ? {} : { runId: v.run_id }),
    ...(v.run_link === undefined || v.run_link === '' ? {} : { runLink: v.run_link }),
    status: VERSION_STATUSES.has(v.status ?? '') ? (v.status as ModelVersionStatus) : ModelVersionStatus.READY,
    ...(v.status_message === undefined || v.status_message === '' ? {} : { statusMessage: v.status_message }),
    tags: fromKeyValues(v.tags),
    aliases: [...(v.aliases ?? [])],
  };
}

export function toRegisteredModel(m: WireRegisteredModel): RegisteredModel {
  const aliases: Record<string, string> = {};
  for (const a of m.aliases ?? []) aliases[a.alias] = String(a.version);
  return {
    name: m.name,
    creationTimestamp: m.creation_timestamp ?? 0,
    lastUpdatedTimestamp: m.last_updated_timestamp ?? m.creation_timestamp ?? 0,
    ...(m.description === undefined || m.description === '' ? {} : { description: m.description }),
    latestVersions: (m.latest_versions ?? []).map(toModelVersion),
    tags: fromKeyValues(m.tags),
    aliases,
  };
}
