import { describe, expect, it } from 'vitest';
import { lttbIndices } from '../../src/report/lttb.js';

describe('lttbIndices', () => {
  const xs = Array.from({ length: 10_000 }, (_, i) => i);

  it('keeps every point when there are no more than the threshold', () => {
    expect(lttbIndices([0, 1, 2], [5, 6, 7], 2000)).toEqual([0, 1, 2]);
  });

  it('keeps exactly the threshold, first and last included, in increasing order', () => {
    const ys = xs.map((x) => Math.sin(x / 50));
    const kept = lttbIndices(xs, ys, 2000);
    expect(kept).toHaveLength(2000);
    expect(kept[0]).toBe(0);
    expect(kept.at(-1)).toBe(9999);
    expect(kept.every((k, i) => i === 0 || k > kept[i - 1]!)).toBe(true);
  });

  it('keeps a lone spike that plain decimation would drop', () => {
    const ys = xs.map((x) => (x === 4321 ? 100 : 1));
    expect(lttbIndices(xs, ys, 100)).toContain(4321);
  });

  it('never picks a NaN point while a bucket has a finite one', () => {
    const ys = xs.map((x) => (x % 2 === 0 ? Number.NaN : x));
    const kept = lttbIndices(xs, ys, 500).slice(1, -1);
    expect(kept.every((k) => k % 2 === 1)).toBe(true);
  });
});
