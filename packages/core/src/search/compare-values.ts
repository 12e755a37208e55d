import type { NumericComparator, StringComparator } from './types.js';
import { matchesLike } from './like.js';

/** A numeric comparison as SQL does it: NaN satisfies only `!=`. */
export function compareNumber(lhs: number, comparator: NumericComparator, rhs: number): boolean {
  if (Number.isNaN(lhs)) return comparator === '!=';
  switch (comparator) {
    case '=': return lhs === rhs;
    case '!=': return lhs !== rhs;
    case '>': return lhs > rhs;
    case '>=': return lhs >= rhs;
    case '<': return lhs < rhs;
    case '<=': return lhs <= rhs;
  }
}

/** A string comparison: `=`/`!=` exact, LIKE case-sensitive, ILIKE case-insensitive. */
export function compareString(lhs: string, comparator: StringComparator, rhs: string): boolean {
  switch (comparator) {
    case '=': return lhs === rhs;
    case '!=': return lhs !== rhs;
    case 'LIKE': return matchesLike(lhs, rhs);
    case 'ILIKE': return matchesLike(lhs, rhs, true);
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
