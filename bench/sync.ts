/*
 * Moving an offline history into a real MLflow server, on demand: `pnpm bench:sync [--points N]
 * [--runs R]` (default 100,000 points over 100 runs; the full size is --points 1000000).
 *
 * The bench starts its own MLflow server (the pinned version, through MlflowServer; PostgreSQL
 * backend when `psql` reaches one, else SQLite; 2 workers), writes one offline history into a
 * Logbook SQLite station (R runs, 5 params and 3 tags each, N metric points in all, 10 keys per
 * step, a 256 KiB artifact every 10th run), then moves the same data into the server, each way
 * into a fresh experiment:
 *   (b) python_batch: a Python script reading the station database with sqlite3 and calling
 *       MlflowClient.create_run / log_batch with full batches (1000 metrics, 100 params/tags),
 *       one request at a time (artifacts with log_artifact);
 *   (c) logbook: `syncLogbook(openSyncSource(station), mlflow)` — what `logbook sync` runs;
 *   (d) ceiling: pre-built runs/log-batch payloads of 1000 points (the same N points) posted over
 *       4 connections; no params, tags or artifacts: the server's own limit.
 * (a) mlflow-export-import is not measured here (see docs/performance.md).
 * Every run of (b) and (c) is checked to hold its points before figures are printed.
 * Last line: `{"bench":"sync","ratios":{"logbook_vs_python_batch":c/b,"logbook_vs_ceiling":c/d},"peakRssMb":…}`
 * (ratios of points per second).
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { KEYS, T0, parsePoints } from './metric-points.js';

const root = new URL('../../', import.meta.url);
const mlflow = (await import(new URL('packages/mlflow/dist/index.js', root).href)) as typeof import('../packages/mlflow/dist/index.js');
const core = (await import(new URL('packages/core/dist/index.js', root).href)) as typeof import('../packages/core/dist/index.js');
const sqlite = (await import(new URL('packages/sqlite/dist/index.js', root).href)) as typeof import('../packages/sqlite/dist/index.js');

const run = promisify(execFile);

const PYTHON_BATCH = `
import json, math, os, sqlite3, sys, time
from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag
uri, db, experiment = sys.argv[1], sys.argv[2], sys.argv[3]
c = MlflowClient(uri)
con = sqlite3.connect(db)
started = time.perf_counter()
exp_id = c.create_experiment(experiment)
ids = []
for (rid, name, start, end, status, art) in con.execute("SELECT id, name, start_time, end_time, status, artifact_uri FROM runs r WHERE experiment_id = (SELECT experiment_id FROM experiments WHERE name = ?) ORDER BY id", (sys.argv[4],)).fetchall():
    run = c.create_run(exp_id, start_time=start, run_name=name)
    rid_remote = run.info.run_id
    ids.append(rid_remote)
    params = [Param(k, v) for (k, v) in con.execute("SELECT key, value FROM params WHERE run_id = ?", (rid,))]
    tags = [RunTag(k, v) for (k, v) in con.execute("SELECT key, value FROM tags WHERE run_id = ?", (rid,)) if not k.startswith("mlflow.")]
    c.log_batch(rid_remote, params=params[:100], tags=tags[:100])
    batch = []
    for (k, ts, step, v, nan) in con.execute("SELECT key, timestamp, step, value, is_nan FROM metrics WHERE run_id = ?", (rid,)):
        batch.append(Metric(k, float("nan") if nan else v, ts, step))
        if len(batch) == 1000:
            c.log_batch(rid_remote, metrics=batch)
            batch = []
    if batch:
        c.log_batch(rid_remote, metrics=batch)
    folder = art[len("file://"):] if art.startswith("file://") else None
    if folder and os.path.isdir(folder):
        for dirpath, _, files in os.walk(folder):
            for f in files:
                c.log_artifact(rid_remote, os.path.join(dirpath, f), os.path.relpath(dirpath, folder) if dirpath != folder else None)
    c.set_terminated(rid_remote, status, end)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "run_ids": ids}))
`;

interface Timed {
  readonly seconds: number;
  readonly experiment: string;
}

/** The offline history: one experiment in a fresh station database. */
async function buildStation(path: string, experiment: string, runs: number, points: number): Promise<void> {
  const store = new sqlite.SqliteStore({ path });
  const artifacts = new sqlite.LocalArtifactStore({ fsync: false });
  try {
    const experimentId = await store.createExperiment({ name: experiment });
    const perRun = points / runs;
    for (let r = 0; r < runs; r++) {
      const { info } = await store.createRun({ experimentId, runName: `run-${r}`, startTime: T0 + r * 1000 });
      await store.logBatch(info.runId, {
        params: [0, 1, 2, 3, 4].map((p) => ({ key: `param_${p}`, value: String(r * 10 + p) })),
        tags: [{ key: 'team', value: 'survey' }, { key: 'station', value: '7' }, { key: 'trial', value: String(r) }],
      });
      for (let start = 0; start < perRun; start += 1000) {
        const metrics = [];
        for (let i = start; i < Math.min(perRun, start + 1000); i++) {
          const step = Math.floor(i / KEYS.length);
          metrics.push({ key: KEYS[i % KEYS.length]!, value: Math.sin(step * 0.001 + r), timestamp: T0 + step, step });
        }
        await store.logBatch(info.runId, { metrics });
      }
      if (r % 10 === 0) await artifacts.put(info.artifactUri, 'model/weights.bin', randomBytes(256 * 1024));
      await store.updateRun(info.runId, { status: core.RunStatus.FINISHED, endTime: T0 + r * 1000 + 500 });
    }
  } finally {
    await store.close();
  }
}

