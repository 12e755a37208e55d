import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryArtifactStore, MemoryStore, createLogbook, silentLogger } from '../../src/index.js';
import { composeBackend, registerArtifactStore, registerBackend, unregisterBackend } from '../../src/spi.js';
import type { LogBatch } from '../../src/index.js';

/** A memory store that records, in one shared list, the writes it takes and when it is closed. */
class OrderedStore extends MemoryStore {
  constructor(private readonly events: string[]) {
    super();
  }
  override async logBatch(runId: string, batch: LogBatch): Promise<void> {
    this.events.push(`logBatch ${batch.metrics?.length ?? 0}`);
    await super.logBatch(runId, batch);
  }
  override async close(): Promise<void> {
    this.events.push('tracking.close');
    await super.close();
  }
}

class OrderedArtifacts extends MemoryArtifactStore {
  constructor(
    private readonly events: string[],
    private readonly name = 'artifacts',
  ) {
    super();
  }
  override async close(): Promise<void> {
    this.events.push(`${this.name}.close`);
    await super.close();
  }
}

const open = (trackingUri: string) =>
  createLogbook({ trackingUri, logging: { drainOnExit: false, flushIntervalMs: 60_000 } }, { env: {}, cwd: mkdtempSync(join(tmpdir(), 'logbook-core-')), logger: silentLogger });

describe('LogbookInstance', () => {
  afterEach(() => {
    unregisterBackend('ordered');
  });

  describe('.close', () => {
    it('drains the batching logger (created last) before closing the stores (created first), once however often it is called', async () => {
      const events: string[] = [];
      registerBackend({
        name: 'ordered',
        handles: (uri) => uri.startsWith('ordered:'),
        create: async () => composeBackend({ tracking: new OrderedStore(events), registry: new MemoryStore(), artifacts: new OrderedArtifacts(events) }),
      });
      const logbook = await createLogbook(
        { trackingUri: 'ordered:', logging: { drainOnExit: false, flushIntervalMs: 60_000 } },
        { env: {}, cwd: mkdtempSync(join(tmpdir(), 'logbook-core-')), logger: silentLogger },
      );
      const run = await logbook.tracker.startRun(await logbook.tracker.getOrCreateExperiment('order'));
      for (let step = 0; step < 5; step++) logbook.tracker.logMetric('loss', 1 / (step + 1), step, run);
      expect(events).toEqual([]);
      await Promise.all([logbook.close(), logbook.close()]);
      await logbook.close();
      expect(events.slice(0, 1)).toEqual(['logBatch 5']);
      expect(events.slice(1).sort()).toEqual(['artifacts.close', 'tracking.close']);
    });

    it('leaves a container that answers every call with a typed INVALID_STATE instead of a plain Error, and reports points logged after it', async () => {
      const errors: unknown[] = [];
      const logbook = await createLogbook(
        { trackingUri: 'memory:closed', logging: { drainOnExit: false, flushIntervalMs: 60_000 } },
        { env: {}, cwd: mkdtempSync(join(tmpdir(), 'logbook-core-')), logger: silentLogger, onError: (e) => errors.push(e) },
      );
      const run = await logbook.tracker.startRun(await logbook.tracker.getOrCreateExperiment('closed'));
      expect(logbook.container.isRegistered('anything')).toBe(false);
      await logbook.close();
      expect(() => logbook.container.resolve('anything')).toThrow(expect.objectContaining({ name: 'LogbookError', code: 'INVALID_STATE', field: 'container' }));
      expect(() => logbook.container.register('x', { useValue: 1 })).toThrow(/logbook is closed: its container cannot register\(\)/);
      logbook.tracker.logMetric('loss', 1, 0, run);
      await logbook.flush();
      expect(errors).toMatchObject([{ code: 'INVALID_STATE', message: expect.stringMatching(/logger is closed/) }]);
    });

    it('closes an extra artifact store (created before the backend) after the backend', async () => {
      const events: string[] = [];
      registerArtifactStore({
        name: 'ordered-extra',
        wanted: (config) => config.trackingUri === 'ordered:extra',
        create: () => ({ store: new OrderedArtifacts(events, 'extra'), rootUri: 'memory:///extra' }),
      });
      registerBackend({
        name: 'ordered',
        handles: (uri) => uri.startsWith('ordered:'),
        create: async () => composeBackend({ tracking: new OrderedStore(events), registry: new MemoryStore(), artifacts: new MemoryArtifactStore() }),
      });
      const logbook = await open('ordered:extra');
      const run = await logbook.tracker.startRun(await logbook.tracker.getOrCreateExperiment('order'));
      logbook.tracker.logMetric('loss', 1, 0, run);
      await logbook.close();
      expect(events).toEqual(['logBatch 1', 'tracking.close', 'extra.close']);
    });

    it('closes everything when a store fails to close, then rejects with that failure (again on later calls)', async () => {
      const events: string[] = [];
      const broken = new Error('[test] tracking close failed');
      class BrokenStore extends OrderedStore {
        override async close(): Promise<void> {
          await super.close();
          throw broken;
        }
      }
      registerBackend({
        name: 'ordered',
        handles: (uri) => uri.startsWith('ordered:'),
        create: async () => composeBackend({ tracking: new BrokenStore(events), registry: new MemoryStore(), artifacts: new OrderedArtifacts(events) }),
      });
      const logbook = await open('ordered:');
      const run = await logbook.tracker.startRun(await logbook.tracker.getOrCreateExperiment('order'));
      logbook.tracker.logMetric('loss', 1, 0, run);
      await expect(logbook.close()).rejects.toBe(broken);
      await expect(logbook.close()).rejects.toBe(broken);
      expect(events[0]).toBe('logBatch 1');
      expect(events.slice(1).sort()).toEqual(['artifacts.close', 'tracking.close']);
    });
  });
});
