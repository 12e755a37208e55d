import type { Context } from 'koa';
import { LogbookError } from '@logbook/core';
import type { TrackingStore } from '@logbook/core/spi';
import { RETRY_AFTER_SECONDS } from '../errors.js';
import { pageOf, queryString } from '../http/query.js';
import { badField } from '../errors.js';
import { ref } from '../openapi/schemas.js';
import type { AuditEntry } from '../audit/types.js';
import { backlogNumbers } from './route.js';
import type { RouteSpec } from './route.js';

const HEALTH_TIMEOUT_MS = 2000;

interface Probe {
  readonly reachable: boolean;
  readonly latency_ms: number;
  readonly error?: string;
}

/** Runs one check against the store, answering within {@link HEALTH_TIMEOUT_MS} whatever the store does. */
async function probe(check: () => Promise<unknown>): Promise<Probe> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new LogbookError('DEADLINE_EXCEEDED', `[koa] No answer within ${HEALTH_TIMEOUT_MS} ms.`)), HEALTH_TIMEOUT_MS);
        timer.unref();
      }),
    ]);
    return { reachable: true, latency_ms: Math.round(performance.now() - started) };
  } catch (error) {
    // Only the error's code or a fixed text: messages may carry URLs or credentials.
    const code = (error as { code?: unknown }).code;
    return { reachable: false, latency_ms: Math.round(performance.now() - started), error: typeof code === 'string' ? code : 'unreachable' };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A read, and (when the store offers it) a write check, at once: a store that answers reads but
 * cannot take writes, e.g. a SQLite file whose write lock another process holds, is `degraded`.
 */
async function checkBackend(tracking: TrackingStore): Promise<{ status: 'ok' | 'degraded' | 'unavailable'; backend: object }> {
  const [read, write] = await Promise.all([probe(() => tracking.searchExperiments({ maxResults: 1 })), tracking.checkWritable === undefined ? undefined : probe(() => tracking.checkWritable!())]);
  const writable = write === undefined ? {} : { writable: write.reachable, ...(write.error !== undefined && { write_error: write.error }) };
  const status = !read.reachable ? 'unavailable' : write?.reachable === false ? 'degraded' : 'ok';
  return { status, backend: { ...read, ...writable } };
}

function timeQuery(ctx: Context, name: string): number | undefined {
  const value = queryString(ctx, name, 64);
  if (value === undefined || value === '') return undefined;
  const t = /^[0-9]+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(t)) badField(name, 'must be an ISO 8601 time or milliseconds since the epoch');
  return t;
}

function auditJson(e: AuditEntry) {
  return {
    seq: e.seq,
    time: e.time,
    request_id: e.requestId,
    actor: e.actor,
    ...(e.authMethod && { auth_method: e.authMethod }),
    action: e.action,
    ...(e.target !== undefined && { target: e.target }),
    outcome: e.outcome,
    ...(e.status !== undefined && { status: e.status }),
    ...(e.intentSeq !== undefined && { intent_seq: e.intentSeq }),
    ...(e.detail && { detail: e.detail }),
    prev_hash: e.prevHash,
    hash: e.hash,
  };
}

