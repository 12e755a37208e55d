import { parseRunFilter, parseRunOrderBy } from '@logbook/core/spi';
import type { RunFilterClause, RunOrderByClause } from '@logbook/core/spi';
import { and, keyValueTest, listTest, numericTest, orderTerm, valueTest } from './clauses.js';
import type { SqlFragment } from './clauses.js';

const ATTRIBUTE_COLUMNS: Readonly<Record<string, string>> = {
  run_id: 'r.run_uuid',
  run_name: 'r.name',
  user_id: 'r.user_id',
  status: 'r.status',
  artifact_uri: 'r.artifact_uri',
  start_time: 'r.start_time',
  end_time: 'r.end_time',
};

/**
 * A metric clause tests the latest value (as MLflow). NaN satisfies only `!=`, as core's
 * in-memory evaluator does.
 */
function metricTest(clause: Extract<RunFilterClause, { entity: 'metric' }>): SqlFragment {
  const test = numericTest('m.value', clause);
  const nan = clause.comparator === '!=' ? `m.is_nan = 1 OR ${test.sql}` : `m.is_nan = 0 AND ${test.sql}`;
  return { sql: `EXISTS (SELECT 1 FROM latest_metrics m WHERE m.run_id = r.id AND m.key = ? AND (${nan}))`, params: [clause.key, ...test.params] };
}

function clauseSql(clause: RunFilterClause): SqlFragment {
  switch (clause.entity) {
    case 'metric':
      return metricTest(clause);
    case 'param':
      return keyValueTest('params', 'kv.run_id = r.id', clause);
    case 'tag':
      return keyValueTest('tags', 'kv.run_id = r.id', clause);
    case 'attribute': {
      const column = ATTRIBUTE_COLUMNS[clause.key]!;
      if ('values' in clause) return listTest(column, clause);
      return valueTest(column, clause);
    }
  }
}

/** WHERE fragment (alias `r`) of a runs/search filter parsed by core; empty for no filter. */
export function runFilterSql(filter: string | undefined): SqlFragment {
  return and(parseRunFilter(filter).map(clauseSql));
}

/** LEFT JOINs and ORDER BY (alias `r`) of runs/search order_by, MLflow's tie-breakers included. */
export function runOrderSql(orderBy: readonly string[] | undefined): { joins: SqlFragment; order: string } {
  const joins: string[] = [];
  const params: unknown[] = [];
  const terms = parseRunOrderBy(orderBy).map((clause: RunOrderByClause, i) => {
    const alias = `o${i}`;
    if (clause.entity === 'attribute') return orderTerm(ATTRIBUTE_COLUMNS[clause.key]!, clause.ascending);
    const table = clause.entity === 'metric' ? 'latest_metrics' : clause.entity === 'param' ? 'params' : 'tags';
    joins.push(`LEFT JOIN ${table} ${alias} ON ${alias}.run_id = r.id AND ${alias}.key = ?`);
    params.push(clause.key);
    if (clause.entity !== 'metric') return orderTerm(`${alias}.value`, clause.ascending);
    // MLflow: numbers first, then NaN, then runs without the metric, whatever the direction.
    const rank = `CASE WHEN ${alias}.value IS NULL THEN 2 WHEN ${alias}.is_nan = 1 THEN 1 ELSE 0 END`;
    return orderTerm(`${alias}.value`, clause.ascending, rank);
  });
  return { joins: { sql: joins.join(' '), params }, order: terms.join(', ') };
}
