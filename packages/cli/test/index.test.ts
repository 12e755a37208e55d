import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError, ExitCode, exitCodeFor } from '../src/index.js';
import { LogbookError } from '@logbook/core';
import { cli, createFixture } from './fixture.js';
import type { Fixture } from './fixture.js';

/** A loopback port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let f: Fixture;
beforeAll(async () => {
  f = await createFixture();
});
afterAll(async () => {
  await f.cleanup();
});

describe('run', () => {
  describe('configuration', () => {
    it('reads ./logbook.db in the working folder by default', async () => {
      const { code, stdout } = await cli(['experiments', 'list'], { cwd: f.dir });
      expect(code).toBe(0);
      expect(stdout).toContain('vision/unet');
    });

    it('reads LOGBOOK_TRACKING_URI and logbook.config.json like the library, --tracking-uri winning', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'logbook-cli-config-'));
      try {
        await copyFile(f.dbPath, join(dir, 'copy.db'));
        expect((await cli(['experiments', 'list'], { cwd: dir, env: { LOGBOOK_TRACKING_URI: 'sqlite:copy.db' } })).code).toBe(0);
        await writeFile(join(dir, 'logbook.config.json'), JSON.stringify({ trackingUri: './copy.db' }));
        expect((await cli(['experiments', 'list'], { cwd: dir })).stdout).toContain('vision/unet');
        const overridden = await cli(['--tracking-uri', join(dir, 'other.db'), 'experiments', 'list'], { cwd: dir });
        expect(overridden.code).toBe(ExitCode.BACKEND_UNAVAILABLE);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('fails with exit 4 for a missing database file, and does not create it', async () => {
      const missing = join(f.dir, 'missing', 'logbook.db');
      const { code, stderr } = await cli(['experiments', 'list'], { dbPath: missing });
      expect(code).toBe(4);
      expect(stderr).toContain(`No Logbook database at ${missing}`);
      expect(existsSync(missing)).toBe(false);
      expect(existsSync(join(f.dir, 'missing'))).toBe(false);
    });

    it('fails with exit 4 when the MLflow server cannot be reached', async () => {
      const port = await closedPort();
      const { code, stderr } = await cli(['experiments', 'list'], { dbPath: `http://127.0.0.1:${port}`, env: { LOGBOOK_HTTP_MAX_RETRIES: '0' } });
      expect(code).toBe(4);
      expect(stderr).toContain('[mlflow]');
    });

    it('fails with exit 2 for an invalid configuration file', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'logbook-cli-config-'));
      try {
        await writeFile(join(dir, 'logbook.config.json'), '{ "trackingUri": 42 }');
        const { code, stderr } = await cli(['experiments', 'list'], { cwd: dir });
        expect(code).toBe(2);
        expect(stderr).toContain('trackingUri');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  describe('usage', () => {
    it('exits 0 for --help and --version', async () => {
      const help = await cli(['--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Usage: logbook');
      for (const command of ['experiments', 'runs', 'metrics', 'models']) expect(help.stdout).toContain(command);
      expect((await cli(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    });

    it('exits 2 for an unknown command, an unknown option or a missing argument', async () => {
      const unknown = await cli(['experiment', 'list']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain("unknown command 'experiment'");
      expect((await cli(['runs', 'list', '-e', 'x', '--bogus'], { dbPath: f.dbPath })).code).toBe(2);
      expect((await cli(['metrics', f.childRunIds[0]], { dbPath: f.dbPath })).code).toBe(2);
      expect((await cli([])).code).toBe(2);
    });
  });
});

describe('exitCodeFor', () => {
  it('maps store errors, connection failures and CLI errors to the documented codes', () => {
    expect(exitCodeFor(new LogbookError('RESOURCE_DOES_NOT_EXIST', 'x'))).toBe(3);
    expect(exitCodeFor(new LogbookError('INVALID_PARAMETER_VALUE', 'x'))).toBe(2);
    expect(exitCodeFor(new LogbookError('FEATURE_DISABLED', 'x'))).toBe(2);
    expect(exitCodeFor(new LogbookError('TEMPORARILY_UNAVAILABLE', 'x'))).toBe(4);
    expect(exitCodeFor(new LogbookError('INTERNAL_ERROR', 'x'))).toBe(1);
    expect(exitCodeFor(Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } }))).toBe(4);
    expect(exitCodeFor(new CliError('x', ExitCode.NOT_FOUND))).toBe(3);
    expect(exitCodeFor(new TypeError('bug'))).toBe(1);
  });
});
