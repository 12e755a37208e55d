// Through the subpath export, as backend packages import it.
import { describe, expect, it } from 'vitest';
import { chunkLogBatch } from '@logbook/core/spi';

const metrics = (n: number) => Array.from({ length: n }, (_, i) => ({ key: 'm', value: i, timestamp: 1, step: i }));
const kv = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, value: 'v' }));
const sizes = (batches: ReturnType<typeof chunkLogBatch>) => batches.map((c) => [c.metrics?.length, c.params?.length, c.tags?.length]);

describe('chunkLogBatch', () => {
  it('keeps a batch within the limits as one request', () => {
    expect(chunkLogBatch({ metrics: metrics(900), params: kv('p', 50), tags: kv('t', 50) })).toHaveLength(1);
  });

  it('splits like the Python client: params/tags by 100, topped up with metrics to 1000, then metrics by 1000', () => {
    const chunks = chunkLogBatch({ metrics: metrics(2500), params: kv('p', 150), tags: kv('t', 20) });
    expect(sizes(chunks)).toEqual([
      [880, 100, 20],
      [950, 50, 0],
      [670, 0, 0],
    ]);
    expect(chunks.flatMap((c) => c.metrics!.map((m) => m.step))).toEqual(metrics(2500).map((m) => m.step));
    expect(chunks.flatMap((c) => c.params!.map((p) => p.key))).toEqual(kv('p', 150).map((p) => p.key));
  });

  it('never exceeds 1000 metrics, 100 params, 100 tags or 1000 entries per request, and loses nothing', () => {
    const chunks = chunkLogBatch({ metrics: metrics(5001), params: kv('p', 333), tags: kv('t', 250) });
    for (const c of chunks) {
      expect(c.metrics!.length).toBeLessThanOrEqual(1000);
      expect(c.params!.length).toBeLessThanOrEqual(100);
      expect(c.tags!.length).toBeLessThanOrEqual(100);
      expect(c.metrics!.length + c.params!.length + c.tags!.length).toBeLessThanOrEqual(1000);
    }
    expect(chunks.reduce((n, c) => n + c.metrics!.length + c.params!.length + c.tags!.length, 0)).toBe(5001 + 333 + 250);
  });

  it('honours a smaller request size', () => {
    expect(sizes(chunkLogBatch({ metrics: metrics(25), params: kv('p', 5) }, 10))).toEqual([
      [5, 5, 0],
      [10, 0, 0],
      [10, 0, 0],
    ]);
  });

  it('sends nothing for an empty batch', () => {
    expect(chunkLogBatch({})).toEqual([]);
  });
});
