import { isNetworkError } from '@logbook/core/spi';
import type { HttpConfig } from '../config/http-config.js';

/** Statuses the Python client retries (urllib3 `status_forcelist`). */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/**
 * MLflow error codes that mean "try again later". A 5xx whose body is one of MLflow's JSON errors
 * with another code (INVALID_STATE for renaming a deleted experiment, INTERNAL_ERROR for a bad
 * stage transition) is a final answer from the application: the Python client retries those for
 * minutes, we do not.
 */
const TRANSIENT_MLFLOW_CODES: ReadonlySet<string> = new Set(['TEMPORARILY_UNAVAILABLE', 'REQUEST_LIMIT_EXCEEDED', 'RESOURCE_EXHAUSTED', 'DEADLINE_EXCEEDED']);

/** Seconds past which no backoff grows (MLflow's `_MLFLOW_HTTP_REQUEST_MAX_BACKOFF_FACTOR_LIMIT`). */
export const MAX_BACKOFF_SECONDS = 120;

/**
 * Messages of MLflow's INTERNAL_ERROR 500s that come from its database being busy, not from the
 * request: its connection pool exhausted (many clients at once), a SQLite file locked, a deadlock
 * or serialization failure, the database connection lost. Nothing was written by the failed call
 * (the transaction was rolled back or never began), so it is retried like any transient answer.
 */
const TRANSIENT_DATABASE_MESSAGES: readonly RegExp[] = [
  /QueuePool limit of size \d+ overflow \d+ reached/,
  /database is locked/,
  /deadlock detected/,
  /could not serialize access/,
  /server closed the connection unexpectedly/,
  /too many clients already/,
  /could not connect to server|connection to server at .* failed/,
];

/** True for a status worth retrying, given the error code and message MLflow sent with it. */
export function isRetryableStatus(status: number, mlflowCode: string | undefined, mlflowMessage?: string): boolean {
  if (!RETRY_STATUSES.has(status)) return false;
  if (mlflowCode === undefined || TRANSIENT_MLFLOW_CODES.has(mlflowCode)) return true;
  return status === 500 && mlflowCode === 'INTERNAL_ERROR' && mlflowMessage !== undefined && TRANSIENT_DATABASE_MESSAGES.some((re) => re.test(mlflowMessage));
}

function errorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown }; name?: string };
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  return e?.name === 'TimeoutError' || e?.name === 'AbortError' ? 'ETIMEDOUT' : undefined;
}

/**
 * True when the request got no response because of the network (not a programming error): one of
 * core's `NETWORK_ERROR_CODES`, retried here; ECONNREFUSED also means nothing was sent.
 */
export function isConnectionError(error: unknown): boolean {
  return isNetworkError(error);
}

/**
 * TLS errors about the server's certificate (OpenSSL's verify codes as Node names them, and Node's
 * host-name check). Retrying cannot change a certificate, so these are final on the first attempt
 * (MLflow's Python client retries them for minutes).
 */
const CERTIFICATE_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_CHAIN_TOO_LONG',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** True when the server's TLS certificate could not be verified: permanent, never retried. */
export function isCertificateError(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && CERTIFICATE_CODES.has(code);
}

/** True when the request surely never reached the server (so it cannot have had an effect). */
export function neverSent(error: unknown): boolean {
  return errorCode(error) === 'ECONNREFUSED';
}

/**
 * Backoff before retry `n` (1-based), urllib3's formula as MLflow configures it: nothing before
 * the first retry, then factor·2^(n-1) seconds capped at 120 s, plus [0, jitter) seconds.
 */
export function backoffMs(retry: number, http: Pick<HttpConfig, 'backoffFactor' | 'backoffJitter'>, random: () => number = Math.random): number {
  const base = retry <= 1 ? 0 : Math.min(MAX_BACKOFF_SECONDS, http.backoffFactor * 2 ** (retry - 1));
  return Math.round((base + random() * http.backoffJitter) * 1000);
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or invalid. */
export function retryAfterMs(header: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
