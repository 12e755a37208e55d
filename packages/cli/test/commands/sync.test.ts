import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunStatus } from '@logbook/core';
import type { SyncStatus } from '@logbook/core';
import { LocalArtifactStore, SqliteStore } from '@logbook/sqlite';
import { buildSyncHistory, snapshotLogbook } from '../../../testkit/src/index.js';
import type { SyncHistory } from '../../../testkit/src/index.js';
import { ExitCode } from '../../src/index.js';
import { cli } from '../fixture.js';

/** Opens a database's stores for a snapshot, then closes them. */
async function snapshotOf(path: string, history: SyncHistory) {
  const store = new SqliteStore({ path });
  try {
    return await snapshotLogbook({ tracking: store, registry: store, artifacts: new LocalArtifactStore() }, history.experimentNames, [history.modelName]);
  } finally {
    await store.close();
  }
}

describe('logbook sync / sync status / bundle (SQLite station -> SQLite hub)', () => {
  let dir: string;
  let station: string;
  let history: SyncHistory;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'logbook-cli-sync-'));
    station = join(dir, 'station.db');
    const store = new SqliteStore({ path: station });
    history = await buildSyncHistory({ tracking: store, registry: store, artifacts: new LocalArtifactStore() }, { prefix: 'cli', points: 300, artifactBytes: 64 * 1024 });
    await store.close();
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('--dry-run prints the plan and writes nothing to the target', async () => {
    const hub = join(dir, 'dry.db');
    const out = await cli(['sync', '--from', station, '--to', hub, '--dry-run']);
    expect(out.stderr).not.toMatch(/Error/);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/dry run: nothing was written/);
    expect(out.stdout).toMatch(/to create\s+experiments 2, runs \d+, registered models 1, model versions 3/);
    expect(out.stdout).toMatch(/points\s+[1-9]\d*/);
    // Not even an empty database (nor its artifact folder) where there was none.
    expect(readdirSync(dir).filter((name) => name.startsWith('dry'))).toEqual([]);
  });

  it('--dry-run against an existing hub opens it read-only: the plan counts what it holds, the file is unchanged', async () => {
    const hub = join(dir, 'dry-existing.db');
    const first = await cli(['sync', '--from', station, '--to', hub, '--experiment', history.experimentNames[0]!]);
    expect(first.code, first.stderr).toBe(0);
    const before = readFileSync(hub);
    const out = await cli(['--json', 'sync', '--from', station, '--to', hub, '--dry-run']);
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ dryRun: true, created: { experiment: 1 } });
    expect(readFileSync(hub).equals(before)).toBe(true);
  });

  it('sync without --to is a usage error (exit 2)', async () => {
    const out = await cli(['sync', '--from', station]);
    expect(out.code).toBe(ExitCode.USAGE);
    expect(out.stderr).toMatch(/--to/);
  });

  it('syncs the database, shows progress lines and a summary; the hub equals the station', async () => {
    const hub = join(dir, 'hub.db');
    const out = await cli(['sync', '--from', station, '--to', hub]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^Synced .*station\.db -> sqlite:.*hub\.db/);
    expect(out.stdout).toMatch(/created\s+experiments 2, runs 5, registered models 1, model versions 3/);
    // Not a terminal: plain progress lines, no carriage returns.
    expect(out.stderr).toMatch(/entities \d+\/\d+ +points .* pts\/s +ETA/);
    expect(out.stderr).not.toContain('\r');
    expect(await snapshotOf(hub, history)).toEqual(await snapshotOf(station, history));

    const again = await cli(['--json', 'sync', '--from', station, '--to', hub]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: true, created: { experiment: 0, run: 0, registered_model: 0, model_version: 0 }, points: 0 });

    const status = await cli(['--json', 'sync', 'status', '--from', station, '--to', hub]);
    expect(status.code, status.stderr).toBe(0);
    const [s] = JSON.parse(status.stdout) as SyncStatus[];
    expect(s!.backlog).toEqual({ runs: 0, points: 0, bytes: 0 });
    expect(s!.lastSuccessAt).toBeGreaterThan(0);
    expect(
      s!.mappings
        .filter((m) => m.kind === 'run')
        .map((m) => m.localId)
        .sort(),
    ).toEqual([history.parentRunId, ...history.sweepRunIds, history.deletedRunId].sort());
    const text = await cli(['sync', 'status', '--from', station, '--to', hub]);
    expect(text.stdout).toMatch(/backlog\s+0 runs, 0 points/);
    expect(text.stdout).toContain(`${history.parentRunId} -> `);
  });

  it('bundle export, verify and sync --from the bundle; a damaged bundle is refused with exit 4 and nothing written', async () => {
    const file = join(dir, 'station-7.lbk');
    const exported = await cli(['--tracking-uri', station, 'bundle', 'export', '--out', file, '--all']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/runs, .* points/);
    const verified = await cli(['--json', 'bundle', 'verify', file]);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, format: 'logbook-bundle', counts: { runs: 5 } });

    const bytes = await readFile(file);
    const damaged = join(dir, 'damaged.lbk');
    const copy = Buffer.from(bytes);
    copy[Math.floor(copy.length / 2)] ^= 0xff;
    await writeFile(damaged, copy);
    const bad = await cli(['bundle', 'verify', damaged]);
    expect(bad.code).toBe(ExitCode.BACKEND_UNAVAILABLE);
    expect(bad.stderr).toMatch(/altered/);
    const refusedHub = join(dir, 'refused.db');
    const refused = await cli(['sync', '--from', damaged, '--to', refusedHub]);
    expect(refused.code).toBe(ExitCode.BACKEND_UNAVAILABLE);
    expect(existsSync(refusedHub)).toBe(false);
    const truncated = join(dir, 'truncated.lbk');
    await writeFile(truncated, bytes.subarray(0, bytes.length - 100));
    expect((await cli(['sync', '--from', truncated, '--to', refusedHub])).code).toBe(ExitCode.BACKEND_UNAVAILABLE);
    expect(existsSync(refusedHub)).toBe(false);

    const hub = join(dir, 'from-bundle.db');
    const out = await cli(['sync', '--from', file, '--to', hub]);
    expect(out.code, out.stderr).toBe(0);
    expect(await snapshotOf(hub, history)).toEqual(await snapshotOf(station, history));
  });

  it('refuses a corrupt database before touching the target (exit 4)', async () => {
    const corrupt = join(dir, 'corrupt.db');
    await writeFile(corrupt, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(5000, 7)]));
    const hub = join(dir, 'untouched.db');
    const out = await cli(['sync', '--from', corrupt, '--to', hub]);
    expect(out.code).toBe(ExitCode.BACKEND_UNAVAILABLE);
    expect(out.stderr).toMatch(/^\[sqlite\]/);
    expect(existsSync(hub)).toBe(false);
    expect((await cli(['sync', '--from', join(dir, 'missing.db'), '--to', hub])).code).toBe(ExitCode.BACKEND_UNAVAILABLE);
  });

  it("--rescan-artifacts sends a file copied by hand into a finished run's folder, which a plain sync leaves", async () => {
    const path = join(dir, 'by-hand.db');
    const store = new SqliteStore({ path });
    const run = await store.createRun({ experimentId: await store.createExperiment({ name: 'cli/by-hand' }) });
    await store.updateRun(run.info.runId, { status: RunStatus.FINISHED, endTime: 1 });
    await store.close();
    const hub = join(dir, 'by-hand-hub.db');
    expect((await cli(['sync', '--from', path, '--to', hub])).code).toBe(0);
    await mkdir(join(fileURLToPath(run.info.artifactUri), 'eval'), { recursive: true });
    await writeFile(join(fileURLToPath(run.info.artifactUri), 'eval', 'copied.txt'), 'copied in by hand\n');
    const plain = await cli(['--json', 'sync', '--from', path, '--to', hub]);
    expect(JSON.parse(plain.stdout)).toMatchObject({ ok: true, artifactBytes: 0 });
    const rescan = await cli(['--json', 'sync', '--from', path, '--to', hub, '--rescan-artifacts']);
    expect(rescan.code, rescan.stderr).toBe(0);
    expect(JSON.parse(rescan.stdout)).toMatchObject({ ok: true, artifactBytes: 'copied in by hand\n'.length });
  });
});
