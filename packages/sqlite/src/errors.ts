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

/** better-sqlite3's error codes that mean another connection holds a lock: wait and retry. */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

function driverCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/**
 * Turns a better-sqlite3 error into a {@link LogbookError} naming the database file, so that
 * nothing above the store sees the driver. LogbookErrors and errors that are not the driver's
 * (a bug's TypeError) pass through. Every code chosen maps to a 5xx status: the messages name a
 * server path, which an HTTP layer shows only for client errors.
 */
export function toStoreError(error: unknown, path: string): unknown {
  if (error instanceof LogbookError) return error;
  const code = driverCode(error);
  if (code === undefined) return error;
  const typed = (errorCode: ErrorCode, message: string) => new LogbookError(errorCode, `[sqlite] ${message}`, { cause: error });
  if (isBusy(error)) {
    return typed('TEMPORARILY_UNAVAILABLE', `${path} is locked by another connection (${code}); retry later.`);
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return typed('INVALID_STATE', `${path} is corrupt or not a SQLite database (${code}); the file was not modified.`);
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return typed('INVALID_STATE', `${path} is read-only (${code}): check the file's and its folder's permissions and the mount.`);
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return typed('INVALID_STATE', `${path} cannot be opened as a database file (${code}): is it a folder, or is its folder missing or not writable?`);
  }
  if (code === 'SQLITE_FULL') {
    return typed('INTERNAL_ERROR', `The disk holding ${path} is full (${code}); nothing of this write was stored.`);
  }
  return typed('INTERNAL_ERROR', `SQLite failed on ${path} (${code}).`);
}
