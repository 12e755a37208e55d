import { invalid, show } from '../validation/fail.js';
import {
  LIST_COMPARATORS,
  NULL_COMPARATORS,
  NUMERIC_COMPARATORS,
  STRING_COMPARATORS,
  checkComparator,
  listValue,
  noList,
  numberValue,
  stringValue,
  unknownAttribute,
  unknownEntity,
} from './clause-values.js';
import { parseClauses } from './parser.js';
import type { RawClause } from './parser.js';
import type { RunFilterClause, RunNumericAttribute, RunStringAttribute, SearchFilter } from './types.js';

type RunEntity = 'metric' | 'param' | 'tag' | 'attribute' | 'dataset';

/** MLflow's entity names and their aliases (`SearchUtils._VALID_IDENTIFIERS`). */
export const RUN_ENTITY_ALIASES: Readonly<Record<string, RunEntity>> = {
  metric: 'metric',
  metrics: 'metric',
  parameter: 'param',
  parameters: 'param',
  param: 'param',
  params: 'param',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  run: 'attribute',
  dataset: 'dataset',
  datasets: 'dataset',
};

/** Searchable string attributes of runs with MLflow's aliases, to canonical names. */
export const RUN_STRING_ATTRIBUTES: Readonly<Record<string, RunStringAttribute>> = {
  run_id: 'run_id',
  run_name: 'run_name',
  'run name': 'run_name',
  'Run name': 'run_name',
  'Run Name': 'run_name',
  user_id: 'user_id',
  status: 'status',
  artifact_uri: 'artifact_uri',
};

/** Searchable numeric attributes of runs with MLflow's aliases, to canonical names. */
export const RUN_NUMERIC_ATTRIBUTES: Readonly<Record<string, RunNumericAttribute>> = {
  start_time: 'start_time',
  end_time: 'end_time',
  created: 'start_time',
  Created: 'start_time',
};

const VALID_ENTITIES = ['metric', 'parameter', 'tag', 'attribute', 'dataset'];

/**
 * Parses a runs/search filter (MLflow's grammar): `metrics.loss < 0.1 and params.lr = '0.01' and
 * tags."k-1" = 'v' and attributes.status = 'FINISHED'`. Keys with special characters go in
 * double quotes or backquotes. Only AND. `datasets.*` is rejected (Logbook does not track
 * dataset inputs). Errors are INVALID_PARAMETER_VALUE naming the offending token.
 * @returns the clauses, all of which must hold; empty for an absent or blank filter.
 */
export function parseRunFilter(filter: string | undefined, field = 'filter'): SearchFilter<RunFilterClause> {
  return parseClauses(filter, field).map((clause) => toRunClause(clause, field));
}

function toRunClause(clause: RawClause, field: string): RunFilterClause {
  const { identifier } = clause;
  const entity = identifier.entity === undefined ? 'attribute' : RUN_ENTITY_ALIASES[identifier.entity];
  if (entity === undefined) unknownEntity(identifier, VALID_ENTITIES, field);
  const key = identifier.key;
  switch (entity) {
    case 'metric': {
      const comparator = checkComparator(clause, NUMERIC_COMPARATORS, field);
      noList(clause, field);
      return { entity, key, comparator, value: numberValue(clause, field) };
    }
    case 'param':
    case 'tag': {
      const comparator = checkComparator(clause, [...STRING_COMPARATORS, ...NULL_COMPARATORS], field);
      if (comparator === 'IS NULL' || comparator === 'IS NOT NULL') return { entity, key, comparator };
      noList(clause, field);
      return { entity, key, comparator, value: stringValue(clause, field) };
    }
    case 'dataset':
      return invalid(field, `Filtering runs on dataset inputs (${show(identifier.text)}) is not supported by Logbook (${field}).`);
    case 'attribute':
      return attributeClause(clause, field);
  }
}

function attributeClause(clause: RawClause, field: string): RunFilterClause {
  const { key } = clause.identifier;
  const numeric = RUN_NUMERIC_ATTRIBUTES[key];
  if (numeric !== undefined) {
    const comparator = checkComparator(clause, NUMERIC_COMPARATORS, field);
    noList(clause, field);
    return { entity: 'attribute', key: numeric, comparator, value: numberValue(clause, field) };
  }
  const attribute = RUN_STRING_ATTRIBUTES[key];
  if (attribute === undefined) {
    unknownAttribute(clause.identifier, [...Object.keys(RUN_STRING_ATTRIBUTES), ...Object.keys(RUN_NUMERIC_ATTRIBUTES)], field);
  }
  if (NULL_COMPARATORS.includes(clause.comparator as never)) {
    invalid(field, `IS NULL / IS NOT NULL is only supported for tags and params, not for attribute '${key}' (${field}).`);
  }
  const comparator = checkComparator(clause, [...STRING_COMPARATORS, ...LIST_COMPARATORS], field);
  if (comparator === 'IN' || comparator === 'NOT IN') {
    return { entity: 'attribute', key: 'run_id', comparator, values: listValue(clause, ['run_id'], field) };
  }
  noList(clause, field);
  return { entity: 'attribute', key: attribute, comparator, value: stringValue(clause, field) };
}
