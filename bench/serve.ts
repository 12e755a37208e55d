/*
 * `logbook serve` against `mlflow server`, on demand: `pnpm bench:serve [--runs R] [--steps S]`
 * (default 4 runs of 250 steps).
 *
 * One Python logging workload (bench/serve-workload.py, only the pinned `mlflow` package: per run
 * 5 params, 3 tags, S synchronous log_metrics calls of 3 keys, a 64 KiB artifact) runs against
 *   (a) `mlflow server` with a `sqlite:///` backend store and proxied local artifacts (the pinned
 *       MLflow through MlflowServer, 2 workers), and
 *   (b) `logbook serve` (the built CLI, a real process) on a SQLite file,
 * one after the other in one run. The workload checks that each server holds every point and
 * artifact before its time counts. The idle RSS of `logbook serve` is read from /proc after it
 * starts and answers /health; its peak RSS (VmHWM) after the workload.
 * Last line: `{"bench":"serve","ratios":{"logbook_vs_mlflow_server":a/b},"idleRssMb":…,"peakRssMb":…}`
 * (ratio of logging seconds; peakRssMb is the `logbook serve` process's).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const root = new URL('../../', import.meta.url);
const mlflow = (await import(new URL('packages/mlflow/dist/index.js', root).href)) as typeof import('../packages/mlflow/dist/index.js');
const run = promisify(execFile);
const PYTHON_ENV = { MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0', PYTHONWARNINGS: 'ignore', MLFLOW_DISABLE_TELEMETRY: 'true' };

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const value = i < 0 ? fallback : Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(value) || value < 1) {
    console.error(`${name} must be a positive integer`);
    process.exit(2);
  }
  return value;
}

/** VmRSS / VmHWM of a process, in MiB. */
function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: Math.round(kib('VmRSS') / 1024), peakMb: Math.round(kib('VmHWM') / 1024) };
}

interface Workload {
  readonly seconds: number;
  readonly points: number;
}

async function workload(python: string, uri: string, experiment: string, runs: number, steps: number): Promise<Workload> {
  const { stdout } = await run(python, [new URL('bench/serve-workload.py', root).pathname, experiment, String(runs), String(steps)], {
    env: { ...process.env, ...PYTHON_ENV, MLFLOW_TRACKING_URI: uri },
    timeout: 1_800_000,
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Workload;
}

/** Starts `logbook serve --port 0` on `<dir>/logbook.db`; resolves once it answers /health. */
async function startServe(dir: string): Promise<{ url: string; pid: number; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [new URL('packages/cli/dist/bin.js', root).pathname, '--json', '--tracking-uri', join(dir, 'logbook.db'), 'serve', '--port', '0'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (match !== null) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`logbook serve exited ${code}`)));
  });
  if ((await (await fetch(`${url}/health`)).text()) !== 'OK') throw new Error('logbook serve is not healthy');
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

const runs = arg('--runs', 4);
const steps = arg('--steps', 250);
const dir = mkdtempSync(join(tmpdir(), 'logbook-bench-serve-'));
const server = new mlflow.MlflowServer({ workers: 2, maxRestarts: 0 })
  .setupDatabaseBackend(`sqlite:///${join(dir, 'mlflow.db')}`)
  .configureArtifactStore({ kind: 'local', directory: join(dir, 'mlflow-artifacts') });
try {
  const python = join(dirname(mlflow.locateMlflowBinary(undefined)), 'python');
  const mlflowUri = await server.startTrackingServer('127.0.0.1', 0);
  const a = await workload(python, mlflowUri, 'bench-serve', runs, steps);
  const version = (await server.status()).version;
  await server.stop();

  const serve = await startServe(dir);
  // Let start-up garbage settle before reading the idle figure.
  await new Promise((r) => setTimeout(r, 1000));
  const idle = memoryOf(serve.pid);
  const b = await workload(python, serve.url, 'bench-serve', runs, steps);
  const after = memoryOf(serve.pid);
  const code = await serve.stop();
  if (code !== 0) throw new Error(`logbook serve exited ${code} on SIGTERM`);

  const rate = (w: Workload) => (w.points / w.seconds).toFixed(0);
  console.log(`workload: ${runs} runs x ${steps} steps x 3 keys = ${a.points} points, synchronous log_metrics, 1 artifact per run`);
  console.log(`mlflow server ${version} (sqlite backend, 2 workers): ${a.seconds.toFixed(2)} s (${rate(a)} points/s)`);
  console.log(`logbook serve (sqlite):                ${b.seconds.toFixed(2)} s (${rate(b)} points/s)`);
  console.log(`logbook serve RSS: idle ${idle.rssMb} MiB, after the workload ${after.rssMb} MiB, peak ${after.peakMb} MiB`);
  const ratio = Math.round((a.seconds / b.seconds) * 1000) / 1000;
  console.log(JSON.stringify({ bench: 'serve', ratios: { logbook_vs_mlflow_server: ratio }, idleRssMb: idle.rssMb, peakRssMb: after.peakMb }));
} finally {
  await server.stop().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}
