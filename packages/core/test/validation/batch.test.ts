import { describe, expect, it } from 'vitest';
import { validateLogBatch } from '../../src/spi.js';

const metric = (i: number) => ({ key: 'loss', value: i, timestamp: 1000 + i, step: i });
const kv = (i: number) => ({ key: `k${i}`, value: String(i) });

describe('validateLogBatch', () => {
  it('accepts MLflow-size batches: 1000 metrics, or 100 params + 100 tags + 800 metrics', () => {
    expect(validateLogBatch({ metrics: Array.from({ length: 1000 }, (_, i) => metric(i)) }, 'reject').metrics).toHaveLength(1000);
    const mixed = {
      metrics: Array.from({ length: 800 }, (_, i) => metric(i)),
      params: Array.from({ length: 100 }, (_, i) => kv(i)),
      tags: Array.from({ length: 100 }, (_, i) => kv(i)),
    };
    expect(() => validateLogBatch(mixed, 'reject')).not.toThrow();
  });

  it("rejects batches over the limits with MLflow's message", () => {
    expect(() => validateLogBatch({ metrics: Array.from({ length: 1001 }, (_, i) => metric(i)) }, 'reject')).toThrow(/at most 1000 metrics\. Got 1001 metrics/);
    expect(() => validateLogBatch({ params: Array.from({ length: 101 }, (_, i) => kv(i)) }, 'reject')).toThrow(/at most 100 params/);
    expect(() => validateLogBatch({ tags: Array.from({ length: 101 }, (_, i) => kv(i)) }, 'reject')).toThrow(/at most 100 tags/);
    const overTotal = {
      metrics: Array.from({ length: 901 }, (_, i) => metric(i)),
      params: Array.from({ length: 100 }, (_, i) => kv(i)),
    };
    expect(() => validateLogBatch(overTotal, 'reject')).toThrow(/in all\. Got 1001/);
  });

  it('rejects one param key given twice in one batch, even with the same value (as MLflow does)', () => {
    expect(() =>
      validateLogBatch(
        {
          params: [
            { key: 'lr', value: '1' },
            { key: 'lr', value: '2' },
          ],
        },
        'reject',
      ),
    ).toThrow(/Duplicate parameter keys/);
    expect(() =>
      validateLogBatch(
        {
          params: [
            { key: 'lr', value: '1' },
            { key: 'lr', value: '1' },
          ],
        },
        'reject',
      ),
    ).toThrow(/Duplicate parameter keys/);
  });

  it('names the offending entry', () => {
    expect(() => validateLogBatch({ metrics: [metric(0), { key: 'bad key!', value: 1, timestamp: 1, step: 0 }] }, 'reject')).toThrow(/metrics\[1\]\.key/);
  });

  it('defaults a missing step to 0', () => {
    const m = { key: 'acc', value: 1, timestamp: 5 } as unknown as ReturnType<typeof metric>;
    expect(validateLogBatch({ metrics: [m] }, 'reject').metrics[0]?.step).toBe(0);
  });
});