/** (b) MLflow's Python client, full log_batch calls, one at a time. */
async function pythonBatch(python: string, uri: string, station: string, sourceExperiment: string, experiment: string): Promise<Timed> {
  const child = spawn(python, ['-c', PYTHON_BATCH, uri, station, experiment, sourceExperiment], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`python bench exited with ${code}`);
  return { seconds: (JSON.parse(out.trim().split('\n').at(-1)!) as { seconds: number }).seconds, experiment };
}

/** (c) syncLogbook from the station database. */
async function logbookSync(uri: string, station: string, experiment: string): Promise<Timed> {
  const target = await core.createLogbook({ trackingUri: uri }, { env: {} });
  const source = await sqlite.openSyncSource(station);
  try {
    const started = performance.now();
    const report = await core.syncLogbook(source, { id: uri, ...target.stores });
    const seconds = (performance.now() - started) / 1000;
    if (!report.ok) throw new Error(`sync failed: ${JSON.stringify(report.failures.slice(0, 3))}`);
    return { seconds, experiment };
  } finally {
    await source.close();
    await target.close();
  }
}

/** (d) Pre-built log-batch bodies of 1000 points posted over 4 connections. */
async function ceiling(uri: string, experiment: string, runs: number, points: number): Promise<Timed> {
  const store = new mlflow.MlflowStore({ trackingUri: uri });
  const experimentId = await store.createExperiment({ name: experiment });
  const runIds: string[] = [];
  for (let r = 0; r < runs; r++) runIds.push((await store.createRun({ experimentId, runName: `ceiling-${r}` })).info.runId);
  await store.close();
  const perRun = points / runs;
  const bodies: string[] = [];
  for (let r = 0; r < runs; r++) {
    for (let start = 0; start < perRun; start += 1000) {
      const metrics = [];
      for (let i = start; i < Math.min(perRun, start + 1000); i++) {
        const step = Math.floor(i / KEYS.length);
        metrics.push({ key: KEYS[i % KEYS.length], value: Math.sin(step * 0.001 + r), timestamp: T0 + step, step });
      }
      bodies.push(JSON.stringify({ run_id: runIds[r], metrics }));
    }
  }
  const url = `${uri}/api/2.0/mlflow/runs/log-batch`;
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      if (!res.ok) throw new Error(`log-batch: HTTP ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    }
  }));
  return { seconds: (performance.now() - started) / 1000, experiment };
}

/** Points held by every run of `experiment` (checked against the expected total). */
async function countPoints(uri: string, experiment: string): Promise<number> {
  const store = new mlflow.MlflowStore({ trackingUri: uri });
  try {
    const found = await store.getExperimentByName(experiment);
    if (found === undefined) return 0;
    let total = 0;
    let token: string | undefined;
    do {
      const page = await store.searchRuns({ experimentIds: [found.experimentId], maxResults: 1000, ...(token === undefined ? {} : { pageToken: token }) });
      for (const r of page.items) {
        for (const key of KEYS) {
          let t: string | undefined;
          do {
            const h = await store.getMetricHistory(r.info.runId, key, t === undefined ? {} : { pageToken: t });
            total += h.items.length;
            t = h.nextPageToken;
          } while (t !== undefined);
        }
      }
      token = page.nextPageToken;
    } while (token !== undefined && token !== '');
    return total;
  } finally {
    await store.close();
  }
}

async function backendStore(dir: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const db = `logbook_bench_${randomBytes(4).toString('hex')}`;
  const psql = (sql: string) => run('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql]);
  try {
    await psql(`CREATE DATABASE ${db}`);
    return { url: `postgresql://postgres@127.0.0.1:5432/${db}`, drop: () => psql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).then(() => undefined) };
  } catch {
    return { url: `sqlite:///${join(dir, 'mlflow.db')}`, drop: async () => {} };
  }
}

