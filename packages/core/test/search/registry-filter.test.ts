import { describe, expect, it } from 'vitest';
import { parseModelVersionFilter, parseRegisteredModelFilter } from '../../src/spi.js';

/** The clause that leaves prompts out: true where the tag is missing. */
const NO_PROMPTS = { entity: 'tag', key: 'mlflow.prompt.is_prompt', comparator: '!=', value: 'true', matchesMissing: true };

describe('parseRegisteredModelFilter', () => {
  it('parses name and tag clauses, name lists included', () => {
    expect(parseRegisteredModelFilter(`name ILIKE 'unet%' and tags.\`team-a\` = 'x' and name NOT IN ('a')`)).toEqual([
      { entity: 'attribute', key: 'name', comparator: 'ILIKE', value: 'unet%' },
      { entity: 'tag', key: 'team-a', comparator: '=', value: 'x' },
      { entity: 'attribute', key: 'name', comparator: 'NOT IN', values: ['a'] },
      NO_PROMPTS,
    ]);
  });

  it("leaves MLflow 3 prompts out unless the filter asks for them, dropping the prompt-tag clauses as MLflow's server does", () => {
    expect(parseRegisteredModelFilter(undefined)).toEqual([NO_PROMPTS]);
    expect(parseRegisteredModelFilter(`tags.\`mlflow.prompt.is_prompt\` != 'true'`)).toEqual([NO_PROMPTS]);
    expect(parseRegisteredModelFilter(`tags.k != 'v' and tags.\`mlflow.prompt.is_prompt\` = 'false'`)).toEqual([{ entity: 'tag', key: 'k', comparator: '!=', value: 'v' }, NO_PROMPTS]);
    expect(parseRegisteredModelFilter(`tags.\`mlflow.prompt.is_prompt\` = 'TRUE'`)).toEqual([{ entity: 'tag', key: 'mlflow.prompt.is_prompt', comparator: '=', value: 'TRUE' }]);
    expect(parseRegisteredModelFilter(`tags.\`mlflow.prompt.is_prompt\` != 'false'`)).toEqual([{ entity: 'tag', key: 'mlflow.prompt.is_prompt', comparator: '!=', value: 'false' }]);
  });

  it('rejects other attributes and IS NULL on tags', () => {
    expect(() => parseRegisteredModelFilter(`description = 'x'`)).toThrow(/Invalid attribute key 'description'/);
    expect(() => parseRegisteredModelFilter('tags.t IS NULL')).toThrow(/Invalid comparator 'IS NULL'/);
    expect(() => parseRegisteredModelFilter(`params.p = 'x'`)).toThrow(/Invalid entity type 'params'/);
  });
});

describe('parseModelVersionFilter', () => {
  it('parses name, run_id lists, source_path, version_number and tags', () => {
    expect(parseModelVersionFilter(`name = 'm' and run_id IN ('r1', 'r2') and source_path LIKE 's3://%' and version_number >= 2 and version_number != '3' and tags.k = 'v'`)).toEqual([
      { entity: 'attribute', key: 'name', comparator: '=', value: 'm' },
      { entity: 'attribute', key: 'run_id', comparator: 'IN', values: ['r1', 'r2'] },
      { entity: 'attribute', key: 'source_path', comparator: 'LIKE', value: 's3://%' },
      { entity: 'attribute', key: 'version_number', comparator: '>=', value: 2 },
      { entity: 'attribute', key: 'version_number', comparator: '!=', value: 3 },
      { entity: 'tag', key: 'k', comparator: '=', value: 'v' },
    ]);
  });

  it('rejects lists on source_path, non-integer versions and unknown keys', () => {
    expect(() => parseModelVersionFilter(`source_path IN ('a')`)).toThrow(/Only 'name', 'run_id' support/);
    expect(() => parseModelVersionFilter('version_number = 1.5')).toThrow(/not an integer/);
    expect(() => parseModelVersionFilter(`version_number = 'one'`)).toThrow(/not an integer/);
    expect(() => parseModelVersionFilter(`current_stage = 'None'`)).toThrow(/Invalid attribute key 'current_stage'/);
  });
});
