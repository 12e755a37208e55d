import { describe, expect, it } from 'vitest';
import { validateMetrics } from '../../src/validation/batch.js';
import type { Metric } from '../../src/index.js';

const point = (over: Partial<Record<keyof Metric, unknown>>): Metric => ({ key: 'loss', value: 1, timestamp: 10, step: 0, ...over }) as Metric;

describe('validateMetrics', () => {
  it('checks every point, not only the first of a key, and names the bad one', () => {
    const bad = [point({}), point({ value: 'x' }), point({ timestamp: -1 }), point({ step: 1.5 })];
    for (let i = 1; i < bad.length; i++) {
      expect(() => validateMetrics([bad[0]!, bad[i]!])).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE', field: expect.stringMatching(/^metrics\[1\]/) }));
    }
  });

  it('refuses a bad key once and defaults the step to 0', () => {
    expect(() => validateMetrics([point({ key: 'a/../b' })])).toThrow(expect.objectContaining({ field: 'metrics[0].key' }));
    expect(validateMetrics([point({ step: undefined }), point({ step: undefined, value: Number.NaN })]).map((m) => m.step)).toEqual([0, 0]);
  });
});
