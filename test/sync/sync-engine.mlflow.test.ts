// syncLogbook from SQLite stations into the live MLflow server (PostgreSQL backend), read back
// through MLflow's own Python client and compared field by field with the source.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogbook, ModelStage, RunStatus, syncLogbook, ViewType } from '../../packages/core/src/index.js';
import type { Logbook } from '../../packages/core/src/index.js';
import type { SyncTarget } from '../../packages/core/src/spi.js';
import { buildSyncHistory, metricSeries, logPoints, snapshotLogbook, uniqueName } from '../../packages/testkit/src/index.js';
import '../../packages/mlflow/src/index.js';
import { LocalArtifactStore, openSyncSource, SqliteStore } from '../../packages/sqlite/src/index.js';
import { readMlflowSnapshot } from './mlflow-snapshot.js';

// better-sqlite3 is a dependency of @logbook/sqlite, not of the root.
const Database = createRequire(new URL('../../packages/sqlite/package.json', import.meta.url))('better-sqlite3') as new (path: string) => { exec(sql: string): void; close(): void };

const uri = (): string => inject('mlflow')!.uri;

describe.skipIf(inject('mlflow') === null)('syncLogbook (SQLite -> live MLflow)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logbook-sync-mlflow-'));
  let lb: Logbook;
  let target: SyncTarget;

  beforeAll(async () => {
    lb = await createLogbook({ trackingUri: uri() }, { env: {} });
    target = { id: uri(), tracking: lb.stores.tracking, registry: lb.stores.registry, artifacts: lb.stores.artifacts };
  });
  afterAll(async () => {
    await lb?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const station = (name: string) => {
    const path = join(dir, `${name}.db`);
    const store = new SqliteStore({ path, artifactRoot: join(dir, `${name}-artifacts`) });
    return { path, store, artifacts: new LocalArtifactStore(), stores: { tracking: store, registry: store, artifacts: new LocalArtifactStore() } };
  };

  it("round trip: what MLflow's Python client reads equals the source, field by field; a second sync sends nothing", async () => {
    const st = station('st1');
    const history = await buildSyncHistory(st.stores, { prefix: uniqueName('sync'), points: 2000, artifactBytes: 2 * 1024 * 1024 });
    const source = await openSyncSource(st.path);
    try {
      const report = await syncLogbook(source, target);
      expect(report.failures).toEqual([]);
      expect(report.conflicts).toEqual([]);
      expect(report.created).toEqual({ experiment: 2, run: 5, registered_model: 1, model_version: 3 });
      const names = [...history.experimentNames];
      const expected = await snapshotLogbook(st.stores, names, [history.modelName]);
      const actual = await readMlflowSnapshot(uri(), names, [history.modelName]);
      expect(actual).toEqual(expected);
      expect(actual.runs[history.sweepRunIds[0]!]!.metrics['loss']).toHaveLength(2000);

      const again = await syncLogbook(source, target);
      expect(again.ok).toBe(true);
      expect(again.points).toBe(0);
      expect(again.created).toEqual({ experiment: 0, run: 0, registered_model: 0, model_version: 0 });

      // A run still being logged: more points, synced again; identical points are stored once.
      await logPoints(st.store, history.sweepRunIds[1]!, metricSeries('loss', 1500, 1_800_000_000_000, 4));
      const more = await syncLogbook(source, target);
      expect(more.points).toBe(1500);
      expect(await snapshotLogbook(target, names, [history.modelName])).toEqual(await snapshotLogbook(st.stores, names, [history.modelName]));

      // The id map lost: runs and versions are found again by their provenance tags and every
      // point is sent again; MLflow stores identical points once, so nothing is duplicated.
      const db = new Database(st.path);
      db.exec('DELETE FROM sync_map; DELETE FROM sync_targets; DELETE FROM sync_intents;');
      db.close();
      const rebuilt = await syncLogbook(source, target);
      expect(rebuilt.failures).toEqual([]);
      expect(rebuilt.created).toEqual({ experiment: 0, run: 0, registered_model: 0, model_version: 0 });
      expect(rebuilt.points).toBe(9000);
      expect(await snapshotLogbook(target, names, [history.modelName])).toEqual(await snapshotLogbook(st.stores, names, [history.modelName]));
    } finally {
      await source.close();
      await st.store.close();
    }
  }, 300_000);

  it('two stations syncing one experiment and one model at once create each once', async () => {
    const prefix = uniqueName('shared');
    const experimentName = `${prefix}/anomaly-detection/unet-training`;
    const stations = [station('a'), station('b')];
    const sources = [];
    for (const [i, st] of stations.entries()) {
      const experimentId = await st.store.createExperiment({ name: experimentName });
      for (let r = 0; r < 3; r++) {
        const run = await st.store.createRun({ experimentId, runName: `st${i}-r${r}` });
        await logPoints(st.store, run.info.runId, metricSeries('loss', 500, 1_700_000_000_000, r));
        if (r === 0) {
          await st.store.createRegisteredModel({ name: `${prefix}-model` });
          await st.store.createModelVersion({ name: `${prefix}-model`, source: `runs:/${run.info.runId}/model`, runId: run.info.runId });
        }
      }
      sources.push(await openSyncSource(st.path));
    }
    try {
      const reports = await Promise.all(sources.map((s) => syncLogbook(s, target)));
      for (const r of reports) expect(r.failures).toEqual([]);
      const found = await target.tracking.searchExperiments({ filter: `name = '${experimentName}'`, viewType: ViewType.ALL });
      expect(found.items).toHaveLength(1);
      const runs = await target.tracking.searchRuns({ experimentIds: [found.items[0]!.experimentId], maxResults: 100 });
      expect(runs.items.map((r) => r.info.runName).sort()).toEqual(['st0-r0', 'st0-r1', 'st0-r2', 'st1-r0', 'st1-r1', 'st1-r2']);
      const versions = await target.registry.searchModelVersions({ filter: `name = '${prefix}-model'` });
      expect(versions.items).toHaveLength(2);
      expect(new Set(versions.items.map((v) => v.tags['logbook.sync.station']))).toEqual(new Set(sources.map((s) => s.stationId)));
    } finally {
      for (const s of sources) await s.close();
      for (const st of stations) await st.store.close();
    }
  }, 300_000);

  it('replays an experiment renamed at the source; a name taken on the target is a conflict and the sync goes on', async () => {
    const prefix = uniqueName('rename');
    const st = station('renamer');
    const experimentId = await st.store.createExperiment({ name: `${prefix}/before` });
    const other = await st.store.createExperiment({ name: `${prefix}/other` });
    await st.store.createRun({ experimentId, runName: 'r0' });
    const source = await openSyncSource(st.path);
    try {
      expect((await syncLogbook(source, target)).ok).toBe(true);
      const remoteId = (await target.tracking.getExperimentByName(`${prefix}/before`))!.experimentId;
      await st.store.renameExperiment(experimentId, `${prefix}/after 🔭`);
      const renamed = await syncLogbook(source, target);
      expect(renamed.ok).toBe(true);
      expect((await target.tracking.getExperiment(remoteId)).name).toBe(`${prefix}/after 🔭`);
      expect(await target.tracking.getExperimentByName(`${prefix}/before`)).toBeUndefined();
      // The target already has an experiment of the new name: reported, the rest still syncs.
      await target.tracking.createExperiment({ name: `${prefix}/taken` });
      await st.store.renameExperiment(other, `${prefix}/taken`);
      await st.store.createRun({ experimentId, runName: 'r1' });
      const clash = await syncLogbook(source, target);
      expect(clash.conflicts).toEqual([expect.objectContaining({ kind: 'experiment', localId: other, message: expect.stringMatching(/taken/) })]);
      expect(clash.created.run).toBe(1);
      expect((await target.tracking.getExperimentByName(`${prefix}/other`))?.name).toBe(`${prefix}/other`);
    } finally {
      await source.close();
      await st.store.close();
    }
  }, 120_000);

  it('a model version changed on MLflow is a conflict, not overwritten; one changed only at the source updates', async () => {
    const prefix = uniqueName('mv-conflict');
    const st = station('versions');
    const experimentId = await st.store.createExperiment({ name: `${prefix}/exp` });
    const run = await st.store.createRun({ experimentId, runName: 'r0' });
    const model = `${prefix}-model`;
    await st.store.createRegisteredModel({ name: model });
    for (let i = 0; i < 2; i++) await st.store.createModelVersion({ name: model, source: `runs:/${run.info.runId}/model`, runId: run.info.runId, tags: { i: String(i) } });
    await st.store.transitionModelVersionStage(model, '1', ModelStage.Staging, false);
    const source = await openSyncSource(st.path);
    try {
      expect((await syncLogbook(source, target)).ok).toBe(true);
      const remote1 = (await source.lookupMapping(target.id, 'model_version', `${model}/1`))!;
      const remote2 = (await source.lookupMapping(target.id, 'model_version', `${model}/2`))!;
      await st.store.updateModelVersion(model, '1', { description: 'station' });
      await st.store.updateModelVersion(model, '2', { description: 'station' });
      expect((await syncLogbook(source, target)).conflicts).toEqual([]);
      expect((await target.registry.getModelVersion(model, remote1)).description).toBe('station');
      await target.registry.setModelVersionTag(model, remote2, 'approved-by', 'central');
      await st.store.updateModelVersion(model, '1', { description: 'station, again' });
      await st.store.updateModelVersion(model, '2', { description: 'station, again' });
      const report = await syncLogbook(source, target);
      expect(report.conflicts.map((c) => [c.kind, c.localId])).toEqual([['model_version', `${model}/2`]]);
      expect((await target.registry.getModelVersion(model, remote1)).description).toBe('station, again');
      expect((await target.registry.getModelVersion(model, remote2)).description).toBe('station');
    } finally {
      await source.close();
      await st.store.close();
    }
  }, 120_000);
  it('a file logged through a SQLite logbook after its run finished and was synced reaches MLflow on the next sync', async () => {
    const path = join(dir, 'late.db');
    const local = await createLogbook({ trackingUri: path, logging: { drainOnExit: false } }, { env: {} });
    const source = await openSyncSource(path);
    try {
      const experimentId = await local.tracker.getOrCreateExperiment(uniqueName('late'));
      const runId = await local.tracker.startRun(experimentId, 'finished early');
      local.tracker.logMetric('loss', 0.25, 0, runId);
      await local.tracker.endRun(runId, RunStatus.FINISHED);
      expect((await syncLogbook(source, target)).ok).toBe(true);
      const remote = await target.tracking.getRun((await source.lookupMapping(target.id, 'run', runId))!);

      const late = Buffer.from('logged after the run finished 🔭\n');
      await local.tracker.logArtifacts({ 'late/𝛼-notes.txt': late }, runId);
      const report = await syncLogbook(source, target);
      expect(report.failures).toEqual([]);
      expect(report.artifactBytes).toBe(late.length);
      const sent = await target.artifacts.list(remote.info.artifactUri, 'late');
      expect(sent.map((f) => [f.path, f.fileSize])).toEqual([['late/𝛼-notes.txt', late.length]]);
      expect((await target.tracking.getRun(remote.info.runId)).info.status).toBe(RunStatus.FINISHED);
      expect((await syncLogbook(source, target)).artifactBytes).toBe(0);
    } finally {
      await source.close();
      await local.close();
    }
  }, 120_000);
});
