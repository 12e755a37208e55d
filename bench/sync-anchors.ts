/*
 * The anchors `pnpm bench:sync` measures Logbook's sync against (see bench/sync.ts):
 *   (a) mlflow-export-import: the history logged with MLflow's `sqlite:///` store, exported through
 *       a local `mlflow server` over that file (its start-up not timed), imported into the server;
 *   (b) a Python script reading the station database and calling MlflowClient.log_batch;
 *   (d) the server's ceiling: pre-built runs/log-batch payloads of 1000 points over 4 connections.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KEYS, T0 } from './metric-points.js';

type MlflowModule = typeof import('../packages/mlflow/dist/index.js');

/** One arm's time and the experiment it wrote into. */
export interface Timed {
  readonly seconds: number;
  readonly experiment: string;
}

const run = promisify(execFile);

/**
 * Reads the station's experiment with sqlite3 and logs it through MlflowClient: create_run, one
 * log_batch of params and tags, full log_batch calls of 1000 points, log_artifact, set_terminated
 * with the original end time. Used by (b) against the server and by (a) into a `sqlite:///` store.
 */
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

/** Runs PYTHON_BATCH with `python`; resolves its own timing. */
async function logWithPython(python: string, uri: string, station: string, sourceExperiment: string, experiment: string, cwd?: string): Promise<number> {
  const child = spawn(python, ['-c', PYTHON_BATCH, uri, station, experiment, sourceExperiment], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, MLFLOW_ENABLE_TELEMETRY: 'false' },
    ...(cwd === undefined ? {} : { cwd }),
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`python bench exited with ${code}`);
  return (JSON.parse(out.trim().split('\n').at(-1)!) as { seconds: number }).seconds;
}

/** (b) MLflow's Python client, full log_batch calls, one at a time. */
export async function pythonBatch(python: string, uri: string, station: string, sourceExperiment: string, experiment: string): Promise<Timed> {
  return { seconds: await logWithPython(python, uri, station, sourceExperiment, experiment), experiment };
}

/** Runs one of mlflow-export-import's commands against `trackingUri`; rejects with its output on failure. */
async function exim(venv: string, command: string, trackingUri: string, args: readonly string[]): Promise<void> {
  await run(join(venv, 'bin', command), args, {
    env: { ...process.env, MLFLOW_TRACKING_URI: trackingUri, MLFLOW_ENABLE_TELEMETRY: 'false' },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/**
 * (a) mlflow-export-import: the station's experiment logged with MLflow's `sqlite:///` store
 * (not timed: that is the station's own logging), a local `mlflow server` started over that file
 * (not timed), then `export-experiment` from it and `import-experiment` into `uri` (timed, end to end).
 */
export async function exportImport(mlflow: MlflowModule, venv: string, uri: string, station: string, sourceExperiment: string, experiment: string, dir: string): Promise<Timed> {
  const home = join(dir, 'export-import');
  mkdirSync(home, { recursive: true });
  const db = `sqlite:///${join(home, 'mlflow.db')}`;
  await logWithPython(join(venv, 'bin', 'python'), db, station, sourceExperiment, experiment, home);
  const local = new mlflow.MlflowServer({ mlflowBin: join(venv, 'bin', 'mlflow'), workers: 2, maxRestarts: 0 })
    .setupDatabaseBackend(db)
    .configureArtifactStore({ kind: 'local', directory: join(home, 'mlartifacts') });
  try {
    const localUri = await local.startTrackingServer('127.0.0.1', 0);
    const out = join(home, 'exported');
    const started = performance.now();
    await exim(venv, 'export-experiment', localUri, ['--experiment', experiment, '--output-dir', out]);
    await exim(venv, 'import-experiment', uri, ['--experiment-name', experiment, '--input-dir', out]);
    return { seconds: (performance.now() - started) / 1000, experiment };
  } finally {
    await local.stop();
  }
}

/** (d) Pre-built log-batch bodies of 1000 points posted over 4 connections. */
export async function ceiling(mlflow: MlflowModule, uri: string, experiment: string, runs: number, points: number): Promise<Timed> {
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
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        if (!res.ok) throw new Error(`log-batch: HTTP ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, experiment };
}
