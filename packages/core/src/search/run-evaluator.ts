import type { Run } from '../model/run.js';
import { matchesClauseValue, sortComparator } from './compare-values.js';
import type { RunFilterClause, RunNumericAttribute, RunOrderByClause, RunStringAttribute, SearchFilter } from './types.js';

/** The value of a run attribute under its MLflow search name. */
export function runAttribute(run: Run, key: RunStringAttribute | RunNumericAttribute): string | number | undefined {
  const info = run.info;
  switch (key) {
    case 'run_id':
      return info.runId;
    case 'run_name':
      return info.runName;
    case 'user_id':
      return info.userId;
    case 'status':
      return info.status;
    case 'artifact_uri':
      return info.artifactUri;
    case 'start_time':
      return info.startTime;
    case 'end_time':
      return info.endTime;
  }
}

/** The value a filter or order_by key reads off a run; metrics give their latest value. */
function runValue(run: Run, ref: { readonly entity: string; readonly key: string }): string | number | undefined {
  switch (ref.entity) {
    // Stores keep only the latest point of each metric in `data.metrics`.
    case 'metric':
      return run.data.metrics.find((m) => m.key === ref.key)?.value;
    case 'param':
      return run.data.params[ref.key];
    case 'tag':
      return run.data.tags[ref.key];
    default:
      return runAttribute(run, ref.key as RunStringAttribute | RunNumericAttribute);
  }
}

/**
 * True when the run satisfies every clause of a parsed filter ({@link parseRunFilter}), with
 * MLflow's SQL semantics: a missing metric, param, tag or end time never matches (except
 * `IS NULL`), NaN metrics match only `!=`, LIKE is case-sensitive and ILIKE is not.
 */
export function matchesRunFilter(run: Run, filter: SearchFilter<RunFilterClause>): boolean {
  return filter.every((clause) => matchesClauseValue(runValue(run, clause), clause));
}

/**
 * A comparator for `Array.prototype.sort` from parsed order_by clauses ({@link parseRunOrderBy},
 * which already carries MLflow's tie-breakers).
 */
export function compareRuns(orderBy: readonly RunOrderByClause[]): (a: Run, b: Run) => number {
  return sortComparator(orderBy, (run: Run, _key, clause) => runValue(run, clause));
}
