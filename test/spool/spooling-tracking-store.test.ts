// The spool's routing and drain without any server: the "MLflow server" is core's MemoryStore
// behind a switch that makes every call fail as an unreachable server does; the spool is a real
// SQLite file; the drainer is the real sync engine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, LogbookError, MemoryBackend, RunStatus, silentLogger, syncLogbook } from '../../packages/core/src/index.js';
import type { LogBatch } from '../../packages/core/src/index.js';
import type { Backend, TrackingStore } from '../../packages/core/src/spi.js';
import { Spool } from '../../packages/core/src/spool/spool.js';
import type { LocalSpool } from '../../packages/core/src/spool/spool.js';
import { createSqliteBackend } from '../../packages/sqlite/src/index.js';

const points = (from: number, n: number): LogBatch => ({
  metrics: Array.from({ length: n }, (_, i) => ({ key: 'loss', value: from + i, timestamp: 1000 + from + i, step: from + i })),
});

/** The server: a MemoryStore whose calls fail with an ECONNREFUSED-like error while `down`. */
function server() {
  const memory = new MemoryBackend();
  const state = { down: false, calls: 0 };
  const tracking = new Proxy(memory.store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function' || property === 'close') return typeof value === 'function' ? value.bind(target) : value;
      return async (...args: unknown[]) => {
        state.calls++;
        if (state.down) {
          throw new LogbookError('TEMPORARILY_UNAVAILABLE', '[test] Could not reach the server', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as TrackingStore;
  const backend: Backend = { tracking, registry: memory.store, artifacts: memory.artifacts, close: () => memory.close() };
  return { memory, state, backend };
}

let dir: string;
let spool: Spool;
let primary: ReturnType<typeof server>;
const errors: unknown[] = [];

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(await check()).toBe(true);
}

async function history(runId: string): Promise<number[]> {
  return (await primary.memory.store.getMetricHistory(runId, 'loss', { maxResults: 25_000 })).items.map((m) => m.step);
}

describe('Spool (SpoolingTrackingStore, breaker, drainer)', () => {
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'logbook-spool-unit-'));
    primary = server();
    errors.length = 0;
    const path = join(dir, 'spool.db');
    spool = new Spool({
      primary: primary.backend,
      openLocal: async () => (await createSqliteBackend({ ...DEFAULT_CONFIG, trackingUri: `sqlite:${path}` })) as LocalSpool,
      exists: false,
      targetId: 'memory:server',
      path,
      sync: (source, target) => syncLogbook(source, target),
      logger: silentLogger,
      onError: (error) => errors.push(error),
      probeIntervalMs: 20,
      maxProbeIntervalMs: 50,
      drainDelayMs: 10,
    });
  });

  afterEach(async () => {
    await spool.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a run in the spool while the server is down and delivers it, once, when the server answers', async () => {
    primary.state.down = true;
    const { tracking } = spool;
    expect(await tracking.getExperimentByName('survey/unet')).toBeUndefined();
    const experimentId = await tracking.createExperiment({ name: 'survey/unet' });
    expect(experimentId).toMatch(/^spool-/);
    const run = await tracking.createRun({ experimentId, runName: 'offline', startTime: 1234, tags: { team: 'vision' } });
    expect(spool.takesNow(run.info.runId)).toBe(true);
    await spool.accept(run.info.runId, points(0, 500), undefined);
    await tracking.updateRun(run.info.runId, { status: RunStatus.FINISHED, endTime: 5678 });
    expect(spool.stats()).toMatchObject({ active: true, drains: 0 });
    expect(errors).toHaveLength(1);

    primary.state.down = false;
    await until(() => spool.stats().drains > 0 && spool.stats().pendingWrites === 0);
    const remote = await primary.memory.store.getExperimentByName('survey/unet');
    const runs = (await primary.memory.store.searchRuns({ experimentIds: [remote!.experimentId] })).items;
    expect(runs).toHaveLength(1);
    expect(runs[0]!.info).toMatchObject({ runName: 'offline', startTime: 1234, endTime: 5678, status: RunStatus.FINISHED });
    expect(runs[0]!.data.tags).toMatchObject({ team: 'vision', 'logbook.sync.local_id': run.info.runId });
    expect(await history(runs[0]!.info.runId)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect((await spool.status()).backlog).toMatchObject({ runs: 0, points: 0 });
  });

  it('gives a server run whose writes fail a shadow run, keeps its later writes there, and drains into the same remote run', async () => {
    const { tracking } = spool;
    const experimentId = await tracking.createExperiment({ name: 'survey/shadow' });
    const run = await tracking.createRun({ experimentId, runName: 'online', startTime: 99 });
    const runId = run.info.runId;
    await tracking.logBatch(runId, points(0, 10));

    primary.state.down = true;
    await expect(tracking.logBatch(runId, points(10, 10))).rejects.toMatchObject({ code: 'TEMPORARILY_UNAVAILABLE' });
    // What the batching logger does with that retryable failure: hand the batch to the spool.
    await spool.accept(runId, points(10, 10), undefined);
    expect(spool.takesNow(runId)).toBe(true);
    const before = primary.state.calls;
    await tracking.logBatch(runId, points(20, 10));
    await tracking.updateRun(runId, { status: RunStatus.FINISHED, endTime: 500 });
    // The breaker is open and the run is in the spool: the server is not called (only probes).
    expect(primary.state.calls - before).toBeLessThanOrEqual(3);
    expect((await spool.status()).mappings).toContainEqual({ kind: 'run', localId: expect.any(String), remoteId: runId });

    primary.state.down = false;
    await until(() => spool.stats().drains > 0 && spool.stats().pendingWrites === 0);
    expect(await history(runId)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect((await primary.memory.store.getRun(runId)).info).toMatchObject({ status: RunStatus.FINISHED, endTime: 500, runName: 'online' });
    expect((await primary.memory.store.searchRuns({ experimentIds: [experimentId] })).items).toHaveLength(1);
  });

  it('refuses to stand in for a server run it did not start, with a typed error', async () => {
    const other = await primary.memory.store.createRun({ experimentId: '0' });
    primary.state.down = true;
    await expect(tracking().logBatch(other.info.runId, points(0, 1))).rejects.toMatchObject({ code: 'TEMPORARILY_UNAVAILABLE' });
    await expect(spool.accept(other.info.runId, points(0, 1), undefined)).rejects.toThrow(/was not started by this logbook/);
  });
});

function tracking(): TrackingStore {
  return spool.tracking;
}
