import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { locateMlflowBinary } from '@logbook/mlflow';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cli } from './fixture.js';

const server = inject('mlflow');
const describeLive = (server === null ? describe.skip : describe) as typeof describe;
const root = fileURLToPath(new URL('../../../', import.meta.url));
const pinned = /^mlflow(?:\[[^\]]*\])?==(\S+)$/m.exec(readFileSync(join(root, 'scripts/python-requirements.txt'), 'utf8'))![1]!;

/** A TCP port that nothing listens on right now. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** True when a TCP connection to the port is accepted. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** True while any process of the group led by `pid` is alive. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

describeLive('logbook mlflow-server status (against the live server)', () => {
  it('exits 0 and prints the version, which is the pinned one', async () => {
    const r = await cli(['mlflow-server', 'status'], { dbPath: server!.uri });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^reachable\s+yes$/m);
    expect(r.stdout).toMatch(/^latency\s+\d+(\.\d)? ms$/m);
    expect(r.stdout).toMatch(new RegExp(`^version\\s+${pinned.replace(/\./g, '\\.')}$`, 'm'));
    const json = await cli(['--json', 'mlflow-server', 'status'], { dbPath: server!.uri });
    expect(JSON.parse(json.stdout)).toMatchObject({ uri: server!.uri, reachable: true, healthy: true, version: pinned });
  });

  it('sends the configured credentials for /version under basic-auth, and never prints them', async () => {
    const { username, password } = server!.admin;
    const env = { LOGBOOK_TRACKING_USERNAME: username, LOGBOOK_TRACKING_PASSWORD: password };
    const r = await cli(['--json', 'mlflow-server', 'status'], { dbPath: server!.authUri, env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ healthy: true, version: pinned });
    expect(r.stdout + r.stderr).not.toContain(password);
  });

  it('exits 4 when nothing listens at the tracking URI', async () => {
    const r = await cli(['mlflow-server', 'status', '--tracking-uri', `http://127.0.0.1:${await closedPort()}`]);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/^reachable\s+no$/m);
    expect(r.stderr).toMatch(/unreachable \(ECONNREFUSED\)/);
  });
});

describeLive('logbook mlflow-server start (the built bin as a child process)', () => {
  const bin = join(root, 'packages/cli/dist/bin.js');
  let dir: string;
  let child: ChildProcess | undefined;
  let mlflowPid: number | undefined;

  beforeAll(async () => {
    await promisify(execFile)('pnpm', ['exec', 'tsc', '-b', 'packages/cli'], { cwd: root });
    dir = await mkdtemp(join(tmpdir(), 'logbook-cli-server-'));
  });

  afterAll(async () => {
    // Only when an assertion failed half-way: nothing may outlive the test.
    if (child?.exitCode === null) child.kill('SIGKILL');
    if (mlflowPid !== undefined && groupAlive(mlflowPid)) process.kill(-mlflowPid, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('serves until SIGTERM, then stops the whole server and exits 0', async () => {
    const port = await closedPort();
    child = spawn(
      process.execPath,
      [bin, 'mlflow-server', 'start', '--port', String(port), '--backend-store-uri', `sqlite:///${join(dir, 'mlflow.db')}`, '--artifacts-destination', join(dir, 'artifacts'), '--workers', '1'],
      { cwd: dir, env: { ...process.env, LOGBOOK_MLFLOW_BIN: locateMlflowBinary(undefined) }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));

    // Wait for the banner (startup takes seconds; the hook/test timeout bounds it, not a timed assertion).
    const banner = await new Promise<string>((resolve, reject) => {
      const check = () => {
        if (/Press Ctrl-C/.test(stdout)) resolve(stdout);
      };
      child!.stdout!.on('data', check);
      void exited.then((code) => reject(new Error(`logbook exited ${code} before serving:\n${stdout}\n${stderr}`)));
    });
    const uri = /running at (http:\/\/\S+)/.exec(banner)?.[1];
    expect(uri).toBe(`http://127.0.0.1:${port}`);
    expect(banner).toContain(`version ${pinned}`);
    mlflowPid = Number(/pid (\d+)/.exec(banner)?.[1]);
    expect(groupAlive(mlflowPid)).toBe(true);

    const health = await fetch(`${uri}/health`);
    expect(health.status).toBe(200);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toContain('MLflow server stopped.');
    expect(await listening(port)).toBe(false);
    expect(groupAlive(mlflowPid)).toBe(false);
  }, 240_000);
});
