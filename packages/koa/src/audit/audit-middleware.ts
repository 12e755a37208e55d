import type { Context, Next } from 'koa';
import { withRegistryAuditContext } from '@logbook/core';
import { principalOf } from '../auth/authenticate.js';
import { toErrorResponse } from '../errors.js';
import { requestIdOf } from '../http/request-id.js';
import type { AuditLog } from './audit-log.js';
import type { AuditOutcome, AuditRecordInput } from './types.js';

const TARGET_KEY = 'logbookAuditTarget';
const INTENT_KEY = 'logbookAuditIntent';

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

function who(ctx: Context, action: string): Pick<AuditRecordInput, 'requestId' | 'actor' | 'authMethod' | 'action'> {
  const principal = principalOf(ctx);
  return { requestId: requestIdOf(ctx), actor: principal?.id ?? 'anonymous', ...(principal !== undefined && { authMethod: principal.method }), action };
}

/** The target a path names before the handler has looked anything up. */
function pathTarget(ctx: Context): string | undefined {
  const params = (ctx as { params?: Record<string, string> }).params ?? {};
  if (params.run_id !== undefined) return `run:${params.run_id}`;
  if (params.experiment_id !== undefined) return `experiment:${params.experiment_id}`;
  if (params.name !== undefined) return `model:${params.name}`;
  return undefined;
}

/**
 * Middleware, placed right before the handler of a route that changes something, that writes an
 * `intent` entry (who, what, the target the path names, the request id) and waits until it is
 * durable. When it cannot be written the request is refused with a 503 (`TEMPORARILY_UNAVAILABLE`)
 * and nothing is changed: no change is ever made without an audit entry.
 */
export function auditIntent(log: AuditLog, action: string) {
  return async function logbookAuditIntent(ctx: Context, next: Next): Promise<void> {
    const target = pathTarget(ctx);
    const entry = await log.record({ ...who(ctx, action), ...(target !== undefined && { target }), outcome: 'intent' });
    (ctx.state as Record<string, unknown>)[INTENT_KEY] = entry.seq;
    await next();
  };
}

/**
 * Middleware that writes one audit entry per request, whatever its outcome, before the response
 * leaves. It records who (principal id), what (`action`), the target, when, the outcome and HTTP
 * status, and the request id; never headers, bodies or credentials.
 *
 * A request that got past {@link auditIntent} has a durable intent entry; its outcome entry names
 * it (`intentSeq`) and, when it cannot be written, is kept and written before the next entry while
 * the response stands (the change was made, and its intent is on record). Any other request (a
 * read, or one refused before its handler) is answered only once its entry is durable; when that
 * fails it is a 503 instead. So no request is answered 2xx without a durable entry.
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
    const state = ctx.state as Record<string, unknown>;
    const { target, detail } = (state[TARGET_KEY] as AuditTarget | undefined) ?? {};
    const intentSeq = state[INTENT_KEY] as number | undefined;
    const input: AuditRecordInput = {
      ...who(ctx, action),
      ...(target !== undefined && { target }),
      outcome: outcomeOf(status),
      status,
      ...(intentSeq !== undefined && { intentSeq }),
      ...(detail !== undefined && { detail }),
    };
    if (intentSeq !== undefined) await log.recordOutcome(input);
    else await log.record(input);
    if (failure !== undefined) throw failure;
  };
}

/**
 * Runs a route's handler with core's registry audit context set to the request's principal and
 * request id, so the registry changes it makes are recorded as `source: 'rest'` by that actor.
 */
export function inRegistryAuditScope<T>(ctx: Context, fn: () => T): T {
  const principal = principalOf(ctx);
  return withRegistryAuditContext({ actor: principal?.id ?? 'anonymous', source: 'rest', requestId: requestIdOf(ctx) }, fn);
}
