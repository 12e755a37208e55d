import { describe, expect, it } from 'vitest';
import { parseExperimentFilter } from '../../src/spi.js';

describe('parseExperimentFilter', () => {
  it('parses name, id, time and tag clauses', () => {
    expect(parseExperimentFilter(`name LIKE 'a/%' and attribute.experiment_id IN ('1', '2') and creation_time > 10 and tags.team = 'x' and tags.t IS NULL`)).toEqual([
      { entity: 'attribute', key: 'name', comparator: 'LIKE', value: 'a/%' },
      { entity: 'attribute', key: 'experiment_id', comparator: 'IN', values: ['1', '2'] },
      { entity: 'attribute', key: 'creation_time', comparator: '>', value: 10 },
      { entity: 'tag', key: 'team', comparator: '=', value: 'x' },
      { entity: 'tag', key: 't', comparator: 'IS NULL' },
    ]);
  });

  it('rejects metrics, params, unknown attributes, IS NULL on attributes and fractional times', () => {
    expect(() => parseExperimentFilter('metrics.x > 1')).toThrow(/Invalid entity type 'metrics'/);
    expect(() => parseExperimentFilter(`artifact_location = 'x'`)).toThrow(/Invalid attribute key 'artifact_location'/);
    expect(() => parseExperimentFilter('name IS NULL')).toThrow(/only supported for tags/);
    expect(() => parseExperimentFilter('last_update_time < 1.5')).toThrow(/not an integer/);
    expect(() => parseExperimentFilter(`name IN ('a')`)).toThrow(/Invalid comparator 'IN'/);
    expect(() => parseExperimentFilter(`experiment_id > '1'`)).toThrow(/Invalid comparator '>'/);
  });
});
