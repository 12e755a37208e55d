import { LogbookError } from '../errors.js';
import { exceedsCodePoints, truncateCodePoints } from './code-points.js';

/** Throws INVALID_PARAMETER_VALUE naming the field. Validation messages start with `[core]`. */
export function invalid(field: string, message: string): never {
  throw new LogbookError('INVALID_PARAMETER_VALUE', `[core] ${message}`, { field });
}

/** Quotes a user value for an error message, shortened so a huge value cannot flood a log. */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? value : printable(value);
  return JSON.stringify(exceedsCodePoints(text, 60) ? `${truncateCodePoints(text, 57)}...` : text);
}

/** `String(value)`, or its type when it has no string form (`Object.create(null)`, a throwing `toString`). */
function printable(value: unknown): string {
  try {
    return String(value);
  } catch {
    return `[${typeName(value)}]`;
  }
}

/** The type of a value for a message: `null`, `array`, or its `typeof`. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}
