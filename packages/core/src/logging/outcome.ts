import { isLogbookError } from '../errors.js';
import type { ErrorCode } from '../errors.js';

/**
 * Codes that retrying cannot fix: the request itself is wrong. Any other failure (network, 5xx,
 * 429, a locked database…) is retryable: the store's transport has already retried it with
 * backoff until its deadline, so the caller hands the work on instead of retrying on top.
 */
const PERMANENT: readonly ErrorCode[] = [
  'INVALID_PARAMETER_VALUE',
  'BAD_REQUEST',
  'RESOURCE_DOES_NOT_EXIST',
  'RESOURCE_ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'UNAUTHENTICATED',
  'INVALID_STATE',
  'ENDPOINT_NOT_FOUND',
  'NOT_IMPLEMENTED',
  'PAYLOAD_TOO_LARGE',
  'INVALID_CONFIGURATION',
];

/** True when retrying the same request cannot succeed. */
export function isPermanentError(error: unknown): boolean {
  return isLogbookError(error, ...PERMANENT);
}

/** How one write ended, as the batching layer sees it (OpenTelemetry exporters' three answers). */
export type WriteOutcome = 'done' | 'permanent' | 'retryable';

/** The outcome of a write that threw `error`. */
export function classifyFailure(error: unknown): Exclude<WriteOutcome, 'done'> {
  return isPermanentError(error) ? 'permanent' : 'retryable';
}
