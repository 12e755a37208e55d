import { describe, expect, it } from 'vitest';
import { LogbookError } from '../../src/index.js';
import { parseExperimentOrderBy, parseModelVersionOrderBy, parseRegisteredModelOrderBy, parseRunOrderBy } from '../../src/spi.js';

const tail = [
  { entity: 'attribute', key: 'start_time', ascending: false },
  { entity: 'attribute', key: 'run_id', ascending: true },
];

describe('parseRunOrderBy', () => {
  it('defaults to start_time DESC then run_id', () => {
    expect(parseRunOrderBy()).toEqual(tail);
  });

  it('parses entity keys with directions in any case and appends the tie-breakers', () => {
    expect(parseRunOrderBy(['metrics.`val loss` desc', 'params.lr', 'tags."a b" ASC'])).toEqual([
      { entity: 'metric', key: 'val loss', ascending: false },
      { entity: 'param', key: 'lr', ascending: true },
      { entity: 'tag', key: 'a b', ascending: true },
      ...tail,
    ]);
  });

  it('does not repeat start_time when it is a key, and maps created to start_time', () => {
    expect(parseRunOrderBy(['attributes.created ASC'])).toEqual([
      { entity: 'attribute', key: 'start_time', ascending: true },
      { entity: 'attribute', key: 'run_id', ascending: true },
    ]);
  });

  it('rejects bad directions, unknown keys, datasets and duplicates with INVALID_PARAMETER_VALUE', () => {
    for (const orderBy of [['metrics.m UP'], ['attributes.nope'], ['datasets.name'], ['metrics.m ASC DESC'], ['metrics.m', 'metric.m DESC']]) {
      let error: unknown;
      try {
        parseRunOrderBy(orderBy);
      } catch (e) {
        error = e;
      }
      expect(error, orderBy.join()).toBeInstanceOf(LogbookError);
      expect((error as LogbookError).code).toBe('INVALID_PARAMETER_VALUE');
    }
    expect(() => parseRunOrderBy(['metrics.m', 'metric.m DESC'])).toThrow(/duplicate fields/);
    expect(() => parseRunOrderBy(['a', 'metrics.m UP'])).toThrow(/orderBy\[0\]|orderBy\[1\]/);
  });
});

describe('parseExperimentOrderBy', () => {
  it("defaults to MLflow's creation_time DESC, experiment_id ASC", () => {
    expect(parseExperimentOrderBy([])).toEqual([
      { entity: 'attribute', key: 'creation_time', ascending: false },
      { entity: 'attribute', key: 'experiment_id', ascending: true },
    ]);
  });

  it('appends experiment_id DESC as tie-breaker and rejects tags', () => {
    expect(parseExperimentOrderBy(['attribute.name'])).toEqual([
      { entity: 'attribute', key: 'name', ascending: true },
      { entity: 'attribute', key: 'experiment_id', ascending: false },
    ]);
    expect(() => parseExperimentOrderBy(['tags.t'])).toThrow(/order_by entity: tag/);
    expect(() => parseExperimentOrderBy(['artifact_location'])).toThrow(/Invalid attribute key/);
  });
});

describe('parseRegisteredModelOrderBy', () => {
  it('maps timestamp to last_updated_timestamp and appends name ASC', () => {
    expect(parseRegisteredModelOrderBy(['timestamp DESC'])).toEqual([
      { entity: 'attribute', key: 'last_updated_timestamp', ascending: false },
      { entity: 'attribute', key: 'name', ascending: true },
    ]);
    expect(() => parseRegisteredModelOrderBy(['timestamp', 'last_updated_timestamp'])).toThrow(/duplicate/);
    expect(() => parseRegisteredModelOrderBy(['creation_timestamp'])).toThrow(/Invalid order by key/);
  });
});

describe('parseModelVersionOrderBy', () => {
  it("defaults to MLflow's last_updated_timestamp DESC, name ASC, version_number DESC", () => {
    expect(parseModelVersionOrderBy().map((c) => `${c.key} ${c.ascending ? 'ASC' : 'DESC'}`)).toEqual(['last_updated_timestamp DESC', 'name ASC', 'version_number DESC']);
    expect(parseModelVersionOrderBy(['version_number ASC']).map((c) => c.key)).toEqual(['version_number', 'name']);
  });
});
