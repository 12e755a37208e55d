import { LogbookError } from '@logbook/core';
import { errorCodeForHttpStatus, exceedsCodePoints, toErrorCode, truncateCodePoints } from '@logbook/core/spi';
import type { ErrorCode } from '@logbook/core';

/** Which call failed, for messages: never headers, never credentials. */
export interface CallContext {
  readonly method: string;
  /** Path without query string, e.g. `/api/2.0/mlflow/runs/create`. */
  readonly path: string;
  /** Scheme, host and port of the server, without user info. */
  readonly origin: string;
}

/** A server's answer cut for a message, by code point (never inside an emoji). */
export const shorten = (text: string, max = 500) => (exceedsCodePoints(text, max) ? `${truncateCodePoints(text, max)}…` : text);

interface MlflowErrorBody {
  readonly error_code?: unknown;
  readonly message?: unknown;
}

function parseErrorBody(body: string): MlflowErrorBody | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && typeof (parsed as MlflowErrorBody).error_code === 'string' ? (parsed as MlflowErrorBody) : undefined;
  } catch {
    return undefined;
  }
}

/** MLflow's own error code and message when the body is one of its JSON errors (with or without sqlstate); empty otherwise. */
export function mlflowErrorOf(body: string): { readonly code?: string; readonly message?: string } {
  const parsed = parseErrorBody(body);
  if (parsed === undefined) return {};
  return { code: parsed.error_code as string, ...(typeof parsed.message === 'string' ? { message: parsed.message } : {}) };
}

function plainMessage(code: ErrorCode, status: number, text: string, call: CallContext): string {
  const where = `${call.method} ${call.path} on ${call.origin}`;
  const said = text.trim() === '' ? '' : ` Server said: ${shorten(text.trim(), 200)}`;
  switch (code) {
    case 'UNAUTHENTICATED':
      return `[mlflow] The MLflow server rejected the request as unauthenticated (HTTP 401, ${where}): set credentials.username and credentials.password (or MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD), or credentials.token.${said}`;
    case 'PERMISSION_DENIED':
      return `[mlflow] Permission denied (HTTP 403, ${where}): the user lacks the permission this call needs on the experiment or model, or the server refused the Host/Origin.${said}`;
    case 'TEMPORARILY_UNAVAILABLE':
      return `[mlflow] The MLflow server is temporarily unavailable (HTTP 503, ${where}); the endpoint may be disabled on this server (e.g. --no-serve-artifacts).${said}`;
    default:
      return `[mlflow] HTTP ${status} from ${where}.${said}`;
  }
}

/**
 * Turns an MLflow error response into a {@link LogbookError}. JSON bodies keep MLflow's
 * `error_code` and message (the `sqlstate`/`error_class` keys of newer servers are ignored);
 * text bodies (basic-auth 401/403, disabled endpoints' 503, proxies) get the code of the status.
 */
export function httpError(status: number, body: string, call: CallContext): LogbookError {
  const parsed = parseErrorBody(body);
  if (parsed !== undefined) {
    const code = toErrorCode(parsed.error_code as string, status);
    const message = typeof parsed.message === 'string' ? parsed.message : `HTTP ${status}`;
    return new LogbookError(code, `[mlflow] ${shorten(message, 2000)} (${call.method} ${call.path})`);
  }
  const code = errorCodeForHttpStatus(status);
  return new LogbookError(code, plainMessage(code, status, body, call));
}

/** A request that got no HTTP answer at all (refused, reset, timed out). */
export function connectionError(error: unknown, call: CallContext, attempts: number, unsent = false): LogbookError {
  const e = error as { code?: string; message?: string };
  const reason = e.code ?? e.message ?? String(error);
  return new LogbookError('TEMPORARILY_UNAVAILABLE', `[mlflow] Could not reach the MLflow server at ${call.origin} (${call.method} ${call.path}): ${reason}, after ${attempts} attempt(s).`, {
    cause: error,
    unsent,
  });
}

/**
 * The server's TLS certificate failed verification. Final (retrying cannot fix a certificate); the
 * message says how to trust the server and never carries credentials (the origin has no user info).
 */
export function certificateError(error: unknown, call: CallContext): LogbookError {
  const e = error as { code?: string; message?: string };
  const detail = [e.message, e.code].filter((s) => s !== undefined && s !== '').join(', ');
  return new LogbookError(
    'INVALID_CONFIGURATION',
    `[mlflow] The TLS certificate of the MLflow server at ${call.origin} could not be verified (${call.method} ${call.path}: ${detail}). ` +
      'Point http.caCertPath (or MLFLOW_TRACKING_SERVER_CERT_PATH) at the PEM file of the CA that signed it, or set http.insecureTls (MLFLOW_TRACKING_INSECURE_TLS) for testing only. Not retried.',
    { cause: error, field: 'http.caCertPath' },
  );
}
