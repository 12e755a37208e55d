import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLogbookError } from '@logbook/core';
import type { LogbookConfig } from '@logbook/core';
import { createSqliteBackend, openSyncSource, SqliteStore } from '../../src/index.js';
import { tempDir } from '../helpers.js';

describe('SqliteSyncSource', () => {
  let dir: { dir: string; remove: () => void };
  let path: string;
  let store: SqliteStore;

  beforeEach(() => {
    dir = tempDir('logbook-feed-');
    path = join(dir.dir, 'station.db');
    store = new SqliteStore({ path });
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  it('bumps seq once per write transaction: every row of one log-batch carries the same seq', async () => {
    const run = await store.createRun({ experimentId: '0' });
    const db = new Database(path, { readonly: true });
    const seq = () => (db.prepare('SELECT seq FROM sync_state').get() as { seq: number }).seq;
    const before = seq();
    await store.logBatch(run.info.runId, {
      params: [
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
      ],
      tags: [{ key: 't', value: 'x' }],
      metrics: [
        { key: 'm', value: 1, timestamp: 1, step: 0 },
        { key: 'n', value: 2, timestamp: 1, step: 0 },
      ],
    });
    expect(seq()).toBe(before + 1);
    const seqs = db
      .prepare(`SELECT seq FROM params UNION SELECT seq FROM metrics UNION SELECT seq FROM latest_metrics
      UNION SELECT seq FROM tags WHERE key = 't' UNION SELECT seq FROM runs WHERE run_uuid = ?`)
      .all(run.info.runId);
    expect(seqs).toEqual([{ seq: before + 1 }]);
    db.close();
  });

  it('bumps no seq for a write that changes nothing: a replayed log-batch, an identical tag', async () => {
    const run = await store.createRun({ experimentId: '0' });
    const batch = {
      params: [{ key: 'a', value: '1' }],
      tags: [{ key: 't', value: 'x' }],
      metrics: [
        { key: 'm', value: Number.NaN, timestamp: 1, step: 0 },
        { key: 'm', value: 2, timestamp: 2, step: 1 },
      ],
    };
    await store.logBatch(run.info.runId, batch);
    const db = new Database(path, { readonly: true });
    const seq = () => (db.prepare('SELECT seq FROM sync_state').get() as { seq: number }).seq;
    const runRow = () => db.prepare('SELECT seq, updated_at FROM runs WHERE run_uuid = ?').get(run.info.runId);
    try {
      const before = { seq: seq(), run: runRow() };
      await store.logBatch(run.info.runId, batch);
      await store.logBatch(run.info.runId, { metrics: [batch.metrics[1]!] });
      await store.setTag(run.info.runId, 't', 'x');
      expect({ seq: seq(), run: runRow() }).toEqual(before);
      // One new point among old ones is a change: one seq, carried by the run and the new point only.
      await store.logBatch(run.info.runId, { ...batch, metrics: [...batch.metrics, { key: 'm', value: 3, timestamp: 3, step: 2 }] });
      expect(seq()).toBe(before.seq + 1);
      expect(db.prepare('SELECT step, seq FROM metrics ORDER BY step').all()).toEqual([
        { step: 0, seq: before.seq },
        { step: 1, seq: before.seq },
        { step: 2, seq: before.seq + 1 },
      ]);
      expect((runRow() as { seq: number }).seq).toBe(before.seq + 1);
      await store.setTag(run.info.runId, 't', 'y');
      expect(seq()).toBe(before.seq + 2);
    } finally {
      db.close();
    }
  });

  it('bumps seq once for a model rename, and deleteModelVersion leaves a tombstone for each alias it drops', async () => {
    const db = new Database(path, { readonly: true });
    const seq = () => (db.prepare('SELECT seq FROM sync_state').get() as { seq: number }).seq;
    await store.createRegisteredModel({ name: 'seq-model' });
    const version = await store.createModelVersion({ name: 'seq-model', source: 'file:///m' });
    await store.setRegisteredModelAlias('seq-model', 'champion', version.version);
    const before = seq();
    await store.renameRegisteredModel('seq-model', 'seq-model-2');
    expect(seq()).toBe(before + 1);
    await store.deleteModelVersion('seq-model-2', version.version);
    const tombstones = db.prepare('SELECT entity, entity_id, key, seq FROM tombstones WHERE seq > ?').all(before + 1) as { entity: string; key: string | null; seq: number }[];
    expect(tombstones.some((t) => /alias/.test(t.entity) && t.key === 'champion' && t.seq === seq())).toBe(true);
    await expect(store.getModelVersionByAlias('seq-model-2', 'champion')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    db.close();
  });

  it("keeps one station id per database, also in a copy, and pages a run's points after a seq", async () => {
    const run = await store.createRun({ experimentId: '0' });
    await store.logBatch(run.info.runId, { metrics: Array.from({ length: 25 }, (_, step) => ({ key: 'loss', value: step === 3 ? Number.NaN : step, timestamp: 10, step })) });
    const source = await openSyncSource(path);
    const again = await openSyncSource(path);
    expect(source.stationId).toMatch(/^[0-9a-f]{32}$/);
    expect(again.stationId).toBe(source.stationId);
    const since = await source.currentSeq();
    await store.logBatch(run.info.runId, { metrics: Array.from({ length: 7 }, (_, i) => ({ key: 'acc', value: i, timestamp: 20, step: i })) });
    const all = [];
    let after;
    do {
      const page = await source.readMetrics(run.info.runId, 0, after, 10);
      all.push(...page.metrics);
      after = page.next;
    } while (after !== undefined);
    expect(all).toHaveLength(32);
    expect(Number.isNaN(all.find((m) => m.key === 'loss' && m.step === 3)!.value)).toBe(true);
    expect((await source.readMetrics(run.info.runId, since, undefined, 100)).metrics.map((m) => m.key)).toEqual(Array(7).fill('acc'));
    expect((await source.changedRuns('t', since, -1, 10)).map((r) => r.runId)).toEqual([run.info.runId]);
    await source.close();
    await again.close();
  });

  it('refuses a missing file and a file that is not a Logbook database', async () => {
    let caught: unknown;
    try {
      await openSyncSource(join(dir.dir, 'missing.db'));
    } catch (error) {
      caught = error;
    }
    expect(isLogbookError(caught, 'RESOURCE_DOES_NOT_EXIST')).toBe(true);
    const other = join(dir.dir, 'other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE t (x)');
    db.close();
    await expect(openSyncSource(other)).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it("is the SQLite backend's syncSource for a file (and absent in memory), closed with it", async () => {
    const backend = await createSqliteBackend({ trackingUri: path, maxArtifactSize: 1024 } as LogbookConfig);
    const source = backend.syncSource!;
    expect(source.stationId).toBe(
      (
        await openSyncSource(path).then(async (s) => {
          await s.close();
          return s;
        })
      ).stationId,
    );
    expect((await source.status('t')).ackedSeq).toBe(0);
    await backend.close();
    await expect(source.currentSeq()).rejects.toMatchObject({ code: 'INVALID_STATE' });
    const memory = await createSqliteBackend({ trackingUri: ':memory:', maxArtifactSize: 1024 } as LogbookConfig);
    expect(memory.syncSource).toBeUndefined();
    await memory.close();
  });
});
