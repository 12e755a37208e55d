/*
 * REST API throughput, on demand: `pnpm bench:api [--requests N] [--concurrency C]`
 * (defaults 1000 and 8).
 *
 * Two servers hold the same data (100 experiments; 100 runs with 20 params, 5 tags and 10
 * metrics x 10 steps each), seeded through the same TrackingStore calls:
 *   (a) mlflow: the pinned MLflow server's own REST API (MlflowServer, SQLite backend, 2 workers):
 *       GET /api/2.0/mlflow/experiments/search?max_results=200 and GET /api/2.0/mlflow/runs/get;
 *   (b) logbook: the example Koa host (a child Node process) with the Logbook router over the
 *       SQLite store: GET /mlflow/experiments?max_results=200 and GET /mlflow/runs/{id}, with an
 *       API key (authentication on every request; reads are not audited).
 * The load generator runs in this process: C concurrent keep-alive fetch loops on loopback, N
 * requests per call and target after 10% warm-up, run ids cycled. Every response must be 200 and
 * carry the expected number of experiments / the expected run, or the bench fails.
 * Last line: one JSON object; ratios.logbook_vs_mlflow = requests/s of (b) / (a) over both calls;
 * peakRssMb is the Logbook host process's peak RSS.
 *
 * Built with tsc and run from dist/ (`pnpm bench:api` does both).
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type TrackingStore = import('../packages/core/src/spi.js').TrackingStore;

const root = new URL('../../', import.meta.url);
const load = <T>(path: string): Promise<T> => import(new URL(path, root).href) as Promise<T>;

const EXPERIMENTS = 100;
const RUNS = 100;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const n = i < 0 ? fallback : Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(n) || n < 1) {
    console.error(`${name} must be a positive integer`);
    process.exit(2);
  }
  return n;
}

/** Writes the bench data set; returns the run ids. */
async function seed(store: TrackingStore, tag: string): Promise<string[]> {
  for (let i = 0; i < EXPERIMENTS - 1; i++) await store.createExperiment({ name: `bench-${tag}-${i}`, tags: { team: 'bench', index: String(i) } });
  const experimentId = await store.createExperiment({ name: `bench-${tag}-runs` });
  const ids: string[] = [];
  for (let r = 0; r < RUNS; r++) {
    const run = await store.createRun({ experimentId, runName: `run-${r}`, startTime: 1_700_000_000_000 + r, tags: { 'mlflow.user': 'bench' } });
    const params = Array.from({ length: 20 }, (_, k) => ({ key: `param_${k}`, value: `${k * r}` }));
    const tags = Array.from({ length: 5 }, (_, k) => ({ key: `tag_${k}`, value: `value ${k}` }));
    const metrics = Array.from({ length: 100 }, (_, k) => ({ key: `metric_${k % 10}`, value: Math.sin(k + r), timestamp: 1_700_000_000_000 + k, step: Math.floor(k / 10) }));
    await store.logBatch(run.info.runId, { params, tags, metrics });
    ids.push(run.info.runId);
  }
  return ids;
}

interface Result {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
}

/** C concurrent loops until N requests are done; each response is checked by `check`. */
async function hammer(urls: (i: number) => string, headers: Record<string, string>, n: number, c: number, check: (body: any, i: number) => boolean): Promise<Result> {
  const once = async (i: number) => {
    const started = performance.now();
    const res = await fetch(urls(i), { headers });
    const body = await res.json();
    const ms = performance.now() - started;
    if (res.status !== 200 || !check(body, i)) throw new Error(`unexpected response ${res.status} from ${urls(i)}: ${JSON.stringify(body).slice(0, 200)}`);
    return ms;
  };
  const loop = async (count: number, record: number[] | undefined) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: c }, async () => {
        while (next < count) {
          const i = next++;
          const ms = await once(i);
          record?.push(ms);
        }
      }),
    );
  };
  await loop(Math.ceil(n / 10), undefined);
  const latencies: number[] = [];
  const started = performance.now();
  await loop(n, latencies);
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((x, y) => x - y);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return { rps: n / seconds, p50: pct(50), p99: pct(99) };
}

/** Child mode: serve the example host on the given database, report the URL, then peak RSS on request. */
async function serve(dbPath: string, keyHash: string): Promise<void> {
  const { createHostApp } = await load<typeof import('../examples/koa-host/src/app.js')>('examples/koa-host/dist/app.js');
  const host = await createHostApp({ dbPath, apiKeys: [{ id: 'bench', hash: keyHash, role: 'reader' }] });
  const url = await host.listen(0, '127.0.0.1');
  process.send!({ url });
  process.on('message', async () => {
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    await host.close();
    process.send!({ peakRssMb }, () => process.exit(0));
  });
}

function message<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m as T));
    child.once('exit', (code) => reject(new Error(`logbook host exited with ${code}`)));
  });
}

