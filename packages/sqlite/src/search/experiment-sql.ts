import { parseExperimentFilter, parseExperimentOrderBy } from '@logbook/core/spi';
import type { ExperimentFilterClause } from '@logbook/core/spi';
import { and, keyValueTest, listTest, orderTerm, valueTest } from './clauses.js';
import type { SqlFragment } from './clauses.js';

const COLUMNS: Readonly<Record<string, string>> = {
  name: 'e.name',
  experiment_id: 'e.experiment_id',
  creation_time: 'e.creation_time',
  last_update_time: 'e.last_update_time',
};

function clauseSql(clause: ExperimentFilterClause): SqlFragment {
  if (clause.entity === 'tag') return keyValueTest('experiment_tags', 'kv.experiment_id = e.experiment_id', clause);
  // Ids are integers in the table but strings in the API: compare their text.
  const column = clause.key === 'experiment_id' ? 'CAST(e.experiment_id AS TEXT)' : COLUMNS[clause.key]!;
  if ('values' in clause) return listTest(column, clause);
  return valueTest(column, clause);
}

/** WHERE fragment (alias `e`) of an experiments/search filter; empty for no filter. */
export function experimentFilterSql(filter: string | undefined): SqlFragment {
  return and(parseExperimentFilter(filter).map(clauseSql));
}

/** ORDER BY (alias `e`): MLflow's default `creation_time DESC, experiment_id ASC` and tie-breaker. */
export function experimentOrderSql(orderBy: readonly string[] | undefined): string {
  return parseExperimentOrderBy(orderBy)
    .map((c) => orderTerm(COLUMNS[c.key]!, c.ascending))
    .join(', ');
}
