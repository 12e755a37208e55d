/*
 * Moving an offline history into a real MLflow server, on demand: `pnpm bench:sync [--points N]
 * [--runs R]` (default 100,000 points over 100 runs; the issue's full size is --points 1000000).
 *
 * The bench starts its own MLflow server (bench/support/bench-server.ts: the pinned version,
 * PostgreSQL backend when `psql` reaches one, else SQLite; 2 workers), writes one offline history
 * into a Logbook SQLite station (R runs, 5 params and 3 tags each, N metric points in all, 10 keys
 * per step, a 256 KiB artifact every 10th run), then moves the same data into the server four
 * ways, each into a fresh experiment (bench/sync-anchors.ts holds a, b and d):
 *   (a) export_import: mlflow-export-import (pinned in bench/support/export-import-requirements.txt,
 *       installed by the bench into its own .cache/venv-bench): the history logged with MLflow's
 *       `sqlite:///` store, exported through a local `mlflow server` over that file (start-up not
 *       timed) and imported into the server;
 *   (b) python_batch: a Python script reading the station database with sqlite3 and calling
 *       MlflowClient.create_run / log_batch with full batches, one request at a time;
 *   (c) logbook: `syncLogbook(openSyncSource(station), mlflow)` — what `logbook sync` runs — in a
 *       child process of its own, whose peak RSS (VmHWM) is the figure reported;
 *   (d) ceiling: pre-built runs/log-batch payloads of 1000 points (the same N points) posted over
 *       4 connections; no params, tags or artifacts: the server's own limit.
 * Every run of every arm is checked to hold its points before figures are printed, and the start
 * times each arm left on the server are compared with the station's.
 * `--arms abcd` (the default) picks the arms to run (e.g. `--arms cd` while profiling the engine);
 * the ratios of arms left out are null. `--concurrency N` sets (c)'s runs and metric requests in
 * flight (default 4, as `logbook sync`).
 * Last line: `{"bench":"sync","ratios":{"logbook_vs_export_import":c/a,"logbook_vs_python_batch":c/b,"logbook_vs_ceiling":c/d},"peakRssMb":…}`
 * (ratios of points per second; peakRssMb of the sync process).
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { KEYS, T0, parsePoints } from './metric-points.js';
import { ceiling, exportImport, pythonBatch } from './sync-anchors.js';
import type { Timed } from './sync-anchors.js';
import { startBenchServer } from './support/bench-server.js';

const root = new URL('../../', import.meta.url);
const mlflow = (await import(new URL('packages/mlflow/dist/index.js', root).href)) as typeof import('../packages/mlflow/dist/index.js');
const core = (await import(new URL('packages/core/dist/index.js', root).href)) as typeof import('../packages/core/dist/index.js');
const sqlite = (await import(new URL('packages/sqlite/dist/index.js', root).href)) as typeof import('../packages/sqlite/dist/index.js');

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
        tags: [
          { key: 'team', value: 'survey' },
          { key: 'station', value: '7' },
          { key: 'trial', value: String(r) },
        ],
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

/** Peak resident set of this process (VmHWM: reset at exec, unlike getrusage's maxrss). */
function peakRssMb(): number {
  const line = readFileSync('/proc/self/status', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'));
  return line === undefined ? Math.round(process.resourceUsage().maxRSS / 1024) : Math.round(Number(line.split(/\s+/)[1]) / 1024);
}

/** The child of (c): syncLogbook from the station database; prints its time and peak RSS. */
async function syncChild(uri: string, station: string, concurrency: number): Promise<void> {
  // As `logbook sync` opens its target: no spool (it would hand back local ids for the id map).
  const target = await core.createLogbook({ trackingUri: uri, spool: { enabled: false } }, { env: {} });
  const source = await sqlite.openSyncSource(station);
  try {
    const started = performance.now();
    const report = await core.syncLogbook(source, { id: core.httpTargetId(uri), ...target.stores }, { concurrency });
    const seconds = (performance.now() - started) / 1000;
    if (!report.ok) throw new Error(`sync failed: ${JSON.stringify(report.failures.slice(0, 3))}`);
    console.log(JSON.stringify({ seconds, peakRssMb: peakRssMb() }));
  } finally {
    await source.close();
    await target.close();
  }
}

/** (c) syncLogbook from the station database, in a child process. */
async function logbookSync(uri: string, station: string, experiment: string, concurrency: number): Promise<Timed & { peakRssMb: number }> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--sync-child', uri, station, String(concurrency)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`sync child exited with ${code}`);
  const result = JSON.parse(out.trim().split('\n').at(-1)!) as { seconds: number; peakRssMb: number };
  return { ...result, experiment };
}

