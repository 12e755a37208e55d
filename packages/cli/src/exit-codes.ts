import { isLogbookError } from '@logbook/core';
import type { ErrorCode } from '@logbook/core';

/** The `logbook` command's exit codes (documented in the package README). */
export const ExitCode = {
  /** The command did what was asked. */
  OK: 0,
  /** Anything not covered below: a bug, or a backend error with no better code. */
  UNEXPECTED: 1,
  /** Bad command line or configuration: unknown command or option, bad value, bad filter. */
  USAGE: 2,
  /** An experiment, run, metric or model that does not exist. */
  NOT_FOUND: 3,
  /** The store cannot be used: no database file, server unreachable, schema too new, no backend for the URI. */
  BACKEND_UNAVAILABLE: 4,
} as const;

/** One of the values of {@link ExitCode}. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the CLI raises itself, with the exit code it ends with. */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(message: string, readonly exitCode: ExitCodeValue) {
    super(message);
  }
}

const BY_CODE: Partial<Record<ErrorCode, ExitCodeValue>> = {
  RESOURCE_DOES_NOT_EXIST: ExitCode.NOT_FOUND,
  INVALID_PARAMETER_VALUE: ExitCode.USAGE,
  BAD_REQUEST: ExitCode.USAGE,
  INVALID_CONFIGURATION: ExitCode.USAGE,
  ENDPOINT_NOT_FOUND: ExitCode.BACKEND_UNAVAILABLE,
  UNAUTHENTICATED: ExitCode.BACKEND_UNAVAILABLE,
  PERMISSION_DENIED: ExitCode.BACKEND_UNAVAILABLE,
  TEMPORARILY_UNAVAILABLE: ExitCode.BACKEND_UNAVAILABLE,
  DEADLINE_EXCEEDED: ExitCode.BACKEND_UNAVAILABLE,
  SCHEMA_TOO_NEW: ExitCode.BACKEND_UNAVAILABLE,
};

/** Network failures Node reports with a `code` property, when a server cannot be reached at all. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'EAI_AGAIN']);

/** The exit code an error ends the command with. */
export function exitCodeFor(error: unknown): ExitCodeValue {
  if (error instanceof CliError) return error.exitCode;
  if (isLogbookError(error)) return BY_CODE[error.code] ?? ExitCode.UNEXPECTED;
  const code = (error as { code?: unknown; cause?: { code?: unknown } } | undefined);
  if (CONNECTION_CODES.has(String(code?.code)) || CONNECTION_CODES.has(String(code?.cause?.code))) {
    return ExitCode.BACKEND_UNAVAILABLE;
  }
  return ExitCode.UNEXPECTED;
}
