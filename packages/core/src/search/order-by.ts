import { invalid, show } from '../validation/fail.js';
import { unknownAttribute, unknownEntity } from './clause-values.js';
import { parseOrderByEntry } from './parser.js';
import type { RawOrderBy } from './parser.js';
import { RUN_ENTITY_ALIASES, RUN_NUMERIC_ATTRIBUTES } from './run-filter.js';
import type { ExperimentOrderByClause, ModelVersionOrderByClause, RegisteredModelOrderByClause, RunOrderByClause } from './types.js';

type Keyed = { readonly entity: string; readonly key: string; readonly ascending: boolean };

/** Parses every entry and rejects a key given twice, as MLflow does. */
function parseAll<C extends Keyed>(orderBy: readonly string[] | undefined, field: string, convert: (raw: RawOrderBy, f: string) => C): C[] {
  const seen = new Set<string>();
  return (orderBy ?? []).map((entry, i) => {
    const clause = convert(parseOrderByEntry(entry, `${field}[${i}]`), `${field}[${i}]`);
    const id = `${clause.entity}.${clause.key}`;
    if (seen.has(id)) invalid(field, `\`order_by\` contains duplicate fields: ${show(clause.key)} (${field}).`);
    seen.add(id);
    return clause;
  });
}

const has = (clauses: readonly Keyed[], key: string) => clauses.some((c) => c.entity === 'attribute' && c.key === key);

const RUN_ORDERABLE = { ...RUN_NUMERIC_ATTRIBUTES, run_id: 'run_id', run_name: 'run_name', user_id: 'user_id', status: 'status', artifact_uri: 'artifact_uri' } as const;

/**
 * Parses runs/search order_by (`metrics.loss ASC`, `params.lr`, `tags.t DESC`,
 * `attributes.start_time DESC`, `run_name`) and appends MLflow's tie-breakers: `start_time DESC`
 * unless start_time is already a key, then `run_id ASC`. Stores sort on every returned clause in
 * order; missing values sort last in both directions, and NaN metrics after numbers.
 */
export function parseRunOrderBy(orderBy?: readonly string[], field = 'orderBy'): readonly RunOrderByClause[] {
  const clauses = parseAll(orderBy, field, (raw, f): RunOrderByClause => {
    const { identifier, ascending } = raw;
    const entity = identifier.entity === undefined ? 'attribute' : RUN_ENTITY_ALIASES[identifier.entity];
    if (entity === undefined || entity === 'dataset') {
      unknownEntity(identifier, ['metric', 'parameter', 'tag', 'attribute'], f);
    }
    if (entity !== 'attribute') return { entity, key: identifier.key, ascending };
    const key = (RUN_ORDERABLE as Record<string, RunOrderByClause['key']>)[identifier.key];
    if (key === undefined) unknownAttribute(identifier, Object.keys(RUN_ORDERABLE), f);
    return { entity, key, ascending } as RunOrderByClause;
  });
  if (!has(clauses, 'start_time')) clauses.push({ entity: 'attribute', key: 'start_time', ascending: false });
  clauses.push({ entity: 'attribute', key: 'run_id', ascending: true });
  return clauses;
}

/** Experiments, model versions: a bare key or `attribute.<key>`; tags are not sortable. */
function attributeOnly<K extends string>(raw: RawOrderBy, valid: readonly K[], f: string): K {
  const { identifier } = raw;
  if (identifier.entity !== undefined && identifier.entity !== 'attribute') {
    if (identifier.entity === 'tag' || identifier.entity === 'tags') invalid(f, `Invalid order_by entity: tag (${show(identifier.text)}, ${f}).`);
    unknownEntity(identifier, ['attribute'], f);
  }
  if (!(valid as readonly string[]).includes(identifier.key)) unknownAttribute(identifier, valid, f);
  return identifier.key as K;
}

/**
 * Parses experiments/search order_by (`name`, `experiment_id`, `creation_time`,
 * `last_update_time`). Default `creation_time DESC, experiment_id ASC`; `experiment_id DESC` is
 * appended as tie-breaker when absent. `experiment_id` sorts as an integer.
 */
export function parseExperimentOrderBy(orderBy?: readonly string[], field = 'orderBy'): readonly ExperimentOrderByClause[] {
  const keys = ['name', 'experiment_id', 'creation_time', 'last_update_time'] as const;
  const given = orderBy !== undefined && orderBy.length > 0 ? orderBy : ['creation_time DESC', 'experiment_id ASC'];
  const clauses = parseAll(
    given,
    field,
    (raw, f): ExperimentOrderByClause => ({
      entity: 'attribute',
      key: attributeOnly(raw, keys, f),
      ascending: raw.ascending,
    }),
  );
  if (!has(clauses, 'experiment_id')) clauses.push({ entity: 'attribute', key: 'experiment_id', ascending: false });
  return clauses;
}

/**
 * Parses registered-models/search order_by as MLflow's SQL store does: `name`,
 * `last_updated_timestamp` or its alias `timestamp` (there is no creation-time sort). `name ASC`
 * is appended when absent.
 */
export function parseRegisteredModelOrderBy(orderBy?: readonly string[], field = 'orderBy'): readonly RegisteredModelOrderByClause[] {
  const clauses = parseAll(orderBy, field, (raw, f): RegisteredModelOrderByClause => {
    const { identifier } = raw;
    const valid = ['name', 'timestamp', 'last_updated_timestamp'];
    if (identifier.entity !== undefined || !valid.includes(identifier.key)) {
      invalid(f, `Invalid order by key '${identifier.text}' specified. Valid keys are 'name', 'timestamp', 'last_updated_timestamp' (${f}).`);
    }
    return { entity: 'attribute', key: identifier.key === 'name' ? 'name' : 'last_updated_timestamp', ascending: raw.ascending };
  });
  if (!has(clauses, 'name')) clauses.push({ entity: 'attribute', key: 'name', ascending: true });
  return clauses;
}

/**
 * Parses model-versions/search order_by (`name`, `version_number`, `creation_timestamp`,
 * `last_updated_timestamp`). Default `last_updated_timestamp DESC, name ASC, version_number
 * DESC`; `name ASC` and `version_number DESC` are appended when absent.
 */
export function parseModelVersionOrderBy(orderBy?: readonly string[], field = 'orderBy'): readonly ModelVersionOrderByClause[] {
  const keys = ['name', 'version_number', 'creation_timestamp', 'last_updated_timestamp'] as const;
  const given = orderBy !== undefined && orderBy.length > 0 ? orderBy : ['last_updated_timestamp DESC', 'name ASC', 'version_number DESC'];
  const clauses = parseAll(
    given,
    field,
    (raw, f): ModelVersionOrderByClause => ({
      entity: 'attribute',
      key: attributeOnly(raw, keys, f),
      ascending: raw.ascending,
    }),
  );
  if (!has(clauses, 'name')) clauses.push({ entity: 'attribute', key: 'name', ascending: true });
  if (!has(clauses, 'version_number')) clauses.push({ entity: 'attribute', key: 'version_number', ascending: false });
  return clauses;
}
