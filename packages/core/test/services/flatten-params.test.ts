import { describe, expect, it } from 'vitest';
import { flattenParams, stringifyParam } from '../../src/index.js';

describe('flattenParams', () => {
  it('flattens plain objects to dotted keys and writes values as MLflow stores them', () => {
    const when = new Date(Date.UTC(2026, 0, 2));
    expect(flattenParams({ a: { b: { c: 1 } }, empty: {}, n: null, big: 12n, when, list: [1, 2n], skipped: undefined })).toEqual({
      params: { 'a.b.c': '1', empty: '{}', n: 'None', big: '12', when: '2026-01-02T00:00:00.000Z', list: '[1,"2"]' },
      rejected: [],
    });
  });

  it('flattens an object shared by two keys twice: only a reference back to an ancestor is circular', () => {
    const shared = { lr: 0.1 };
    expect(flattenParams({ encoder: shared, decoder: shared }).params).toEqual({ 'encoder.lr': '0.1', 'decoder.lr': '0.1' });
  });

  it('rejects a circular reference, a function, a symbol, an invalid date and unwritable JSON by name, keeping the rest', () => {
    const loop: Record<string, unknown> = { ok: 'yes' };
    loop['again'] = { back: loop };
    const broken = new (class Opaque {
      toJSON(): never {
        throw new Error('no JSON\nsecond line');
      }
    })();
    const { params, rejected } = flattenParams({ loop, fn: () => 0, sym: Symbol('s'), date: new Date('nope'), broken, fine: 1 });
    expect(params).toEqual({ 'loop.ok': 'yes', fine: '1' });
    expect(rejected.map((e) => [e.code, e.field])).toEqual([
      ['INVALID_PARAMETER_VALUE', 'params.loop.again.back'],
      ['INVALID_PARAMETER_VALUE', 'params.fn'],
      ['INVALID_PARAMETER_VALUE', 'params.sym'],
      ['INVALID_PARAMETER_VALUE', 'params.date'],
      ['INVALID_PARAMETER_VALUE', 'params.broken'],
    ]);
    expect(rejected[4]!.message).toBe("[core] Param 'broken' cannot be written as JSON (no JSON); it was not logged (the other params of the call were).");
  });
});

describe('stringifyParam', () => {
  it('returns undefined for values that cannot be a param', () => {
    expect(stringifyParam(() => 0)).toBeUndefined();
    expect(stringifyParam(undefined)).toBeUndefined();
    expect(stringifyParam(0.5)).toBe('0.5');
  });
});
