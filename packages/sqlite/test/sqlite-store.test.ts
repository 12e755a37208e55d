import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { SqliteStore } from '../src/index.js';
import { errorCode, tempDir } from './helpers.js';

const T = 1_700_000_000_000;

describe('SqliteStore', () => {
  let store: SqliteStore;
  let runId: string;
  beforeEach(async () => {
    store = new SqliteStore({ path: ':memory:' });
    runId = (await store.createRun({ experimentId: '0', startTime: T })).info.runId;
  });
  afterEach(() => store.close());

  describe('constructor', () => {
    it('creates the Default experiment "0" with an artifact location under the root', async () => {
      const exp = await store.getExperiment('0');
      expect(exp).toMatchObject({ experimentId: '0', name: 'Default', lifecycleStage: 'active' });
      expect(exp.artifactLocation).toBe(`${store.artifactRootUri}/0`);
    });

    it('refuses bad options naming the option', () => {
      expect(() => new SqliteStore({ path: ':memory:', longValues: 'cut' as never })).toThrow(/longValues/);
      expect(() => new SqliteStore({ path: ':memory:', busyTimeoutMs: -1 })).toThrow(/busyTimeoutMs/);
    });
  });

  describe('.createRun', () => {
    it('gives a 32-hex run id, a random adjective-noun-number name and the artifact URI under the experiment', async () => {
      const run = await store.getRun(runId);
      expect(run.info.runId).toMatch(/^[0-9a-f]{32}$/);
      expect(run.info.runName).toMatch(/^[a-z]+-[a-z]+-\d{1,4}$/);
      expect(run.info.runName.length).toBeLessThanOrEqual(20);
      expect(run.data.tags['mlflow.runName']).toBe(run.info.runName);
      expect(run.info.artifactUri).toBe(`${store.artifactRootUri}/0/${runId}/artifacts`);
      expect(run.info.startTime).toBe(T);
      expect(run.info.endTime).toBeUndefined();
    });
  });

  describe('.logBatch', () => {
    it('stores NaN and returns it, clamps ±Infinity to ±MAX_VALUE', async () => {
      await store.logBatch(runId, {
        metrics: [
          { key: 'nan', value: Number.NaN, timestamp: T, step: 0 },
          { key: 'inf', value: Number.POSITIVE_INFINITY, timestamp: T, step: 0 },
          { key: 'inf', value: Number.NEGATIVE_INFINITY, timestamp: T, step: 1 },
        ],
      });
      expect((await store.getMetricHistory(runId, 'nan')).items[0]!.value).toBeNaN();
      expect((await store.getMetricHistory(runId, 'inf')).items.map((m) => m.value)).toEqual([Number.MAX_VALUE, -Number.MAX_VALUE]);
    });

    it('keeps the latest point by (step, timestamp, value), NaN counting as 0 as in MLflow', async () => {
      await store.logBatch(runId, { metrics: [{ key: 'x', value: 5, timestamp: T, step: 3 }] });
      await store.logBatch(runId, { metrics: [{ key: 'x', value: 9, timestamp: T + 5, step: 2 }] });
      await store.logBatch(runId, { metrics: [{ key: 'x', value: -1, timestamp: T, step: 3 }] });
      expect((await store.getRun(runId)).data.metrics).toEqual([{ key: 'x', value: 5, timestamp: T, step: 3 }]);
      await store.logBatch(runId, { metrics: [{ key: 'x', value: Number.NaN, timestamp: T, step: 3 }] });
      expect((await store.getRun(runId)).data.metrics[0]!.value).toBe(5);
      await store.logBatch(runId, {
        metrics: [
          { key: 'y', value: -2, timestamp: T, step: 0 },
          { key: 'y', value: Number.NaN, timestamp: T, step: 0 },
        ],
      });
      expect((await store.getRun(runId)).data.metrics.find((m) => m.key === 'y')!.value).toBeNaN();
    });

    it('is all-or-nothing: a param conflict writes none of the batch', async () => {
      await store.logBatch(runId, { params: [{ key: 'lr', value: '0.1' }] });
      const bad = store.logBatch(runId, {
        params: [{ key: 'lr', value: '0.2' }],
        metrics: [{ key: 'm', value: 1, timestamp: T, step: 0 }],
        tags: [{ key: 't', value: 'v' }],
      });
      expect(await errorCode(bad)).toBe('INVALID_PARAMETER_VALUE');
      const run = await store.getRun(runId);
      expect(run.data.metrics).toEqual([]);
      expect(run.data.tags.t).toBeUndefined();
    });

    it("rejects long values with longValues: 'reject' and truncates by default", async () => {
      await store.logBatch(runId, { params: [{ key: 'p', value: 'x'.repeat(7000) }] });
      expect((await store.getRun(runId)).data.params.p).toHaveLength(6000);
      const strict = new SqliteStore({ path: ':memory:', longValues: 'reject' });
      const id = (await strict.createRun({ experimentId: '0' })).info.runId;
      expect(await errorCode(strict.logBatch(id, { tags: [{ key: 't', value: 'x'.repeat(8001) }] }))).toBe('INVALID_PARAMETER_VALUE');
      await strict.close();
    });

    it("counts the limits of longValues: 'reject' in characters: 6000 emoji pass, 6001 are refused", async () => {
      const strict = new SqliteStore({ path: ':memory:', longValues: 'reject' });
      const id = (await strict.createRun({ experimentId: '0', tags: { start: '😀'.repeat(8000) } })).info.runId;
      await strict.logBatch(id, { params: [{ key: 'p', value: '😀'.repeat(6000) }], tags: [{ key: 't', value: '𝔸'.repeat(8000) }] });
      await strict.setTag(id, 's', `a${'😀'.repeat(7999)}`);
      const run = await strict.getRun(id);
      expect(run.data.params.p).toBe('😀'.repeat(6000));
      expect(run.data.tags).toMatchObject({ start: '😀'.repeat(8000), t: '𝔸'.repeat(8000), s: `a${'😀'.repeat(7999)}` });
      expect(await errorCode(strict.logBatch(id, { params: [{ key: 'q', value: '😀'.repeat(6001) }] }))).toBe('INVALID_PARAMETER_VALUE');
      expect(await errorCode(strict.setTag(id, 's2', '😀'.repeat(8001)))).toBe('INVALID_PARAMETER_VALUE');
      expect(await errorCode(strict.createRun({ experimentId: '0', tags: { long: '𝔸'.repeat(8001) } }))).toBe('INVALID_PARAMETER_VALUE');
      await strict.close();
    });
  });

  describe('.getMetricHistory', () => {
    it('pages in (timestamp, step, value) order', async () => {
      const metrics = [3, 1, 2, 0].map((i) => ({ key: 'h', value: i, timestamp: T + i, step: 0 }));
      await store.logBatch(runId, { metrics });
      const first = await store.getMetricHistory(runId, 'h', { maxResults: 3 });
      expect(first.items.map((m) => m.value)).toEqual([0, 1, 2]);
      const rest = await store.getMetricHistory(runId, 'h', { maxResults: 3, pageToken: first.nextPageToken! });
      expect(rest.items.map((m) => m.value)).toEqual([3]);
      expect(rest.nextPageToken).toBeUndefined();
    });
  });

  describe('.close', () => {
    it('is idempotent and later calls fail with INVALID_STATE', async () => {
      await store.close();
      await store.close();
      expect(await errorCode(store.getRun(runId))).toBe('INVALID_STATE');
    });
  });

  describe('sync-readiness', () => {
    it('stamps every written row with an increasing change counter', async () => {
      const { dir, remove } = tempDir();
      const path = join(dir, 'seq.db');
      const s = new SqliteStore({ path });
      const id = (await s.createRun({ experimentId: '0' })).info.runId;
      await s.logBatch(id, { metrics: [{ key: 'a', value: 1, timestamp: T, step: 0 }] });
      await s.setTag(id, 'k', 'v');
      await s.deleteTag(id, 'k');
      await s.close();
      const db = new Database(path, { readonly: true });
      const metricSeq = (db.prepare('SELECT seq FROM metrics').get() as { seq: number }).seq;
      const run = db.prepare('SELECT seq, created_at, updated_at FROM runs').get() as { seq: number; created_at: number; updated_at: number };
      const tomb = db.prepare('SELECT entity, key, seq FROM tombstones').get() as { entity: string; key: string; seq: number };
      const counter = (db.prepare('SELECT seq FROM sync_state').get() as { seq: number }).seq;
      db.close();
      remove();
      expect(run.seq).toBeGreaterThan(metricSeq);
      expect(tomb).toMatchObject({ entity: 'run_tag', key: 'k' });
      expect(tomb.seq).toBeGreaterThan(run.seq);
      expect(counter).toBe(tomb.seq);
      expect(run.updated_at).toBeGreaterThanOrEqual(run.created_at);
    });
  });
});