/** Points held by the runs of `experiment`, and how many runs kept the station's start time (by run name). */
async function check(uri: string, experiment: string): Promise<{ points: number; runs: number; startKept: number }> {
  const store = new mlflow.MlflowStore({ trackingUri: uri });
  try {
    const found = await store.getExperimentByName(experiment);
    if (found === undefined) return { points: 0, runs: 0, startKept: 0 };
    let points = 0;
    let runs = 0;
    let startKept = 0;
    let token: string | undefined;
    do {
      const page = await store.searchRuns({ experimentIds: [found.experimentId], maxResults: 1000, ...(token === undefined ? {} : { pageToken: token }) });
      for (const r of page.items) {
        runs++;
        const n = /^run-(\d+)$/.exec(r.info.runName ?? '');
        if (n !== null && r.info.startTime === T0 + Number(n[1]) * 1000) startKept++;
        for (const key of KEYS) {
          let t: string | undefined;
          do {
            const h = await store.getMetricHistory(r.info.runId, key, t === undefined ? {} : { pageToken: t });
            points += h.items.length;
            t = h.nextPageToken;
          } while (t !== undefined);
        }
      }
      token = page.nextPageToken;
    } while (token !== undefined && token !== '');
    return { points, runs, startKept };
  } finally {
    await store.close();
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const points = parsePoints(argv, 100_000);
  const runsArg = argv.indexOf('--runs');
  const runs = runsArg < 0 ? 100 : Number(argv[runsArg + 1]);
  if (!Number.isSafeInteger(runs) || runs < 1 || points % (runs * KEYS.length) !== 0) {
    console.error(`--runs must divide --points into whole steps of ${KEYS.length} keys`);
    process.exit(2);
  }
  const concurrencyArg = argv.indexOf('--concurrency');
  const concurrency = concurrencyArg < 0 ? 4 : Number(argv[concurrencyArg + 1]);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    console.error('--concurrency must be a whole number of at least 1 (runs and metric requests in flight; default 4, as logbook sync)');
    process.exit(2);
  }
  const armsArg = argv.indexOf('--arms');
  const arms = armsArg < 0 ? 'abcd' : (argv[armsArg + 1] ?? '');
  if (!/^a?b?cd?$/.test(arms)) {
    console.error('--arms must list some of a, b, c, d in that order, c included (e.g. abcd, cd)');
    process.exit(2);
  }
  const repo = fileURLToPath(root);
  if (arms.includes('a')) await promisify(execFile)('bash', [join(repo, 'bench', 'support', 'setup-venv-bench.sh')]);
  const venv = process.env.LOGBOOK_BENCH_VENV ?? join(repo, '.cache', 'venv-bench');
  const dir = mkdtempSync(join(tmpdir(), 'logbook-bench-sync-'));
  const server = await startBenchServer(mlflow, dir);
  try {
    const { uri } = server;
    const tag = `bench-sync-${Date.now().toString(36)}`;
    const station = join(dir, 'station.db');
    const stationExperiment = `${tag}-logbook`;
    const built = performance.now();
    await buildStation(station, stationExperiment, runs, points);
    console.log(`station: ${runs} runs, ${points} points written in ${((performance.now() - built) / 1000).toFixed(1)} s`);
    const python = join(dirname(mlflow.locateMlflowBinary(undefined)), 'python');

    const arm = async <T extends Timed>(letter: string, fn: () => Promise<T>): Promise<T | undefined> => {
      if (!arms.includes(letter)) return undefined;
      const result = await fn();
      console.log(`(${letter}) done in ${result.seconds.toFixed(1)} s`);
      return result;
    };
    const a = await arm('a', () => exportImport(mlflow, venv, uri, station, stationExperiment, `${tag}-export-import`, dir));
    const b = await arm('b', () => pythonBatch(python, uri, station, stationExperiment, `${tag}-python`));
    const c = (await arm('c', () => logbookSync(uri, station, stationExperiment, concurrency)))!;
    const d = await arm('d', () => ceiling(mlflow, uri, `${tag}-ceiling`, runs, points));
    const kept: Record<string, string> = {};
    for (const [name, r] of [
      ['export_import', a],
      ['python_batch', b],
      ['logbook', c],
      ['ceiling', d],
    ] as const) {
      if (r === undefined) continue;
      const found = await check(uri, r.experiment);
      if (found.points !== points) throw new Error(`${name}: the server holds ${found.points} points, expected ${points}`);
      kept[name] = `${found.startKept}/${found.runs}`;
    }
    const rate = (r: Timed) => points / r.seconds;
    const line = (label: string, r: Timed | undefined, what: string) => {
      if (r !== undefined) console.log(`${label} ${rate(r).toFixed(0)} points/s (${r.seconds.toFixed(2)} s, ${what})`);
    };
    console.log(`mlflow ${await server.version()} (${server.backendKind} backend, 2 workers), ${runs} runs, ${points} points`);
    line('(a) mlflow-export-import:         ', a, `export + import; runs that kept their start time: ${kept.export_import}`);
    line('(b) python MlflowClient.log_batch:', b, `runs, params, tags, artifacts included; start time kept: ${kept.python_batch}`);
    line('(c) logbook syncLogbook:          ', c, `runs, params, tags, artifacts included; start time kept: ${kept.logbook}`);
    line('(d) ceiling, 4 connections:       ', d, 'points only');
    const ratio = (x: Timed | undefined) => (x === undefined ? null : Number((rate(c) / rate(x)).toFixed(3)));
    console.log(
      JSON.stringify({
        bench: 'sync',
        ratios: { logbook_vs_export_import: ratio(a), logbook_vs_python_batch: ratio(b), logbook_vs_ceiling: ratio(d) },
        peakRssMb: c.peakRssMb,
      }),
    );
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const argv = process.argv.slice(2);
if (argv[0] === '--sync-child') await syncChild(argv[1]!, argv[2]!, Number(argv[3]));
else await main(argv);
