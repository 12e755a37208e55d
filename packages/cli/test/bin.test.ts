import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture } from './fixture.js';
import type { Fixture } from './fixture.js';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const exec = promisify(execFile);

let f: Fixture;
beforeAll(async () => {
  f = await createFixture();
});
afterAll(async () => {
  await f.cleanup();
});

/** Runs the built `logbook` bin as a child process; resolves with its exit code and output. */
async function logbook(args: string[], nodeArgs: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [...nodeArgs, bin, ...args], { cwd: f.dir, env: { PATH: process.env['PATH'] ?? '', ...env } });
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

  it('exits with the documented codes: 3 unknown run, 4 missing or corrupt database (one line), 2 usage', async () => {
    expect((await logbook(['runs', 'show', 'ffffffffffffffffffffffffffffffff'])).code).toBe(3);
    const missing = await logbook(['--tracking-uri', join(f.dir, 'none.db'), 'models', 'list']);
    expect(missing.code).toBe(4);
    expect(existsSync(join(f.dir, 'none.db'))).toBe(false);
    expect((await logbook(['nonsense'])).code).toBe(2);
    writeFileSync(join(f.dir, 'garbage.db'), 'not a database\n'.repeat(100));
    const garbage = await logbook(['--tracking-uri', join(f.dir, 'garbage.db'), 'experiments', 'list']);
    expect(garbage.code).toBe(4);
    expect(garbage.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

/**
 * The modules a `logbook` invocation imports, as resolved URLs, recorded by a module resolve hook
 * (`node --import`) that appends each one to a file: deterministic, unlike timing.
 */
async function modulesLoadedBy(args: string[]): Promise<string[]> {
  const hooks = join(f.dir, 'record-hooks.mjs');
  const register = join(f.dir, 'record-register.mjs');
  const log = join(f.dir, `modules-${args.join('-')}.log`);
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.MODULE_LOG, result.url + '\\n');
  return result;
}
`,
  );
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(`./record-hooks.mjs`)}, import.meta.url);\n`);
  writeFileSync(log, '');
  const { code } = await logbook(args, ['--import', register], { MODULE_LOG: log });
  expect(code).toBe(0);
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((url) => url !== '');
}

const HEAVY = /@logbook\/(core|sqlite|mlflow)|packages\/(core|sqlite|mlflow)\/|undici|pino|semver|better-sqlite3/;

describe('bin start-up (lazy loading)', () => {
  it('--version, --help and a group help load commander and the CLI only: no store, undici, pino or semver', async () => {
    for (const args of [['--version'], ['--help'], ['runs', '--help']]) {
      const loaded = await modulesLoadedBy(args);
      expect(loaded.some((url) => url.includes('commander'))).toBe(true);
      expect(
        loaded.filter((url) => HEAVY.test(url)),
        args.join(' '),
      ).toEqual([]);
    }
  });

  it('a command that reads loads its store then (the hook sees those imports)', async () => {
    const loaded = await modulesLoadedBy(['experiments', 'list']);
    expect(loaded.some((url) => /sqlite/.test(url))).toBe(true);
    expect(loaded.some((url) => /pino/.test(url))).toBe(true);
    expect(loaded.some((url) => /@logbook\/mlflow|packages\/mlflow\/|undici/.test(url))).toBe(false);
  });
});
