import { validateLogBatch } from '@logbook/core/spi';
import type { LogBatch } from '@logbook/core';
import { bodyOf, kind } from '../http/input.js';
import type { Body } from '../http/input.js';
import { badField } from '../errors.js';
import { setAuditTarget } from '../audit/audit-middleware.js';
import { tagsSchema } from '../openapi/schemas.js';
import { runWithRole } from './access.js';
import { runIdParam } from './route.js';
import type { RouteSpec } from './route.js';

const SPECIAL: Readonly<Record<string, number>> = { NaN: Number.NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** The items of an array field, each checked to be an object; `[]` when absent. */
function objects(body: Body, key: string, max: number): Body[] {
  const value = body[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) badField(key, `must be an array, got ${kind(value)}`);
  if (value.length > max) badField(key, `must have at most ${max} items, got ${value.length}`);
  return value.map((item: unknown, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) badField(`${key}[${i}]`, `must be an object, got ${kind(item)}`);
    return item as Body;
  });
}

/**
 * Reads a log-batch body. Types are checked by core's validators (which name the field); here
 * only defaults are filled (timestamp now, step 0) and MLflow's "NaN"/"Infinity" strings read.
 */
function readBatch(body: Body): LogBatch {
  const now = Date.now();
  const metrics = objects(body, 'metrics', 1000).map((m) => {
    const raw = m.value;
    const value = typeof raw === 'string' && raw in SPECIAL ? SPECIAL[raw] : raw;
    return { key: m.key, value, timestamp: m.timestamp ?? now, step: m.step ?? 0 };
  });
  const pairs = (key: string) => objects(body, key, 1000).map((p) => ({ key: p.key, value: p.value }));
  return { metrics, params: pairs('params'), tags: pairs('tags') } as unknown as LogBatch;
}

const metricInput = {
  type: 'object',
  required: ['key', 'value'],
  properties: {
    key: { type: 'string', minLength: 1, maxLength: 250 },
    value: { oneOf: [{ type: 'number' }, { type: 'string', enum: ['NaN', 'Infinity', '-Infinity'] }] },
    timestamp: { type: 'integer', minimum: 0 },
    step: { type: 'integer' },
  },
};

/** POST /runs/{run_id}/log-batch: metrics, params and tags in one request (MLflow's limits). */
export const logBatchRoute: RouteSpec = {
  method: 'post',
  path: '/runs/{run_id}/log-batch',
  operationId: 'logBatch',
  tag: 'runs',
  access: 'scoped',
  audit: 'run.log_batch',
  summary: 'Log metrics, params and tags to a run: at most 1000 metrics, 100 params, 100 tags, 1000 in all.',
  parameters: [runIdParam],
  requestBody: {
    type: 'object',
    properties: { metrics: { type: 'array', maxItems: 1000, items: metricInput }, params: tagsSchema(100), tags: tagsSchema(100) },
  },
  responses: { 200: { description: 'Logged.', schema: { type: 'object' } } },
  async handler(ctx, deps) {
    const batch = validateLogBatch(readBatch(bodyOf(ctx)), 'truncate');
    const run = await runWithRole(ctx, deps, 'editor', (ctx.params as Record<string, string>).run_id!);
    setAuditTarget(ctx, `run:${run.info.runId}`, { metrics: batch.metrics.length, params: batch.params.length, tags: batch.tags.length });
    await deps.tracking.logBatch(run.info.runId, batch);
    ctx.body = {};
  },
};
