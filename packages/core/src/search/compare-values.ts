import type { NumericComparator, OrderByClause, StringComparator } from './types.js';
import { matchesLike } from './like.js';

/** A numeric comparison as SQL does it: NaN satisfies only `!=`. */
export function compareNumber(lhs: number, comparator: NumericComparator, rhs: number): boolean {
  if (Number.isNaN(lhs)) return comparator === '!=';
  switch (comparator) {
    case '=':
      return lhs === rhs;
    case '!=':
      return lhs !== rhs;
    case '>':
      return lhs > rhs;
    case '>=':
      return lhs >= rhs;
    case '<':
      return lhs < rhs;
    case '<=':
      return lhs <= rhs;
  }
}

/** A string comparison: `=`/`!=` exact, LIKE case-sensitive, ILIKE case-insensitive. */
export function compareString(lhs: string, comparator: StringComparator, rhs: string): boolean {
  switch (comparator) {
    case '=':
      return lhs === rhs;
    case '!=':
      return lhs !== rhs;
    case 'LIKE':
      return matchesLike(lhs, rhs);
    case 'ILIKE':
      return matchesLike(lhs, rhs, true);
  }
}

/**
 * Sort order of one key with SQL semantics MLflow relies on: absent values last whatever the
 * direction, NaN after every number (and before absent values), otherwise by value.
 */
export function compareSortValues(a: string | number | undefined, b: string | number | undefined, ascending: boolean): number {
  const rank = (v: string | number | undefined) => (v === undefined ? 2 : typeof v === 'number' && Number.isNaN(v) ? 1 : 0);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb || ra !== 0) return ra - rb;
  const order = (a as string | number) < (b as string | number) ? -1 : (a as string | number) > (b as string | number) ? 1 : 0;
  return ascending ? order : -order;
}

/** Any parsed filter clause, seen generically. */
/** Any comparison clause of the search grammar, as the value matcher sees it. */
export type AnyClause = {
  readonly comparator: string;
  readonly value?: string | number;
  readonly values?: readonly string[];
};

/**
 * Tests one parsed clause against the entity's value for its key: an absent value never matches
 * except `IS NULL`; lists test membership; numbers and strings compare as above.
 */
export function matchesClauseValue(lhs: string | number | undefined, clause: AnyClause): boolean {
  if (clause.comparator === 'IS NULL') return lhs === undefined;
  if (clause.comparator === 'IS NOT NULL') return lhs !== undefined;
  if (lhs === undefined) return false;
  if (clause.values !== undefined) return clause.values.includes(String(lhs)) === (clause.comparator === 'IN');
  if (typeof clause.value === 'number') return compareNumber(Number(lhs), clause.comparator as NumericComparator, clause.value);
  return compareString(String(lhs), clause.comparator as StringComparator, String(clause.value));
}

/** An `Array.prototype.sort` comparator applying parsed order_by clauses in turn. */
export function sortComparator<T, C extends OrderByClause<string>>(orderBy: readonly C[], value: (item: T, key: C['key'], clause: C) => string | number | undefined): (a: T, b: T) => number {
  return (a, b) => {
    for (const c of orderBy) {
      const order = compareSortValues(value(a, c.key, c), value(b, c.key, c), c.ascending);
      if (order !== 0) return order;
    }
    return 0;
  };
}
