// Faults around `logbook sync` against the live MLflow server (PostgreSQL backend), with real
// processes: the built `logbook` bin SIGKILLed at random moments 50 times while a station keeps
// logging, then run to the end; an HTTP proxy between the engine and the server that drops
// requests and responses and answers 503 on a known share of requests (kept-alive or not); four stations syncing into one server at
// once. Every case ends with the server equal to the sources and no run or version twice.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogbook, syncLogbook, ViewType } from '../../packages/core/src/index.js';
import type { Logbook } from '../../packages/core/src/index.js';
import type { TrackingStore } from '../../packages/core/src/spi.js';
import '../../packages/mlflow/src/index.js';
import { faultName, HttpFaultProxy } from '../../packages/mlflow/test/helpers/http-fault-proxy.js';
import type { HttpFault } from '../../packages/mlflow/test/helpers/http-fault-proxy.js';
import { LocalArtifactStore, openSyncSource, SqliteStore } from '../../packages/sqlite/src/index.js';
import { buildSyncHistory, logPoints, metricSeries, snapshotLogbook, uniqueName } from '../../packages/testkit/src/index.js';
import type { SyncHistory } from '../../packages/testkit/src/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'packages/cli/dist/bin.js');
const live = inject('mlflow');

interface Station {
  readonly path: string;
  readonly store: SqliteStore;
  readonly stores: { tracking: SqliteStore; registry: SqliteStore; artifacts: LocalArtifactStore };
}

interface Outcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  /** The phase of the last progress line printed. */
  readonly phase: string;
  /** From the first progress line to the exit (undefined when none was printed). */
  readonly workMs?: number;
}

/**
 * `logbook sync --from <path> --to <uri>` as a child process. `kill`: SIGKILL it `afterMs` after
 * it started (`from: 'spawn'`) or after its first progress line, i.e. once the job is under way
 * (`from: 'work'`).
 */
function syncProcess(path: string, uri: string, kill?: { readonly from: 'spawn' | 'work'; readonly afterMs: number }): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'sync', '--from', path, '--to', uri], { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH } });
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    let workStarted: number | undefined;
    const arm = () => {
      timer ??= setTimeout(() => child.kill('SIGKILL'), kill!.afterMs);
    };
    if (kill?.from === 'spawn') arm();
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (/entities /.test(stderr)) workStarted ??= Date.now();
      if (kill?.from === 'work' && workStarted !== undefined) arm();
    });
    // 'close': the pid is reaped (the next sync may take the dead holder's lease over) and stderr read.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const phases = [...stderr.matchAll(/^(\w+)\s+entities /gm)].map((m) => m[1]!);
      resolve({ code, signal, stderr, phase: phases.at(-1) ?? 'starting', ...(workStarted === undefined ? {} : { workMs: Date.now() - workStarted }) });
    });
  });
}

/** Local ids of the target's runs in `experimentNames`, one entry per remote run (duplicates kept). */
async function remoteLocalIds(tracking: TrackingStore, experimentNames: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const name of experimentNames) {
    const experiment = await tracking.getExperimentByName(name);
    if (experiment === undefined) continue;
    let pageToken: string | undefined;
    do {
      const page = await tracking.searchRuns({ experimentIds: [experiment.experimentId], viewType: ViewType.ALL, maxResults: 1000, ...(pageToken === undefined ? {} : { pageToken }) });
      for (const run of page.items) ids.push(run.data.tags['logbook.sync.local_id'] ?? `no-provenance:${run.info.runId}`);
      pageToken = page.nextPageToken;
    } while (pageToken !== undefined && pageToken !== '');
  }
  return ids.sort();
}

