import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelStage, syncLogbook, ViewType } from '@logbook/core';
import { listArtifactFiles } from '@logbook/core/spi';
import type { SyncTarget } from '@logbook/core/spi';
import { buildSyncHistory, metricSeries, logPoints, snapshotLogbook } from '@logbook/testkit';
import type { SyncHistory } from '@logbook/testkit';
import { LocalArtifactStore, openSyncSource, SqliteStore } from '../../src/index.js';
import type { SqliteSyncSource } from '../../src/index.js';
import { tempDir } from '../helpers.js';

/** A station (source) and an aggregating SQLite store (target), each with its own artifact root. */
function station(dir: string, name: string): { store: SqliteStore; artifacts: LocalArtifactStore; path: string } {
  const path = join(dir, `${name}.db`);
  return { store: new SqliteStore({ path, artifactRoot: join(dir, `${name}-artifacts`) }), artifacts: new LocalArtifactStore(), path };
}

const seqOf = (path: string): number => {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT seq FROM sync_state').get() as { seq: number }).seq;
  } finally {
    db.close();
  }
};

describe('syncLogbook (SQLite -> SQLite)', () => {
  let dir: { dir: string; remove: () => void };
  let src: ReturnType<typeof station>;
  let dst: ReturnType<typeof station>;
  let source: SqliteSyncSource;
  let target: SyncTarget;
  let history: SyncHistory;

  beforeEach(async () => {
    dir = tempDir('logbook-sync-');
    src = station(dir.dir, 'station');
    dst = station(dir.dir, 'hub');
    history = await buildSyncHistory({ tracking: src.store, registry: src.store, artifacts: src.artifacts }, { prefix: 'st7', points: 2500, artifactBytes: 3 * 1024 * 1024 });
    source = await openSyncSource(src.path);
    target = { id: `sqlite:${dst.path}`, tracking: dst.store, registry: dst.store, artifacts: dst.artifacts };
  });

  afterEach(async () => {
    await source.close();
    await src.store.close();
    await dst.store.close();
    dir.remove();
  });

  const snapshots = async () => {
    const names = [...history.experimentNames];
    return {
      source: await snapshotLogbook({ tracking: src.store, registry: src.store, artifacts: src.artifacts }, names, [history.modelName]),
      target: await snapshotLogbook(target, names, [history.modelName]),
    };
  };

  it('moves the whole history, field by field, times, NaN/±Inf, artifacts and registry included', async () => {
    const report = await syncLogbook(source, target);
    expect(report.failures).toEqual([]);
    expect(report.conflicts).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.created).toEqual({ experiment: 2, run: 5, registered_model: 1, model_version: 3 });
    expect(report.deleted.run).toBe(1);
    expect(report.artifactBytes).toBeGreaterThan(3 * 1024 * 1024);
    const { source: a, target: b } = await snapshots();
    expect(Object.keys(a.runs)).toHaveLength(5);
    expect(b).toEqual(a);
    const loss = b.runs[history.sweepRunIds[0]!]!.metrics['loss']!;
    expect(loss).toHaveLength(2500);
    expect(Number.isNaN(loss[5]![2])).toBe(true);
    expect(loss[6]![2]).toBeGreaterThan(1e308);
    expect(loss[7]![2]).toBeLessThan(-1e308);
    expect(b.models[history.modelName]!.versions[`${history.modelName}/1`]!.stage).toBe('Production');
    expect(await source.targets()).toEqual([target.id]);
  });

  it('a second sync changes nothing on the target; new data goes alone', async () => {
    await syncLogbook(source, target);
    const seq = seqOf(dst.path);
    const again = await syncLogbook(source, target);
    expect(again.ok).toBe(true);
    expect(again.points).toBe(0);
    expect(again.created).toEqual({ experiment: 0, run: 0, registered_model: 0, model_version: 0 });
    expect(seqOf(dst.path)).toBe(seq);

    const runId = history.sweepRunIds[1]!;
    await logPoints(src.store, runId, metricSeries('loss', 300, 1_800_000_000_000, 3));
    await src.store.logBatch(runId, { params: [{ key: 'resumed', value: 'yes' }], tags: [{ key: 'note', value: 'more' }] });
    expect((await source.status(target.id)).backlog).toEqual({ runs: 1, points: 300, bytes: 0 });
    const more = await syncLogbook(source, target);
    expect(more.ok).toBe(true);
    expect(more.points).toBe(300);
    expect(more.updated.run).toBe(1);
    const { source: a, target: b } = await snapshots();
    expect(b).toEqual(a);
    expect((await source.status(target.id)).backlog.runs).toBe(0);
  });

  it('a crash between the remote create and the map write leaves no duplicate', async () => {
    await syncLogbook(source, target);
    const run = await src.store.createRun({ experimentId: history.experimentId, runName: 'late', startTime: 1_700_000_000_000 });
    await src.store.logBatch(run.info.runId, { metrics: [{ key: 'm', value: 1, timestamp: 1, step: 0 }] });
    // What a killed sync leaves: the intent, and the run created on the target with its provenance.
    await source.recordIntent(target.id, 'run', run.info.runId);
    const remoteExperiment = (await source.lookupMapping(target.id, 'experiment', history.experimentId))!;
    await dst.store.createRun({
      experimentId: remoteExperiment,
      runName: 'late',
      startTime: 1_700_000_000_000,
      tags: { 'logbook.sync.station': source.stationId, 'logbook.sync.local_id': run.info.runId },
    });
    const report = await syncLogbook(source, target);
    expect(report.ok).toBe(true);
    expect(report.created.run).toBe(0);
    const found = await dst.store.searchRuns({ experimentIds: [remoteExperiment], filter: "attributes.run_name = 'late'", viewType: ViewType.ALL });
    expect(found.items).toHaveLength(1);
    expect(found.items[0]!.data.metrics).toHaveLength(1);
  });

  it('reports a param that differs on the target and a run deleted there, and goes on', async () => {
    const run = await src.store.createRun({ experimentId: history.experimentId, runName: 'clash' });
    await src.store.logBatch(run.info.runId, { params: [{ key: 'lr', value: '0.1' }] });
    await syncLogbook(source, target);
    const remoteExperiment = (await source.lookupMapping(target.id, 'experiment', history.experimentId))!;
    // The spool's shadow run: already on the target, with another value of lr.
    const shadowLocal = await src.store.createRun({ experimentId: history.experimentId, runName: 'shadow' });
    await src.store.logBatch(shadowLocal.info.runId, {
      params: [
        { key: 'lr', value: '0.5' },
        { key: 'ok', value: '1' },
      ],
    });
    const shadowRemote = await dst.store.createRun({ experimentId: remoteExperiment, runName: 'shadow' });
    await dst.store.logBatch(shadowRemote.info.runId, { params: [{ key: 'lr', value: '0.2' }] });
    await source.recordMapping(target.id, 'run', shadowLocal.info.runId, shadowRemote.info.runId);
    await dst.store.deleteRun((await source.lookupMapping(target.id, 'run', run.info.runId))!);
    await src.store.setTag(run.info.runId, 'touched', 'yes');
    await src.store.setTag(history.sweepRunIds[0]!, 'touched', 'yes');

    const report = await syncLogbook(source, target);
    expect(report.ok).toBe(false);
    expect(report.failures).toEqual([]);
    expect(report.conflicts.map((c) => [c.kind, c.localId, c.policy])).toEqual(
      expect.arrayContaining([
        ['run', shadowLocal.info.runId, 'skip'],
        ['run', run.info.runId, 'skip'],
      ]),
    );
    expect((await dst.store.getRun(shadowRemote.info.runId)).data.params).toEqual({ lr: '0.2', ok: '1' });
    const synced = await dst.store.getRun((await source.lookupMapping(target.id, 'run', history.sweepRunIds[0]!))!);
    expect(synced.data.tags['touched']).toBe('yes');
  });

  it('reports a model version changed on the target as a conflict and does not overwrite it; the other versions update', async () => {
    expect((await syncLogbook(source, target)).ok).toBe(true);
    const name = history.modelName;
    const [v1, v2] = [(await source.lookupMapping(target.id, 'model_version', `${name}/1`))!, (await source.lookupMapping(target.id, 'model_version', `${name}/2`))!];
    await dst.store.updateModelVersion(name, v1, { description: 'edited on the hub 🛰' });
    await src.store.updateModelVersion(name, '1', { description: 'edited at the station' });
    await src.store.updateModelVersion(name, '2', { description: 'only the station edited this' });
    const report = await syncLogbook(source, target);
    expect(report.failures).toEqual([]);
    expect(report.conflicts).toEqual([expect.objectContaining({ kind: 'model_version', localId: `${name}/1`, remoteId: `${name}/${v1}`, policy: 'skip' })]);
    expect(report.ok).toBe(false);
    expect((await dst.store.getModelVersion(name, v1)).description).toBe('edited on the hub 🛰');
    expect((await dst.store.getModelVersion(name, v2)).description).toBe('only the station edited this');
    // A stage changed on the hub is a change too; a tag the hub added to an untouched version is not overwritten either.
    await dst.store.transitionModelVersionStage(name, v2, ModelStage.Archived, false);
    await src.store.setModelVersionTag(name, '2', 'reviewed', 'yes');
    const again = await syncLogbook(source, target);
    expect(again.conflicts.map((c) => c.localId)).toEqual([`${name}/2`]);
    expect((await dst.store.getModelVersion(name, v2)).tags['reviewed']).toBeUndefined();
  });

  it('status counts the artifact bytes not yet sent; a file written to an unfinished run after its last database write is found and sent', async () => {
    const files = async (uri: string) => (await listArtifactFiles(src.artifacts, uri)).reduce((n, f) => n + (f.fileSize ?? 0), 0);
    let total = 0;
    for (const id of [history.parentRunId, ...history.sweepRunIds, history.deletedRunId]) total += await files((await src.store.getRun(id)).info.artifactUri);
    expect(total).toBeGreaterThan(3 * 1024 * 1024);
    expect((await source.status(target.id)).backlog.bytes).toBe(total);
    const live = await src.store.createRun({ experimentId: history.experimentId, runName: 'still running' });
    expect((await syncLogbook(source, target)).ok).toBe(true);
    expect((await source.status(target.id)).backlog).toEqual({ runs: 0, points: 0, bytes: 0 });
    // No database write: the run's seq stays where the sync acknowledged it.
    const late = Buffer.from('written after the last database write 🔭\n');
    await src.artifacts.put(live.info.artifactUri, 'late/notes.txt', late);
    expect((await source.status(target.id)).backlog).toEqual({ runs: 0, points: 0, bytes: late.length });
    const report = await syncLogbook(source, target);
    expect(report.ok).toBe(true);
    expect(report.artifactBytes).toBe(late.length);
    const remote = await dst.store.getRun((await source.lookupMapping(target.id, 'run', live.info.runId))!);
    expect((await dst.artifacts.list(remote.info.artifactUri, 'late')).map((f) => [f.path, f.fileSize])).toEqual([['late/notes.txt', late.length]]);
    expect((await source.status(target.id)).backlog.bytes).toBe(0);
    expect((await syncLogbook(source, target)).artifactBytes).toBe(0);
  });

  it('closes the source file of an artifact whose upload failed before reading it (no descriptor left to the garbage collector)', async () => {
    const given: NodeJS.ReadableStream[] = [];
    const refusing: SyncTarget = {
      ...target,
      artifacts: Object.assign(Object.create(dst.artifacts) as LocalArtifactStore, {
        put: async (_uri: string, _path: string, body: unknown) => {
          given.push(body as NodeJS.ReadableStream);
          throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        },
      }),
    };
    const report = await syncLogbook(source, refusing);
    expect(report.ok).toBe(false);
    expect(given.length).toBeGreaterThan(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(given.map((stream) => (stream as unknown as { destroyed: boolean }).destroyed)).toEqual(given.map(() => true));
  });

  it('keeps two syncs of one source to one target apart', async () => {
    const lease = await source.acquireLease(target.id, 60_000);
    await expect(syncLogbook(source, target)).rejects.toMatchObject({ code: 'TEMPORARILY_UNAVAILABLE' });
    await lease.release();
    expect((await syncLogbook(source, target)).ok).toBe(true);
  });

  it('replays tag deletions, run deletions and registry changes made after a sync', async () => {
    await syncLogbook(source, target);
    await src.store.deleteTag(history.sweepRunIds[0]!, 'stage');
    await src.store.deleteRun(history.sweepRunIds[2]!);
    await src.store.deleteRegisteredModelAlias(history.modelName, 'challenger');
    await src.store.transitionModelVersionStage(history.modelName, '2', 'Production' as never, true);
    await src.store.setModelVersionTag(history.modelName, '3', 'reviewed', 'yes');
    const report = await syncLogbook(source, target);
    expect(report.ok).toBe(true);
    const { source: a, target: b } = await snapshots();
    expect(b).toEqual(a);
    expect(b.models[history.modelName]!.aliases).toEqual({ champion: `${history.modelName}/1` });
  });

  it('rebuilds a lost id map from the provenance tags and resends nothing twice', async () => {
    await syncLogbook(source, target);
    const db = new Database(src.path);
    db.exec('DELETE FROM sync_map; DELETE FROM sync_targets; DELETE FROM sync_intents;');
    db.close();
    // The station's runs are listed once per experiment, not searched run by run.
    let searches = 0;
    const counted: SyncTarget = {
      ...target,
      tracking: new Proxy(dst.store, {
        get: (store, name) => {
          const value = Reflect.get(store, name, store) as unknown;
          if (name === 'searchRuns') searches++;
          return typeof value === 'function' ? value.bind(store) : value;
        },
      }),
    };
    const report = await syncLogbook(source, counted);
    expect(report.failures).toEqual([]);
    expect(report.created).toEqual({ experiment: 0, run: 0, registered_model: 0, model_version: 0 });
    expect(report.points).toBeGreaterThan(0);
    expect(searches).toBe(history.experimentNames.length);
    const { source: a, target: b } = await snapshots();
    expect(b).toEqual(a);
  });

  it('a dry run counts what it would do and writes nothing', async () => {
    const seq = seqOf(dst.path);
    const plan = await syncLogbook(source, target, { dryRun: true });
    expect(plan.dryRun).toBe(true);
    expect(plan.created).toEqual({ experiment: 2, run: 5, registered_model: 1, model_version: 3 });
    expect(plan.points).toBeGreaterThan(7000);
    expect(seqOf(dst.path)).toBe(seq);
    expect((await source.status(target.id)).mappings).toEqual([]);
  });

  it("policy 'fail-run' fails the conflicting run, keeps it pending, and syncs the others", async () => {
    await syncLogbook(source, target);
    const remoteExperiment = (await source.lookupMapping(target.id, 'experiment', history.experimentId))!;
    const local = await src.store.createRun({ experimentId: history.experimentId, runName: 'shadow' });
    await src.store.logBatch(local.info.runId, { params: [{ key: 'lr', value: '0.5' }] });
    const remote = await dst.store.createRun({ experimentId: remoteExperiment, runName: 'shadow' });
    await dst.store.logBatch(remote.info.runId, { params: [{ key: 'lr', value: '0.2' }] });
    await source.recordMapping(target.id, 'run', local.info.runId, remote.info.runId);
    await src.store.setTag(history.parentRunId, 'touched', 'yes');
    const report = await syncLogbook(source, target, { conflictPolicy: 'fail-run' });
    expect(report.ok).toBe(false);
    expect(report.conflicts).toEqual([expect.objectContaining({ kind: 'run', localId: local.info.runId, policy: 'fail-run' })]);
    expect((await dst.store.getRun((await source.lookupMapping(target.id, 'run', history.parentRunId))!)).data.tags['touched']).toBe('yes');
    expect((await source.status(target.id)).backlog.runs).toBe(1);
    const again = await syncLogbook(source, target, { conflictPolicy: 'fail-run' });
    expect(again.conflicts).toHaveLength(1);
  });

  it('a cancelled sync throws CANCELLED, keeps the cursor and releases the lease', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(syncLogbook(source, target, { signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    const status = await source.status(target.id);
    expect(status.ackedSeq).toBe(0);
    expect(status.lastError?.message).toMatch(/cancelled/);
    expect((await syncLogbook(source, target)).ok).toBe(true);
  });

  it('a sync that throws mid-run (cancelled while runs are in flight) has nothing left running when it rejects, and frees its lease', async () => {
    // Fault injection: target log-batches that take a macrotask, so several are in flight when
    // the first run's sync throws.
    const controller = new AbortController();
    let inFlight = 0;
    let calls = 0;
    const tracking = new Proxy(dst.store, {
      get(store, key, receiver) {
        if (key !== 'logBatch') return Reflect.get(store, key, receiver);
        return async (...args: Parameters<SqliteStore['logBatch']>) => {
          inFlight++;
          try {
            if (++calls === 2) controller.abort();
            await new Promise((resolve) => setImmediate(resolve));
            return await store.logBatch(...args);
          } finally {
            inFlight--;
          }
        };
      },
    });
    const slow = { ...target, tracking };
    let inFlightAtRejection = -1;
    await expect(
      syncLogbook(source, slow, { signal: controller.signal, concurrency: 4 }).finally(() => {
        inFlightAtRejection = inFlight;
      }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(calls).toBeGreaterThan(2);
    expect(inFlightAtRejection).toBe(0);
    // The lease is free at once: the next sync neither waits nor is refused.
    const report = await syncLogbook(source, target);
    expect(report.ok).toBe(true);
    const { source: s, target: t } = await snapshots();
    expect(t).toEqual(s);
  });

  it('an experiment deleted at the source arrives with its runs, then is deleted on the target', async () => {
    const experimentId = await src.store.createExperiment({ name: 'st7/short-lived' });
    const run = await src.store.createRun({ experimentId, runName: 'only' });
    await src.store.logBatch(run.info.runId, { metrics: [{ key: 'm', value: 1, timestamp: 1, step: 0 }] });
    await src.store.deleteExperiment(experimentId);
    const report = await syncLogbook(source, target);
    expect(report.failures).toEqual([]);
    expect(report.deleted.experiment).toBe(1);
    const remote = (await dst.store.getExperimentByName('st7/short-lived'))!;
    expect(remote.lifecycleStage).toBe('deleted');
    const remoteRun = await dst.store.getRun((await source.lookupMapping(target.id, 'run', run.info.runId))!);
    expect(remoteRun.info.lifecycleStage).toBe('deleted');
    expect(remoteRun.data.metrics).toHaveLength(1);
  });
});
