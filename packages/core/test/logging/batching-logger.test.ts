import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BatchingLogger, LogbookError } from '../../src/index.js';
import type { BatchingLoggerOptions, LogBatch } from '../../src/index.js';
import { FlakyStore } from '../support/flaky-store.js';

const transient = (): LogbookError => new LogbookError('TEMPORARILY_UNAVAILABLE', '[test] server busy');

async function setup(options: BatchingLoggerOptions = {}, runs = 1) {
  const store = new FlakyStore();
  const ids = await store.runsFor(runs);
  const errors: LogbookError[] = [];
  const logger = new BatchingLogger(store, {
    drainOnExit: false,
    now: () => 1_000,
    onError: (e) => errors.push(e as LogbookError),
    ...options,
  });
  return { store, ids, run: ids[0]!, errors, logger };
}

describe('BatchingLogger', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  describe('.logMetric', () => {
    it('only buffers: nothing reaches the store until a trigger', async () => {
      const { store, run, logger } = await setup({ maxBatchSize: 10, flushIntervalMs: 60_000 });
      for (let step = 0; step < 9; step++) logger.logMetric(run, 'loss', step, step);
      await vi.advanceTimersByTimeAsync(0);
      expect(store.requests).toHaveLength(0);
      expect(logger.stats()).toMatchObject({ buffered: 9, flushed: 0 });
    });

    it('flushes a run as soon as it holds maxBatchSize entries', async () => {
      const { store, run, logger } = await setup({ maxBatchSize: 10, flushIntervalMs: 60_000 });
      for (let step = 0; step < 10; step++) logger.logMetric(run, 'loss', step, step);
      await vi.advanceTimersByTimeAsync(0);
      expect(store.requests).toHaveLength(1);
      expect(store.requests[0]!.batch.metrics).toHaveLength(10);
      expect(logger.stats()).toMatchObject({ buffered: 0, flushed: 10 });
    });

    it('flushes everything once the oldest entry is flushIntervalMs old', async () => {
      const { store, ids, logger } = await setup({ flushIntervalMs: 1000 }, 2);
      logger.logMetric(ids[0]!, 'loss', 1, 0);
      logger.setTags(ids[1]!, { phase: 'warmup' });
      await vi.advanceTimersByTimeAsync(999);
      expect(store.requests).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(store.requests.map((r) => r.runId).sort()).toEqual([...ids].sort());
    });

    it('rejects invalid points at the call, reports them with the field, and keeps the rest', async () => {
      const { store, run, errors, logger } = await setup();
      expect(() => {
        logger.logMetrics(run, { ok: 1, 'bad key!': 2, text: 'x' as unknown as number, nan: Number.NaN });
        logger.logMetric('not a run id!', 'loss', 1);
        logger.logMetric(run, 'loss', 1, 1.5);
        logger.logParams(run, { lr: 3 as unknown as string });
      }).not.toThrow();
      await logger.flush();
      expect(errors.map((e) => [e.code, e.field])).toEqual([
        ['INVALID_PARAMETER_VALUE', 'metrics.bad key!'],
        ['INVALID_PARAMETER_VALUE', 'metrics.text'],
        ['INVALID_PARAMETER_VALUE', 'runId'],
        ['INVALID_PARAMETER_VALUE', 'step'],
        ['INVALID_PARAMETER_VALUE', 'params.lr'],
      ]);
      expect(store.requests[0]!.batch.metrics!.map((m) => m.key)).toEqual(['ok', 'nan']);
      expect(logger.stats()).toMatchObject({ rejected: 5, flushed: 2, failed: 0 });
    });

    it('does not throw when the error handler itself throws', async () => {
      const { run, logger } = await setup({
        onError: () => {
          throw new Error('handler broke');
        },
      });
      expect(() => logger.logMetric(run, '', 1)).not.toThrow();
    });
  });

  describe('chunking', () => {
    it('splits one flush into requests within 1000 metrics, 100 params, 100 tags and 1000 in all', async () => {
      const { store, run, logger } = await setup({ flushIntervalMs: 60_000, maxBufferedPoints: 10_000 });
      const params: Record<string, string> = {};
      for (let i = 0; i < 250; i++) params[`p${i}`] = String(i);
      const tags: Record<string, string> = {};
      for (let i = 0; i < 150; i++) tags[`t${i}`] = String(i);
      logger.logParams(run, params);
      logger.setTags(run, tags);
      for (let step = 0; step < 2500; step++) logger.logMetric(run, 'loss', step, step);
      await logger.flush(run);
      for (const { batch } of store.requests) {
        const [m, p, t] = [batch.metrics?.length ?? 0, batch.params?.length ?? 0, batch.tags?.length ?? 0];
        expect(m).toBeLessThanOrEqual(1000);
        expect(p).toBeLessThanOrEqual(100);
        expect(t).toBeLessThanOrEqual(100);
        expect(m + p + t).toBeLessThanOrEqual(1000);
      }
      const sizes = (k: 'metrics' | 'params' | 'tags') => store.requests.map((r) => r.batch[k]?.length ?? 0).filter((n) => n > 0);
      expect(sizes('params')).toEqual([100, 100, 50]);
      expect(sizes('tags')).toEqual([100, 50]);
      expect(sizes('metrics').reduce((a, b) => a + b)).toBe(2500);
      expect(store.steps(run)).toEqual(Array.from({ length: 2500 }, (_, i) => i));
      expect(Object.keys(store.runs.get(run)!.params)).toHaveLength(250);
    });

    it('sends at most maxBatchSize entries per request', async () => {
      const { store, run, logger } = await setup({ maxBatchSize: 300, flushIntervalMs: 60_000 });
      for (let step = 0; step < 299; step++) logger.logMetric(run, 'loss', step, step);
      logger.logMetrics(run, { a: 1, b: 2, c: 3 }, 299);
      await logger.flush();
      expect(store.requests.map((r) => r.batch.metrics!.length)).toEqual([300, 2]);
    });
  });

  describe('ordering', () => {
    it('keeps each run’s points in call order across flushes and runs', async () => {
      const { store, ids, logger } = await setup({ maxBatchSize: 7 }, 3);
      for (let step = 0; step < 100; step++) for (const id of ids) logger.logMetric(id, 'loss', step, step);
      await vi.advanceTimersByTimeAsync(10_000);
      await logger.flush();
      for (const id of ids) expect(store.steps(id)).toEqual(Array.from({ length: 100 }, (_, i) => i));
      expect(logger.stats()).toMatchObject({ flushed: 300, failed: 0 });
    });
  });

  describe('bounded buffer', () => {
    it('drops points past maxBufferedPoints, counts them and reports them', async () => {
      const { store, run, errors, logger } = await setup({ maxBatchSize: 5, maxBufferedPoints: 5 });
      let open!: () => void;
      store.gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      for (let step = 0; step < 5; step++) logger.logMetric(run, 'loss', step, step);
      logger.logMetrics(run, { a: 1, b: 2, c: 3 }, 5);
      expect(logger.stats()).toMatchObject({ buffered: 5, dropped: 3 });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ code: 'RESOURCE_EXHAUSTED', field: 'logging.maxBufferedPoints' });
      expect(errors[0]!.message).toMatch(/Dropped 3 entries .* maxBufferedPoints=5/);
      open();
      await logger.flush();
      logger.logMetric(run, 'loss', 9, 9);
      await logger.flush();
      expect(store.steps(run)).toEqual([0, 1, 2, 3, 4, 9]);
      expect(logger.stats()).toMatchObject({ buffered: 0, flushed: 6, dropped: 3 });
    });
  });

  describe('retryable failures (the transport owns retries)', () => {
    it('sends a chunk once and reports its entries with their count and cause when there is no spool', async () => {
      const { store, run, errors, logger } = await setup();
      store.failures.push(transient(), transient());
      logger.logMetrics(run, { a: 1, b: 2 });
      await logger.flush();
      expect(store.requests).toHaveLength(1);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ code: 'TEMPORARILY_UNAVAILABLE' });
      expect(errors[0]!.message).toMatch(/Lost 2 entries of run .*no spool is configured.*server busy/);
      expect(logger.stats()).toMatchObject({ failed: 2, buffered: 0, flushed: 0 });
    });

    it('hands the entries to the spool, in order, and counts them spooled', async () => {
      const handed: { runId: string; steps: number[] }[] = [];
      const handoff = {
        accept: async (runId: string, batch: LogBatch) => {
          handed.push({ runId, steps: batch.metrics!.map((m) => m.step) });
        },
      };
      const { store, run, errors, logger } = await setup({ handoff, maxBatchSize: 3 });
      store.failures.push(transient());
      for (let step = 0; step < 5; step++) logger.logMetric(run, 'loss', step, step);
      await logger.flush();
      expect(handed).toEqual([{ runId: run, steps: [0, 1, 2] }]);
      expect(store.steps(run)).toEqual([3, 4]);
      expect(errors).toEqual([]);
      expect(logger.stats()).toMatchObject({ spooled: 3, flushed: 2, failed: 0, buffered: 0 });
    });

    it('reports the entries when the spool cannot take them either', async () => {
      const handoff = {
        accept: async () => {
          throw new LogbookError('DATA_LOSS', '[test] spool disk full');
        },
      };
      const { store, run, errors, logger } = await setup({ handoff });
      store.failures.push(transient());
      logger.logMetric(run, 'loss', 1);
      await logger.flush();
      expect(errors[0]!.message).toMatch(/Lost 1 entries .*the spool could not take them.*\[test\] spool disk full/);
      expect(logger.stats()).toMatchObject({ failed: 1, spooled: 0 });
    });
  });

  describe('.abandon (exit drain out of time)', () => {
    it('hands buffered and in-flight entries on once and releases pending flushes', async () => {
      const handed: number[] = [];
      const handoff = {
        accept: async (_: string, batch: LogBatch) => {
          handed.push(...batch.metrics!.map((m) => m.step));
        },
      };
      const { store, run, logger } = await setup({ handoff, maxBatchSize: 2, flushIntervalMs: 60_000 });
      let open!: () => void;
      store.gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      for (let step = 0; step < 5; step++) logger.logMetric(run, 'loss', step, step);
      const flushed = logger.flush();
      await vi.advanceTimersByTimeAsync(0);
      await logger.abandon();
      await flushed;
      expect(handed).toEqual([0, 1, 2, 3, 4]);
      open();
      await vi.advanceTimersByTimeAsync(0);
      expect(logger.stats()).toMatchObject({ spooled: 5, flushed: 0, failed: 0, buffered: 0 });
    });

    it('reports what it gives up with the count when there is no spool', async () => {
      const { store, run, errors, logger } = await setup({ flushIntervalMs: 60_000 });
      store.gate = new Promise<void>(() => {});
      for (let step = 0; step < 30; step++) logger.logMetric(run, 'loss', step, step);
      void logger.flush();
      await vi.advanceTimersByTimeAsync(0);
      await logger.abandon();
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ code: 'DEADLINE_EXCEEDED' });
      expect(errors[0]!.message).toMatch(/Lost 30 entries .*exitDrainTimeoutMs/);
      expect(logger.stats()).toMatchObject({ failed: 30, buffered: 0 });
    });
  });

  describe('permanent errors', () => {
    it('reports only the offending entry (found by bisection) and writes the rest', async () => {
      const { store, run, errors, logger } = await setup();
      store.poison = { value: 13, error: new LogbookError('INVALID_PARAMETER_VALUE', '[test] unlucky value') };
      for (let step = 0; step < 20; step++) logger.logMetric(run, 'loss', step, step);
      logger.logParams(run, { lr: '0.1' });
      await logger.flush();
      expect(store.steps(run)).toEqual(Array.from({ length: 20 }, (_, i) => i).filter((s) => s !== 13));
      expect(store.runs.get(run)!.params).toEqual({ lr: '0.1' });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ code: 'INVALID_PARAMETER_VALUE', field: 'metrics.loss' });
      expect(errors[0]!.message).toMatch(/refused metric 'loss' \(step 13\) .* unlucky value/);
      expect(logger.stats()).toMatchObject({ flushed: 20, failed: 1, buffered: 0 });
    });

    it('uses the field the store names to drop a changed param and keep the batch', async () => {
      const { store, run, errors, logger } = await setup();
      logger.logParams(run, { lr: '0.1' });
      await logger.flush();
      logger.logMetric(run, 'loss', 1, 1);
      logger.logParams(run, { lr: '0.2', seed: '7' });
      logger.logMetric(run, 'loss', 2, 2);
      await logger.flush();
      expect(store.steps(run)).toEqual([1, 2]);
      expect(store.runs.get(run)!.params).toEqual({ lr: '0.1', seed: '7' });
      expect(errors.map((e) => e.field)).toEqual(['params.lr']);
      expect(store.requests).toHaveLength(3);
    });

    it('splits a param logged twice with different values into separate requests', async () => {
      const { store, run, errors, logger } = await setup();
      logger.logParams(run, { lr: '0.1' });
      logger.logParams(run, { lr: '0.1' });
      logger.logParams(run, { lr: '0.2' });
      await logger.flush();
      expect(store.requests.map((r) => r.batch.params)).toEqual([[{ key: 'lr', value: '0.1' }], [{ key: 'lr', value: '0.2' }]]);
      expect(errors.map((e) => e.field)).toEqual(['params.lr']);
    });

    it('gives a whole chunk up at once when the run does not exist', async () => {
      const { store, errors, logger } = await setup();
      logger.logMetrics('0123456789abcdef', { a: 1, b: 2, c: 3 });
      await logger.flush();
      expect(store.requests).toHaveLength(1);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
      expect(logger.stats().failed).toBe(3);
    });
  });

  describe('deleted runs', () => {
    it('gives a chunk up at once, without bisecting, when the run was deleted', async () => {
      const { store, run, errors, logger } = await setup();
      await store.deleteRun(run);
      store.poison = { value: 0, error: new LogbookError('INVALID_PARAMETER_VALUE', "[test] The run must be in the 'active' state.") };
      for (let step = 0; step < 50; step++) logger.logMetric(run, 'loss', 0, step);
      await logger.flush();
      expect(store.requests).toHaveLength(1);
      expect(errors).toHaveLength(1);
      expect(errors[0]!.message).toMatch(/Lost 50 entries/);
      expect(logger.stats()).toMatchObject({ failed: 50, flushed: 0 });
    });
  });

  describe('.flush', () => {
    it('resolves once earlier points are durable, for one run or all', async () => {
      const { store, ids, logger } = await setup({}, 2);
      logger.logMetric(ids[0]!, 'loss', 1);
      logger.logMetric(ids[1]!, 'loss', 2);
      await logger.flush(ids[0]!);
      expect(store.requests.map((r) => r.runId)).toEqual([ids[0]]);
      await logger.flush();
      expect(store.requests.map((r) => r.runId)).toEqual(ids);
      await logger.flush();
      expect(store.requests).toHaveLength(2);
    });
  });

  describe('.close', () => {
    it('drains, is idempotent, and drops later points with a report', async () => {
      const { store, run, errors, logger } = await setup();
      logger.logMetric(run, 'loss', 1);
      const first = logger.close();
      expect(logger.close()).toBe(first);
      await first;
      expect(store.steps(run)).toEqual([0]);
      logger.logMetric(run, 'loss', 2);
      expect(errors[0]).toMatchObject({ code: 'INVALID_STATE' });
      expect(logger.stats()).toMatchObject({ dropped: 1, flushed: 1 });
      await logger.flush();
      expect(store.requests).toHaveLength(1);
    });
  });
});
