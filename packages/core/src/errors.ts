/**
 * Error codes. The first group are MLflow's own (`databricks.proto` ErrorCode), so errors read the
 * same whichever backend raised them; the last group are Logbook's.
 */
export type ErrorCode =
  | 'INVALID_PARAMETER_VALUE'
  | 'BAD_REQUEST'
  | 'RESOURCE_ALREADY_EXISTS'
  | 'RESOURCE_DOES_NOT_EXIST'
  | 'ENDPOINT_NOT_FOUND'
  | 'PERMISSION_DENIED'
  | 'UNAUTHENTICATED'
  | 'ALREADY_EXISTS'
  | 'RESOURCE_CONFLICT'
  | 'REQUEST_LIMIT_EXCEEDED'
  | 'RESOURCE_EXHAUSTED'
  | 'CANCELLED'
  | 'INTERNAL_ERROR'
  | 'INVALID_STATE'
  | 'DATA_LOSS'
  | 'NOT_IMPLEMENTED'
  | 'TEMPORARILY_UNAVAILABLE'
  | 'DEADLINE_EXCEEDED'
  | 'FEATURE_DISABLED'
  // Logbook's own:
  | 'INVALID_CONFIGURATION'
  | 'PAYLOAD_TOO_LARGE'
  | 'SCHEMA_TOO_NEW';

/** HTTP status of each code: MLflow's table (`mlflow/exceptions.py`) plus Logbook's codes. */
export const HTTP_STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  INVALID_PARAMETER_VALUE: 400,
  BAD_REQUEST: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  PERMISSION_DENIED: 403,
  UNAUTHENTICATED: 401,
  ALREADY_EXISTS: 409,
  RESOURCE_CONFLICT: 409,
  REQUEST_LIMIT_EXCEEDED: 429,
  RESOURCE_EXHAUSTED: 429,
  CANCELLED: 499,
  INTERNAL_ERROR: 500,
  INVALID_STATE: 500,
  DATA_LOSS: 500,
  NOT_IMPLEMENTED: 501,
  TEMPORARILY_UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
  // Not in MLflow's table (its server answers 500); 501: the feature is switched off here.
  FEATURE_DISABLED: 501,
  INVALID_CONFIGURATION: 500,
  PAYLOAD_TOO_LARGE: 413,
  SCHEMA_TOO_NEW: 500,
};

/** Options of {@link LogbookError}. */
export interface LogbookErrorOptions {
  readonly cause?: unknown;
  /** The request field or option the error is about, e.g. `params[3].value` or `trackingUri`. */
  readonly field?: string;
  /** The request surely never reached the server (see {@link LogbookError.unsent}). @default false */
  readonly unsent?: boolean;
}

/**
 * The one error type Logbook throws. `code` is MLflow's error code where one exists; the message
 * starts with the package that raised it and names the field and the rule that was broken.
 *
 * @example
 * ```ts
 * try { await store.getRun(id); } catch (e) {
 *   if (isLogbookError(e, 'RESOURCE_DOES_NOT_EXIST')) { ... }
 * }
 * ```
 */
export class LogbookError extends Error {
  override readonly name = 'LogbookError';
  readonly code: ErrorCode;
  readonly field?: string;
  /**
   * True when the failed request surely never reached the server (every connection was refused, or
   * the spool's circuit breaker was open), so it had no effect there and what was prepared for it
   * can be undone. False when it may have had an effect (an answer lost) or is unknown.
   */
  readonly unsent: boolean;

  constructor(code: ErrorCode, message: string, options: LogbookErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.field !== undefined) this.field = options.field;
    this.unsent = options.unsent ?? false;
  }

  /** The HTTP status this error maps to. */
  get httpStatus(): number {
    return HTTP_STATUS_BY_CODE[this.code];
  }
}

/** True when `error` is a {@link LogbookError}, optionally with one of the given codes. */
export function isLogbookError(error: unknown, ...codes: ErrorCode[]): error is LogbookError {
  return error instanceof LogbookError && (codes.length === 0 || codes.includes(error.code));
}

/** Maps an HTTP status back to a code, for error bodies that carry none (MLflow's client rule). */
export function errorCodeForHttpStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'BAD_REQUEST';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'PERMISSION_DENIED';
    case 404:
      return 'ENDPOINT_NOT_FOUND';
    case 409:
      return 'ALREADY_EXISTS';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 429:
      return 'RESOURCE_EXHAUSTED';
    case 499:
      return 'CANCELLED';
    case 501:
      return 'NOT_IMPLEMENTED';
    case 503:
      return 'TEMPORARILY_UNAVAILABLE';
    case 504:
      return 'DEADLINE_EXCEEDED';
    default:
      return 'INTERNAL_ERROR';
  }
}

const KNOWN_CODES = new Set<string>(Object.keys(HTTP_STATUS_BY_CODE));

/** Narrows a code read off the wire; unknown codes become `INTERNAL_ERROR` as in MLflow. */
export function toErrorCode(code: string | undefined, httpStatus: number): ErrorCode {
  if (code !== undefined && KNOWN_CODES.has(code)) return code as ErrorCode;
  return code === undefined ? errorCodeForHttpStatus(httpStatus) : 'INTERNAL_ERROR';
}
