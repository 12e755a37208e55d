import { describe, expect, it } from 'vitest';
import { LogbookError } from '../../src/index.js';
import { classifyFailure } from '../../src/spi.js';
import type { LogBatch } from '../../src/index.js';
import { ChunkWriter } from '../../src/logging/chunk-writer.js';
import type { Entry } from '../../src/logging/entries.js';
import { silentLogger } from '../../src/logging/operational-logger.js';
import { PendingChunk } from '../../src/logging/pending-chunk.js';
import { StatsCounters } from '../../src/logging/logger-stats.js';
import { FlakyStore } from '../support/flaky-store.js';

const point = (step: number, value = step): Entry => ({ kind: 'metric', metric: { key: 'loss', value, timestamp: 1_000, step } });

async function setup(handoff?: (runId: string, batch: LogBatch) => Promise<void>) {
  const store = new FlakyStore();
  const [run] = await store.runsFor(1);
  const stats = new StatsCounters();
  const errors: LogbookError[] = [];
  const writer = new ChunkWriter(store, stats, (e) => errors.push(e as LogbookError), silentLogger, handoff === undefined ? undefined : { accept: handoff });
  const write = async (entries: Entry[]) => {
    stats.buffered += entries.length;
    await writer.write(new PendingChunk(run!, entries));
  };
  return { store, run: run!, stats, errors, write };
}

describe('ChunkWriter', () => {
  describe('classifyFailure', () => {
    it('calls request errors permanent and everything else retryable', () => {
      expect(classifyFailure(new LogbookError('INVALID_PARAMETER_VALUE', 'x'))).toBe('permanent');
      expect(classifyFailure(new LogbookError('RESOURCE_DOES_NOT_EXIST', 'x'))).toBe('permanent');
      expect(classifyFailure(new LogbookError('TEMPORARILY_UNAVAILABLE', 'x'))).toBe('retryable');
      expect(classifyFailure(Object.assign(new Error('socket'), { code: 'ECONNREFUSED' }))).toBe('retryable');
    });
  });

  describe('.write', () => {
    it('done: one request, entries counted flushed', async () => {
      const { store, run, stats, write } = await setup();
      await write([point(1), point(2)]);
      expect(store.requests).toHaveLength(1);
      expect(store.steps(run)).toEqual([1, 2]);
      expect(stats.snapshot()).toMatchObject({ flushed: 2, buffered: 0 });
    });

    it('retryable: never retries on top of the transport; without a spool reports count and cause', async () => {
      const { store, stats, errors, write } = await setup();
      for (let i = 0; i < 10; i++) store.failures.push(new LogbookError('TEMPORARILY_UNAVAILABLE', '[mlflow] ECONNREFUSED'));
      await write([point(1), point(2), point(3)]);
      expect(store.requests).toHaveLength(1);
      expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/Lost 3 entries .*ECONNREFUSED/)]);
      expect(stats.snapshot()).toMatchObject({ failed: 3, flushed: 0, buffered: 0 });
    });

    it('retryable: hands the whole chunk to the spool, once', async () => {
      const handed: LogBatch[] = [];
      const { store, stats, errors, write } = await setup(async (_, batch) => {
        handed.push(batch);
      });
      store.failures.push(new LogbookError('TEMPORARILY_UNAVAILABLE', '[mlflow] down'));
      await write([point(1), point(2)]);
      expect(store.requests).toHaveLength(1);
      expect(handed.map((b) => b.metrics!.map((m) => m.step))).toEqual([[1, 2]]);
      expect(errors).toEqual([]);
      expect(stats.snapshot()).toMatchObject({ spooled: 2, failed: 0, buffered: 0 });
    });

    it('a run living in the spool: writes go there directly; a refused entry is isolated there too', async () => {
      const spooled: Entry[][] = [];
      const store = new FlakyStore();
      const [run] = await store.runsFor(1);
      const stats = new StatsCounters();
      const errors: LogbookError[] = [];
      const handoff = {
        takesNow: () => true,
        accept: async (_: string, batch: LogBatch) => {
          if (batch.params?.some((p) => p.value === '2')) throw new LogbookError('INVALID_PARAMETER_VALUE', '[test] param lr already set');
          spooled.push([...(batch.metrics ?? []).map((metric) => ({ kind: 'metric' as const, metric })), ...(batch.params ?? []).map((p) => ({ kind: 'param' as const, ...p }))]);
        },
      };
      const writer = new ChunkWriter(store, stats, (e) => errors.push(e as LogbookError), silentLogger, handoff);
      const entries: Entry[] = [point(0), { kind: 'param', key: 'lr', value: '2' }, point(1), point(2)];
      stats.buffered += entries.length;
      await writer.write(new PendingChunk(run!, entries));
      expect(store.requests).toHaveLength(0);
      expect(spooled.flat().filter((e) => e.kind === 'metric')).toHaveLength(3);
      expect(errors.map((e) => e.field)).toEqual(['params.lr']);
      expect(stats.snapshot()).toMatchObject({ spooled: 3, failed: 1, buffered: 0 });
    });

    it('permanent: isolates the offending entry by bisection and writes the rest', async () => {
      const { store, run, stats, errors, write } = await setup(async () => {
        throw new Error('must not be spooled');
      });
      store.poison = { value: 5, error: new LogbookError('INVALID_PARAMETER_VALUE', '[test] bad point') };
      await write(Array.from({ length: 8 }, (_, i) => point(i)));
      expect(store.steps(run)).toEqual([0, 1, 2, 3, 4, 6, 7]);
      expect(errors.map((e) => e.field)).toEqual(['metrics.loss']);
      expect(stats.snapshot()).toMatchObject({ flushed: 7, failed: 1, spooled: 0, buffered: 0 });
    });

    it('a retryable failure during bisection hands on only the entries still open', async () => {
      const handed: number[] = [];
      const { store, stats, write } = await setup(async (_, batch) => {
        handed.push(...batch.metrics!.map((m) => m.step));
      });
      // The first request is refused as a whole (permanent); then the server goes away, so the
      // halves of the bisection are handed to the spool instead of being written.
      store.poison = { value: 3, error: new LogbookError('INVALID_PARAMETER_VALUE', '[test] bad point') };
      const original = store.logBatch.bind(store);
      let calls = 0;
      store.logBatch = async (runId, batch) => {
        calls++;
        if (calls === 1) return original(runId, batch);
        throw new LogbookError('TEMPORARILY_UNAVAILABLE', '[mlflow] down');
      };
      await write([point(2), point(3), point(4), point(5)]);
      expect(handed).toEqual([2, 3, 4, 5]);
      expect(stats.snapshot()).toMatchObject({ spooled: 4, buffered: 0 });
    });
  });
});
