import type { Experiment, Metric, ModelVersion, RegisteredModel, Run, RunInfo, Tags } from '@logbook/core';

/** Wire form of tags and params: MLflow's list of `{ key, value }`. */
export function pairs(tags: Tags): { key: string; value: string }[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

/** Metric values: NaN and ±Infinity as strings, as MLflow's JSON does. */
export function metricValue(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return value;
}

export function metricJson(m: Metric) {
  return { key: m.key, value: metricValue(m.value), timestamp: m.timestamp, step: m.step };
}

export function experimentJson(e: Experiment) {
  return {
    experiment_id: e.experimentId,
    name: e.name,
    artifact_location: e.artifactLocation,
    lifecycle_stage: e.lifecycleStage,
    creation_time: e.creationTime,
    last_update_time: e.lastUpdateTime,
    tags: pairs(e.tags),
  };
}

export function runInfoJson(i: RunInfo) {
  return {
    run_id: i.runId,
    experiment_id: i.experimentId,
    run_name: i.runName,
    user_id: i.userId,
    status: i.status,
    start_time: i.startTime,
    ...(i.endTime !== undefined && { end_time: i.endTime }),
    artifact_uri: i.artifactUri,
    lifecycle_stage: i.lifecycleStage,
  };
}

export function runJson(r: Run) {
  return { info: runInfoJson(r.info), data: { metrics: r.data.metrics.map(metricJson), params: pairs(r.data.params), tags: pairs(r.data.tags) } };
}

export function modelVersionJson(v: ModelVersion) {
  return {
    name: v.name,
    version: v.version,
    creation_timestamp: v.creationTimestamp,
    last_updated_timestamp: v.lastUpdatedTimestamp,
    current_stage: v.currentStage,
    ...(v.description !== undefined && { description: v.description }),
    source: v.source,
    ...(v.runId !== undefined && { run_id: v.runId }),
    status: v.status,
    tags: pairs(v.tags),
    aliases: [...v.aliases],
  };
}

export function modelJson(m: RegisteredModel) {
  return {
    name: m.name,
    creation_timestamp: m.creationTimestamp,
    last_updated_timestamp: m.lastUpdatedTimestamp,
    ...(m.description !== undefined && { description: m.description }),
    latest_versions: m.latestVersions.map(modelVersionJson),
    tags: pairs(m.tags),
    aliases: Object.entries(m.aliases).map(([alias, version]) => ({ alias, version })),
  };
}

/** A page in wire form: items under `name`, plus `next_page_token` when there is a next page. */
export function pageJson<T, U>(name: string, items: readonly T[], map: (t: T) => U, nextPageToken?: string) {
  return { [name]: items.map(map), ...(nextPageToken !== undefined && nextPageToken !== '' && { next_page_token: nextPageToken }) };
}
