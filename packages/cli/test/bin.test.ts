import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture } from './fixture.js';
import type { Fixture } from './fixture.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const exec = promisify(execFile);

let f: Fixture;
beforeAll(async () => { f = await createFixture(); });
afterAll(async () => { await f.cleanup(); });

/** Runs the built `logbook` bin as a child process; resolves with its exit code and output. */
async function logbook(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [bin, ...args], { cwd: f.dir, env: { PATH: process.env['PATH'] ?? '' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('bin (the built logbook command, as a subprocess)', () => {
  it('is built with its shebang (pnpm build)', () => {
    expect(existsSync(bin), `${bin} is missing: run pnpm build`).toBe(true);
  });

  it('lists runs from ./logbook.db in its working folder and exits 0', async () => {
    const { code, stdout } = await logbook(['runs', 'list', '--experiment', 'vision/unet']);
    expect(code).toBe(0);
    for (const id of [f.parentRunId, ...f.childRunIds]) expect(stdout).toContain(id);
  });

  it('exits with the documented codes: 3 unknown run, 4 missing database, 2 usage', async () => {
    expect((await logbook(['runs', 'show', 'ffffffffffffffffffffffffffffffff'])).code).toBe(3);
    const missing = await logbook(['--tracking-uri', join(f.dir, 'none.db'), 'models', 'list']);
    expect(missing.code).toBe(4);
    expect(existsSync(join(f.dir, 'none.db'))).toBe(false);
    expect((await logbook(['nonsense'])).code).toBe(2);
  });
});
