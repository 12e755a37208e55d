import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, createFixture } from './fixture.js';
import type { CliResult, Fixture } from './fixture.js';

/** The driver of @logbook/sqlite (not a dependency of the CLI), to write foreign SQLite files. */
interface SqliteDriver {
  exec(sql: string): void;
  prepare(sql: string): { get(): unknown; run(): unknown };
  close(): void;
}
const Database = createRequire(new URL('../../sqlite/package.json', import.meta.url))('better-sqlite3') as new (path: string) => SqliteDriver;

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const canMount = process.platform === 'linux' && process.getuid?.() === 0;

let f: Fixture;
beforeAll(async () => {
  f = await createFixture();
});
afterAll(async () => {
  await f.cleanup();
});

/** Exit 4, one line on stderr naming the file, no stack, nothing on stdout. */
function expectBadStore(result: CliResult, path: string, what: RegExp): void {
  expect(result.code).toBe(4);
  expect(result.stdout).toBe('');
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).toContain(path);
  expect(result.stderr).toMatch(what);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('opening the store (bad files)', () => {
  it('a file that is not SQLite at all: exit 4, one line, no stack', async () => {
    const path = join(f.dir, 'garbage.db');
    writeFileSync(path, 'not a database, just text\n'.repeat(200));
    expectBadStore(await cli(['experiments', 'list'], { dbPath: path }), path, /corrupt or not a SQLite database/);
  });

  it('a truncated Logbook database: exit 4, one line, no stack', async () => {
    const path = join(f.dir, 'truncated.db');
    copyFileSync(f.dbPath, path);
    truncateSync(path, Math.floor(readFileSync(path).length / 2));
    const result = await cli(['runs', 'list', '--experiment', f.experimentName], { dbPath: path });
    expectBadStore(result, path, /corrupt/);
  });

  it('a folder as the path: exit 4, one line, no stack', async () => {
    const path = join(f.dir, 'a-folder.db');
    mkdirSync(path);
    expectBadStore(await cli(['experiments', 'list'], { dbPath: path }), path, /is a folder/);
  });

  it("MLflow's own mlflow.db (SQLite, another schema): exit 4, untouched", async () => {
    const path = join(f.dir, 'mlflow.db');
    const db = new Database(path);
    db.exec(`CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);
      INSERT INTO alembic_version VALUES ('1b5f0d9ad7c1');
      CREATE TABLE experiments (experiment_id INTEGER PRIMARY KEY, name VARCHAR(256) UNIQUE NOT NULL, artifact_location VARCHAR(256), lifecycle_stage VARCHAR(32));
      INSERT INTO experiments VALUES (0, 'Default', 'mlflow-artifacts:/0', 'active');
      CREATE TABLE runs (run_uuid VARCHAR(32) PRIMARY KEY, name VARCHAR(250), status VARCHAR(9), start_time BIGINT, experiment_id INTEGER);`);
    db.close();
    const before = sha(path);
    expectBadStore(await cli(['experiments', 'list'], { dbPath: path }), path, /not a Logbook database/);
    expect(sha(path)).toBe(before);
  });

  it('a 0-byte file: exit 4, and the file stays 0 bytes (reading never migrates)', async () => {
    const path = join(f.dir, 'zero.db');
    writeFileSync(path, '');
    expectBadStore(await cli(['experiments', 'list'], { dbPath: path }), path, /empty/);
    expect(readFileSync(path).length).toBe(0);
    // `runs end` writes, but never into a file that holds no database either.
    expectBadStore(await cli(['runs', 'end', 'ffffffffffffffffffffffffffffffff'], { dbPath: path }), path, /empty/);
    expect(readFileSync(path).length).toBe(0);
  });

  it('a database of an older schema: exit 4, asks for a writable open to migrate it, untouched', async () => {
    const path = join(f.dir, 'older.db');
    copyFileSync(f.dbPath, path);
    const db = new Database(path);
    const latest = (db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number }).v;
    db.prepare('DELETE FROM schema_version WHERE version > 1').run();
    db.close();
    const before = sha(path);
    const result = await cli(['experiments', 'list'], { dbPath: path });
    if (latest > 1) {
      expectBadStore(result, path, /schema version 1.*open it once for writing/);
      expect(sha(path)).toBe(before);
    }
  });

  it('reading leaves the database file byte for byte unchanged', async () => {
    const path = join(f.dir, 'readonly-copy.db');
    copyFileSync(f.dbPath, path);
    const before = sha(path);
    for (const args of [
      ['experiments', 'list'],
      ['runs', 'list', '-e', f.experimentName],
      ['runs', 'show', f.parentRunId],
      ['models', 'list'],
      ['runs', 'stale'],
    ]) {
      expect((await cli(args, { dbPath: path })).code).toBe(0);
    }
    expect(sha(path)).toBe(before);
  });

  it.skipIf(!canMount)('reads a Logbook database on a read-only mount (tmpfs remounted ro)', async () => {
    const mnt = join(f.dir, 'mnt');
    mkdirSync(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mnt]);
    try {
      copyFileSync(f.dbPath, join(mnt, 'logbook.db'));
      execFileSync('mount', ['-o', 'remount,ro', mnt]);
      const listed = await cli(['runs', 'list', '-e', f.experimentName], { cwd: mnt });
      expect(listed.stderr).toBe('');
      expect(listed.code).toBe(0);
      for (const id of [f.parentRunId, ...f.childRunIds]) expect(listed.stdout).toContain(id);
      const history = await cli(['metrics', f.childRunIds[0], 'loss'], { cwd: mnt });
      expect(history.code).toBe(0);
      // Ending a run needs a writable store: a typed one-line error, exit 4.
      expectBadStore(await cli(['runs', 'end', f.parentRunId], { cwd: mnt }), join(mnt, 'logbook.db'), /read-only|cannot be opened/);
    } finally {
      execFileSync('umount', [mnt]);
    }
  });
});
