import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../../..');
const main = join(repo, 'examples/unet-training/dist/main.js');
const cli = join(repo, 'packages/cli/dist/bin.js');

// The program as a user runs it: built, started from a folder that is not the example's own,
// with no configuration at all. It must find the embedded SQLite default by itself.
describe('examples/unet-training main', () => {
  let cwd: string;

  beforeAll(() => {
    execFileSync(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-b', 'examples/unet-training', 'packages/cli'], { cwd: repo, stdio: 'pipe' });
    cwd = mkdtempSync(join(tmpdir(), 'logbook-main-'));
  }, 180_000);

  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it('trains into ./logbook.db of the current folder with no configuration, and the CLI shows the runs', () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LOGBOOK_') && !k.startsWith('MLFLOW_')));
    const trained = spawnSync(process.execPath, [main], { cwd, env, encoding: 'utf8', timeout: 170_000 });
    expect(trained.stderr).not.toMatch(/could not be loaded/);
    expect(trained.status, trained.stderr).toBe(0);
    expect(existsSync(join(cwd, 'logbook.db'))).toBe(true);

    const listed = spawnSync(process.execPath, [cli, 'runs', 'list', '--experiment', 'anomaly-detection/unet-training', '--json'], { cwd, env, encoding: 'utf8' });
    expect(listed.status, listed.stderr).toBe(0);
    const runs = JSON.parse(listed.stdout) as unknown[];
    // One sweep: a parent run and three child runs (one per learning rate).
    expect(runs.length).toBe(4);
  }, 180_000);
});
