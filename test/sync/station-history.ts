// Test data for sync and bundle tests: an offline station's history in a real Logbook SQLite file
// (experiments, nested runs, params incl. a 6000-character and a non-BMP one, metric histories
// with NaN/±Inf, artifacts, a registered model with stages, aliases and lineage tags), and a
// snapshot of what a tracking store holds, so a target can be compared with its source.
import { randomBytes } from 'node:crypto';
import { ModelStage, RunStatus } from '../../packages/core/src/index.js';
import type { Metric, Run } from '../../packages/core/src/index.js';
import type { RegistryStore, TrackingStore } from '../../packages/core/src/spi.js';
import { LocalArtifactStore, SqliteStore } from '../../packages/sqlite/src/index.js';

/** Shape of one station's history. */
export interface StationHistoryOptions {
  /** Prefix of the experiment names (unique per test, so tests share one server). */
  readonly prefix: string;
  /** Experiments of this station. @default 1 */
  readonly experiments?: number;
  /** An experiment every station of a test logs into too (created once on the target). */
  readonly sharedExperiment?: string;
  /** Top-level runs per experiment. @default 2 */
  readonly runs?: number;
  /** Nested runs under each top-level run. @default 1 */
  readonly children?: number;
  /** Points per metric key (3 keys per run). @default 50 */
  readonly pointsPerMetric?: number;
  /** Bytes of the artifact each top-level run gets. @default 4096 */
  readonly artifactBytes?: number;
  /** Registered model whose versions point at the top-level runs. @default none */
  readonly model?: string;
}

/** What was built. */
export interface StationHistory {
  readonly experimentNames: readonly string[];
  readonly runIds: readonly string[];
  readonly points: number;
}

const KEYS = ['loss', 'accuracy', 'lr'];

function metricValue(key: string, step: number): number {
  if (key === 'loss' && step === 3) return Number.NaN;
  if (key === 'accuracy' && step === 5) return Number.POSITIVE_INFINITY;
  if (key === 'accuracy' && step === 6) return Number.NEGATIVE_INFINITY;
  return key === 'lr' ? 0.001 * (step + 1) : 1 / (step + 1);
}

/** Logs `runId`'s points for steps `[from, to)` in log-batch chunks. */
export async function logPoints(store: SqliteStore, runId: string, from: number, to: number, t0 = 1_700_000_000_000): Promise<number> {
  let points = 0;
  for (let start = from; start < to; start += 300) {
    const metrics: Metric[] = [];
    for (let step = start; step < Math.min(to, start + 300); step++) {
      for (const key of KEYS) metrics.push({ key, value: metricValue(key, step), timestamp: t0 + step * 1000, step });
    }
    await store.logBatch(runId, { metrics });
    points += metrics.length;
  }
  return points;
}

/** Builds (or adds to) a station history in the Logbook database at `dbPath`. */
export async function buildStation(dbPath: string, options: StationHistoryOptions): Promise<StationHistory> {
  const store = new SqliteStore({ path: dbPath });
  const artifacts = new LocalArtifactStore();
  const experimentNames: string[] = [];
  const runIds: string[] = [];
  let points = 0;
  try {
    const names = Array.from({ length: options.experiments ?? 1 }, (_, i) => `${options.prefix}-exp-${i}`);
    if (options.sharedExperiment !== undefined) names.push(options.sharedExperiment);
    for (const name of names) {
      const experimentId = (await store.getExperimentByName(name))?.experimentId ?? (await store.createExperiment({ name, tags: { team: 'survey', 'note.unicode': 'Ωmega 𝔘' } }));
      experimentNames.push(name);
      for (let r = 0; r < (options.runs ?? 2); r++) {
        const run = await store.createRun({ experimentId, runName: `${options.prefix}-run-${r}`, startTime: 1_700_000_000_000 + r, tags: { stage: 'train' } });
        const runId = run.info.runId;
        runIds.push(runId);
        await store.logBatch(runId, {
          params: [
            { key: 'lr', value: String(0.01 * (r + 1)) },
            { key: 'long', value: 'x'.repeat(5990) + '𝔘𝔘𝔘𝔘𝔘' },
            { key: 'unicode', value: 'température 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🚀' },
          ],
        });
        points += await logPoints(store, runId, 0, options.pointsPerMetric ?? 50);
        const bytes = options.artifactBytes ?? 4096;
        if (bytes > 0) await artifacts.put(run.info.artifactUri, 'model/weights.bin', randomBytes(bytes));
        await artifacts.put(run.info.artifactUri, 'notes.txt', Buffer.from(`run ${r} of ${name}\n`));
        for (let c = 0; c < (options.children ?? 1); c++) {
          const child = await store.createRun({
            experimentId,
            runName: `${options.prefix}-run-${r}-child-${c}`,
            startTime: 1_700_000_000_100 + c,
            tags: { 'mlflow.parentRunId': runId },
          });
          runIds.push(child.info.runId);
          await store.logBatch(child.info.runId, { params: [{ key: 'fold', value: String(c) }] });
          points += await logPoints(store, child.info.runId, 0, 10);
          await store.updateRun(child.info.runId, { status: RunStatus.FINISHED, endTime: 1_700_000_100_000 + c });
        }
        await store.updateRun(runId, { status: RunStatus.FINISHED, endTime: 1_700_000_200_000 + r });
        if (options.model !== undefined) {
          if ((await store.searchRegisteredModels({ filter: `name = '${options.model}'` })).items.length === 0) {
            await store.createRegisteredModel({ name: options.model, description: 'shared model', tags: { owner: 'survey' } }).catch(() => undefined);
          }
          const version = await store.createModelVersion({ name: options.model, source: `runs:/${runId}/model`, runId, tags: { semver: `1.${r}.0` } });
          await store.transitionModelVersionStage(options.model, version.version, r === 0 ? ModelStage.Staging : ModelStage.Production, false);
          await store.setRegisteredModelAlias(options.model, `${options.prefix}-latest`, version.version);
        }
      }
    }
  } finally {
    await store.close();
    await artifacts.close();
  }
  return { experimentNames, runIds, points };
}

