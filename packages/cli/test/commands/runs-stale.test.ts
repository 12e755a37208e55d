import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunStatus } from '@logbook/core';
import { SqliteStore } from '@logbook/sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/index.js';
import type { StaleRun } from '../../src/commands/runs-stale.js';
import { cli } from '../fixture.js';

const HOUR = 3_600_000;

/** Runs left in every state `runs stale` and `runs end` must tell apart. */
interface StaleFixture {
  readonly dir: string;
  readonly dbPath: string;
  /** RUNNING, nothing written for 3 hours (its process died). */
  readonly dead: string;
  /** Another dead run, in experiment `other`. */
  readonly deadOther: string;
  /** RUNNING, started 3 hours ago, points with old timestamps written just now: alive. */
  readonly backfilling: string;
  /** RUNNING, started now. */
  readonly fresh: string;
  /** Ended 3 hours ago. */
  readonly finished: string;
  readonly startTime: number;
}

/** Writes the runs through the real SQLite store, with its clock 3 hours back for the old ones. */
async function createStaleFixture(): Promise<StaleFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'logbook-cli-stale-'));
  const dbPath = join(dir, 'logbook.db');
  const startTime = Date.now() - 3 * HOUR;
  const past = new SqliteStore({ path: dbPath, now: () => startTime });
  const experimentId = await past.createExperiment({ name: 'training' });
  const otherId = await past.createExperiment({ name: 'other' });
  const point = { key: 'loss', value: 1, timestamp: startTime + 60_000, step: 0 };
  const dead = (await past.createRun({ experimentId, startTime, runName: 'dead' })).info.runId;
  await past.logBatch(dead, { metrics: [point] });
  const deadOther = (await past.createRun({ experimentId: otherId, startTime, runName: 'dead-other' })).info.runId;
  const backfilling = (await past.createRun({ experimentId, startTime, runName: 'backfilling' })).info.runId;
  const finished = (await past.createRun({ experimentId, startTime, runName: 'finished' })).info.runId;
  await past.updateRun(finished, { status: RunStatus.FINISHED, endTime: startTime + 1000 });
  await past.close();
  const present = new SqliteStore({ path: dbPath });
  await present.logBatch(backfilling, { metrics: [{ ...point, step: 1 }] });
  const fresh = (await present.createRun({ experimentId, runName: 'fresh' })).info.runId;
  await present.close();
  return { dir, dbPath, dead, deadOther, backfilling, fresh, finished, startTime };
}

let f: StaleFixture;
beforeAll(async () => {
  f = await createStaleFixture();
});
afterAll(async () => {
  await rm(f.dir, { recursive: true, force: true });
});

describe('runs stale', () => {
  it('lists RUNNING runs with no write for --minutes, most idle first, in every experiment', async () => {
    const { code, stdout } = await cli(['runs', 'stale', '--minutes', '60', '--json'], { dbPath: f.dbPath });
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as StaleRun[];
    expect(rows.map((r) => r.runId).sort()).toEqual([f.dead, f.deadOther].sort());
    const dead = rows.find((r) => r.runId === f.dead)!;
    // The latest of start, metric timestamps and the row's last write (here the logged point).
    expect(dead.lastWriteTime).toBe(f.startTime + 60_000);
    expect(dead.idleMs).toBeGreaterThanOrEqual(2 * HOUR);
  });

  it('does not list a run whose points carry old timestamps but were written just now', async () => {
    const { stdout } = await cli(['runs', 'stale', '--json'], { dbPath: f.dbPath });
    expect((JSON.parse(stdout) as StaleRun[]).map((r) => r.runId)).not.toContain(f.backfilling);
  });

  it('narrows to one experiment, and prints a table', async () => {
    const { code, stdout } = await cli(['runs', 'stale', '--experiment', 'training'], { dbPath: f.dbPath });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^RUN ID\s+NAME\s+EXPERIMENT\s+STARTED\s+LAST WRITE\s+IDLE/);
    expect(stdout).toContain(f.dead);
    expect(stdout).not.toContain(f.deadOther);
    expect(stdout).not.toContain(f.fresh);
    expect(stdout).not.toContain(f.finished);
  });

  it('says so when nothing is stale, and rejects a bad --minutes (exit 2)', async () => {
    expect((await cli(['runs', 'stale', '--minutes', '600'], { dbPath: f.dbPath })).stdout).toBe('No stale runs.\n');
    expect((await cli(['runs', 'stale', '--minutes', '0'], { dbPath: f.dbPath })).code).toBe(ExitCode.USAGE);
    expect((await cli(['runs', 'stale', '--experiment', 'nope'], { dbPath: f.dbPath })).code).toBe(ExitCode.NOT_FOUND);
  });
});

