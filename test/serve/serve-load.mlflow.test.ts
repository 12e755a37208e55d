// Load: 8 Python processes log into one `logbook serve` at once (sync, async and batched metrics);
// none fails and every point is stored once. Tagged .mlflow: it needs the pinned Python venv that
// the MLflow test setup checks for.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const python = join(root, '.cache/venv/bin/python');
const WORKERS = 8;
const POINTS = 400;

describe('logbook serve under 8 concurrent Python loggers', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  let url: string;

  beforeAll(async () => {
    await run('pnpm', ['exec', 'tsc', '-b', 'packages/cli'], { cwd: root });
    dir = await mkdtemp(join(tmpdir(), 'logbook-serve-load-'));
    child = spawn(process.execPath, [join(root, 'packages/cli/dist/bin.js'), '--json', '--tracking-uri', join(dir, 'logbook.db'), 'serve', '--port', '0'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    url = await new Promise<string>((resolveUrl, reject) => {
      let out = '';
      child!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const match = /"url":"(http:\/\/[^"]+)"/.exec(out);
        if (match !== null) resolveUrl(match[1]!);
      });
      child!.once('exit', (code) => reject(new Error(`logbook serve exited ${code}`)));
    });
  }, 300_000);

  afterAll(async () => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('loses no point and answers no error', async () => {
    const env = {
      ...process.env,
      MLFLOW_TRACKING_URI: url,
      MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0',
      PYTHONWARNINGS: 'ignore',
      // MLflow 3.17's telemetry thread races on its session variable when a run ends (a client-side KeyError).
      MLFLOW_DISABLE_TELEMETRY: 'true',
    };
    const runIds = await Promise.all(
      Array.from({ length: WORKERS }, (_, i) =>
        run(python, [join(here, 'load.py'), 'load', String(i), String(POINTS)], { cwd: dir, env, timeout: 120_000 }).then((r) => r.stdout.trim().split('\n').at(-1)!),
      ),
    );
    for (const runId of runIds) {
      for (const [key, count] of [
        ['loss', POINTS / 2],
        ['acc', POINTS / 2],
      ] as const) {
        const res = await fetch(`${url}/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=${key}&max_results=25000`);
        const { metrics } = (await res.json()) as { metrics: { step: number }[] };
        expect(new Set(metrics.map((m) => m.step)).size).toBe(count);
        expect(metrics).toHaveLength(count);
      }
    }
    child!.kill('SIGTERM');
    expect(await new Promise((r) => child!.once('exit', (code) => r(code)))).toBe(0);
  }, 240_000);
});