/** A run as compared between source and target (ids replaced by local ids). */
export interface RunSnapshot {
  readonly name: string;
  readonly status: string;
  readonly startTime: number;
  readonly endTime?: number;
  readonly params: Record<string, string>;
  readonly tags: Record<string, string>;
  readonly parent?: string;
  readonly metrics: Record<string, readonly (readonly [number, number, number])[]>;
}

/** The runs of one experiment by local id, plus how many target runs share a local id beyond the first. */
export interface ExperimentSnapshot {
  readonly runs: Record<string, RunSnapshot>;
  readonly duplicates: number;
}

async function allRuns(tracking: TrackingStore, experimentId: string): Promise<Run[]> {
  const runs: Run[] = [];
  let pageToken: string | undefined;
  do {
    const page = await tracking.searchRuns({ experimentIds: [experimentId], maxResults: 1000, ...(pageToken === undefined ? {} : { pageToken }) });
    runs.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined && pageToken !== '');
  return runs;
}

async function history(tracking: TrackingStore, runId: string, key: string): Promise<(readonly [number, number, number])[]> {
  const points: (readonly [number, number, number])[] = [];
  let pageToken: string | undefined;
  do {
    const page = await tracking.getMetricHistory(runId, key, { maxResults: 25_000, ...(pageToken === undefined ? {} : { pageToken }) });
    for (const m of page.items) points.push([m.timestamp, m.step, m.value]);
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined && pageToken !== '');
  return points.sort((a, b) => a[0] - b[0] || a[1] - b[1] || String(a[2]).localeCompare(String(b[2])));
}

/**
 * What `tracking` holds for experiment `name`. `remote`: runs are keyed by their provenance tag
 * `logbook.sync.local_id` (and parent links mapped back to local ids), else by their own id.
 */
export async function snapshotExperiment(tracking: TrackingStore, name: string, remote: boolean): Promise<ExperimentSnapshot> {
  const experiment = await tracking.getExperimentByName(name);
  if (experiment === undefined) return { runs: {}, duplicates: 0 };
  const runs = await allRuns(tracking, experiment.experimentId);
  const localOf = new Map(runs.map((r) => [r.info.runId, remote ? (r.data.tags['logbook.sync.local_id'] ?? `?${r.info.runId}`) : r.info.runId]));
  const out: Record<string, RunSnapshot> = {};
  let duplicates = 0;
  for (const run of runs) {
    const local = localOf.get(run.info.runId)!;
    if (out[local] !== undefined) duplicates += 1;
    const tags = Object.fromEntries(Object.entries(run.data.tags).filter(([k]) => !k.startsWith('mlflow.') && !k.startsWith('logbook.sync.')));
    const parentRemote = run.data.tags['mlflow.parentRunId'];
    const metrics: Record<string, readonly (readonly [number, number, number])[]> = {};
    for (const key of Object.keys(run.data.metrics).sort()) metrics[key] = await history(tracking, run.info.runId, key);
    out[local] = {
      name: run.info.runName,
      status: run.info.status,
      startTime: run.info.startTime,
      ...(run.info.endTime === undefined ? {} : { endTime: run.info.endTime }),
      params: { ...run.data.params },
      tags,
      ...(parentRemote === undefined ? {} : { parent: localOf.get(parentRemote) ?? `?${parentRemote}` }),
      metrics,
    };
  }
  return { runs: out, duplicates };
}

/** Versions of a registered model as `{ source run local id -> stage }`, plus aliases, comparable across stores. */
export async function snapshotModel(registry: RegistryStore, tracking: TrackingStore, name: string, remote: boolean): Promise<{ versions: string[]; aliases: string[] }> {
  const page = await registry.searchModelVersions({ filter: `name = '${name}'`, maxResults: 1000 });
  const versions: string[] = [];
  for (const v of page.items) {
    let local = v.runId ?? '-';
    if (remote && v.runId !== undefined) local = (await tracking.getRun(v.runId)).data.tags['logbook.sync.local_id'] ?? `?${v.runId}`;
    versions.push(`${local}:${v.currentStage}:${v.tags['semver'] ?? ''}`);
  }
  const model = await registry.getRegisteredModel(name);
  const aliases = Object.keys(model.aliases).sort();
  return { versions: versions.sort(), aliases };
}
