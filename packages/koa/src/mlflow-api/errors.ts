import type { Context, Next } from 'koa';
import { LogbookError, isLogbookError } from '@logbook/core';
import { HTTP_STATUS_BY_CODE, isNetworkError } from '@logbook/core/spi';
import type { ErrorCode } from '@logbook/core';
import type { ServerErrorReporter } from '../errors.js';
import { requestIdOf } from '../http/request-id.js';

/**
 * The one middleware of the MLflow-compatible API that turns errors into MLflow's JSON error body
 * `{ error_code, message }` with MLflow's HTTP status for the code (RESOURCE_ALREADY_EXISTS is 400
 * there, as on MLflow's server). Server errors show only a request id, never a stack; 401 is
 * plain text, as from MLflow's auth app.
 */
export function mlflowErrorMiddleware(report: ServerErrorReporter) {
  return async function mlflowErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
    } catch (error) {
      const { status, code, message } = classify(error, requestIdOf(ctx));
      if (status >= 500) {
        try {
          report(error, { requestId: requestIdOf(ctx), status, route: ctx.path });
        } catch {
          // A broken reporter must not turn an error response into a crash.
        }
      }
      ctx.status = status;
      if (status === 401) {
        // MLflow's auth app answers 401 in plain text with this challenge; its client then raises
        // an MlflowException (not a RestException) with UNAUTHENTICATED: the same here.
        ctx.set('WWW-Authenticate', 'Basic realm="mlflow"');
        ctx.type = 'text/plain';
        ctx.body = message;
        return;
      }
      ctx.body = { error_code: code, message };
    }
  };
}

function classify(error: unknown, requestId: string): { status: number; code: ErrorCode; message: string } {
  if (isLogbookError(error)) {
    const status = HTTP_STATUS_BY_CODE[error.code] ?? 500;
    if (status >= 500 && error.code !== 'INVALID_STATE' && error.code !== 'TEMPORARILY_UNAVAILABLE') {
      return { status, code: error.code === 'NOT_IMPLEMENTED' ? error.code : 'INTERNAL_ERROR', message: `[koa] Internal error (request id ${requestId}).` };
    }
    return { status, code: error.code, message: error.message };
  }
  if (isNetworkError(error)) return { status: 503, code: 'TEMPORARILY_UNAVAILABLE', message: `[koa] The backend is temporarily unavailable (request id ${requestId}).` };
  const http = (error as { status?: unknown } | null)?.status;
  if (typeof http === 'number' && http >= 400 && http < 500) {
    // Koa's own helpers (body parsing, size limits) carry a 4xx status; MLflow answers those 400.
    const message = http === 413 ? '[koa] Request body too large.' : '[koa] Malformed request body: expected valid JSON.';
    return { status: http === 413 ? 413 : 400, code: http === 413 ? 'RESOURCE_EXHAUSTED' : 'BAD_REQUEST', message };
  }
  return { status: 500, code: 'INTERNAL_ERROR', message: `[koa] Internal error (request id ${requestId}).` };
}

/** MLflow's answer to a route it does not serve: 404 `ENDPOINT_NOT_FOUND` in its JSON error shape. */
export function endpointNotFound(ctx: Context): never {
  throw new LogbookError('ENDPOINT_NOT_FOUND', `[koa] This server does not serve ${ctx.method} ${ctx.path} (Logbook answers MLflow's tracking, registry and artifact-proxy API only).`);
}
