import { LogbookError } from '../errors.js';
import { exceedsCodePoints, truncateCodePoints } from './code-points.js';

/** Throws INVALID_PARAMETER_VALUE naming the field. Validation messages start with `[core]`. */
export function invalid(field: string, message: string): never {
  throw new LogbookError('INVALID_PARAMETER_VALUE', `[core] ${message}`, { field });
}

/** Quotes a user value for an error message, shortened so a huge value cannot flood a log. */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  return JSON.stringify(exceedsCodePoints(text, 60) ? `${truncateCodePoints(text, 57)}...` : text);
}
