import type { Context, Next } from 'koa';
import { LogbookError, isLogbookError } from '@logbook/core';
import { HTTP_STATUS_BY_CODE, isNetworkError } from '@logbook/core/spi';
import type { ErrorCode } from '@logbook/core';
import { requestIdOf } from './http/request-id.js';

/**
 * HTTP status of each error code for this REST API: core's table (MLflow's), with deliberate
 * differences: RESOURCE_ALREADY_EXISTS is 409 Conflict here, where MLflow's own REST API answers
 * 400; and INVALID_STATE naming a `field` is 409 too: the state of the thing the request names
 * (a model version registered from a URI has no bytes; live metrics for a version with no
 * deployment there), not the server's.
 */
export function httpStatusOf(code: ErrorCode, field?: string): number {
  if (code === 'RESOURCE_ALREADY_EXISTS') return 409;
  if (code === 'INVALID_STATE' && field !== undefined) return 409;
  return HTTP_STATUS_BY_CODE[code] ?? 500;
}

/** What the client is told, and what the router counts. */
export interface ErrorResponse {
  readonly status: number;
  readonly code: ErrorCode;
  readonly message: string;
  readonly field?: string;
}

/** Seconds a client should wait after a 503. */
export const RETRY_AFTER_SECONDS = 5;

/** Classifies any thrown value; server errors get a generic message (never a stack or detail). */
export function toErrorResponse(error: unknown, requestId: string): ErrorResponse {
  let status: number;
  let code: ErrorCode;
  if (isLogbookError(error)) {
    code = error.code;
    status = httpStatusOf(code, error.field);
  } else if (isNetworkError(error)) {
    // Stores type their drivers' errors (a locked SQLite database is TEMPORARILY_UNAVAILABLE):
    // only an HTTP client's network failures arrive untyped.
    code = 'TEMPORARILY_UNAVAILABLE';
    status = 503;
  } else {
    const http = (error as { status?: unknown; expose?: unknown } | null)?.status;
    // Errors raised by Koa's own helpers (ctx.throw, body parsing) carry a 4xx status.
    if (typeof http === 'number' && http >= 400 && http < 500) {
      status = http;
      code = http === 413 ? 'PAYLOAD_TOO_LARGE' : http === 404 ? 'ENDPOINT_NOT_FOUND' : 'BAD_REQUEST';
      const message = http === 413 ? '[koa] Request body too large.' : http === 400 ? '[koa] Malformed request body: expected valid JSON.' : `[koa] ${(error as Error).message}`;
      return { status, code, message, ...((http === 400 || http === 413 || http === 415) && { field: 'body' }) };
    }
    code = 'INTERNAL_ERROR';
    status = 500;
  }
  if (status === 503) return { status, code, message: `[koa] The backend is temporarily unavailable; retry later (request id ${requestId}).` };
  // A feature the host switched off (modelRegistryEnabled: false) is the host's setting, not a
  // failure: its code and message say which setting, and hold nothing secret.
  if (code === 'FEATURE_DISABLED') return { status, code, message: (error as Error).message };
  if (status >= 500) return { status, code: code === 'NOT_IMPLEMENTED' ? code : 'INTERNAL_ERROR', message: `[koa] Internal error (request id ${requestId}).` };
  const field = isLogbookError(error) ? error.field : undefined;
  return { status, code, message: (error as Error).message, ...(field !== undefined && { field }) };
}

/** Reports server-side errors (5xx) somewhere the operator sees them. Must not throw. */
export type ServerErrorReporter = (error: unknown, info: { readonly requestId: string; readonly status: number; readonly route: string }) => void;

/**
 * The one middleware that turns errors into HTTP responses: `{ error_code, message, field?,
 * request_id }`. 401 adds `WWW-Authenticate`, 503 adds `Retry-After`. Client errors show their
 * message; server errors show only the request id.
 */
export function errorMiddleware(report: ServerErrorReporter, onResponse?: (ctx: Context, response: ErrorResponse) => void) {
  return async function logbookErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
    } catch (error) {
      const requestId = requestIdOf(ctx);
      const response = toErrorResponse(error, requestId);
      if (response.status >= 500) {
        try {
          report(error, { requestId, status: response.status, route: ctx.path });
        } catch {
          // A broken reporter must not turn an error response into a crash.
        }
      }
      onResponse?.(ctx, response);
      ctx.status = response.status;
      if (response.status === 401) ctx.set('WWW-Authenticate', 'Bearer realm="logbook", ApiKey header="X-API-Key"');
      if (response.status === 503) ctx.set('Retry-After', String(RETRY_AFTER_SECONDS));
      ctx.body = {
        error_code: response.code,
        message: response.message,
        ...(response.field !== undefined && { field: response.field }),
        request_id: requestId,
      };
    }
  };
}

/** A 400 naming the field and the rule. Messages start with `[koa]`. */
export function badField(field: string, rule: string): never {
  throw new LogbookError('INVALID_PARAMETER_VALUE', `[koa] Invalid value for '${field}': ${rule}.`, { field });
}