/** Health, metrics, the OpenAPI document and the audit query. */
export function systemRoutes(metricsAccess: 'public' | 'reader'): RouteSpec[] {
  return [
    {
      method: 'get',
      path: '/health',
      operationId: 'health',
      tag: 'system',
      access: 'public',
      summary:
        'Backend reachability and the logging backlog. 503 when the backend is unreachable (`unavailable`) or answers reads but cannot take writes (`degraded`, e.g. a SQLite database locked by another process). Answers within about 2 s.',
      responses: { 200: { description: 'Healthy.', schema: ref('Health') } },
      async handler(ctx, deps) {
        const { status, backend } = await checkBackend(deps.tracking);
        const backlog = backlogNumbers(deps.backlog);
        ctx.status = status === 'ok' ? 200 : 503;
        if (status !== 'ok') ctx.set('Retry-After', String(RETRY_AFTER_SECONDS));
        ctx.body = { status, backend, ...(backlog !== undefined && { logging: backlog }) };
      },
    },
    {
      method: 'get',
      path: '/metrics',
      operationId: 'metrics',
      tag: 'system',
      access: metricsAccess,
      summary: 'Prometheus metrics of this router: requests and latencies by route and status, backend errors, backlog.',
      responses: { 200: { description: 'Prometheus text format.', contentType: 'text/plain' } },
      async handler(ctx, deps) {
        const { contentType, body } = await deps.metricsText();
        ctx.type = contentType;
        ctx.body = body;
      },
    },
    {
      method: 'get',
      path: '/openapi.json',
      operationId: 'openapi',
      tag: 'system',
      access: 'public',
      summary: 'This OpenAPI 3.1 document.',
      responses: { 200: { description: 'The document.', schema: { type: 'object' } } },
      async handler(ctx, deps) {
        ctx.body = deps.openapi();
      },
    },
    {
      method: 'get',
      path: '/audit',
      operationId: 'queryAudit',
      tag: 'system',
      access: 'admin',
      summary: 'Query the audit log, oldest first (admin).',
      parameters: [
        { name: 'max_results', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
        { name: 'page_token', in: 'query', schema: { type: 'string', maxLength: 2048 } },
        ...['actor', 'action', 'outcome'].map((name) => ({ name, in: 'query' as const, schema: { type: 'string', maxLength: 256 } })),
        { name: 'since', in: 'query', description: 'ISO 8601 or ms since the epoch; inclusive.', schema: { type: 'string', maxLength: 64 } },
        { name: 'until', in: 'query', description: 'ISO 8601 or ms since the epoch; exclusive.', schema: { type: 'string', maxLength: 64 } },
      ],
      responses: {
        200: {
          description: 'A page of entries.',
          schema: { type: 'object', required: ['entries'], properties: { entries: { type: 'array', items: ref('AuditEntry') }, next_page_token: { type: 'string' } } },
        },
      },
      async handler(ctx, deps) {
        if (deps.audit === undefined) throw new LogbookError('ENDPOINT_NOT_FOUND', '[koa] No audit log is configured for this router.');
        const { maxResults, pageToken } = pageOf(ctx, 1000, 100);
        let afterSeq: number | undefined;
        if (pageToken !== undefined) {
          afterSeq = Number(Buffer.from(pageToken, 'base64url').toString('utf8').replace(/^seq:/, ''));
          if (!Number.isSafeInteger(afterSeq) || afterSeq < 0) badField('page_token', 'is not a token from this endpoint');
        }
        const filter = Object.fromEntries(['actor', 'action', 'outcome'].map((k) => [k, queryString(ctx, k, 256)]).filter(([, v]) => v !== undefined && v !== ''));
        const since = timeQuery(ctx, 'since');
        const until = timeQuery(ctx, 'until');
        const entries = await deps.audit.query({
          ...filter,
          ...(since !== undefined && { since }),
          ...(until !== undefined && { until }),
          ...(afterSeq !== undefined && { afterSeq }),
          limit: maxResults + 1,
        });
        const page = entries.slice(0, maxResults);
        const next = entries.length > maxResults ? Buffer.from(`seq:${page[page.length - 1]!.seq}`).toString('base64url') : undefined;
        ctx.body = { entries: page.map(auditJson), ...(next !== undefined && { next_page_token: next }) };
      },
    },
    {
      method: 'get',
      path: '/audit/head',
      operationId: 'auditHead',
      tag: 'system',
      access: 'admin',
      summary: "The audit log's head: last sequence number and hash, signed with the host's audit key when it has one. Keep it elsewhere as an anchor for verifyAuditLog (admin).",
      responses: { 200: { description: 'The head.', schema: ref('AuditHead') } },
      async handler(ctx, deps) {
        if (deps.audit === undefined) throw new LogbookError('ENDPOINT_NOT_FOUND', '[koa] No audit log is configured for this router.');
        const head = await deps.audit.head();
        ctx.body = { seq: head.seq, hash: head.hash, time: head.time, ...(head.mac !== undefined && { mac: head.mac }) };
      },
    },
  ];
}
