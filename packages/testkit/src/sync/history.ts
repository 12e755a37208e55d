import type { Metric } from '@logbook/core';
import type { ArtifactStore, RegistryStore, TrackingStore } from '@logbook/core/spi';
import { ModelStage, RunStatus } from '@logbook/core';

/** The three stores a history is written to (a SQLite station's, typically). */
export interface HistoryStores {
  readonly tracking: TrackingStore;
  readonly registry: RegistryStore;
  readonly artifacts: ArtifactStore;
}

/** Options of {@link buildSyncHistory}. */
export interface SyncHistoryOptions {
  /** Prefix of experiment and model names, unique per test on a shared server. */
  readonly prefix: string;
  /** Points per metric per run. @default 2000 */
  readonly points?: number;
  /** Nested sweep runs under the parent. @default 3 */
  readonly sweepRuns?: number;
  /** Size of the large binary artifact. @default 1 MiB */
  readonly artifactBytes?: number;
  /** First timestamp (ms). @default 1_700_000_000_000 */
  readonly epoch?: number;
}

/** What {@link buildSyncHistory} wrote. */
export interface SyncHistory {
  readonly experimentNames: readonly string[];
  readonly modelName: string;
  readonly parentRunId: string;
  readonly sweepRunIds: readonly string[];
  readonly deletedRunId: string;
  readonly experimentId: string;
}

/** A 6000-character param value (MLflow's limit) and one with non-BMP characters. */
export const LONG_PARAM = 'x'.repeat(5990) + '0123456789';
export const UNICODE_PARAM = 'état 🚀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓ 日本語';

/** `count` points of `key`: steps 0.., one second apart, with NaN, +Inf and -Inf in the middle. */
export function metricSeries(key: string, count: number, epoch: number, seed: number): Metric[] {
  const out: Metric[] = [];
  for (let step = 0; step < count; step++) {
    let value = Math.exp(-step / 500) * (1 + seed / 10) + ((step * 7919 + seed) % 97) / 1e4;
    if (step === 5) value = Number.NaN;
    if (step === 6) value = Number.POSITIVE_INFINITY;
    if (step === 7) value = Number.NEGATIVE_INFINITY;
    out.push({ key, value, timestamp: epoch + step * 1000, step });
  }
  return out;
}

/** Logs points in batches of 1000 (MLflow's limit). */
export async function logPoints(tracking: TrackingStore, runId: string, metrics: readonly Metric[]): Promise<void> {
  for (let i = 0; i < metrics.length; i += 1000) await tracking.logBatch(runId, { metrics: metrics.slice(i, i + 1000) });
}

/** Deterministic bytes of a given size. */
export function artifactBytes(size: number, seed = 1): Buffer {
  const buf = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    buf[i] = x >>> 16;
  }
  return buf;
}

/**
 * Writes a realistic offline history through the contracts: the README's experiment tree
 * (`<prefix>/anomaly-detection/unet-training` with a description, plus a baseline experiment),
 * a sweep parent with nested runs (`mlflow.parentRunId`), thousands of points per metric with
 * NaN and ±Infinity, a 6000-character and a non-BMP param, tags (one deleted again), a small and
 * a large artifact, a failed run, a deleted run, and a registered model with three versions
 * (`runs:/` sources), stages, an alias, lineage tags and a description.
 */
