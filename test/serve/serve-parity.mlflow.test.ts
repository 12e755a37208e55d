// `logbook serve` answers MLflow's REST API: one unchanged Python script using only `mlflow` runs
// against `logbook serve` (a real process on a SQLite file in a temp folder) and against the live
// MLflow server; the normalized dumps (params, metric histories, tags, nesting, artifact bytes,
// registry state, error codes) must be equal.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeLive, live } from '../../packages/mlflow/test/helpers/live.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const python = join(root, '.cache/venv/bin/python');
const bin = join(root, 'packages/cli/dist/bin.js');

/** Runs parity.py against `uri` with a fresh name prefix; returns its dump. */
async function dumpOf(uri: string, dir: string, label: string): Promise<unknown> {
  const out = join(dir, `${label}.json`);
  const prefix = `parity-${label}-${randomBytes(4).toString('hex')}`;
  await run(python, [join(here, 'parity.py'), prefix, out], {
    cwd: dir,
    timeout: 120_000,
    env: { ...process.env, MLFLOW_TRACKING_URI: uri, MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0', PYTHONWARNINGS: 'ignore', MLFLOW_DISABLE_TELEMETRY: 'true' },
  });
  return JSON.parse(await readFile(out, 'utf8'));
}

/** Starts `logbook serve` on a free port (`--port 0`) and resolves with its URL once it listens. */
async function startServe(dir: string): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null>; output: () => string }> {
  const child = spawn(process.execPath, [bin, '--json', '--tracking-uri', join(dir, 'logbook.db'), 'serve', '--port', '0'], {
    cwd: dir, env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(stdout);
      if (match !== null) resolveUrl(match[1]!);
    });
    void exited.then((code) => reject(new Error(`logbook serve exited ${code} before listening:\n${stdout}\n${stderr}`)));
  });
  return { child, url, exited, output: () => `${stdout}\n${stderr}` };
}

describeLive('logbook serve (MLflow REST API over SQLite)', () => {
  let dir: string;
  let serve: Awaited<ReturnType<typeof startServe>> | undefined;

  beforeAll(async () => {
    await run('pnpm', ['exec', 'tsc', '-b', 'packages/cli'], { cwd: root });
    dir = await mkdtemp(join(tmpdir(), 'logbook-serve-'));
  }, 300_000);

  afterAll(async () => {
    if (serve?.child.exitCode === null) serve.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('gives an unchanged mlflow script the same results as the real MLflow server, then stops cleanly on SIGTERM', async () => {
    serve = await startServe(dir);
    const health = await fetch(`${serve.url}/health`);
    expect(await health.text()).toBe('OK');
    const notServed = await fetch(`${serve.url}/api/2.0/mlflow/traces/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(notServed.status).toBe(404);
    expect(((await notServed.json()) as { error_code: string }).error_code).toBe('ENDPOINT_NOT_FOUND');

    const [ours, theirs] = await Promise.all([dumpOf(serve.url, dir, 'logbook'), dumpOf(live().uri, dir, 'mlflow')]);
    expect(ours).toEqual(theirs);

    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
    expect(serve.output()).toContain('Logbook server stopped.');
  }, 240_000);
});
