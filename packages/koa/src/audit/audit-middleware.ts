import type { Context, Next } from 'koa';
import { principalOf } from '../auth/authenticate.js';
import { toErrorResponse } from '../errors.js';
import { requestIdOf } from '../http/request-id.js';
import type { AuditLog } from './audit-log.js';
import type { AuditOutcome } from './types.js';

const TARGET_KEY = 'logbookAuditTarget';

interface AuditTarget {
  target?: string;
  detail?: Record<string, string | number | boolean>;
}

/** Names what an audited request acts on (`run:…`, `model:…`), plus small non-secret details. */
export function setAuditTarget(ctx: Context, target: string, detail?: Record<string, string | number | boolean>): void {
  const state = ctx.state as Record<string, unknown>;
  const current = (state[TARGET_KEY] as AuditTarget | undefined) ?? {};
  state[TARGET_KEY] = { target, detail: detail === undefined ? current.detail : { ...current.detail, ...detail } };
}

function outcomeOf(status: number): AuditOutcome {
  if (status < 400) return 'success';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'denied';
  return status < 500 ? 'rejected' : 'error';
}

/**
 * Middleware that writes one audit entry per request, whatever its outcome, before the response
 * leaves. It records who (principal id), what (`action`), the target, when, the outcome and HTTP
 * status, and the request id; never headers, bodies or credentials. When the entry cannot be
 * written the request fails with 500: an operation that cannot be audited is not acknowledged.
 */
export function auditMiddleware(log: AuditLog, action: string) {
  return async function logbookAudit(ctx: Context, next: Next): Promise<void> {
    let failure: unknown;
    let status: number;
    try {
      await next();
      status = ctx.status;
    } catch (error) {
      failure = error;
      status = toErrorResponse(error, requestIdOf(ctx)).status;
    }
    const principal = principalOf(ctx);
    const { target, detail } = ((ctx.state as Record<string, unknown>)[TARGET_KEY] as AuditTarget | undefined) ?? {};
    await log.record({
      requestId: requestIdOf(ctx),
      actor: principal?.id ?? 'anonymous',
      ...(principal !== undefined && { authMethod: principal.method }),
      action,
      ...(target !== undefined && { target }),
      outcome: outcomeOf(status),
      status,
      ...(detail !== undefined && { detail }),
    });
    if (failure !== undefined) throw failure;
  };
}
