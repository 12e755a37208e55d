import { fail } from '../errors.js';

/** A SQL fragment and its bound parameters. */
export interface SqlFragment {
  readonly sql: string;
  readonly params: readonly unknown[];
}

const NONE: SqlFragment = { sql: '', params: [] };

// TEMPORARY: filter and order_by parsing comes from @logbook/core's search module (in progress);
// until it lands, only the defaults are served.
function notYet(what: string): never {
  return fail('NOT_IMPLEMENTED', `${what} is not supported yet by the SQLite store.`);
}

/** WHERE fragment of an experiment filter (alias `e`). */
export function experimentFilterSql(filter: string | undefined): SqlFragment {
  if (filter === undefined || filter.trim() === '') return NONE;
  return notYet('filter');
}

/** ORDER BY of experiments (alias `e`). */
export function experimentOrderSql(orderBy: readonly string[] | undefined): string {
  if (orderBy === undefined || orderBy.length === 0) return 'e.creation_time DESC, e.experiment_id ASC';
  return notYet('orderBy');
}

/** WHERE fragment of a run filter (alias `r`). */
export function runFilterSql(filter: string | undefined): SqlFragment {
  if (filter === undefined || filter.trim() === '') return NONE;
  return notYet('filter');
}

/** ORDER BY of runs (alias `r`). */
export function runOrderSql(orderBy: readonly string[] | undefined): SqlFragment {
  if (orderBy === undefined || orderBy.length === 0) return { sql: 'r.start_time DESC, r.run_uuid ASC', params: [] };
  return notYet('orderBy');
}
