import { describe, expect, it } from 'vitest';
import { LogbookError } from '../../src/index.js';
import { parseRunFilter } from '../../src/spi.js';

function rejects(filter: string, pattern: RegExp): void {
  let error: unknown;
  try {
    parseRunFilter(filter);
  } catch (e) {
    error = e;
  }
  expect(error, filter).toBeInstanceOf(LogbookError);
  expect((error as LogbookError).code).toBe('INVALID_PARAMETER_VALUE');
  expect((error as LogbookError).field).toBe('filter');
  expect((error as LogbookError).message).toMatch(/^\[core\] /);
  expect((error as LogbookError).message, filter).toMatch(pattern);
}

describe('parseRunFilter', () => {
  it('parses the README example into one clause per entity, all AND-ed', () => {
    expect(parseRunFilter(`metrics.x > 1 and params.y = 'a' and tags."k-1" = 'v' and attributes.status = 'FINISHED'`)).toEqual([
      { entity: 'metric', key: 'x', comparator: '>', value: 1 },
      { entity: 'param', key: 'y', comparator: '=', value: 'a' },
      { entity: 'tag', key: 'k-1', comparator: '=', value: 'v' },
      { entity: 'attribute', key: 'status', comparator: '=', value: 'FINISHED' },
    ]);
  });

  it('returns no clauses for an absent or blank filter', () => {
    expect(parseRunFilter(undefined)).toEqual([]);
    expect(parseRunFilter('   ')).toEqual([]);
  });

  it('accepts MLflow entity aliases and keywords in any case', () => {
    expect(parseRunFilter(`metric.a >= -1.5e2 AND param.b != 'x' aNd parameters.c LIKE 'y%' and run.run_id = 'r'`)).toEqual([
      { entity: 'metric', key: 'a', comparator: '>=', value: -150 },
      { entity: 'param', key: 'b', comparator: '!=', value: 'x' },
      { entity: 'param', key: 'c', comparator: 'LIKE', value: 'y%' },
      { entity: 'attribute', key: 'run_id', comparator: '=', value: 'r' },
    ]);
    expect(parseRunFilter(`tags.t ilike '%A%'`)[0]).toMatchObject({ comparator: 'ILIKE' });
  });

  it('reads keys in backquotes or double quotes, and dotted keys', () => {
    expect(parseRunFilter('metrics.`val loss` < 1 and tags.mlflow.runName = "n" and `params`."a.b" = \'c\'')).toEqual([
      { entity: 'metric', key: 'val loss', comparator: '<', value: 1 },
      { entity: 'tag', key: 'mlflow.runName', comparator: '=', value: 'n' },
      { entity: 'param', key: 'a.b', comparator: '=', value: 'c' },
    ]);
  });

  it('maps attribute aliases to canonical names, bare keys being attributes', () => {
    expect(parseRunFilter(`run_name = 'a' and attributes.\`run name\` = 'b' and created > 5 and attr.end_time <= 9`)).toEqual([
      { entity: 'attribute', key: 'run_name', comparator: '=', value: 'a' },
      { entity: 'attribute', key: 'run_name', comparator: '=', value: 'b' },
      { entity: 'attribute', key: 'start_time', comparator: '>', value: 5 },
      { entity: 'attribute', key: 'end_time', comparator: '<=', value: 9 },
    ]);
  });

  it('parses IS NULL / IS NOT NULL on params and tags', () => {
    expect(parseRunFilter('params.p IS NULL and tags.t is not null')).toEqual([
      { entity: 'param', key: 'p', comparator: 'IS NULL' },
      { entity: 'tag', key: 't', comparator: 'IS NOT NULL' },
    ]);
  });

  it('parses IN / NOT IN lists on run_id', () => {
    expect(parseRunFilter(`attributes.run_id IN ('a', "b") and run_id NOT IN ('c')`)).toEqual([
      { entity: 'attribute', key: 'run_id', comparator: 'IN', values: ['a', 'b'] },
      { entity: 'attribute', key: 'run_id', comparator: 'NOT IN', values: ['c'] },
    ]);
  });

  it('keeps string contents as written between the quotes, as MLflow does', () => {
    expect(parseRunFilter(`params.p = 'a b "c" = d and e'`)[0]).toMatchObject({ value: 'a b "c" = d and e' });
  });

  it('rejects OR and grouping, naming the token', () => {
    rejects(`params.a = 'x' OR params.b = 'y'`, /OR is not supported/);
    rejects(`(params.a = 'x')`, /expected a key/);
  });

  it('rejects unknown entities and attributes, listing the valid ones', () => {
    rejects(`bogus.x = 'y'`, /Invalid entity type 'bogus'.*'metric'/);
    rejects(`attributes.nope = 'y'`, /Invalid attribute key 'nope'.*'run_id'/);
  });

  it('rejects comparators an entity does not support', () => {
    rejects('metrics.m LIKE 1', /Invalid comparator 'LIKE' for "metrics.m"/);
    rejects(`params.p > 'a'`, /Invalid comparator '>'/);
    rejects('metrics.m IS NULL', /Invalid comparator 'IS NULL'/);
    rejects('attributes.status IS NULL', /only supported for tags and params/);
    rejects(`metrics.m == 1`, /Invalid comparator '=='/);
    rejects('attributes.start_time LIKE 1', /Invalid comparator 'LIKE'/);
  });

  it('rejects values of the wrong type', () => {
    rejects(`metrics.m > '1'`, /Expected a numeric value for "metrics.m"/);
    rejects('params.p = 1', /Expected a quoted string value/);
    rejects('attributes.status = FINISHED', /not quoted/);
    rejects(`attributes.start_time > 'x'`, /numeric value/);
  });

  it('allows lists only with IN on run_id', () => {
    rejects(`attributes.status IN ('A')`, /Only 'run_id' support comparison with a list/);
    rejects(`attributes.run_id = ('a')`, /A list value needs IN/);
    rejects(`attributes.run_id IN 'a'`, /needs a list/);
    rejects(`attributes.run_id IN ()`, /non-empty list/);
    rejects(`attributes.run_id IN ('a', 1)`, /only quoted strings/);
  });

  it('rejects dataset filters with a clear message', () => {
    rejects(`datasets.name = 'd'`, /dataset inputs .* not supported/);
  });

  it('rejects malformed input, naming where it went wrong', () => {
    rejects(`params.p = 'unterminated`, /Unterminated quote ' at position 11/);
    rejects('metrics.val-loss > 1', /Invalid character "-"/);
    rejects(`params.p = 'a' and`, /expected a key .* found end of input/);
    rejects(`params.p = 'a' params.q = 'b'`, /expected AND or the end of the filter, found "params.q = 'b'"/);
    rejects('metrics.m >', /expected a value/);
  });
});
