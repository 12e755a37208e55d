// The spool's routing and drain without any server (see support/unit-spool.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunStatus } from '../../packages/core/src/index.js';
import type { DatasetInput, LogBatch } from '../../packages/core/src/index.js';
import type { TrackingStore } from '../../packages/core/src/spi.js';
import type { Spool } from '../../packages/core/src/spool/spool.js';
import { memoryServer, unitSpool, until } from './support/unit-spool.js';

const points = (from: number, n: number): LogBatch => ({
  metrics: Array.from({ length: n }, (_, i) => ({ key: 'loss', value: from + i, timestamp: 1000 + from + i, step: from + i })),
});

let dir: string;
let spool: Spool;
let primary: ReturnType<typeof memoryServer>;
const errors: unknown[] = [];

async function history(runId: string): Promise<number[]> {
  return (await primary.memory.store.getMetricHistory(runId, 'loss', { maxResults: 25_000 })).items.map((m) => m.step);
}

describe('Spool (SpoolingTrackingStore, breaker, drainer)', () => {
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'logbook-spool-unit-'));
    primary = memoryServer();
    errors.length = 0;
    spool = unitSpool(dir, primary.backend, errors);
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

  it("keeps the dataset inputs of a run logged while the server is down and delivers them as the server's native run inputs", async () => {
    const native = new Map<string, DatasetInput[]>();
    // The server has native inputs (as MLflow's runs/log-inputs); the spool (SQLite) keeps them in a tag.
    Object.assign(primary.memory.store, {
      logInputs: async (runId: string, inputs: readonly DatasetInput[]) => {
        native.set(runId, [...(native.get(runId) ?? []), ...inputs]);
      },
    });
    const input: DatasetInput = { name: 'nights', digest: 'd1', sourceType: 's3', source: '{"uri":"s3://survey/nights"}', context: 'training' };
    primary.state.down = true;
    const { tracking } = spool;
    const experimentId = await tracking.createExperiment({ name: 'survey/inputs' });
    const run = await tracking.createRun({ experimentId, runName: 'offline' });
    await tracking.logInputs(run.info.runId, [input]);
    expect(native.size).toBe(0);
    await tracking.updateRun(run.info.runId, { status: RunStatus.FINISHED, endTime: 5678 });

    primary.state.down = false;
    await until(() => spool.stats().drains > 0 && spool.stats().pendingWrites === 0);
    const remote = await primary.memory.store.getExperimentByName('survey/inputs');
    const [delivered] = (await primary.memory.store.searchRuns({ experimentIds: [remote!.experimentId] })).items;
    expect(native.get(delivered!.info.runId)).toEqual([input]);

    // Online, the server takes them natively at once.
    const online = await tracking.createRun({ experimentId: remote!.experimentId });
    await tracking.logInputs(online.info.runId, [{ ...input, name: 'labels' }]);
    expect(native.get(online.info.runId)?.map((d) => d.name)).toEqual(['labels']);
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

  it('stands in for a server run it did not start: the drain adds to that run, never renames or re-opens it, and creates nothing', async () => {
    const remoteExperiment = await primary.memory.store.createExperiment({ name: 'survey/elsewhere' });
    const other = await primary.memory.store.createRun({ experimentId: remoteExperiment, runName: 'from-another-process' });
    const otherId = other.info.runId;
    await primary.memory.store.updateRun(otherId, { status: RunStatus.FINISHED, endTime: 42 });
    const experimentsBefore = (await primary.memory.store.searchExperiments({ maxResults: 100 })).items.length;
    primary.state.down = true;
    await expect(tracking().logBatch(otherId, points(0, 5))).rejects.toMatchObject({ code: 'TEMPORARILY_UNAVAILABLE' });
    await spool.accept(otherId, points(0, 5), undefined);
    await tracking().logBatch(otherId, { ...points(5, 5), params: [{ key: 'eval_set', value: 'ngc-🌌' }] });
    await tracking().setTag(otherId, 'evaluated', 'yes');
    expect((await spool.status()).mappings).toContainEqual({ kind: 'run', localId: expect.any(String), remoteId: otherId });

    primary.state.down = false;
    await until(() => spool.stats().drains > 0 && spool.stats().pendingWrites === 0);
    const after = await primary.memory.store.getRun(otherId);
    expect(after.info).toMatchObject({ runName: 'from-another-process', status: RunStatus.FINISHED, endTime: 42, experimentId: remoteExperiment });
    expect(after.data.params).toEqual({ eval_set: 'ngc-🌌' });
    expect(after.data.tags).toMatchObject({ evaluated: 'yes', 'mlflow.runName': 'from-another-process' });
    expect(Object.keys(after.data.tags).filter((k) => k.startsWith('logbook.sync.'))).toEqual([]);
    expect(await history(otherId)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect((await primary.memory.store.searchRuns({ experimentIds: [remoteExperiment] })).items).toHaveLength(1);
    expect((await primary.memory.store.searchExperiments({ maxResults: 100 })).items).toHaveLength(experimentsBefore);
    expect(spool.stats().lastError).toBeUndefined();
  });

  it('carries over a rename of a stood-in server run made while the server is down, and nothing else of its info', async () => {
    const remoteExperiment = await primary.memory.store.createExperiment({ name: 'survey/renamed' });
    const other = await primary.memory.store.createRun({ experimentId: remoteExperiment, runName: 'before' });
    primary.state.down = true;
    await tracking().updateRun(other.info.runId, { runName: 'after-🌌' });
    await tracking().setTag(other.info.runId, 'note', 'renamed offline');
    primary.state.down = false;
    await until(() => spool.stats().drains > 0 && spool.stats().pendingWrites === 0);
    const after = await primary.memory.store.getRun(other.info.runId);
    expect(after.info).toMatchObject({ runName: 'after-🌌', status: RunStatus.RUNNING, experimentId: remoteExperiment });
    expect(after.data.tags).toMatchObject({ 'mlflow.runName': 'after-🌌', note: 'renamed offline' });
    expect(spool.stats().lastError).toBeUndefined();
  });

  it('reports a stand-in for a server run that does not exist as a conflict; the drain creates nothing and moves on', async () => {
    primary.state.down = true;
    await tracking().setTag('0123456789abcdef0123456789abcdef', 'k', 'v');
    primary.state.down = false;
    await until(() => spool.stats().drains > 0);
    expect((await primary.memory.store.searchExperiments({ maxResults: 100 })).items.map((e) => e.name)).not.toContain(expect.stringMatching(/stand-in/));
    expect((await spool.status()).backlog).toMatchObject({ runs: 0 });
    const reported = errors.map((e) => (e as Error).message).filter((m) => /conflict/.test(m));
    expect(reported[0]).toMatch(/0 failure\(s\) and 2 conflict\(s\)/);
  });

  it('checks a run id before standing in for it: hostile ids are INVALID_PARAMETER_VALUE naming runId, the longest valid one works', async () => {
    primary.state.down = true;
    for (const bad of ['../../etc', 'a'.repeat(257), 'run-🌌', "x' or '1'='1", '']) {
      await expect(tracking().setTag(bad, 'k', 'v')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE', field: 'runId' });
    }
    const longest = 'a'.repeat(256);
    await tracking().setTag(longest, 'k', 'v');
    expect((await spool.status()).mappings).toContainEqual({ kind: 'run', localId: expect.any(String), remoteId: longest });
  });

  it('ends a stood-in server run when the caller ends it while the server is down', async () => {
    const other = await primary.memory.store.createRun({ experimentId: '0', runName: 'resumed' });
    primary.state.down = true;
    await expect(tracking().updateRun(other.info.runId, { status: RunStatus.FAILED, endTime: 77 })).resolves.toMatchObject({ runId: other.info.runId });
    primary.state.down = false;
    await until(() => spool.stats().drains > 0 && spool.stats().pendingWrites === 0);
    expect((await primary.memory.store.getRun(other.info.runId)).info).toMatchObject({ status: RunStatus.FAILED, endTime: 77, runName: 'resumed' });
  });
});

function tracking(): TrackingStore {
  return spool.tracking;
}
