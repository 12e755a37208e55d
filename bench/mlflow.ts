/*
 * Logging throughput to a real MLflow server, on demand: `pnpm bench:mlflow [--points N]`
 * (default 100,000).
 *
 * The bench starts its own MLflow server (the pinned version, through MlflowServer; PostgreSQL
 * backend when `psql` reaches one, else SQLite; 2 workers) and logs the same metric points
 * (10 keys per step, one timestamp per step) to it two ways:
 *   (a) python_async: MLflow's Python client, `mlflow.log_metrics(..., step=)` per step with
 *       MLFLOW_ENABLE_ASYNC_LOGGING=true, timed from the first call to `flush_async_logging()`;
 *   (b) logbook: `ExperimentTracker.logMetrics` per step (the batching logger, 1000 points per
 *       log-batch) through MlflowStore, timed from the first call to `endRun` (which drains).
 * Also printed, not in the ratio: (c) MlflowStore.logBatch with 1000-point chunks, sequentially.
 * Every run is checked to hold exactly N points before figures are printed.
 * Last line: one JSON object, `ratios.logbook_vs_python_async` = points/s of (b) / points/s of (a).
 *
 * Built with tsc and run from the built packages' dist/ (`pnpm bench:mlflow` does both).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { KEYS, T0, parsePoints } from './metric-points.js';
import { startBenchServer } from './support/bench-server.js';

const root = new URL('../../', import.meta.url);
const mlflow = (await import(new URL('packages/mlflow/dist/index.js', root).href)) as typeof import('../packages/mlflow/dist/index.js');
const core = (await import(new URL('packages/core/dist/index.js', root).href)) as typeof import('../packages/core/dist/index.js');
type MlflowStoreT = import('../packages/mlflow/dist/index.js').MlflowStore;

const PYTHON_ASYNC = `
import json, math, os, sys, time
os.environ["MLFLOW_ENABLE_ASYNC_LOGGING"] = "true"
import mlflow
uri, experiment, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
mlflow.set_tracking_uri(uri)
mlflow.set_experiment(experiment)
keys = ["metric_%d" % k for k in range(10)]
with mlflow.start_run(run_name="python-async") as active:
    started = time.perf_counter()
    for step in range(n // 10):
        mlflow.log_metrics({keys[k]: math.sin(step * 0.001 + k) for k in range(10)}, step=step, timestamp=${T0} + step)
    mlflow.flush_async_logging()
    seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "run_id": active.info.run_id}))
`;

/** (a) The Python client with async logging, in a child process of the venv's Python. */
async function pythonAsync(python: string, uri: string, experiment: string, points: number): Promise<{ seconds: number; runId: string }> {
  const child = spawn(python, ['-c', PYTHON_ASYNC, uri, experiment, String(points)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`python bench exited with ${code}`);
  const result = JSON.parse(out.trim().split('\n').at(-1)!) as { seconds: number; run_id: string };
  return { seconds: result.seconds, runId: result.run_id };
}

const stepMetrics = (step: number): Record<string, number> => Object.fromEntries(KEYS.map((key, k) => [key, Math.sin(step * 0.001 + k)]));

/** (b) ExperimentTracker.logMetrics per step, drained by endRun. */
async function logbook(uri: string, experiment: string, points: number): Promise<{ seconds: number; runId: string }> {
  const lb = await core.createLogbook({ trackingUri: uri });
  try {
    const runId = await lb.tracker.startRun(await lb.tracker.getOrCreateExperiment(experiment), 'logbook');
    const started = performance.now();
    for (let step = 0; step < points / KEYS.length; step++) {
      lb.tracker.logMetrics(stepMetrics(step), step, runId, T0 + step);
      if (step % 100 === 99) await yieldToLoop();
    }
    await lb.tracker.endRun(runId);
    return { seconds: (performance.now() - started) / 1000, runId };
  } finally {
    await lb.close();
  }
}

/** (c) MlflowStore.logBatch, 1000 points per request, one request at a time. */
async function storeBatches(store: MlflowStoreT, experimentId: string, points: number): Promise<{ seconds: number; runId: string }> {
  const { info } = await store.createRun({ experimentId, runName: 'store-logbatch' });
  const started = performance.now();
  let batch: { key: string; value: number; timestamp: number; step: number }[] = [];
  for (let step = 0; step < points / KEYS.length; step++) {
    for (let k = 0; k < KEYS.length; k++) batch.push({ key: KEYS[k]!, value: Math.sin(step * 0.001 + k), timestamp: T0 + step, step });
    if (batch.length === 1000) {
      await store.logBatch(info.runId, { metrics: batch });
      batch = [];
    }
  }
  if (batch.length > 0) await store.logBatch(info.runId, { metrics: batch });
  return { seconds: (performance.now() - started) / 1000, runId: info.runId };
}

async function countPoints(store: MlflowStoreT, runId: string): Promise<number> {
  let total = 0;
  for (const key of KEYS) {
    let token: string | undefined;
    do {
      const page = await store.getMetricHistory(runId, key, token === undefined ? {} : { pageToken: token });
      total += page.items.length;
      token = page.nextPageToken;
    } while (token !== undefined);
  }
  return total;
}

const points = parsePoints(process.argv.slice(2), 100_000);
const dir = mkdtempSync(join(tmpdir(), 'logbook-bench-mlflow-'));
const server = await startBenchServer(mlflow, dir);
try {
  const { uri } = server;
  const store = new mlflow.MlflowStore({ trackingUri: uri });
  const experiment = `bench-mlflow-${Date.now()}`;
  const experimentId = await store.createExperiment({ name: experiment });
  await storeBatches(store, experimentId, 1000); // warm-up: connections, server caches
  const python = join(dirname(mlflow.locateMlflowBinary(undefined)), 'python');

  const a = await pythonAsync(python, uri, experiment, points);
  const b = await logbook(uri, experiment, points);
  const c = await storeBatches(store, experimentId, points);
  for (const [name, r] of [
    ['python_async', a],
    ['logbook', b],
    ['store_logbatch', c],
  ] as const) {
    const n = await countPoints(store, r.runId);
    if (n !== points) throw new Error(`${name}: the server holds ${n} points, expected ${points}`);
  }
  await store.close();
  const rate = (r: { seconds: number }) => points / r.seconds;
  console.log(`mlflow ${await server.version()} (${server.backendKind} backend, 2 workers), ${points} points, 10 keys per step`);
  console.log(`(a) python client, async logging: ${rate(a).toFixed(0)} points/s (${a.seconds.toFixed(2)} s)`);
  console.log(`(b) logbook tracker.logMetrics:   ${rate(b).toFixed(0)} points/s (${b.seconds.toFixed(2)} s)`);
  console.log(`(c) MlflowStore.logBatch x1000:   ${rate(c).toFixed(0)} points/s (${c.seconds.toFixed(2)} s)`);
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(JSON.stringify({ bench: 'mlflow', ratios: { logbook_vs_python_async: Number((rate(b) / rate(a)).toFixed(3)) }, peakRssMb }));
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
