import { describe, expect, it } from 'vitest';
import type { Metric } from '@logbook/core';
import type { TrackingStore } from '@logbook/core/spi';
import { collectPages, expectCode, uniqueName, unknownRunId } from '../support.js';

const T0 = 1_700_000_000_000;
const point = (key: string, value: number, timestamp: number, step: number): Metric => ({ key, value, timestamp, step });
const triple = (m: Metric) => [m.timestamp, m.step, m.value];

/** logBatch: params, tags, metrics, histories and MLflow's limits (`runs/log-batch`). */
export function logBatchTests(store: () => TrackingStore): void {
  const newRun = async () => {
    const experimentId = await store().createExperiment({ name: uniqueName('batch') });
    return (await store().createRun({ experimentId, startTime: T0 })).info.runId;
  };
  const history = async (runId: string, key: string) => (await collectPages((pageToken) => store().getMetricHistory(runId, key, { pageToken, maxResults: 25_000 }))).items;
  const latest = async (runId: string, key: string) => (await store().getRun(runId)).data.metrics.find((m) => m.key === key);

  describe('logBatch', () => {
    it('writes params, tags and metrics in one call', async () => {
      const runId = await newRun();
      await store().logBatch(runId, {
        params: [
          { key: 'lr', value: '0.01' },
          { key: 'layers', value: '4' },
        ],
        tags: [{ key: 'phase', value: 'train' }],
        metrics: [point('loss', 0.5, T0, 0), point('acc', 0.9, T0, 0)],
      });
      const run = await store().getRun(runId);
      expect(run.data.params).toEqual({ lr: '0.01', layers: '4' });
      expect(run.data.tags).toMatchObject({ phase: 'train' });
      expect(run.data.metrics.map((m) => [m.key, m.value]).sort()).toEqual([
        ['acc', 0.9],
        ['loss', 0.5],
      ]);
    });

    it('treats params as write-once: the same value again is a no-op', async () => {
      const runId = await newRun();
      await store().logBatch(runId, { params: [{ key: 'lr', value: '0.01' }] });
      await store().logBatch(runId, { params: [{ key: 'lr', value: '0.01' }] });
      expect((await store().getRun(runId)).data.params).toEqual({ lr: '0.01' });
    });

    it('rejects changing a param with INVALID_PARAMETER_VALUE and loses nothing of later batches', async () => {
      const runId = await newRun();
      await store().logBatch(runId, { params: [{ key: 'lr', value: '0.01' }] });
      await expectCode(store().logBatch(runId, { params: [{ key: 'lr', value: '0.02' }] }), 'INVALID_PARAMETER_VALUE');
      await store().logBatch(runId, {
        params: [{ key: 'epochs', value: '10' }],
        tags: [{ key: 'after', value: 'failure' }],
        metrics: [point('loss', 0.25, T0 + 1, 1)],
      });
      const run = await store().getRun(runId);
      expect(run.data.params).toEqual({ lr: '0.01', epochs: '10' });
      expect(run.data.tags['after']).toBe('failure');
      expect(run.data.metrics.map((m) => m.value)).toEqual([0.25]);
    });

    it('rejects a param key given twice in one batch, even with the same value', async () => {
      // MLflow's log_batch runs `_validate_param_keys_unique` on every request (from source).
      const runId = await newRun();
      await expectCode(
        store().logBatch(runId, {
          params: [
            { key: 'lr', value: '1' },
            { key: 'lr', value: '2' },
          ],
        }),
        'INVALID_PARAMETER_VALUE',
      );
      await expectCode(
        store().logBatch(runId, {
          params: [
            { key: 'lr', value: '1' },
            { key: 'lr', value: '1' },
          ],
        }),
        'INVALID_PARAMETER_VALUE',
      );
    });

    it('overwrites tags: the last value wins', async () => {
      const runId = await newRun();
      await store().logBatch(runId, { tags: [{ key: 'phase', value: 'warmup' }] });
      await store().logBatch(runId, { tags: [{ key: 'phase', value: 'train' }] });
      expect((await store().getRun(runId)).data.tags['phase']).toBe('train');
    });

    it('returns a metric history ordered by timestamp, then step, then value', async () => {
      const runId = await newRun();
      await store().logBatch(runId, {
        metrics: [point('m', 3, T0 + 2, 0), point('m', 2, T0 + 1, 5), point('m', 1, T0 + 1, 5), point('m', 9, T0 + 1, 2), point('m', 0, T0, 7)],
      });
      expect((await history(runId, 'm')).map(triple)).toEqual([
        [T0, 7, 0],
        [T0 + 1, 2, 9],
        [T0 + 1, 5, 1],
        [T0 + 1, 5, 2],
        [T0 + 2, 0, 3],
      ]);
    });

    it('ignores an exact duplicate point but keeps near-duplicates', async () => {
      const runId = await newRun();
      await store().logBatch(runId, { metrics: [point('m', 1, T0, 0)] });
      await store().logBatch(runId, { metrics: [point('m', 1, T0, 0)] });
      await store().logBatch(runId, { metrics: [point('m', 1, T0, 1), point('m', 1, T0 + 1, 0), point('m', 2, T0, 0)] });
      expect((await history(runId, 'm')).map(triple)).toEqual([
        [T0, 0, 1],
        [T0, 0, 2],
        [T0, 1, 1],
        [T0 + 1, 0, 1],
      ]);
    });

    it('reports as latest the point with the highest (step, timestamp, value)', async () => {
      const runId = await newRun();
      // A higher step wins over a later timestamp.
      await store().logBatch(runId, { metrics: [point('a', 1, T0 + 100, 3), point('a', 2, T0, 5)] });
      // Same step: the later timestamp wins over a higher value.
      await store().logBatch(runId, { metrics: [point('b', 9, T0, 1), point('b', 4, T0 + 1, 1)] });
      // Same step and timestamp: the higher value wins, whatever the logging order.
      await store().logBatch(runId, { metrics: [point('c', 7, T0, 1), point('c', 5, T0, 1)] });
      expect(await latest(runId, 'a')).toMatchObject({ value: 2, step: 5, timestamp: T0 });
      expect(await latest(runId, 'b')).toMatchObject({ value: 4, step: 1, timestamp: T0 + 1 });
      expect(await latest(runId, 'c')).toMatchObject({ value: 7, step: 1, timestamp: T0 });
    });

    it('round-trips NaN as NaN and clamps ±Infinity to ±Number.MAX_VALUE', async () => {
      const runId = await newRun();
      await store().logBatch(runId, {
        metrics: [point('nan', Number.NaN, T0, 0), point('inf', Infinity, T0, 0), point('ninf', -Infinity, T0, 0)],
      });
      expect(Number.isNaN((await latest(runId, 'nan'))?.value)).toBe(true);
      expect((await latest(runId, 'inf'))?.value).toBe(Number.MAX_VALUE);
      expect((await latest(runId, 'ninf'))?.value).toBe(-Number.MAX_VALUE);
      expect(Number.isNaN((await history(runId, 'nan'))[0]?.value)).toBe(true);
      expect((await history(runId, 'inf'))[0]?.value).toBe(Number.MAX_VALUE);
    });

    it('keeps negative steps and step 0', async () => {
      const runId = await newRun();
      await store().logBatch(runId, { metrics: [point('s', 1, T0, -3), point('s', 2, T0 + 1, 0)] });
      expect((await history(runId, 's')).map((m) => m.step)).toEqual([-3, 0]);
    });

    it('enforces MLflow batch limits: 1000 metrics, 100 params, 100 tags, 1000 entries in all', async () => {
      const runId = await newRun();
      const metrics = (n: number) => Array.from({ length: n }, (_, i) => point(`m${i % 10}`, i, T0 + i, i));
      const kv = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, value: 'v' }));
      await expectCode(store().logBatch(runId, { metrics: metrics(1001) }), 'INVALID_PARAMETER_VALUE');
      await expectCode(store().logBatch(runId, { params: kv(101, 'p') }), 'INVALID_PARAMETER_VALUE');
      await expectCode(store().logBatch(runId, { tags: kv(101, 't') }), 'INVALID_PARAMETER_VALUE');
      await expectCode(store().logBatch(runId, { metrics: metrics(950), params: kv(60, 'p') }), 'INVALID_PARAMETER_VALUE');
      await store().logBatch(runId, { metrics: metrics(1000) });
      await store().logBatch(runId, { params: kv(100, 'p'), tags: kv(100, 't') });
      const run = await store().getRun(runId);
      expect(Object.keys(run.data.params)).toHaveLength(100);
      expect((await history(runId, 'm0')).length).toBe(100);
    });

    it("truncates param values past 6000 and run tag values past 8000 characters, as MLflow's server does", async () => {
      const runId = await newRun();
      await store().logBatch(runId, {
        params: [
          { key: 'long', value: 'p'.repeat(6001) },
          { key: 'edge', value: 'e'.repeat(6000) },
        ],
        tags: [{ key: 'long', value: 't'.repeat(8001) }],
      });
      const run = await store().getRun(runId);
      expect(run.data.params['long']).toBe('p'.repeat(6000));
      expect(run.data.params['edge']).toBe('e'.repeat(6000));
      expect(run.data.tags['long']).toBe('t'.repeat(8000));
    });

    it('rejects keys with forbidden characters or unstable paths', async () => {
      const runId = await newRun();
      for (const key of ['bad!key', 'a//b', '../up', 'trailing/', '']) {
        await expectCode(store().logBatch(runId, { params: [{ key, value: '1' }] }), 'INVALID_PARAMETER_VALUE');
      }
      await expectCode(store().logBatch(runId, { metrics: [point('semi;colon', 1, T0, 0)] }), 'INVALID_PARAMETER_VALUE');
      await store().logBatch(runId, { params: [{ key: 'ok/key-with.all_kinds: 1', value: '1' }] });
      expect((await store().getRun(runId)).data.params['ok/key-with.all_kinds: 1']).toBe('1');
    });

    it('answers RESOURCE_DOES_NOT_EXIST for an unknown run', async () => {
      await expectCode(store().logBatch(unknownRunId(), { tags: [{ key: 'k', value: 'v' }] }), 'RESOURCE_DOES_NOT_EXIST');
    });

    describe('.getMetricHistory', () => {
      it('pages through a long history with tokens, in order, without gaps', async () => {
        const runId = await newRun();
        const points = Array.from({ length: 5 }, (_, i) => point('h', i / 10, T0 + i, i));
        await store().logBatch(runId, { metrics: points });
        const seen: Metric[] = [];
        const pageSizes: number[] = [];
        await collectPages(async (pageToken) => {
          const page = await store().getMetricHistory(runId, 'h', { maxResults: 2, pageToken });
          seen.push(...page.items);
          pageSizes.push(page.items.length);
          return page;
        });
        expect(pageSizes.slice(0, 3)).toEqual([2, 2, 1]);
        expect(seen.map(triple)).toEqual(points.map(triple));
      });

      it('returns an empty history for a key never logged', async () => {
        const runId = await newRun();
        expect((await store().getMetricHistory(runId, 'never', { maxResults: 10 })).items).toEqual([]);
      });
    });
  });
}
