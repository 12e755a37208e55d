import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/index.js';
import { Connection } from '../src/connection.js';
import { MIGRATIONS } from '../src/schema/migrations.js';
import { migrate } from '../src/schema/migrate.js';
import { errorCode, useTempDir } from './helpers.js';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A Logbook database with one experiment and one run, closed (WAL checkpointed away). */
async function logged(path: string): Promise<string> {
  const store = new SqliteStore({ path });
  const experimentId = await store.createExperiment({ name: 'ro' });
  const run = await store.createRun({ experimentId });
  await store.logBatch(run.info.runId, { metrics: [{ key: 'loss', value: 0.5, timestamp: 1, step: 0 }] });
  await store.close();
  return run.info.runId;
}

/** Mounts a small tmpfs at `dir` (root only, Linux); undefined when that is not possible. */
function mountTmpfs(dir: string): (() => void) | undefined {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return undefined;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  return () => execFileSync('umount', [dir], { stdio: 'ignore' });
}

const canMount = process.platform === 'linux' && process.getuid?.() === 0;

describe('SqliteStore { readonly: true }', () => {
  const tmp = useTempDir();

  it('reads an existing database and leaves the file unchanged', async () => {
    const path = join(tmp(), 'logbook.db');
    const runId = await logged(path);
    const before = sha(path);
    const store = new SqliteStore({ path, readonly: true });
    expect((await store.getRun(runId)).data.metrics[0]?.value).toBe(0.5);
    expect((await store.getMetricHistory(runId, 'loss')).items).toHaveLength(1);
    expect(await errorCode(store.createExperiment({ name: 'x' }))).not.toBe('ok');
    await store.close();
    expect(sha(path)).toBe(before);
  });

  it('never creates a missing file, nor its folder', async () => {
    const path = join(tmp(), 'none', 'logbook.db');
    expect(await errorCode(() => new SqliteStore({ path, readonly: true }))).toBe('INVALID_STATE');
    expect(existsSync(join(tmp(), 'none'))).toBe(false);
  });

  it('refuses an empty (0-byte) file without migrating it', async () => {
    const path = join(tmp(), 'empty.db');
    writeFileSync(path, '');
    expect(() => new SqliteStore({ path, readonly: true })).toThrow(/is empty/);
    expect(readFileSync(path).length).toBe(0);
  });

  it('refuses a database of an older schema, saying it needs a writable open to migrate', () => {
    const path = join(tmp(), 'old.db');
    const conn = new Connection({ path, busyTimeoutMs: 1000 });
    migrate(conn, 1, MIGRATIONS.slice(0, 1));
    conn.close();
    const before = sha(path);
    if (MIGRATIONS.length > 1) {
      expect(() => new SqliteStore({ path, readonly: true })).toThrow(/schema version 1.*not migrated/);
      expect(sha(path)).toBe(before);
    }
    expect(() => new SqliteStore({ path }).close()).not.toThrow();
  });

  it('refuses a folder as the path', async () => {
    mkdirSync(join(tmp(), 'folder.db'));
    expect(() => new SqliteStore({ path: join(tmp(), 'folder.db'), readonly: true })).toThrow(/is a folder/);
  });

  it("rejects readonly with ':memory:'", () => {
    expect(() => new SqliteStore({ path: ':memory:', readonly: true })).toThrow(/readonly/);
  });

  it.skipIf(!canMount)('reads a database on a read-only mount (WAL file, no -shm possible)', async () => {
    const mnt = join(tmp(), 'mnt');
    mkdirSync(mnt);
    const unmount = mountTmpfs(mnt);
    if (unmount === undefined) return;
    try {
      const source = join(tmp(), 'source.db');
      const runId = await logged(source);
      copyFileSync(source, join(mnt, 'logbook.db'));
      execFileSync('mount', ['-o', 'remount,ro', mnt]);
      const store = new SqliteStore({ path: join(mnt, 'logbook.db'), readonly: true });
      expect((await store.getRun(runId)).info.runId).toBe(runId);
      await store.close();
      expect(readdirSync(mnt)).toEqual(['logbook.db']);
      // The writable open fails there, typed.
      expect(
        await errorCode(async () => {
          const rw = new SqliteStore({ path: join(mnt, 'logbook.db') });
          await rw.createExperiment({ name: 'nope' });
        }),
      ).toBe('INVALID_STATE');
    } finally {
      unmount();
    }
  });
});
