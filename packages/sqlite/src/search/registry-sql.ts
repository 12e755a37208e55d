import { parseModelVersionFilter, parseModelVersionOrderBy, parseRegisteredModelFilter, parseRegisteredModelOrderBy } from '@logbook/core/spi';
import type { ModelVersionFilterClause, RegisteredModelFilterClause } from '@logbook/core/spi';
import { and, keyValueTest, listTest, orderTerm, valueTest } from './clauses.js';
import type { SqlFragment } from './clauses.js';

const MODEL_COLUMNS: Readonly<Record<string, string>> = { name: 'm.name', last_updated_timestamp: 'm.last_updated_time' };
const VERSION_COLUMNS: Readonly<Record<string, string>> = {
  name: 'm.name',
  run_id: 'v.run_id',
  source_path: 'v.source',
  version_number: 'v.version',
  creation_timestamp: 'v.creation_time',
  last_updated_timestamp: 'v.last_updated_time',
};

function modelClause(clause: RegisteredModelFilterClause): SqlFragment {
  if (clause.entity === 'tag') return keyValueTest('registered_model_tags', 'kv.model_id = m.id', clause);
  return 'values' in clause ? listTest('m.name', clause) : valueTest('m.name', clause);
}

function versionClause(clause: ModelVersionFilterClause): SqlFragment {
  if (clause.entity === 'tag') return keyValueTest('model_version_tags', 'kv.version_id = v.id', clause);
  const column = VERSION_COLUMNS[clause.key]!;
  return 'values' in clause ? listTest(column, clause) : valueTest(column, clause);
}

/** WHERE fragment (alias `m`) of a registered-models/search filter. */
export function modelFilterSql(filter: string | undefined): SqlFragment {
  return and(parseRegisteredModelFilter(filter).map(modelClause));
}

/** ORDER BY (alias `m`), `name ASC` appended as MLflow. */
export function modelOrderSql(orderBy: readonly string[] | undefined): string {
  return parseRegisteredModelOrderBy(orderBy)
    .map((c) => orderTerm(MODEL_COLUMNS[c.key]!, c.ascending))
    .join(', ');
}

/** WHERE fragment (aliases `v`, `m`) of a model-versions/search filter. */
export function versionFilterSql(filter: string | undefined): SqlFragment {
  return and(parseModelVersionFilter(filter).map(versionClause));
}

/** ORDER BY (aliases `v`, `m`): MLflow's default and tie-breakers. */
export function versionOrderSql(orderBy: readonly string[] | undefined): string {
  return parseModelVersionOrderBy(orderBy)
    .map((c) => orderTerm(VERSION_COLUMNS[c.key]!, c.ascending))
    .join(', ');
}
