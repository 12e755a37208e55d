import { isLogbookError } from '@logbook/core';
import { isNetworkError } from '@logbook/core/spi';
import type { ErrorCode } from '@logbook/core';
import { CliError, ExitCode } from './exit-codes.js';
import type { ExitCodeValue } from './exit-codes.js';

const BY_CODE: Partial<Record<ErrorCode, ExitCodeValue>> = {
  RESOURCE_DOES_NOT_EXIST: ExitCode.NOT_FOUND,
  INVALID_PARAMETER_VALUE: ExitCode.USAGE,
  BAD_REQUEST: ExitCode.USAGE,
  INVALID_CONFIGURATION: ExitCode.USAGE,
  // A model version's semver, or its bytes, already registered; a semver two writers could not settle.
  RESOURCE_ALREADY_EXISTS: ExitCode.CONFLICT,
  RESOURCE_CONFLICT: ExitCode.CONFLICT,
  // A feature the configuration turned off (modelRegistryEnabled: false): fix the config.
  FEATURE_DISABLED: ExitCode.USAGE,
  ENDPOINT_NOT_FOUND: ExitCode.BACKEND_UNAVAILABLE,
  UNAUTHENTICATED: ExitCode.BACKEND_UNAVAILABLE,
  PERMISSION_DENIED: ExitCode.BACKEND_UNAVAILABLE,
  TEMPORARILY_UNAVAILABLE: ExitCode.BACKEND_UNAVAILABLE,
  DEADLINE_EXCEEDED: ExitCode.BACKEND_UNAVAILABLE,
  SCHEMA_TOO_NEW: ExitCode.BACKEND_UNAVAILABLE,
  DATA_LOSS: ExitCode.BACKEND_UNAVAILABLE,
  // The SQLite store's code for a file it cannot use: corrupt, truncated, not a Logbook database,
  // a folder, unreadable, or an older schema opened read-only. One line, no stack.
  INVALID_STATE: ExitCode.BACKEND_UNAVAILABLE,
};

/**
 * The exit code an error ends the command with. Kept apart from `exit-codes.ts` because it loads
 * `@logbook/core`: `logbook --version` and `--help` never need it.
 */
export function exitCodeFor(error: unknown): ExitCodeValue {
  if (error instanceof CliError) return error.exitCode;
  if (isLogbookError(error)) {
    // INVALID_STATE about a named argument is the thing's state, not the store's: a version with
    // no recorded bytes, no deployment in that environment, a deleted experiment.
    if (error.code === 'INVALID_STATE' && error.field !== undefined) return ExitCode.CONFLICT;
    return BY_CODE[error.code] ?? ExitCode.UNEXPECTED;
  }
  // A server that cannot be reached at all (core's one list of network codes).
  if (isNetworkError(error)) return ExitCode.BACKEND_UNAVAILABLE;
  return ExitCode.UNEXPECTED;
}
