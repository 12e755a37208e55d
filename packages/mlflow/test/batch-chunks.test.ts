import { describe, expect, it } from 'vitest';
import { chunkBatch } from '../src/batch-chunks.js';

const metrics = (n: number) => Array.from({ length: n }, (_, i) => ({ key: 'm', value: i, timestamp: 1, step: i }));
const kv = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, value: 'v' }));

describe('chunkBatch', () => {
  it('keeps a batch within the limits as one request', () => {
    expect(chunkBatch({ metrics: metrics(900), params: kv('p', 50), tags: kv('t', 50) })).toHaveLength(1);
  });

  it('splits like the Python client: params/tags by 100, topped up with metrics to 1000, then metrics by 1000', () => {
    const chunks = chunkBatch({ metrics: metrics(2500), params: kv('p', 150), tags: kv('t', 20) });
    expect(chunks.map((c) => [c.metrics.length, c.params.length, c.tags.length])).toEqual([
      [880, 100, 20],
      [950, 50, 0],
      [670, 0, 0],
    ]);
    expect(chunks.flatMap((c) => c.metrics.map((m) => m.step))).toEqual(metrics(2500).map((m) => m.step));
  });

  it('never exceeds 1000 metrics, 100 params, 100 tags or 1000 entries per request', () => {
    for (const c of chunkBatch({ metrics: metrics(5001), params: kv('p', 333), tags: kv('t', 250) })) {
      expect(c.metrics.length).toBeLessThanOrEqual(1000);
      expect(c.params.length).toBeLessThanOrEqual(100);
      expect(c.tags.length).toBeLessThanOrEqual(100);
      expect(c.metrics.length + c.params.length + c.tags.length).toBeLessThanOrEqual(1000);
    }
  });

  it('sends nothing for an empty batch', () => {
    expect(chunkBatch({})).toEqual([]);
  });
});