const argv = process.argv.slice(2);
const points = parsePoints(argv, 100_000);
const runsArg = argv.indexOf('--runs');
const runs = runsArg < 0 ? 100 : Number(argv[runsArg + 1]);
if (!Number.isSafeInteger(runs) || runs < 1 || points % (runs * KEYS.length) !== 0) {
  console.error(`--runs must divide --points into whole steps of ${KEYS.length} keys`);
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'logbook-bench-sync-'));
const backend = await backendStore(dir);
const server = new mlflow.MlflowServer({ workers: 2, maxRestarts: 0 })
  .setupDatabaseBackend(backend.url)
  .configureArtifactStore({ kind: 'local', directory: join(dir, 'artifacts') });
try {
  const uri = await server.startTrackingServer('127.0.0.1', 0);
  const tag = `bench-sync-${Date.now().toString(36)}`;
  const station = join(dir, 'station.db');
  const stationExperiment = `${tag}-logbook`;
  const built = performance.now();
  await buildStation(station, stationExperiment, runs, points);
  console.log(`station: ${runs} runs, ${points} points written in ${((performance.now() - built) / 1000).toFixed(1)} s`);
  const python = join(dirname(mlflow.locateMlflowBinary(undefined)), 'python');

  const b = await pythonBatch(python, uri, station, stationExperiment, `${tag}-python`);
  const c = await logbookSync(uri, station, stationExperiment);
  const d = await ceiling(uri, `${tag}-ceiling`, runs, points);
  for (const [name, r] of [['python_batch', b], ['logbook', c], ['ceiling', d]] as const) {
    const n = await countPoints(uri, r.experiment);
    if (n !== points) throw new Error(`${name}: the server holds ${n} points, expected ${points}`);
  }
  const rate = (r: Timed) => points / r.seconds;
  const backendKind = backend.url.split(':')[0];
  console.log(`mlflow ${(await server.status()).version} (${backendKind} backend, 2 workers), ${runs} runs, ${points} points`);
  console.log(`(b) python MlflowClient.log_batch: ${rate(b).toFixed(0)} points/s (${b.seconds.toFixed(2)} s, runs, params, tags, artifacts included)`);
  console.log(`(c) logbook syncLogbook:           ${rate(c).toFixed(0)} points/s (${c.seconds.toFixed(2)} s, runs, params, tags, artifacts included)`);
  console.log(`(d) ceiling, 4 connections:        ${rate(d).toFixed(0)} points/s (${d.seconds.toFixed(2)} s, points only)`);
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const ratio = (x: Timed) => Number((rate(c) / rate(x)).toFixed(3));
  console.log(JSON.stringify({ bench: 'sync', ratios: { logbook_vs_python_batch: ratio(b), logbook_vs_ceiling: ratio(d) }, peakRssMb }));
} finally {
  await server.stop();
  await backend.drop();
  rmSync(dir, { recursive: true, force: true });
}
