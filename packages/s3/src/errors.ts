import { LogbookError } from '@logbook/core';
import { NETWORK_ERROR_CODES } from '@logbook/core/spi';
import type { ErrorCode } from '@logbook/core';

// Socket codes come from core's one list.
const NETWORK_CODES = NETWORK_ERROR_CODES;

const BY_NAME: Readonly<Record<string, ErrorCode>> = {
  NoSuchKey: 'RESOURCE_DOES_NOT_EXIST',
  NotFound: 'RESOURCE_DOES_NOT_EXIST',
  NoSuchBucket: 'RESOURCE_DOES_NOT_EXIST',
  NoSuchUpload: 'RESOURCE_DOES_NOT_EXIST',
  InvalidAccessKeyId: 'UNAUTHENTICATED',
  SignatureDoesNotMatch: 'UNAUTHENTICATED',
  ExpiredToken: 'UNAUTHENTICATED',
  InvalidToken: 'UNAUTHENTICATED',
  TokenRefreshRequired: 'UNAUTHENTICATED',
  CredentialsProviderError: 'UNAUTHENTICATED',
  AccessDenied: 'PERMISSION_DENIED',
  AllAccessDisabled: 'PERMISSION_DENIED',
  EntityTooLarge: 'PAYLOAD_TOO_LARGE',
  SlowDown: 'TEMPORARILY_UNAVAILABLE',
  ServiceUnavailable: 'TEMPORARILY_UNAVAILABLE',
  InternalError: 'TEMPORARILY_UNAVAILABLE',
  RequestTimeout: 'TEMPORARILY_UNAVAILABLE',
  TimeoutError: 'TEMPORARILY_UNAVAILABLE',
  RequestTimeTooSkewed: 'UNAUTHENTICATED',
};

const BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'RESOURCE_DOES_NOT_EXIST',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RESOURCE_EXHAUSTED',
  500: 'TEMPORARILY_UNAVAILABLE',
  502: 'TEMPORARILY_UNAVAILABLE',
  503: 'TEMPORARILY_UNAVAILABLE',
  504: 'TEMPORARILY_UNAVAILABLE',
};

interface SdkLikeError {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly cause?: unknown;
}

/** The Logbook code of an SDK, HTTP or socket error. */
export function errorCodeOf(error: unknown): ErrorCode {
  const e = (error ?? {}) as SdkLikeError;
  if (e.code !== undefined && NETWORK_CODES.has(e.code)) return 'TEMPORARILY_UNAVAILABLE';
  const cause = e.cause as SdkLikeError | undefined;
  if (cause?.code !== undefined && NETWORK_CODES.has(cause.code)) return 'TEMPORARILY_UNAVAILABLE';
  const byName = e.name === undefined ? undefined : BY_NAME[e.name];
  if (byName !== undefined) return byName;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined) return BY_STATUS[status] ?? 'INTERNAL_ERROR';
  return 'INTERNAL_ERROR';
}

/**
 * Turns whatever the SDK threw into a {@link LogbookError} naming the operation and the object.
 * LogbookErrors pass through unchanged. Secrets never appear: only names, codes and statuses.
 *
 * @param action what was attempted, e.g. `download`.
 * @param target the `s3://bucket/key` concerned.
 */
export function toLogbookError(error: unknown, action: string, target: string): LogbookError {
  if (error instanceof LogbookError) return error;
  const code = errorCodeOf(error);
  const e = (error ?? {}) as SdkLikeError;
  const detail = [e.name, e.code, e.$metadata?.httpStatusCode].filter((part) => part !== undefined).join(' ');
  const reason =
    {
      RESOURCE_DOES_NOT_EXIST: 'not found',
      UNAUTHENTICATED: 'the credentials were rejected',
      PERMISSION_DENIED: 'access denied',
      TEMPORARILY_UNAVAILABLE: 'the storage service is unreachable or overloaded; retry later',
      PAYLOAD_TOO_LARGE: 'the object is too large for the service',
      RESOURCE_EXHAUSTED: 'rate limited; retry later',
    }[code as string] ?? 'request failed';
  const message = `[s3] Cannot ${action} ${target}: ${reason}${detail === '' ? '' : ` (${detail})`}. ${e.message ?? ''}`.trim();
  return new LogbookError(code, message, { cause: error });
}
