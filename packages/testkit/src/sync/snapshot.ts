import { createHash } from 'node:crypto';
import type { Metric, Run } from '@logbook/core';
import type { ArtifactStore } from '@logbook/core/spi';
import { isLogbookError, ViewType } from '@logbook/core';
import { collectPages, readAll } from '../support.js';
import type { HistoryStores } from './history.js';

const LOCAL_ID = 'logbook.sync.local_id';
const STATION = 'logbook.sync.station';
const FINGERPRINT = 'logbook.sync.fingerprint';

/** One run as a comparison sees it: ids replaced by the source-side key. */
export interface RunSnapshot {
  readonly experiment: string;
  readonly runName: string;
  readonly userId: string;
  readonly status: string;
  readonly startTime: number;
  readonly endTime: number | undefined;
  readonly lifecycleStage: string;
  readonly params: Record<string, string>;
  readonly tags: Record<string, string>;
  /** key -> [timestamp, step, value] in (timestamp, step, value) order; NaN kept as NaN. */
  readonly metrics: Record<string, [number, number, number][]>;
  /** path -> sha256. */
  readonly artifacts: Record<string, string>;
}

export interface ModelVersionSnapshot {
  readonly stage: string;
  readonly description: string;
  readonly source: string;
  readonly run: string | undefined;
  readonly tags: Record<string, string>;
}

/** What a sync must carry over, keyed by source ids, comparable with `toEqual`. */
export interface LogbookSnapshot {
  readonly experiments: Record<string, { readonly lifecycleStage: string; readonly tags: Record<string, string> }>;
  readonly runs: Record<string, RunSnapshot>;
  readonly models: Record<
    string,
    {
      readonly description: string;
      readonly tags: Record<string, string>;
      /** alias -> version key */
      readonly aliases: Record<string, string>;
      /** version key (`name/version` at the source) -> version */
      readonly versions: Record<string, ModelVersionSnapshot>;
    }
  >;
}

/** A run's key: its provenance local id on a target, its own id at the source. */
const runKey = (run: Run): string => run.data.tags[LOCAL_ID] ?? run.info.runId;

async function artifactHashes(store: ArtifactStore, uri: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const folders: (string | undefined)[] = [undefined];
  while (folders.length > 0) {
    const folder = folders.pop();
    let infos;
    try {
      infos = await store.list(uri, folder);
    } catch (error) {
      if (isLogbookError(error, 'RESOURCE_DOES_NOT_EXIST')) continue;
      throw error;
    }
    for (const info of infos) {
      if (info.isDir) folders.push(info.path);
      else
        out[info.path] = createHash('sha256')
          .update(await readAll((await store.get(uri, info.path)).stream))
          .digest('hex');
    }
  }
  return out;
}

async function history(stores: HistoryStores, runId: string, key: string): Promise<[number, number, number][]> {
  const { items } = await collectPages<Metric>((pageToken) => stores.tracking.getMetricHistory(runId, key, { maxResults: 25000, ...(pageToken === undefined ? {} : { pageToken }) }), 1000);
  return items.map((m): [number, number, number] => [m.timestamp, m.step, m.value]).sort((a, b) => a[0] - b[0] || a[1] - b[1] || (Number.isNaN(a[2]) ? 0 : a[2]) - (Number.isNaN(b[2]) ? 0 : b[2]));
}

/**
 * Reads experiments (by name), their runs (deleted ones too) with full metric histories and
 * artifact hashes, and registered models (by name) from any stores, in a form where a source and
 * a target compare with `toEqual`: run ids become the source's ids (through the provenance tag),
 * provenance tags are dropped, `runs:/` sources and `mlflow.parentRunId` use the source's ids.
 */
export async function snapshotLogbook(stores: HistoryStores, experimentNames: readonly string[], modelNames: readonly string[]): Promise<LogbookSnapshot> {
  const experiments: Record<string, { lifecycleStage: string; tags: Record<string, string> }> = {};
  const runs: Record<string, RunSnapshot> = {};
  const keyOf = new Map<string, string>();
  const raw: [string, Run][] = [];
  for (const name of experimentNames) {
    const experiment = await stores.tracking.getExperimentByName(name);
    if (experiment === undefined) continue;
    experiments[name] = { lifecycleStage: experiment.lifecycleStage, tags: { ...experiment.tags } };
    const { items } = await collectPages((pageToken) =>
      stores.tracking.searchRuns({ experimentIds: [experiment.experimentId], viewType: ViewType.ALL, maxResults: 1000, ...(pageToken === undefined ? {} : { pageToken }) }),
    );
    for (const run of items) {
      keyOf.set(run.info.runId, runKey(run));
      raw.push([name, run]);
    }
  }
  for (const [experiment, listed] of raw) {
    const run = await stores.tracking.getRun(listed.info.runId);
    const tags = { ...run.data.tags };
    delete tags[LOCAL_ID];
    delete tags[STATION];
    delete tags[FINGERPRINT];
    const parent = tags['mlflow.parentRunId'];
    if (parent !== undefined) tags['mlflow.parentRunId'] = keyOf.get(parent) ?? `unknown:${parent}`;
    const metrics: Record<string, [number, number, number][]> = {};
    for (const key of [...new Set(run.data.metrics.map((m) => m.key))].sort()) metrics[key] = await history(stores, run.info.runId, key);
    runs[runKey(run)] = {
      experiment,
      runName: run.info.runName,
      userId: run.info.userId,
      status: run.info.status,
      startTime: run.info.startTime,
      endTime: run.info.endTime,
      lifecycleStage: run.info.lifecycleStage,
      params: { ...run.data.params },
      tags,
      metrics,
      artifacts: await artifactHashes(stores.artifacts, run.info.artifactUri),
    };
  }
  const models: LogbookSnapshot['models'] = {};
  for (const name of modelNames) {
    let model;
    try {
      model = await stores.registry.getRegisteredModel(name);
    } catch (error) {
      if (isLogbookError(error, 'RESOURCE_DOES_NOT_EXIST')) continue;
      throw error;
    }
    const { items } = await collectPages((pageToken) => stores.registry.searchModelVersions({ filter: `name = '${name}'`, maxResults: 200, ...(pageToken === undefined ? {} : { pageToken }) }));
    const versionKey = new Map<string, string>();
    const versions: Record<string, ModelVersionSnapshot> = {};
    for (const v of items) {
      const key = v.tags[LOCAL_ID] ?? `${v.name}/${v.version}`;
      versionKey.set(v.version, key);
      const tags = { ...v.tags };
      delete tags[LOCAL_ID];
      delete tags[STATION];
      delete tags[FINGERPRINT];
      const run = v.runId === undefined || v.runId === '' ? undefined : (keyOf.get(v.runId) ?? `unknown:${v.runId}`);
      const source = v.runId !== undefined && v.runId !== '' ? v.source.replace(`runs:/${v.runId}/`, `runs:/${run}/`) : v.source;
      versions[key] = { stage: v.currentStage, description: v.description ?? '', source, run, tags };
    }
    const aliases: Record<string, string> = {};
    for (const [alias, version] of Object.entries(model.aliases)) aliases[alias] = versionKey.get(version) ?? `unknown:${version}`;
    models[name] = { description: model.description ?? '', tags: { ...model.tags }, aliases, versions };
  }
  return { experiments, runs, models };
}