describe.skipIf(live === null)('logbook sync under faults (live MLflow)', () => {
  const uri = live?.uri ?? '';
  let dir: string;
  let mlflow: Logbook;

  function station(name: string): Station {
    const path = join(dir, `${name}.db`);
    const store = new SqliteStore({ path, artifactRoot: join(dir, `${name}-artifacts`) });
    return { path, store, stores: { tracking: store, registry: store, artifacts: new LocalArtifactStore() } };
  }

  async function expectEqual(s: Station, history: SyncHistory): Promise<void> {
    const names = history.experimentNames;
    expect(await snapshotLogbook(mlflow.stores, names, [history.modelName])).toEqual(await snapshotLogbook(s.stores, names, [history.modelName]));
    // No duplicate: every remote run is one local run, every local run is there once.
    const local = await remoteLocalIds(s.store, names);
    expect(await remoteLocalIds(mlflow.stores.tracking, names)).toEqual(local.map((id) => id.replace(/^no-provenance:/, '')));
    const versions = await mlflow.stores.registry.searchModelVersions({ filter: `name = '${history.modelName}'`, maxResults: 200 });
    const sourceVersions = await s.store.searchModelVersions({ filter: `name = '${history.modelName}'`, maxResults: 200 });
    expect(versions.items).toHaveLength(sourceVersions.items.length);
  }

  beforeAll(async () => {
    await promisify(execFile)('pnpm', ['exec', 'tsc', '-b', 'packages/cli'], { cwd: root });
    dir = await mkdtemp(join(tmpdir(), 'logbook-sync-faults-'));
    mlflow = await createLogbook({ trackingUri: uri }, { env: {} });
  }, 300_000);

  afterAll(async () => {
    await mlflow?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('SIGKILLed 50 times at random moments in every phase while the station keeps logging, then completed: equal, no duplicate', async () => {
    const s = station('killed');
    const history = await buildSyncHistory(s.stores, { prefix: uniqueName('kill'), points: 800, sweepRuns: 3, artifactBytes: 512 * 1024 });
    const phases = new Map<string, number>();
    let kills = 0;
    let completed = 0;
    let round = 0;
    // How long the job itself takes (from its first progress line); learnt from complete runs.
    let workMs = 3000;
    try {
      while (kills < 50) {
        round += 1;
        // Every 8th kill during start-up; the others at a random moment of the job itself, from
        // its first phase (deletions) to past its end (registry, cursor commit). Every 10th run is
        // left to finish: it measures how long the job takes now.
        const kill =
          round % 10 === 5
            ? undefined
            : round % 8 === 0
              ? { from: 'spawn' as const, afterMs: Math.floor(Math.random() * 1500) }
              : { from: 'work' as const, afterMs: Math.floor(Math.random() * workMs * 1.1) };
        const outcome = await syncProcess(s.path, uri, kill);
        if (outcome.signal === 'SIGKILL') {
          kills += 1;
          phases.set(outcome.phase, (phases.get(outcome.phase) ?? 0) + 1);
        } else {
          expect(outcome.code, outcome.stderr).toBe(0);
          completed += 1;
          if (outcome.workMs !== undefined) workMs = Math.min(outcome.workMs, 10_000);
        }
        // The station goes on: more points for a run, sometimes a new version and a deleted tag.
        if (round % 4 === 0) {
          const run = history.sweepRunIds[round % history.sweepRunIds.length]!;
          await logPoints(s.store, run, metricSeries('loss', 200, 2_000_000_000_000 + round * 1_000_000, round));
          if (round % 12 === 0) {
            await s.store.createModelVersion({ name: history.modelName, source: `runs:/${run}/model`, runId: run, tags: { round: String(round) } });
            await s.store.setTag(run, `scratch-${round}`, 'x');
            await s.store.deleteTag(run, `scratch-${round}`);
          }
        }
      }
      const last = await syncProcess(s.path, uri);
      expect(last.code, last.stderr).toBe(0);
      console.log(`[sync-faults] ${kills} kills by phase ${JSON.stringify(Object.fromEntries(phases))}; ${completed} syncs completed between kills`);
      // Phases as the last progress line said (a plain line at each phase change): start-up and
      // at least two phases of the job itself.
      expect(phases.get('starting')).toBeGreaterThan(0);
      expect(phases.size).toBeGreaterThanOrEqual(3);
      await expectEqual(s, history);
    } finally {
      await s.store.close();
    }
  }, 600_000);

  it('through an HTTP proxy that drops requests and responses and answers 503 (with and without Retry-After): every fault met, equal, no duplicate', async () => {
    const s = station('proxied');
    const history = await buildSyncHistory(s.stores, { prefix: uniqueName('proxy'), points: 1500, sweepRuns: 3, artifactBytes: 512 * 1024 });
    const proxy = await HttpFaultProxy.start(uri);
    // No spool: the sync target must be the server itself, never a local stand-in.
    const through = await createLogbook({ trackingUri: proxy.uri, http: { backoffFactor: 0.05, backoffJitter: 0.05, maxRetries: 10 }, spool: { enabled: false } }, { env: {} });
    // Faults act per request, on kept-alive connections too, so every run meets the same known
    // faults: every 3rd request of the first 36 meets the next kind in turn, and the first
    // request of each call below (a retry is a request too) meets its own fault, so every
    // phase meets some: ambiguous creates, a streamed upload cut mid-body, 503s on the registry.
    const kinds: HttpFault[] = ['drop-request', 'drop-response', { status: 503, retryAfter: 0 }, { status: 503 }];
    const targeted: [call: RegExp, fault: HttpFault][] = [
      [/^POST \/api\/2\.0\/mlflow\/experiments\/create$/, 'drop-response'],
      [/^POST \/api\/2\.0\/mlflow\/runs\/create$/, 'drop-response'],
      [/^POST \/api\/2\.0\/mlflow\/runs\/log-batch$/, 'drop-request'],
      [/^POST \/api\/2\.0\/mlflow\/runs\/update$/, { status: 503 }],
      [/^PUT \/api\/2\.0\/mlflow-artifacts\/artifacts\//, 'drop-request'],
      [/^POST \/api\/2\.0\/mlflow\/registered-models\/create$/, 'drop-response'],
      [/^POST \/api\/2\.0\/mlflow\/model-versions\/create$/, 'drop-response'],
      [/^POST \/api\/2\.0\/mlflow\/model-versions\/transition-stage$/, { status: 503, retryAfter: 0 }],
      [/^POST \/api\/2\.0\/mlflow\/registered-models\/alias$/, { status: 503, retryAfter: 0 }],
    ];
    const pending = [...targeted];
    let periodic = 0;
    proxy.rule = (req, index) => {
      if (index % 3 === 1 && periodic < 12) return kinds[periodic++ % kinds.length]!;
      const call = `${req.method} ${(req.url ?? '').replace(/\?.*/, '')}`;
      const at = pending.findIndex(([pattern]) => pattern.test(call));
      return at < 0 ? 'pass' : pending.splice(at, 1)[0]![1];
    };
    // And before the first request, a dropped one and two 503s (a start that once hung the test).
    proxy.queue.push('drop-request', { status: 503, retryAfter: 0 }, { status: 503, retryAfter: 0 });
    const expected: Record<string, number> = { 'drop-request': 4, 'drop-response': 3, '503': 3, '503+retry-after': 5 };
    for (const [, fault] of targeted) expected[faultName(fault)]! += 1;
    const source = await openSyncSource(s.path);
    try {
      const target = { id: uri, tracking: through.stores.tracking, registry: through.stores.registry, artifacts: through.stores.artifacts };
      let attempts = 0;
      for (;;) {
        attempts += 1;
        const report = await syncLogbook(source, target).catch((error: unknown) => ({ ok: false as const, error }));
        if (report.ok) break;
        expect(attempts, JSON.stringify(report)).toBeLessThan(8);
      }
      console.log(
        `[sync-faults] proxy: ${proxy.requests} requests, faults met ${JSON.stringify(proxy.counts())}, ${attempts} sync attempt(s); ${proxy.met.map((m) => `${faultName(m.fault)} ${m.method} ${m.url.replace(/\?.*/, '')}`).join(', ')}`,
      );
      expect(pending.map(([pattern]) => String(pattern))).toEqual([]);
      expect(proxy.counts()).toEqual(expected);
      await expectEqual(s, history);
    } finally {
      await source.close();
      await through.close();
      await proxy.close();
      await s.store.close();
    }
  }, 300_000);

  it('four stations syncing into one server at once: the shared experiment and model are created once, every run is there once', async () => {
    const prefix = uniqueName('four');
    const shared = `${prefix}/shared-survey`;
    const model = `${prefix}-detector`;
    const stations = [0, 1, 2, 3].map((i) => station(`four-${i}`));
    const expected: string[] = [];
    try {
      for (const [i, s] of stations.entries()) {
        const experimentId = await s.store.createExperiment({ name: shared, tags: { survey: 'shared' } });
        await s.store.createRegisteredModel({ name: model, description: 'one detector, four stations' });
        for (let r = 0; r < 3; r++) {
          const run = await s.store.createRun({ experimentId, runName: `station-${i}-run-${r}`, startTime: 1_700_000_000_000 + r });
          await logPoints(s.store, run.info.runId, metricSeries('loss', 300, 1_700_000_000_000, i * 10 + r));
          expected.push(run.info.runId);
          if (r === 0) await s.store.createModelVersion({ name: model, source: `runs:/${run.info.runId}/model`, runId: run.info.runId });
        }
      }
      const outcomes = await Promise.all(stations.map((s) => syncProcess(s.path, uri)));
      for (const o of outcomes) expect(o.code, o.stderr).toBe(0);
      const found = await mlflow.stores.tracking.searchExperiments({ filter: `name = '${shared}'`, viewType: ViewType.ALL });
      expect(found.items).toHaveLength(1);
      expect(await remoteLocalIds(mlflow.stores.tracking, [shared])).toEqual([...expected].sort());
      const models = await mlflow.stores.registry.searchRegisteredModels({ filter: `name = '${model}'` });
      expect(models.items).toHaveLength(1);
      const versions = await mlflow.stores.registry.searchModelVersions({ filter: `name = '${model}'` });
      expect(versions.items).toHaveLength(4);
      expect(new Set(versions.items.map((v) => v.tags['logbook.sync.station'])).size).toBe(4);
    } finally {
      for (const s of stations) await s.store.close();
    }
  }, 300_000);
});
