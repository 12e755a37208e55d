// `logbook serve` answers MLflow's REST API: one unchanged Python script using only `mlflow` runs
// against `logbook serve` (a real process on a SQLite file in a temp folder) and against the live
// MLflow server; the normalized dumps (params, metric histories, tags, nesting, artifact bytes,
// registry state, error codes) must be equal.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeLive, live } from '../../packages/mlflow/test/helpers/live.js';
import { PYTHON_ENV, python, root, startServe } from './serve-process.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));

/** Runs parity.py against `uri` with a fresh name prefix; returns its dump. */
async function dumpOf(uri: string, dir: string, label: string): Promise<unknown> {
  const out = join(dir, `${label}.json`);
  const prefix = `parity-${label}-${randomBytes(4).toString('hex')}`;
  await run(python, [join(here, 'parity.py'), prefix, out], {
    cwd: dir,
    timeout: 120_000,
    env: { ...process.env, ...PYTHON_ENV, MLFLOW_TRACKING_URI: uri },
  });
  return JSON.parse(await readFile(out, 'utf8'));
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
