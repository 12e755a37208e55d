import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { MemoryArtifactStore } from '../../src/index.js';
import type { LogBatch, Metric } from '../../src/index.js';
import { MetricSender } from '../../src/sync/metric-sender.js';
import { SyncJob } from '../../src/sync/sync-job.js';
import type { SyncSource } from '../../src/sync/types.js';
import { FlakyStore } from '../support/flaky-store.js';

/** Records which requests were in flight together, and whether two of them brought one new key. */
class OverlapStore extends FlakyStore {
  readonly inFlight = new Set<LogBatch>();
  maxInFlight = 0;
  clashes = 0;

  override async logBatch(runId: string, batch: LogBatch): Promise<void> {
    const stored = new Set(this.runs.get(runId)?.metrics.map((m) => m.key));
    const fresh = new Set((batch.metrics ?? []).map((m) => m.key).filter((k) => !stored.has(k)));
    if ([...this.inFlight].some((other) => (other.metrics ?? []).some((m) => fresh.has(m.key)))) this.clashes++;
    this.inFlight.add(batch);
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight.size);
    try {
      await nextTurn();
      await super.logBatch(runId, batch);
    } finally {
      this.inFlight.delete(batch);
    }
  }
}

/** `perKey` points of each key, sorted by key as the sync source pages them. */
function points(keys: readonly string[], perKey: number): Metric[] {
  return keys.flatMap((key) => Array.from({ length: perKey }, (_, step) => ({ key, value: step, timestamp: 1_700_000_000_000 + step, step })));
}

async function setup(concurrency: number): Promise<{ store: OverlapStore; runId: string; sender: MetricSender }> {
  const store = new OverlapStore();
  const [runId] = await store.runsFor(1);
  const job = new SyncJob({} as SyncSource, { id: 'target', tracking: store, registry: store, artifacts: new MemoryArtifactStore() }, { concurrency }, 0);
  return { store, runId: runId!, sender: new MetricSender(job, runId!) };
}

describe('MetricSender', () => {
  describe('.send', () => {
    it('sends full log-batches several at a time, every point once, never two at once bringing one new key', async () => {
      const { store, runId, sender } = await setup(3);
      const all = points(['loss', 'val.loss'], 5000);
      await sender.send(all.slice(0, 5000));
      await sender.send(all.slice(5000));
      await sender.drain();
      expect(store.requests.map((r) => r.batch.metrics?.length)).toEqual(Array(10).fill(1000));
      expect(store.runs.get(runId)!.metrics).toHaveLength(10_000);
      expect(store.maxInFlight).toBeGreaterThan(1);
      expect(store.maxInFlight).toBeLessThanOrEqual(3);
      expect(store.clashes).toBe(0);
    });

    it('keeps to one request in flight with concurrency 1', async () => {
      const { store, sender } = await setup(1);
      await sender.send(points(['loss'], 4000));
      await sender.drain();
      expect(store.requests).toHaveLength(4);
      expect(store.maxInFlight).toBe(1);
    });
  });

  describe('.drain', () => {
    it('throws the first failure once every request in flight has settled', async () => {
      const { store, sender } = await setup(4);
      const error = new Error('refused');
      store.poison = { value: 2500, error };
      const sending = (async () => {
        await sender.send(points(['loss'], 6000));
        await sender.drain();
      })();
      await expect(sending).rejects.toBe(error);
      expect(store.inFlight.size).toBe(0);
    });
  });
});
