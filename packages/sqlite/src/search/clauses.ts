import type { ListClause, NullClause, NumericClause, NumericComparator, StringClause } from '@logbook/core/spi';

/** A SQL fragment and the values bound to its `?` placeholders, in order. */
export interface SqlFragment {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** AND of fragments; empty when there are none. */
export function and(parts: readonly SqlFragment[]): SqlFragment {
  return { sql: parts.map((p) => `(${p.sql})`).join(' AND '), params: parts.flatMap((p) => p.params) };
}

/** LIKE pattern → GLOB pattern, so LIKE is case-sensitive as in MLflow (SQLite's LIKE is not). */
export function likeToGlob(pattern: string): string {
  return pattern
    .replace(/[*?[]/g, (c) => `[${c}]`)
    .replace(/%/g, '*')
    .replace(/_/g, '?');
}

/** `<column> <op> ?` for a string clause: `=`, `!=`, LIKE (case-sensitive), ILIKE. */
export function stringTest(column: string, clause: Pick<StringClause<string>, 'comparator' | 'value'>): SqlFragment {
  switch (clause.comparator) {
    case '=':
      return { sql: `${column} = ?`, params: [clause.value] };
    case '!=':
      return { sql: `${column} != ?`, params: [clause.value] };
    case 'LIKE':
      return { sql: `${column} GLOB ?`, params: [likeToGlob(clause.value)] };
    case 'ILIKE':
      return { sql: `lower(${column}) LIKE lower(?)`, params: [clause.value] };
  }
}

const SQL_OPS: Readonly<Record<NumericComparator, string>> = { '=': '=', '!=': '!=', '>': '>', '>=': '>=', '<': '<', '<=': '<=' };

/** `<column> <op> ?` for a numeric clause. */
export function numericTest(column: string, clause: Pick<NumericClause<string>, 'comparator' | 'value'>): SqlFragment {
  return { sql: `${column} ${SQL_OPS[clause.comparator]} ?`, params: [clause.value] };
}

/** The test of a string or numeric clause on a column. */
export function valueTest(column: string, clause: StringClause<string> | NumericClause<string>): SqlFragment {
  return typeof clause.value === 'number' ? numericTest(column, clause as NumericClause<string>) : stringTest(column, clause as StringClause<string>);
}

/** `<column> [NOT] IN (…)`. */
export function listTest(column: string, clause: Pick<ListClause<string>, 'comparator' | 'values'>): SqlFragment {
  const not = clause.comparator === 'NOT IN' ? 'NOT ' : '';
  return { sql: `${column} ${not}IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(clause.values)] };
}

/**
 * A test on a key/value child table (params, tags): `EXISTS` a row with the key whose value
 * passes, as MLflow's inner join does (a run without the key matches neither `=` nor `!=`);
 * IS NULL / IS NOT NULL test the key's presence.
 */
export function keyValueTest(table: string, owner: string, clause: StringClause<string> | NullClause<string>): SqlFragment {
  const base = `SELECT 1 FROM ${table} kv WHERE ${owner} AND kv.key = ?`;
  if (!('value' in clause)) return { sql: `${clause.comparator === 'IS NULL' ? 'NOT ' : ''}EXISTS (${base})`, params: [clause.key] };
  const test = stringTest('kv.value', clause);
  // One row per key: "absent or passing" is "no row that fails".
  if (clause.matchesMissing === true) return { sql: `NOT EXISTS (${base} AND NOT (${test.sql}))`, params: [clause.key, ...test.params] };
  return { sql: `EXISTS (${base} AND ${test.sql})`, params: [clause.key, ...test.params] };
}

/**
 * One ORDER BY key with MLflow's SQL semantics: absent values last in both directions (or the
 * given `rank` expression first, e.g. to put NaN metrics after numbers), then the value in the
 * requested direction.
 */
export function orderTerm(value: string, ascending: boolean, rank = `CASE WHEN ${value} IS NULL THEN 1 ELSE 0 END`): string {
  return `${rank}, ${value} ${ascending ? 'ASC' : 'DESC'}`;
}
