// Offline to central through `logbook serve`: parity.py logs into `logbook serve` on a SQLite file;
// after the server stops, `logbook sync --to <live MLflow>` (the CLI, a real process) pushes it; the
// same script with --read-only then reads it back from the live server through MLflow's own Python
// client. Both dumps (params, metric histories with steps and timestamps, tags, nesting, artifact
// bytes, registry state) must be equal.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeLive, live } from '../../packages/mlflow/test/helpers/live.js';
import { PYTHON_ENV, bin, python, root, startServe } from './serve-process.js';
import type { ServeProcess } from './serve-process.js';

const run = promisify(execFile);
const marks = new Map<string, unknown>();

/** parity.py against `uri` (logging, or only reading with --read-only); returns its dump. */
async function dumpOf(uri: string, dir: string, prefix: string, out: string, readOnly: boolean): Promise<Record<string, unknown>> {
  await run(python, [join(root, 'test/serve/parity.py'), prefix, join(dir, out), ...(readOnly ? ['--read-only'] : [])], {
    cwd: dir,
    timeout: 180_000,
    env: { ...process.env, ...PYTHON_ENV, MLFLOW_TRACKING_URI: uri },
  });
  const dump = JSON.parse(await readFile(join(dir, out), 'utf8')) as Record<string, unknown>;
  // The error-code checks are the parity test's; a read-only run makes none. Which runs and
  // versions carry the sync's own tags is checked by the test.
  delete dump['errors'];
  marks.set(out, dump['sync_marked']);
  delete dump['sync_marked'];
  return dump;
}

describeLive('runs logged through logbook serve, then synced to MLflow', () => {
  let dir: string;
  let serve: ServeProcess | undefined;

  beforeAll(async () => {
    await run('pnpm', ['exec', 'tsc', '-b', 'packages/cli'], { cwd: root });
    dir = await mkdtemp(join(tmpdir(), 'logbook-serve-sync-'));
  }, 300_000);

  afterAll(async () => {
    if (serve?.child.exitCode === null) serve.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('reads back from the live server exactly what Python logged offline', async () => {
    const prefix = `serve-sync-${randomBytes(4).toString('hex')}`;
    serve = await startServe(dir);
    const logged = await dumpOf(serve.url, dir, prefix, 'logged.json', false);
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);

    const uri = live().uri;
    const db = join(dir, 'logbook.db');
    await run(process.execPath, [bin, 'sync', '--from', db, '--to', uri], { cwd: dir, timeout: 180_000, env: { ...process.env, MLFLOW_TRACKING_USERNAME: '', MLFLOW_TRACKING_PASSWORD: '' } });
    const central = await dumpOf(uri, dir, prefix, 'central.json', true);

    expect(central).toEqual(logged);
    expect(marks.get('logged.json')).toEqual([]);
    expect(marks.get('central.json')).toEqual(['child-a', 'child-b', 'failed-run', 'parent', 'v1', 'v2']);
    // What the offline run logged is really there (not two empty dumps).
    const runs = logged['runs'] as Record<string, { histories: Record<string, unknown[]> }>;
    expect(Object.keys(runs).sort()).toEqual(['child-a', 'child-b', 'failed-run', 'parent']);
    expect(runs['parent']!.histories['val_loss']).toHaveLength(50);

    // A second sync finds nothing new to push and changes nothing on the server.
    await run(process.execPath, [bin, 'sync', '--from', db, '--to', uri], { cwd: dir, timeout: 180_000 });
    expect(await dumpOf(uri, dir, prefix, 'again.json', true)).toEqual(logged);
  }, 600_000);
});
