/**
 * Node and undici error codes that mean "the server could not be reached, or the connection broke
 * before an answer came": the one list every package classifies network failures with (the MLflow
 * transport retries them, the CLI exits BACKEND_UNAVAILABLE, Koa answers 503, S3 retries).
 */
export const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/**
 * The network code of `error` or of one of its causes (up to 4 levels), if any. A `TimeoutError`
 * or `AbortError` without a code (an aborted fetch) counts as `ETIMEDOUT`.
 */
export function networkErrorCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 4) return undefined;
  const e = error as { code?: unknown; cause?: unknown; name?: unknown };
  if (typeof e.code === 'string' && NETWORK_ERROR_CODES.has(e.code)) return e.code;
  const inner = networkErrorCode(e.cause, depth + 1);
  if (inner !== undefined) return inner;
  return depth === 0 && e.code === undefined && (e.name === 'TimeoutError' || e.name === 'AbortError') ? 'ETIMEDOUT' : undefined;
}

/** True when `error` (or a cause of it) is a network failure of {@link NETWORK_ERROR_CODES}. */
export function isNetworkError(error: unknown): boolean {
  return networkErrorCode(error) !== undefined;
}
