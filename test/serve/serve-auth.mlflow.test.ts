// `logbook serve --basic-auth` / `--bearer-token` (and their LOGBOOK_SERVE_* variables): Python's
// `mlflow` with MLFLOW_TRACKING_USERNAME/PASSWORD or MLFLOW_TRACKING_TOKEN logs; no or wrong
// credentials give the same error as MLflow's own basic-auth server (the live one) gives Python.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeLive, live } from '../../packages/mlflow/test/helpers/live.js';
import { PYTHON_ENV, python, root, startServe } from './serve-process.js';
import type { ServeProcess } from './serve-process.js';

const run = promisify(execFile);
const CLEAR = { MLFLOW_TRACKING_USERNAME: '', MLFLOW_TRACKING_PASSWORD: '', MLFLOW_TRACKING_TOKEN: '' };

/** What auth.py saw against `uri` with `credentials` in its environment. */
async function outcome(uri: string, credentials: Record<string, string>): Promise<Record<string, unknown>> {
  const { stdout } = await run(python, [join(root, 'test/serve/auth.py'), `auth-${randomBytes(4).toString('hex')}`], {
    timeout: 60_000,
    env: { ...process.env, ...PYTHON_ENV, ...CLEAR, ...credentials, MLFLOW_TRACKING_URI: uri },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

describeLive('logbook serve with authentication', () => {
  let dir: string;
  const servers: ServeProcess[] = [];
  const password = `pä:ss-${randomBytes(6).toString('hex')}-🔭`;
  // Starts with what a base64url token can start with and commander would read as the version flag.
  const token = `-V${randomBytes(24).toString('base64url')}`;

  beforeAll(async () => {
    await run('pnpm', ['exec', 'tsc', '-b', 'packages/cli'], { cwd: root });
    dir = await mkdtemp(join(tmpdir(), 'logbook-serve-auth-'));
  }, 300_000);

  afterAll(async () => {
    for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('lets in Python with the right user and password or token, and answers others as MLflow does', async () => {
    // `=`: after a space, a token starting with '-V' would be read as the version flag.
    const serve = await startServe(dir, ['--basic-auth', `astro:${password}`, `--bearer-token=${token}`]);
    servers.push(serve);
    expect(serve.output()).toContain('"auth":true');
    expect(serve.output()).not.toContain(password);

    const basic = await outcome(serve.url, { MLFLOW_TRACKING_USERNAME: 'astro', MLFLOW_TRACKING_PASSWORD: password });
    expect(basic).toEqual({ ok: true, runs: 1, params: { lr: '0.01' } });
    expect(await outcome(serve.url, { MLFLOW_TRACKING_TOKEN: token })).toEqual({ ok: true, runs: 1, params: { lr: '0.01' } });

    const mlflow = live();
    const theirs = {
      wrongPassword: await outcome(mlflow.authUri, { MLFLOW_TRACKING_USERNAME: mlflow.admin.username, MLFLOW_TRACKING_PASSWORD: 'wrong' }),
      none: await outcome(mlflow.authUri, {}),
    };
    expect(theirs.wrongPassword).toMatchObject({ status: 401 });
    const ours = {
      wrongPassword: await outcome(serve.url, { MLFLOW_TRACKING_USERNAME: 'astro', MLFLOW_TRACKING_PASSWORD: `${password}x` }),
      none: await outcome(serve.url, {}),
    };
    expect(ours).toEqual(theirs);
    expect(await outcome(serve.url, { MLFLOW_TRACKING_USERNAME: 'astrox', MLFLOW_TRACKING_PASSWORD: password })).toEqual(theirs.wrongPassword);
    expect(await outcome(serve.url, { MLFLOW_TRACKING_TOKEN: `${token}x` })).toEqual(theirs.wrongPassword);
    // /health stays public, as on MLflow's server.
    expect(await (await fetch(`${serve.url}/health`)).text()).toBe('OK');
  }, 180_000);

  it('takes the credentials from LOGBOOK_SERVE_BASIC_AUTH and refuses a malformed one before listening', async () => {
    const serve = await startServe(dir, [], { LOGBOOK_SERVE_BASIC_AUTH: 'env-user:env-pass' });
    servers.push(serve);
    expect(await outcome(serve.url, { MLFLOW_TRACKING_USERNAME: 'env-user', MLFLOW_TRACKING_PASSWORD: 'env-pass' })).toMatchObject({ ok: true });
    expect(await outcome(serve.url, {})).toMatchObject({ status: 401 });
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);

    await expect(startServe(dir, ['--basic-auth', 'no-colon'])).rejects.toThrow(/--basic-auth .*'user:password'/);
  }, 120_000);
});
