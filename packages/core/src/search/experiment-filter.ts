import { invalid } from '../validation/fail.js';
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
import type { ExperimentFilterClause, SearchFilter } from './types.js';

const ATTRIBUTES = ['name', 'experiment_id', 'creation_time', 'last_update_time'];

/**
 * Parses an experiments/search filter: attributes `name` (`= != LIKE ILIKE`), `experiment_id`
 * (`= != IN NOT IN`), `creation_time` and `last_update_time` (integer comparisons), and
 * `tags.<key>` (`= != LIKE ILIKE IS NULL IS NOT NULL`), joined by AND.
 */
export function parseExperimentFilter(filter: string | undefined, field = 'filter'): SearchFilter<ExperimentFilterClause> {
  return parseClauses(filter, field).map((clause) => toExperimentClause(clause, field));
}

function toExperimentClause(clause: RawClause, field: string): ExperimentFilterClause {
  const { identifier } = clause;
  const entity = identifier.entity;
  if (entity === 'tag' || entity === 'tags') {
    const comparator = checkComparator(clause, [...STRING_COMPARATORS, ...NULL_COMPARATORS], field);
    if (comparator === 'IS NULL' || comparator === 'IS NOT NULL') return { entity: 'tag', key: identifier.key, comparator };
    noList(clause, field);
    return { entity: 'tag', key: identifier.key, comparator, value: stringValue(clause, field) };
  }
  if (entity !== undefined && entity !== 'attribute') unknownEntity(identifier, ['attribute', 'tag', 'tags'], field);
  const key = identifier.key;
  if (NULL_COMPARATORS.includes(clause.comparator as never)) {
    invalid(field, `IS NULL / IS NOT NULL is only supported for tags, not for attribute '${key}' (${field}).`);
  }
  switch (key) {
    case 'name': {
      const comparator = checkComparator(clause, STRING_COMPARATORS, field);
      noList(clause, field);
      return { entity: 'attribute', key, comparator, value: stringValue(clause, field) };
    }
    case 'experiment_id': {
      const comparator = checkComparator(clause, ['=', '!=', ...LIST_COMPARATORS], field);
      if (comparator === 'IN' || comparator === 'NOT IN') {
        return { entity: 'attribute', key, comparator, values: listValue(clause, ['experiment_id'], field) };
      }
      noList(clause, field);
      return { entity: 'attribute', key, comparator, value: stringValue(clause, field) };
    }
    case 'creation_time':
    case 'last_update_time': {
      const comparator = checkComparator(clause, NUMERIC_COMPARATORS, field);
      noList(clause, field);
      return { entity: 'attribute', key, comparator, value: numberValue(clause, field, true) };
    }
    default:
      return unknownAttribute(identifier, ATTRIBUTES, field);
  }
}
