import { LogbookError } from '../errors.js';
import type { ErrorCode } from '../errors.js';

/** Throws a {@link LogbookError} whose message starts with `[memory]`. */
export function fail(code: ErrorCode, message: string, field?: string): never {
  throw new LogbookError(code, `[memory] ${message}`, field === undefined ? {} : { field });
}

/** RESOURCE_DOES_NOT_EXIST. */
export function notFound(message: string, field?: string): never {
  return fail('RESOURCE_DOES_NOT_EXIST', message, field);
}

/** INVALID_PARAMETER_VALUE. */
export function invalidParam(message: string, field?: string): never {
  return fail('INVALID_PARAMETER_VALUE', message, field);
}
