import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MemoryArtifactStore, RunStatus, createLogbook, syncLogbook } from '@logbook/core';
import { registerArtifactStore } from '@logbook/core/spi';
import type { SyncTarget } from '@logbook/core/spi';
import { LocalArtifactStore, SqliteStore, openSyncSource } from '../../src/index.js';
import { useTempDir } from '../helpers.js';

// A file logged through the logbook after a FINISHED run was synced reaches the target on the
// next sync: the SQLite backend's artifact store marks the run changed around every file.
describe('late artifacts of finished runs (SQLite -> SQLite)', () => {
  const tmp = useTempDir('logbook-late-');

  it('a file logged through the logbook after the run finished and was synced is sent by the next sync, once', async () => {
    const path = join(tmp(), 'station.db');
    const logbook = await createLogbook({ trackingUri: path, logging: { drainOnExit: false } });
    const hub = new SqliteStore({ path: join(tmp(), 'hub.db'), artifactRoot: join(tmp(), 'hub-artifacts') });
    const hubArtifacts = new LocalArtifactStore();
    const source = await openSyncSource(path);
    const target: SyncTarget = { id: 'sqlite:hub', tracking: hub, registry: hub, artifacts: hubArtifacts };
    try {
      const experimentId = await logbook.tracker.getOrCreateExperiment('survey/late');
      const runId = await logbook.tracker.startRun(experimentId, 'finished early');
      logbook.tracker.logMetric('loss', 0.5, 0, runId);
      await logbook.tracker.logArtifacts({ 'early.txt': Buffer.from('before the end\n') }, runId);
      await logbook.tracker.endRun(runId, RunStatus.FINISHED);
      expect((await syncLogbook(source, target)).ok).toBe(true);
      const remoteId = (await source.lookupMapping(target.id, 'run', runId))!;
      const remote = await hub.getRun(remoteId);
      expect((await hubArtifacts.list(remote.info.artifactUri)).map((f) => f.path)).toEqual(['early.txt']);

      // Finished and synced: no database write follows this file (a non-BMP name and body).
      const late = Buffer.from('written after the run finished 🔭\n');
      await logbook.tracker.logArtifacts({ 'late/𝛼-notes.txt': late }, runId);
      expect((await logbook.tracker.getRun(runId)).info.status).toBe(RunStatus.FINISHED);
      expect((await source.status(target.id)).backlog).toMatchObject({ runs: 1, bytes: late.length });
      const report = await syncLogbook(source, target);
      expect(report.ok).toBe(true);
      expect(report.artifactBytes).toBe(late.length);
      const sent = await hubArtifacts.list(remote.info.artifactUri, 'late');
      expect(sent.map((f) => [f.path, f.fileSize])).toEqual([['late/𝛼-notes.txt', late.length]]);
      expect((await hub.getRun(remoteId)).info.status).toBe(RunStatus.FINISHED);
      // Sent once: a further sync has nothing to send.
      expect((await syncLogbook(source, target)).artifactBytes).toBe(0);
    } finally {
      await source.close();
      await logbook.close();
      await hub.close();
    }
  });

  it("a file copied by hand into a finished run's folder waits for the run's next change, or goes at once with rescanArtifacts", async () => {
    const path = join(tmp(), 'by-hand.db');
    const store = new SqliteStore({ path, artifactRoot: join(tmp(), 'by-hand-artifacts') });
    const hub = new SqliteStore({ path: join(tmp(), 'hub.db'), artifactRoot: join(tmp(), 'hub-artifacts') });
    const hubArtifacts = new LocalArtifactStore();
    const source = await openSyncSource(path);
    const target: SyncTarget = { id: 'sqlite:hub', tracking: hub, registry: hub, artifacts: hubArtifacts };
    try {
      const experimentId = await store.createExperiment({ name: 'survey/by-hand' });
      const run = await store.createRun({ experimentId, runName: 'done' });
      await store.updateRun(run.info.runId, { status: RunStatus.FINISHED, endTime: 10 });
      expect((await syncLogbook(source, target)).ok).toBe(true);
      const before = await source.currentSeq();

      // Around Logbook: straight into the run's folder on disk (a non-BMP name).
      const folder = join(fileURLToPath(run.info.artifactUri), 'plots');
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, '𝛾-residuals.png'), Buffer.alloc(3_000, 1));
      writeFileSync(join(folder, 'a?b#c..d.txt'), 'odd name');
      // A link to a file outside the run's folder: its bytes must never leave the station.
      const secret = join(tmp(), 'secret.txt');
      writeFileSync(secret, 'station secret');
      symlinkSync(secret, join(folder, 'leak.txt'));
      expect(await source.currentSeq()).toBe(before);
      expect((await syncLogbook(source, target)).artifactBytes).toBe(0);

      const report = await syncLogbook(source, target, { rescanArtifacts: true });
      expect(report.ok).toBe(true);
      expect(report.artifactBytes).toBe(3_000 + 'odd name'.length);
      const remote = await hub.getRun((await source.lookupMapping(target.id, 'run', run.info.runId))!);
      // The link is not followed: only the two files that live in the folder arrive.
      expect((await hubArtifacts.list(remote.info.artifactUri, 'plots')).map((f) => [f.path, f.fileSize])).toEqual([
        ['plots/a?b#c..d.txt', 8],
        ['plots/𝛾-residuals.png', 3_000],
      ]);
      expect((await syncLogbook(source, target, { rescanArtifacts: true })).artifactBytes).toBe(0);
    } finally {
      await source.close();
      await store.close();
      await hub.close();
    }
  });

  it('a root that is no run of the database changes nothing; a run root bumps that run alone', async () => {
    const store = new SqliteStore({ path: join(tmp(), 'marks.db'), artifactRoot: join(tmp(), 'artifacts') });
    try {
      const experimentId = await store.createExperiment({ name: 'marks' });
      const a = await store.createRun({ experimentId });
      const b = await store.createRun({ experimentId });
      const source = await openSyncSource(store.path);
      try {
        const before = await source.currentSeq();
        await store.markArtifactsChanged(`${a.info.artifactUri}-elsewhere`);
        await store.markArtifactsChanged("file:///nowhere/'; DROP TABLE runs; --");
        expect(await source.currentSeq()).toBe(before);
        await store.markArtifactsChanged(a.info.artifactUri);
        const changed = await source.changedRuns('any', before, -1, 10);
        expect(changed.map((r) => r.runId)).toEqual([a.info.runId]);
        expect(changed.map((r) => r.runId)).not.toContain(b.info.runId);
      } finally {
        await source.close();
      }
    } finally {
      await store.close();
    }
  });

  it('a late file routed to an extra artifact store (as S3 is) marks its run changed too, and is sent once', async () => {
    const path = join(tmp(), 'routed.db');
    // An extra store for this database alone; new experiments put their artifacts in it.
    const extra = new MemoryArtifactStore({ schemes: ['memory'] });
    registerArtifactStore({ name: 'late-extra', wanted: (config) => config.trackingUri === path, create: () => ({ store: extra, rootUri: 'memory:///extra' }) });
    const logbook = await createLogbook({ trackingUri: path, logging: { drainOnExit: false } });
    const hub = new SqliteStore({ path: join(tmp(), 'hub.db'), artifactRoot: join(tmp(), 'hub-artifacts') });
    const hubArtifacts = new LocalArtifactStore();
    const source = await openSyncSource(path, { artifacts: extra });
    const target: SyncTarget = { id: 'sqlite:hub', tracking: hub, registry: hub, artifacts: hubArtifacts };
    try {
      const experimentId = await logbook.tracker.getOrCreateExperiment('survey/routed');
      const runId = await logbook.tracker.startRun(experimentId, 'finished early');
      expect((await logbook.tracker.getRun(runId)).info.artifactUri.startsWith('memory:///extra')).toBe(true);
      await logbook.tracker.endRun(runId, RunStatus.FINISHED);
      expect((await syncLogbook(source, target)).ok).toBe(true);
      const before = await source.currentSeq();

      const late = Buffer.from('routed after the run finished 🛰\n');
      await logbook.tracker.logArtifacts({ 'late/𝛽.txt': late }, runId);
      expect(await source.currentSeq()).toBeGreaterThan(before);
      expect((await source.status(target.id)).backlog.runs).toBe(1);
      const report = await syncLogbook(source, target);
      expect(report.ok).toBe(true);
      expect(report.artifactBytes).toBe(late.length);
      const remote = await hub.getRun((await source.lookupMapping(target.id, 'run', runId))!);
      expect((await hubArtifacts.list(remote.info.artifactUri, 'late')).map((f) => [f.path, f.fileSize])).toEqual([['late/𝛽.txt', late.length]]);
      expect((await syncLogbook(source, target)).artifactBytes).toBe(0);
    } finally {
      await source.close();
      await logbook.close();
      await hub.close();
    }
  });
});