async function main(): Promise<void> {
  // The MLflow server's supervision timers are unref'd; keep the loop alive while it starts.
  const keepAlive = setInterval(() => undefined, 1000);
  try {
    await measure();
  } finally {
    clearInterval(keepAlive);
  }
}

async function measure(): Promise<void> {
  const n = arg('--requests', 1000);
  const c = arg('--concurrency', 8);
  const mlflow = await load<typeof import('../packages/mlflow/src/index.js')>('packages/mlflow/dist/index.js');
  const sqlite = await load<typeof import('../packages/sqlite/src/index.js')>('packages/sqlite/dist/index.js');
  const koa = await load<typeof import('../packages/koa/src/index.js')>('packages/koa/dist/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'logbook-bench-api-'));
  const server = new mlflow.MlflowServer({ workers: 2, maxRestarts: 0 })
    .setupDatabaseBackend(`sqlite:///${join(dir, 'mlflow.db')}`)
    .configureArtifactStore({ kind: 'local', directory: join(dir, 'mlartifacts') });
  let child: ChildProcess | undefined;
  try {
    const mlflowUri = await server.startTrackingServer('127.0.0.1', 0);
    const mlflowStore = new mlflow.MlflowStore({ trackingUri: mlflowUri });
    const mlflowRuns = await seed(mlflowStore, 'mlflow');
    await mlflowStore.close();
    const dbPath = join(dir, 'logbook.db');
    const logbookStore = new sqlite.SqliteStore({ path: dbPath });
    const logbookRuns = await seed(logbookStore, 'logbook');
    await logbookStore.close();

    const key = koa.generateApiKey('bench');
    child = fork(new URL(import.meta.url), ['--serve', dbPath, await koa.hashApiKey(key, 'sha256')], { stdio: 'inherit' });
    const { url } = await message<{ url: string }>(child);

    const listCheck = (b: { experiments?: unknown[] }) => b.experiments?.length === EXPERIMENTS + 1;
    const runCheck = (runs: string[]) => (b: { run?: { info?: { run_id?: string } } }, i: number) => b.run?.info?.run_id === runs[i % RUNS];
    const mlflowApi = `${mlflowUri}/api/2.0/mlflow`;
    const auth = { 'x-api-key': key };
    const results = {
      mlflow_list_experiments: await hammer(() => `${mlflowApi}/experiments/search?max_results=200`, {}, n, c, listCheck),
      logbook_list_experiments: await hammer(() => `${url}/mlflow/experiments?max_results=200`, auth, n, c, listCheck),
      mlflow_get_run: await hammer((i) => `${mlflowApi}/runs/get?run_id=${mlflowRuns[i % RUNS]}`, {}, n, c, runCheck(mlflowRuns)),
      logbook_get_run: await hammer((i) => `${url}/mlflow/runs/${logbookRuns[i % RUNS]}`, auth, n, c, runCheck(logbookRuns)),
    };
    child.send('stop');
    const { peakRssMb } = await message<{ peakRssMb: number }>(child);

    const overall = (a: Result, b: Result) => (2 * n) / (n / a.rps + n / b.rps);
    const mlflowRps = overall(results.mlflow_list_experiments, results.mlflow_get_run);
    const logbookRps = overall(results.logbook_list_experiments, results.logbook_get_run);
    console.log(`mlflow ${(await server.status()).version} (SQLite backend, 2 workers) vs Logbook router (SQLite store, 1 Node process); ${n} requests per call, concurrency ${c}`);
    for (const [name, r] of Object.entries(results)) {
      console.log(`${name.padEnd(26)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${r.p50.toFixed(2)} ms   p99 ${r.p99.toFixed(2)} ms`);
    }
    console.log(
      `list experiments: logbook/mlflow = ${(results.logbook_list_experiments.rps / results.mlflow_list_experiments.rps).toFixed(2)}; get run: ${(results.logbook_get_run.rps / results.mlflow_get_run.rps).toFixed(2)}`,
    );
    const p99Ms = Object.fromEntries(Object.entries(results).map(([k, r]) => [k, Number(r.p99.toFixed(2))]));
    console.log(JSON.stringify({ bench: 'api', ratios: { logbook_vs_mlflow: Number((logbookRps / mlflowRps).toFixed(3)) }, p99Ms, peakRssMb }));
  } finally {
    if (child !== undefined && child.exitCode === null) child.kill();
    // Bounded: a server that does not stop in time must not hang the bench (nor end it early).
    const keepAlive = setInterval(() => undefined, 1000);
    await Promise.race([server.stop(), new Promise((resolve) => setTimeout(resolve, 30_000))]);
    clearInterval(keepAlive);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--serve') await serve(process.argv[3]!, process.argv[4]!);
else await main();
