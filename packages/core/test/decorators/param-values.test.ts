import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { flattenParam, redactValue } from '../../src/decorators/param-values.js';
import type { LogbookError } from '../../src/errors.js';

function flat(prefix: string, value: unknown, redact = false): Record<string, string> {
  const out = { params: {} as Record<string, string>, rejected: [] as LogbookError[] };
  flattenParam(prefix, value, redact, out);
  return out.params;
}

function rejectedOf(prefix: string, value: unknown): LogbookError[] {
  const out = { params: {} as Record<string, string>, rejected: [] as LogbookError[] };
  flattenParam(prefix, value, false, out);
  return out.rejected;
}

describe('flattenParam', () => {
  it('stringifies leaves: numbers, booleans, bigints, null, dates', () => {
    expect(flat('n', 1e-3)).toEqual({ n: '0.001' });
    expect(flat('b', false)).toEqual({ b: 'false' });
    expect(flat('big', 12345678901234567890n)).toEqual({ big: '12345678901234567890' });
    expect(flat('z', null)).toEqual({ z: 'None' }); // what MLflow's Python client writes for None
    expect(flat('d', new Date(Date.UTC(2026, 10, 29)))).toEqual({ d: '2026-11-29T00:00:00.000Z' });
  });

  it('leaves out undefined silently, rejects functions and symbols by name, and writes an empty object as {}', () => {
    const value = { a: undefined, f: () => 1, s: Symbol('s'), k: 1, e: {} };
    expect(flat('x', value)).toEqual({ 'x.k': '1', 'x.e': '{}' });
    const rejected = rejectedOf('x', value);
    expect(rejected.map((e) => [e.code, e.field])).toEqual([
      ['INVALID_PARAMETER_VALUE', 'params.x.f'],
      ['INVALID_PARAMETER_VALUE', 'params.x.s'],
    ]);
    expect(rejected[0]!.message).toMatch(/^\[core\] Param 'x\.f' is a function/);
  });

  it('flattens class instances too (a config class is as readable as a plain object)', () => {
    class Optimizer {
      name = 'sgd';
      momentum = 0.9;
    }
    expect(flat('opt', new Optimizer())).toEqual({ 'opt.name': 'sgd', 'opt.momentum': '0.9' });
  });

  it("puts an unprefixed object's keys at the top level, Maps included", () => {
    expect(flat('', { a: { b: 1 }, c: new Map([['d', 2]]) })).toEqual({ 'a.b': '1', 'c.d': '2' });
  });

  it('writes arrays as JSON (bigints as strings) and rejects a cycle by name instead of looping or writing a marker', () => {
    expect(flat('l', [1, 'two', { three: 3 }, 4n])).toEqual({ l: '[1,"two",{"three":3},"4"]' });
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(flat('c', cyclic)).toEqual({ 'c.a': '1' });
    expect(rejectedOf('c', cyclic).map((e) => e.message)).toEqual([expect.stringMatching(/^\[core\] Param 'c\.self' is a circular reference/)]);
    expect(rejectedOf('', () => 1).map((e) => e.field)).toEqual(['params.value']);
  });

  it('redacts each leaf with the first 8 hex of its sha256', () => {
    const h = (t: string) => `[redacted:${createHash('sha256').update(t).digest('hex').slice(0, 8)}]`;
    expect(flat('k', { user: 'u', pass: 42 }, true)).toEqual({ 'k.user': h('u'), 'k.pass': h('42') });
    expect(redactValue('same')).toBe(redactValue('same'));
    expect(redactValue('same')).not.toBe(redactValue('other'));
    expect(redactValue('x')).toMatch(/^\[redacted:[0-9a-f]{8}\]$/);
  });
});