export async function buildSyncHistory(stores: HistoryStores, options: SyncHistoryOptions): Promise<SyncHistory> {
  const { tracking, registry, artifacts } = stores;
  const points = options.points ?? 2000;
  const epoch = options.epoch ?? 1_700_000_000_000;
  const training = `${options.prefix}/anomaly-detection/unet-training`;
  const baseline = `${options.prefix}/anomaly-detection/baseline`;
  const experimentId = await tracking.createExperiment({
    name: training,
    tags: { 'mlflow.note.content': 'U-Net sweep for the anomaly detector', team: 'vision' },
  });
  const baselineId = await tracking.createExperiment({ name: baseline });

  const parent = await tracking.createRun({ experimentId, runName: 'sweep', startTime: epoch, userId: 'ana', tags: { sweep: 'lr' } });
  const parentId = parent.info.runId;
  await tracking.logBatch(parentId, {
    params: [
      { key: 'search', value: 'grid' },
      { key: 'long', value: LONG_PARAM },
      { key: 'unicode', value: UNICODE_PARAM },
    ],
  });

  const sweepRunIds: string[] = [];
  const sweepRuns = options.sweepRuns ?? 3;
  for (let i = 0; i < sweepRuns; i++) {
    const start = epoch + (i + 1) * 10_000_000;
    const run = await tracking.createRun({
      experimentId,
      runName: `lr-${i}`,
      startTime: start,
      userId: 'ana',
      tags: { 'mlflow.parentRunId': parentId, trial: String(i) },
    });
    const runId = run.info.runId;
    sweepRunIds.push(runId);
    await tracking.logBatch(runId, {
      params: [
        { key: 'lr', value: String(10 ** -(i + 2)) },
        { key: 'batch_size', value: '32' },
        { key: 'unicode', value: UNICODE_PARAM },
      ],
      tags: [
        { key: 'stage', value: 'sweep' },
        { key: 'scratch', value: 'to delete' },
      ],
    });
    await logPoints(tracking, runId, metricSeries('loss', points, start, i));
    await logPoints(tracking, runId, metricSeries('val/accuracy', Math.ceil(points / 4), start, i + 10));
    await tracking.deleteTag(runId, 'scratch');
    await artifacts.put(run.info.artifactUri, 'notes/summary.txt', Buffer.from(`trial ${i} 🚀\n`));
    if (i === 0) await artifacts.put(run.info.artifactUri, 'model/weights.bin', artifactBytes(options.artifactBytes ?? 1024 * 1024, i + 1));
    await tracking.updateRun(runId, { status: i === sweepRuns - 1 ? RunStatus.FAILED : RunStatus.FINISHED, endTime: start + points * 1000 });
  }
  await tracking.updateRun(parentId, { status: RunStatus.FINISHED, endTime: epoch + 99_000_000 });

  const doomed = await tracking.createRun({ experimentId: baselineId, runName: 'mistake', startTime: epoch, userId: 'bo' });
  await tracking.logBatch(doomed.info.runId, { params: [{ key: 'k', value: 'v' }], metrics: [{ key: 'm', value: 1, timestamp: epoch, step: 0 }] });
  await tracking.updateRun(doomed.info.runId, { status: RunStatus.KILLED, endTime: epoch + 5 });
  await tracking.deleteRun(doomed.info.runId);

  const modelName = `${options.prefix}-unet`;
  await registry.createRegisteredModel({ name: modelName, description: 'Anomaly U-Net', tags: { owner: 'vision' } });
  for (let i = 0; i < Math.min(3, sweepRunIds.length); i++) {
    const v = await registry.createModelVersion({
      name: modelName,
      source: `runs:/${sweepRunIds[i]}/model`,
      runId: sweepRunIds[i]!,
      description: `trial ${i}`,
      tags: { 'logbook.semver': `1.${i}.0`, ...(i > 0 ? { 'logbook.parentVersion': String(i) } : {}) },
    });
    if (i === 0) await registry.transitionModelVersionStage(modelName, v.version, ModelStage.Production, false);
    if (i === 1) await registry.transitionModelVersionStage(modelName, v.version, ModelStage.Staging, false);
  }
  await registry.setRegisteredModelAlias(modelName, 'champion', '1');
  await registry.setRegisteredModelAlias(modelName, 'challenger', '2');
  return { experimentNames: [training, baseline], modelName, parentRunId: parentId, sweepRunIds, deletedRunId: doomed.info.runId, experimentId };
}
