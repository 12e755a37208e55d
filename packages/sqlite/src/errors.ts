import { LogbookError } from '@logbook/core';
import type { ErrorCode } from '@logbook/core';

/** Throws a {@link LogbookError} whose message starts with `[sqlite]`. */
export function fail(code: ErrorCode, message: string, field?: string): never {
  throw new LogbookError(code, `[sqlite] ${message}`, field === undefined ? {} : { field });
}

/** RESOURCE_DOES_NOT_EXIST. */
export function notFound(message: string, field?: string): never {
  return fail('RESOURCE_DOES_NOT_EXIST', message, field);
}

/** INVALID_PARAMETER_VALUE. */
export function invalidParam(message: string, field?: string): never {
  return fail('INVALID_PARAMETER_VALUE', message, field);
}

/** True when `error` is better-sqlite3's UNIQUE/PRIMARY KEY constraint violation. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
