import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, expect, it } from 'vitest';
import { isLogbookError } from '@logbook/core';
import { MlflowServer } from '../../src/index.js';
import { groupAlive } from '../../src/server/process-group.js';
import { describeLive } from '../helpers/live.js';
import { pinnedMlflowVersion } from '../helpers/pins.js';

// Each test starts its own real server (SQLite backend in a temp folder): slow, so few of them.
const SLOW = 600_000;
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'lbk-mlflow-server-test-'));
  dirs.push(dir);
  return dir;
};
const newServer = (maxRestarts: number) => {
  const dir = tempDir();
  return new MlflowServer({ maxRestarts, restartBackoffMs: 100, stopTimeoutMs: 10_000, workDir: join(dir, 'work') })
    .setupDatabaseBackend(`sqlite:///${join(dir, 'mlflow.db')}`)
    .configureArtifactStore({ kind: 'local', directory: join(dir, 'artifacts') });
};

describeLive('MlflowServer', () => {
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('restarts a server that was killed, then gives up after maxRestarts', { timeout: SLOW }, async () => {
    const server = newServer(1);
    try {
      const uri = await server.startTrackingServer('127.0.0.1', 0);
      const first = await server.status(30_000);
      expect(first).toMatchObject({ state: 'running', healthy: true, uri, restarts: 0, version: pinnedMlflowVersion() });

      const restarted = once(server, 'restarted');
      process.kill(first.pid!, 'SIGKILL'); // a crash of the leader; its workers must not keep the port
      expect(await restarted).toEqual([1]);
      const second = await server.status(30_000);
      expect(second).toMatchObject({ state: 'running', healthy: true, uri, restarts: 1 });
      expect(second.pid).not.toBe(first.pid);

      const failed = once(server, 'failed');
      process.kill(second.pid!, 'SIGKILL');
      expect(await failed).toEqual([1]);
      expect(await server.status()).toMatchObject({ state: 'failed', healthy: false });
      expect(groupAlive(second.pid!)).toBe(false);
    } finally {
      await server.stop();
    }
  });

  it('runs the basic-auth app with an owner-only ini, keeps secrets out of status and logs, and stops the whole group', { timeout: SLOW }, async () => {
    const dir = tempDir();
    const secrets = { adminPassword: 'pw-0123456789-secret', secretKey: 'key-0123456789abcdef-secret' };
    const server = new MlflowServer({ workDir: join(dir, 'work'), maxRestarts: 3 })
      .setupDatabaseBackend(`sqlite:///${join(dir, 'mlflow.db')}`)
      .configureAuthentication({ adminUsername: 'boss', ...secrets });
    const ini = join(dir, 'work', 'basic_auth.ini');
    expect(statSync(ini).mode & 0o077).toBe(0);
    expect(readFileSync(ini, 'utf8')).toContain('admin_username = boss');
    try {
      const uri = await server.startTrackingServer('127.0.0.1', 0);
      const status = await server.status(30_000);
      // /version needs credentials under basic-auth: status() sends the admin's.
      expect(status).toMatchObject({ authentication: true, healthy: true, version: pinnedMlflowVersion() });
      expect((await fetch(`${uri}/api/2.0/mlflow/experiments/search?max_results=1`)).status).toBe(401);
      const shown = JSON.stringify(status) + server.logs().join('\n');
      expect(shown).not.toContain(secrets.adminPassword);
      expect(shown).not.toContain(secrets.secretKey);

      const exited = once(server, 'exit');
      await server.stop();
      const [code, signal] = await exited;
      expect(signal === 'SIGKILL').toBe(false); // ended by SIGTERM within the grace period
      expect(code === 0 || signal === 'SIGTERM').toBe(true);
      expect(groupAlive(status.pid!)).toBe(false);
      expect(await server.status()).toMatchObject({ state: 'stopped', healthy: false });
    } finally {
      await server.stop(); // idempotent
    }
  });

  it('validates configuration before starting anything', () => {
    const server = newServer(0);
    expect(() => server.setupDatabaseBackend('mssql://u@h/db')).toThrow(/postgresql/);
    let error: unknown;
    try {
      server.configureAuthentication({ adminUsername: 'a', adminPassword: 'short', secretKey: 'x'.repeat(32) });
    } catch (e) {
      error = e;
    }
    expect(isLogbookError(error, 'INVALID_CONFIGURATION')).toBe(true);
    expect((error as Error).message).not.toContain('short');
    expect(() => new MlflowServer({ mlflowBin: join(tempDir(), 'nope') })).toThrow(/not an executable/);
  });
});
