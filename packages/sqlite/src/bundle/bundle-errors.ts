import { LogbookError } from '@logbook/core';

/**
 * A bundle that cannot be used: DATA_LOSS when truncated or altered (a hash or a size does not
 * match), SCHEMA_TOO_NEW when written by a newer format, INVALID_PARAMETER_VALUE when the file
 * is not a Logbook bundle at all. `field` names the offending part when there is one.
 */
export function bundleError(code: 'DATA_LOSS' | 'SCHEMA_TOO_NEW' | 'INVALID_PARAMETER_VALUE', file: string, message: string, part?: string): never {
  throw new LogbookError(code, `[sqlite] Bundle ${file}: ${message}`, part === undefined ? {} : { field: part });
}
