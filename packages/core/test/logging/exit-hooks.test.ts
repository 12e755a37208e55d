import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { BatchingLogger } from '../../src/index.js';
import type { ExitProcess } from '../../src/index.js';
import { FlakyStore } from '../support/flaky-store.js';

/** A process stand-in: real EventEmitter semantics, `kill` recorded instead of sent. */
class FakeProcess extends EventEmitter implements ExitProcess {
  readonly pid = 4242;
  readonly kill = vi.fn();
}

async function loggerOn(proc: FakeProcess) {
  const store = new FlakyStore();
  const [run] = await store.runsFor(1);
  const logger = new BatchingLogger(store, { process: proc, flushIntervalMs: 60_000 });
  return { store, run: run!, logger };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('BatchingLogger exit drain', () => {
  it('installs one set of handlers per process, whatever the number of loggers, and removes them on close', async () => {
    const proc = new FakeProcess();
    const a = await loggerOn(proc);
    const b = await loggerOn(proc);
    for (const event of ['beforeExit', 'SIGINT', 'SIGTERM']) expect(proc.listenerCount(event)).toBe(1);
    await a.logger.close();
    expect(proc.listenerCount('SIGINT')).toBe(1);
    await b.logger.close();
    for (const event of ['beforeExit', 'SIGINT', 'SIGTERM']) expect(proc.listenerCount(event)).toBe(0);
  });

  it('on SIGTERM with a store that never answers, reports what is left with its count once the drain time is up, then re-raises', async () => {
    vi.useFakeTimers();
    try {
      const proc = new FakeProcess();
      const store = new FlakyStore();
      const [run] = await store.runsFor(1);
      const errors: { code?: string; message?: string }[] = [];
      const logger = new BatchingLogger(store, { process: proc, flushIntervalMs: 60_000, exitDrainTimeoutMs: 5000, onError: (e) => errors.push(e as never) });
      store.gate = new Promise<void>(() => {});
      for (let step = 0; step < 1500; step++) logger.logMetric(run!, 'loss', step, step);
      proc.emit('SIGTERM', 'SIGTERM');
      await vi.advanceTimersByTimeAsync(4999);
      expect(proc.kill).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      expect(proc.kill).toHaveBeenCalledWith(4242, 'SIGTERM');
      expect(logger.stats()).toMatchObject({ failed: 1500, buffered: 0, flushed: 0 });
      const lost = errors.map((e) => Number(/Lost (\d+) entries/.exec(e.message ?? '')?.[1] ?? 0)).reduce((a, b) => a + b, 0);
      expect(lost).toBe(1500);
      expect(errors.every((e) => e.code === 'DEADLINE_EXCEEDED')).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('drains every logger on beforeExit', async () => {
    const proc = new FakeProcess();
    const { store, run, logger } = await loggerOn(proc);
    logger.logMetric(run, 'loss', 1, 0);
    proc.emit('beforeExit', 0);
    await settle();
    expect(store.steps(run)).toEqual([0]);
    expect(proc.kill).not.toHaveBeenCalled();
    await logger.close();
  });

  it('on SIGTERM drains, removes its handlers, then re-raises the signal', async () => {
    const proc = new FakeProcess();
    const { store, run, logger } = await loggerOn(proc);
    let release!: () => void;
    store.gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    logger.logMetric(run, 'loss', 1, 0);
    proc.emit('SIGTERM', 'SIGTERM');
    await settle();
    expect(proc.kill).not.toHaveBeenCalled();
    release();
    await settle();
    expect(store.steps(run)).toEqual([0]);
    expect(proc.kill).toHaveBeenCalledWith(4242, 'SIGTERM');
    expect(proc.listenerCount('SIGTERM')).toBe(0);
    await logger.close();
  });

  it('leaves the signal to other listeners when there are some', async () => {
    const proc = new FakeProcess();
    const { logger } = await loggerOn(proc);
    proc.on('SIGINT', () => {});
    proc.emit('SIGINT', 'SIGINT');
    await settle();
    expect(proc.kill).not.toHaveBeenCalled();
    expect(proc.listenerCount('SIGINT')).toBe(1);
    await logger.close();
  });

  it('installs nothing when drainOnExit is false', async () => {
    const proc = new FakeProcess();
    const logger = new BatchingLogger(new FlakyStore(), { process: proc, drainOnExit: false });
    expect(proc.listenerCount('SIGINT')).toBe(0);
    await logger.close();
  });
});
