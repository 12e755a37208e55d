import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryArtifactStore, MemoryStore, composeBackend, createLogbook, registerBackend, silentLogger, unregisterBackend } from '../../src/index.js';
import type { LogBatch } from '../../src/index.js';

/** A memory store that records, in one shared list, the writes it takes and when it is closed. */
class OrderedStore extends MemoryStore {
  constructor(private readonly events: string[]) { super(); }
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
  constructor(private readonly events: string[]) { super(); }
  override async close(): Promise<void> {
    this.events.push('artifacts.close');
    await super.close();
  }
}

describe('LogbookInstance', () => {
  afterEach(() => { unregisterBackend('ordered'); });

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
  });
});
