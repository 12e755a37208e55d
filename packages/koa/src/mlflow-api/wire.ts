import type { Experiment, Metric, ModelVersion, RegisteredModel, Run, RunInfo, Tags } from '@logbook/core';
import type { ArtifactLocations } from './locations.js';

// Logbook's model → MLflow's JSON, as its server writes it (snake_case, int64 as numbers,
// NaN/±Infinity as protobuf strings, empty lists omitted). The inverse of @logbook/mlflow's
// transform.ts, which reads the same JSON as a client.

type Json = Record<string, unknown>;

/** `{key: value}` → `[{key, value}]`. */
export function keyValueList(tags: Tags | undefined): { key: string; value: string }[] {
  return Object.entries(tags ?? {}).map(([key, value]) => ({ key, value }));
}

/** A double as protobuf JSON writes it. */
export function wireDouble(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  return value;
}

export function wireMetric(m: Metric): Json {
  return { key: m.key, value: wireDouble(m.value), timestamp: m.timestamp, step: m.step ?? 0 };
}

function withList(out: Json, key: string, list: readonly unknown[]): Json {
  if (list.length > 0) out[key] = list;
  return out;
}

export function wireExperiment(e: Experiment, locations: ArtifactLocations): Json {
  return withList(
    {
      experiment_id: e.experimentId,
      name: e.name,
      artifact_location: locations.toClient(e.artifactLocation),
      lifecycle_stage: e.lifecycleStage,
      last_update_time: e.lastUpdateTime,
      creation_time: e.creationTime,
    },
    'tags',
    keyValueList(e.tags),
  );
}

export function wireRunInfo(i: RunInfo, locations: ArtifactLocations): Json {
  return {
    run_id: i.runId,
    run_uuid: i.runId,
    run_name: i.runName,
    experiment_id: i.experimentId,
    user_id: i.userId,
    status: i.status,
    start_time: i.startTime,
    ...(i.endTime !== undefined && { end_time: i.endTime }),
    artifact_uri: locations.toClient(i.artifactUri),
    lifecycle_stage: i.lifecycleStage,
  };
}

export function wireRun(r: Run, locations: ArtifactLocations): Json {
  const data: Json = {};
  withList(data, 'metrics', r.data.metrics.map(wireMetric));
  withList(data, 'params', keyValueList(r.data.params));
  withList(data, 'tags', keyValueList(r.data.tags));
  return { info: wireRunInfo(r.info, locations), data, inputs: {} };
}

/** A model version as MLflow's JSON; its source is shown as the client addressed it (`mlflow-artifacts:`). */
export function wireModelVersion(v: ModelVersion, locations: ArtifactLocations): Json {
  const out: Json = {
    name: v.name,
    version: v.version,
    creation_timestamp: v.creationTimestamp,
    last_updated_timestamp: v.lastUpdatedTimestamp,
    current_stage: v.currentStage,
    source: locations.toClient(v.source),
    status: v.status,
  };
  if (v.description !== undefined) out.description = v.description;
  if (v.runId !== undefined) out.run_id = v.runId;
  if (v.runLink !== undefined) out.run_link = v.runLink;
  if (v.statusMessage !== undefined) out.status_message = v.statusMessage;
  withList(out, 'tags', keyValueList(v.tags));
  return withList(out, 'aliases', [...v.aliases]);
}

export function wireRegisteredModel(m: RegisteredModel, locations: ArtifactLocations): Json {
  const out: Json = { name: m.name, creation_timestamp: m.creationTimestamp, last_updated_timestamp: m.lastUpdatedTimestamp };
  if (m.description !== undefined) out.description = m.description;
  withList(
    out,
    'latest_versions',
    m.latestVersions.map((v) => wireModelVersion(v, locations)),
  );
  withList(out, 'tags', keyValueList(m.tags));
  return withList(
    out,
    'aliases',
    Object.entries(m.aliases).map(([alias, version]) => ({ alias, version })),
  );
}

/** `{items, nextPageToken}` → `{<key>: [...], next_page_token?}`. */
export function wirePage<T>(page: { readonly items: readonly T[]; readonly nextPageToken?: string }, key: string, map: (item: T) => Json): Json {
  return withList({ ...(page.nextPageToken !== undefined && page.nextPageToken !== '' && { next_page_token: page.nextPageToken }) }, key, page.items.map(map));
}
