import { describe, expect, it } from 'vitest';
import { decodeDouble, encodeJson, encodeQuery, parseBody } from '../../src/http/json.js';

describe('encodeJson', () => {
  it('writes NaN and ±Infinity as protobuf JSON strings, int64 as numbers', () => {
    expect(encodeJson({ a: Number.NaN, b: Infinity, c: -Infinity, t: 1_700_000_000_123 })).toBe('{"a":"NaN","b":"Infinity","c":"-Infinity","t":1700000000123}');
  });
});

describe('decodeDouble', () => {
  it('reads numbers and the special strings', () => {
    expect(decodeDouble('NaN')).toBeNaN();
    expect(decodeDouble('Infinity')).toBe(Infinity);
    expect(decodeDouble('-Infinity')).toBe(-Infinity);
    expect(decodeDouble(1.5)).toBe(1.5);
  });
});

describe('encodeQuery', () => {
  it('repeats keys for arrays, writes booleans as true/false and drops undefined', () => {
    expect(encodeQuery({ run_ids: ['a', 'b'], flag: true, n: 3, skip: undefined })).toBe('?run_ids=a&run_ids=b&flag=true&n=3');
    expect(encodeQuery({})).toBe('');
  });
});

describe('parseBody', () => {
  it('treats an empty 200 body as {} (as MLflow does)', () => {
    expect(parseBody('')).toEqual({});
  });
});