describe('runs end', () => {
  it('ends a RUNNING run as KILLED at the current time by default', async () => {
    const before = Date.now();
    const { code, stdout } = await cli(['runs', 'end', f.dead], { dbPath: f.dbPath });
    expect(code).toBe(0);
    expect(stdout).toContain(`Run ${f.dead} (dead) is now KILLED`);
    const shown = JSON.parse((await cli(['runs', 'show', f.dead, '--json'], { dbPath: f.dbPath })).stdout) as { run: { info: { status: string; endTime: number } } };
    expect(shown.run.info.status).toBe('KILLED');
    expect(shown.run.info.endTime).toBeGreaterThanOrEqual(before);
    const stale = JSON.parse((await cli(['runs', 'stale', '--json'], { dbPath: f.dbPath })).stdout) as StaleRun[];
    expect(stale.map((r) => r.runId)).not.toContain(f.dead);
  });

  it('takes --status (any case) and --end-time (ISO 8601 or milliseconds), and prints JSON', async () => {
    const endTime = f.startTime + 120_000;
    const { code, stdout } = await cli(['runs', 'end', f.deadOther, '--status', 'failed', '--end-time', new Date(endTime).toISOString(), '--json'], { dbPath: f.dbPath });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ runId: f.deadOther, status: 'FAILED', endTime });
  });

  it('refuses a run that is not RUNNING (exit 5), an unknown run (3) and bad options (2), changing nothing', async () => {
    const finished = await cli(['runs', 'end', f.finished], { dbPath: f.dbPath });
    expect(finished.code).toBe(ExitCode.CONFLICT);
    expect(finished.stderr).toBe(`[cli] Run ${f.finished} is FINISHED, not RUNNING; only a RUNNING run can be ended.\n`);
    expect((await cli(['runs', 'end', 'ffffffffffffffffffffffffffffffff'], { dbPath: f.dbPath })).code).toBe(ExitCode.NOT_FOUND);
    expect((await cli(['runs', 'end', f.fresh, '--status', 'RUNNING'], { dbPath: f.dbPath })).code).toBe(ExitCode.USAGE);
    expect((await cli(['runs', 'end', f.fresh, '--end-time', 'yesterday-ish'], { dbPath: f.dbPath })).code).toBe(ExitCode.USAGE);
    const early = await cli(['runs', 'end', f.fresh, '--end-time', String(f.startTime)], { dbPath: f.dbPath });
    expect(early.code).toBe(ExitCode.USAGE);
    expect(early.stderr).toContain("before the run's start");
    const shown = JSON.parse((await cli(['runs', 'show', f.fresh, '--json'], { dbPath: f.dbPath })).stdout) as { run: { info: { status: string } } };
    expect(shown.run.info.status).toBe('RUNNING');
  });

  it('never creates a database (exit 4)', async () => {
    const missing = join(f.dir, 'none.db');
    const { code } = await cli(['runs', 'end', f.fresh], { dbPath: missing });
    expect(code).toBe(ExitCode.BACKEND_UNAVAILABLE);
  });
});
