import { LIST_COMPARATORS, NUMERIC_COMPARATORS, STRING_COMPARATORS, checkComparator, listValue, noList, numberValue, stringValue, unknownAttribute, unknownEntity } from './clause-values.js';
import { invalid, show } from '../validation/fail.js';
import { parseClauses } from './parser.js';
import type { RawClause } from './parser.js';
import type { ModelVersionFilterClause, RegisteredModelFilterClause, SearchFilter, StringClause } from './types.js';

const ENTITIES = ['attribute', 'tag', 'tags'];

/** Tag clauses of registry searches: `= != LIKE ILIKE` only (no IS NULL, unlike runs). */
function tagClause(clause: RawClause, field: string): StringClause<'tag'> {
  const comparator = checkComparator(clause, STRING_COMPARATORS, field);
  noList(clause, field);
  return { entity: 'tag', key: clause.identifier.key, comparator, value: stringValue(clause, field) };
}

function isTag(clause: RawClause, field: string): boolean {
  const entity = clause.identifier.entity;
  if (entity !== undefined && !ENTITIES.includes(entity)) unknownEntity(clause.identifier, ENTITIES, field);
  return entity === 'tag' || entity === 'tags';
}

/** The tag by which MLflow 3 keeps prompts as registered models (`'true'` on a prompt). */
export const PROMPT_TAG = 'mlflow.prompt.is_prompt';

/** MLflow's test: the first clause on the prompt tag asks for prompts (`= 'true'` or `!= 'false'`). */
function asksForPrompts(clauses: readonly RegisteredModelFilterClause[]): boolean {
  const first = clauses.find((c) => c.entity === 'tag' && c.key === PROMPT_TAG) as StringClause<'tag'> | undefined;
  if (first === undefined) return false;
  const value = first.value.toLowerCase();
  return (first.comparator === '=' && value === 'true') || (first.comparator === '!=' && value === 'false');
}

/**
 * As MLflow's server does: unless the filter asks for prompts, its prompt-tag clauses are dropped
 * and every prompt is left out, so `tags.\`mlflow.prompt.is_prompt\` != 'true'` (which MLflow 3's
 * client appends to each search) keeps the models that lack the tag.
 */
function leavePromptsOut(clauses: RegisteredModelFilterClause[]): SearchFilter<RegisteredModelFilterClause> {
  if (asksForPrompts(clauses)) return clauses;
  const rest = clauses.filter((c) => !(c.entity === 'tag' && c.key === PROMPT_TAG));
  return [...rest, { entity: 'tag', key: PROMPT_TAG, comparator: '!=', value: 'true', matchesMissing: true }];
}

/**
 * Parses a registered-models/search filter: `name` (`= != LIKE ILIKE IN NOT IN`) and
 * `tags.<key>` (`= != LIKE ILIKE`), joined by AND. A tag clause never matches a model without the
 * tag, except MLflow's prompt tag: prompts are left out unless asked for (see {@link PROMPT_TAG}).
 */
export function parseRegisteredModelFilter(filter: string | undefined, field = 'filter'): SearchFilter<RegisteredModelFilterClause> {
  return leavePromptsOut(
    parseClauses(filter, field).map((clause): RegisteredModelFilterClause => {
      if (isTag(clause, field)) return tagClause(clause, field);
      if (clause.identifier.key !== 'name') unknownAttribute(clause.identifier, ['name'], field);
      const comparator = checkComparator(clause, [...STRING_COMPARATORS, ...LIST_COMPARATORS], field);
      if (comparator === 'IN' || comparator === 'NOT IN') {
        return { entity: 'attribute', key: 'name', comparator, values: listValue(clause, ['name'], field) };
      }
      noList(clause, field);
      return { entity: 'attribute', key: 'name', comparator, value: stringValue(clause, field) };
    }),
  );
}

/**
 * Parses a model-versions/search filter: `name`, `run_id` (`= != LIKE ILIKE IN NOT IN`),
 * `source_path` (`= != LIKE ILIKE`), `version_number` (integer comparisons; a quoted integer is
 * accepted, as MLflow does) and `tags.<key>` (`= != LIKE ILIKE`), joined by AND.
 */
export function parseModelVersionFilter(filter: string | undefined, field = 'filter'): SearchFilter<ModelVersionFilterClause> {
  return parseClauses(filter, field).map((clause): ModelVersionFilterClause => {
    if (isTag(clause, field)) return tagClause(clause, field);
    const key = clause.identifier.key;
    switch (key) {
      case 'version_number': {
        const comparator = checkComparator(clause, NUMERIC_COMPARATORS, field);
        noList(clause, field);
        return { entity: 'attribute', key, comparator, value: versionNumber(clause, field) };
      }
      case 'name':
      case 'run_id':
      case 'source_path': {
        const comparator = checkComparator(clause, [...STRING_COMPARATORS, ...LIST_COMPARATORS], field);
        if (comparator === 'IN' || comparator === 'NOT IN') {
          return { entity: 'attribute', key: key as 'name' | 'run_id', comparator, values: listValue(clause, ['name', 'run_id'], field) };
        }
        noList(clause, field);
        return { entity: 'attribute', key, comparator, value: stringValue(clause, field) };
      }
      default:
        return unknownAttribute(clause.identifier, ['name', 'version_number', 'run_id', 'source_path'], field);
    }
  });
}

function versionNumber(clause: RawClause, field: string): number {
  const v = clause.value;
  if (v.kind === 'string') {
    if (!/^-?\d+$/.test(v.value.trim())) {
      invalid(field, `Invalid value for numeric attribute 'version_number': ${show(v.value)} is not an integer (${field}).`);
    }
    return Number(v.value);
  }
  return numberValue(clause, field, true);
}
