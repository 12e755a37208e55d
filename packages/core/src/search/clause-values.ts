import { invalid, show } from '../validation/fail.js';
import type { RawClause, RawIdentifier } from './parser.js';
import type { ListComparator, NullComparator, NumericComparator, StringComparator } from './types.js';

/** MLflow's comparator sets. */
export const NUMERIC_COMPARATORS: readonly NumericComparator[] = ['=', '!=', '>', '>=', '<', '<='];
export const STRING_COMPARATORS: readonly StringComparator[] = ['=', '!=', 'LIKE', 'ILIKE'];
export const NULL_COMPARATORS: readonly NullComparator[] = ['IS NULL', 'IS NOT NULL'];
export const LIST_COMPARATORS: readonly ListComparator[] = ['IN', 'NOT IN'];

/** Throws unless `comparator` is one of `allowed`, naming what it was used on. */
export function checkComparator<C extends string>(clause: RawClause, allowed: readonly C[], field: string): C {
  if (!(allowed as readonly string[]).includes(clause.comparator)) {
    invalid(field, `Invalid comparator '${clause.comparator}' for ${show(clause.identifier.text)}: not one of ${allowed.join(', ')} (${field}).`);
  }
  return clause.comparator as C;
}

/** The clause's value as a number; metrics and numeric attributes need one. */
export function numberValue(clause: RawClause, field: string, integerOnly = false): number {
  const v = clause.value;
  if (v.kind !== 'number') {
    invalid(field, `Expected a numeric value for ${show(clause.identifier.text)}, found ${describe(clause)} (${field}).`);
  }
  if (integerOnly && !v.integer) {
    invalid(field, `Invalid value for numeric attribute ${show(clause.identifier.key)}: ${show(v.text)} is not an integer (${field}).`);
  }
  return v.value;
}

/** The clause's value as a string; params, tags and string attributes need a quoted one. */
export function stringValue(clause: RawClause, field: string): string {
  const v = clause.value;
  if (v.kind !== 'string') {
    invalid(field, `Expected a quoted string value for ${show(clause.identifier.text)} (e.g. 'my-value'), found ${describe(clause)} (${field}).`);
  }
  return v.value;
}

/** The clause's value as a non-empty list of strings, for IN / NOT IN on the keys that allow it. */
export function listValue(clause: RawClause, allowedKeys: readonly string[], field: string): string[] {
  if (!allowedKeys.includes(clause.identifier.key)) {
    invalid(field, `Only ${allowedKeys.map((k) => `'${k}'`).join(', ')} support comparison with a list of quoted string values, not ${show(clause.identifier.text)} (${field}).`);
  }
  const v = clause.value;
  if (v.kind !== 'list') invalid(field, `${clause.comparator} needs a list such as ('a', 'b') for ${show(clause.identifier.text)} (${field}).`);
  return v.items.map((item) => {
    if (item.kind !== 'string') invalid(field, `Expected only quoted strings in the list ${show(v.text)} (${field}).`);
    return item.value;
  });
}

/** Rejects a list on the right of a comparator other than IN / NOT IN. */
export function noList(clause: RawClause, field: string): void {
  if (clause.value.kind === 'list') {
    invalid(field, `A list value needs IN or NOT IN, not '${clause.comparator}' (${show(clause.identifier.text)}, ${field}).`);
  }
}

/** Throws MLflow's "Invalid attribute key" naming the valid ones. */
export function unknownAttribute(identifier: RawIdentifier, valid: readonly string[], field: string): never {
  return invalid(field, `Invalid attribute key '${identifier.key}' specified. Valid keys are ${valid.map((k) => `'${k}'`).join(', ')} (${field}).`);
}

/** Throws MLflow's "Invalid entity type" naming the valid ones. */
export function unknownEntity(identifier: RawIdentifier, valid: readonly string[], field: string): never {
  return invalid(field, `Invalid entity type '${identifier.entity ?? ''}' in ${show(identifier.text)}. Valid values are ${valid.map((k) => `'${k}'`).join(', ')} (${field}).`);
}

function describe(clause: RawClause): string {
  const v = clause.value;
  switch (v.kind) {
    case 'number':
      return v.text;
    case 'string':
      return `'${v.value}'`;
    case 'list':
      return v.text;
    default:
      return 'no value';
  }
}
