import type { Run } from '../model/run.js';
import { compareNumber, compareSortValues, compareString } from './compare-values.js';
import type {
  NumericComparator, RunFilterClause, RunNumericAttribute, RunOrderByClause, RunStringAttribute, SearchFilter, StringComparator,
} from './types.js';

/** The value of a run attribute under its MLflow search name. */
export function runAttribute(run: Run, key: RunStringAttribute | RunNumericAttribute): string | number | undefined {
  const info = run.info;
  switch (key) {
    case 'run_id': return info.runId;
    case 'run_name': return info.runName;
    case 'user_id': return info.userId;
    case 'status': return info.status;
    case 'artifact_uri': return info.artifactUri;
    case 'start_time': return info.startTime;
    case 'end_time': return info.endTime;
  }
}

function sortValue(run: Run, clause: RunOrderByClause): string | number | undefined {
  switch (clause.entity) {
    case 'metric': return run.data.metrics.find((m) => m.key === clause.key)?.value;
    case 'param': return run.data.params[clause.key];
    case 'tag': return run.data.tags[clause.key];
    default: return runAttribute(run, clause.key as RunStringAttribute | RunNumericAttribute);
  }
}

function matchesClause(run: Run, clause: RunFilterClause): boolean {
  if (clause.entity === 'metric') {
    // The latest value of the metric: stores keep only that one in `data.metrics`.
    const metric = run.data.metrics.find((m) => m.key === clause.key);
    return metric !== undefined && compareNumber(metric.value, clause.comparator, clause.value);
  }
  if (clause.entity === 'param' || clause.entity === 'tag') {
    const lhs = (clause.entity === 'param' ? run.data.params : run.data.tags)[clause.key];
    if (!('value' in clause)) return clause.comparator === 'IS NULL' ? lhs === undefined : lhs !== undefined;
    return lhs !== undefined && compareString(lhs, clause.comparator, clause.value);
  }
  return matchesAttribute(run, clause as Extract<RunFilterClause, { entity: 'attribute' }>);
}

function matchesAttribute(run: Run, clause: Extract<RunFilterClause, { entity: 'attribute' }>): boolean {
  const lhs = runAttribute(run, clause.key);
  if (lhs === undefined) return false;
  if ('values' in clause) return clause.values.includes(String(lhs)) === (clause.comparator === 'IN');
  if (typeof clause.value === 'number') return compareNumber(Number(lhs), clause.comparator as NumericComparator, clause.value);
  return compareString(String(lhs), clause.comparator as StringComparator, clause.value);
}

/**
 * True when the run satisfies every clause of a parsed filter ({@link parseRunFilter}), with
 * MLflow's SQL semantics: a missing metric, param, tag or end time never matches (except
 * `IS NULL`), NaN metrics match only `!=`, LIKE is case-sensitive and ILIKE is not.
 */
export function matchesRunFilter(run: Run, filter: SearchFilter<RunFilterClause>): boolean {
  return filter.every((clause) => matchesClause(run, clause));
}

/**
 * A comparator for `Array.prototype.sort` from parsed order_by clauses ({@link parseRunOrderBy},
 * which already carries MLflow's tie-breakers).
 */
export function compareRuns(orderBy: readonly RunOrderByClause[]): (a: Run, b: Run) => number {
  return (a, b) => {
    for (const clause of orderBy) {
      const order = compareSortValues(sortValue(a, clause), sortValue(b, clause), clause.ascending);
      if (order !== 0) return order;
    }
    return 0;
  };
}
