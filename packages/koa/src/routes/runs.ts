import type { Context } from 'koa';
import { RunStatus, TERMINAL_RUN_STATUSES } from '@logbook/core';
import { validateKey, validateRunId } from '@logbook/core/spi';
import { bodyOf, optEnum, optInt, optString } from '../http/input.js';
import { pageOf, queryString } from '../http/query.js';
import { badField } from '../errors.js';
import { setAuditTarget } from '../audit/audit-middleware.js';
import { ref } from '../openapi/schemas.js';
import { runWithRole } from './access.js';
import { compareRuns } from './compare.js';
import { logBatchRoute } from './log-batch.js';
import { metricJson, pageJson, runInfoJson, runJson } from './serialize.js';
import { pageParams, runIdParam } from './route.js';
import type { RouteSpec } from './route.js';

const runParam = (ctx: Context): string => (ctx.params as Record<string, string>).run_id!;
const runInfoResponse = { 200: { description: 'The run info after the change.', schema: { type: 'object', required: ['run_info'], properties: { run_info: ref('RunInfo') } } } };
const statuses = Object.values(RunStatus);

/** Runs: compare, get, update, end, delete, log a batch, metric history. */
export const runRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/runs/compare',
    operationId: 'compareRuns',
    tag: 'runs',
    access: 'scoped',
    summary: 'Compare runs side by side: params and latest metrics, with a flag where they differ.',
    parameters: [{ name: 'run_ids', in: 'query', required: true, description: 'Run ids, comma-separated or repeated; 1 to 100.', schema: { type: 'string', minLength: 1 } }],
    responses: { 200: { description: 'The comparison.', schema: ref('RunComparison') } },
    async handler(ctx, deps) {
      ctx.body = await compareRuns(ctx, deps);
    },
  },
  {
    method: 'get',
    path: '/runs/{run_id}',
    operationId: 'getRun',
    tag: 'runs',
    access: 'scoped',
    summary: 'Get a run with its params, tags and latest metrics.',
    parameters: [runIdParam],
    responses: { 200: { description: 'The run.', schema: { type: 'object', required: ['run'], properties: { run: ref('Run') } } } },
    async handler(ctx, deps) {
      ctx.body = { run: runJson(await runWithRole(ctx, deps, 'reader', runParam(ctx))) };
    },
  },
  {
    method: 'patch',
    path: '/runs/{run_id}',
    operationId: 'updateRun',
    tag: 'runs',
    access: 'scoped',
    audit: 'run.update',
    summary: 'Update a run: status, end time, name.',
    parameters: [runIdParam],
    requestBody: { type: 'object', properties: { status: { type: 'string', enum: statuses }, end_time: { type: 'integer', minimum: 0 }, run_name: { type: 'string', maxLength: 250 } } },
    responses: runInfoResponse,
    async handler(ctx, deps) {
      const body = bodyOf(ctx);
      const status = optEnum(body, 'status', statuses);
      const endTime = optInt(body, 'end_time', 0);
      const runName = optString(body, 'run_name', { max: 250 });
      const run = await runWithRole(ctx, deps, 'editor', runParam(ctx));
      const info = await deps.tracking.updateRun(run.info.runId, {
        ...(status !== undefined && { status }),
        ...(endTime !== undefined && { endTime }),
        ...(runName !== undefined && { runName }),
      });
      ctx.body = { run_info: runInfoJson(info) };
    },
  },
  {
    method: 'post',
    path: '/runs/{run_id}/end',
    operationId: 'endRun',
    tag: 'runs',
    access: 'scoped',
    audit: 'run.end',
    summary: 'End a run (FINISHED unless another terminal status is given).',
    parameters: [runIdParam],
    requestBody: { type: 'object', properties: { status: { type: 'string', enum: TERMINAL_RUN_STATUSES }, end_time: { type: 'integer', minimum: 0 } } },
    responses: runInfoResponse,
    async handler(ctx, deps) {
      const body = bodyOf(ctx);
      const status = optEnum(body, 'status', TERMINAL_RUN_STATUSES) ?? RunStatus.FINISHED;
      const endTime = optInt(body, 'end_time', 0) ?? Date.now();
      const run = await runWithRole(ctx, deps, 'editor', runParam(ctx));
      setAuditTarget(ctx, `run:${run.info.runId}`, { status });
      ctx.body = { run_info: runInfoJson(await deps.tracking.updateRun(run.info.runId, { status, endTime })) };
    },
  },
  {
    method: 'delete',
    path: '/runs/{run_id}',
    operationId: 'deleteRun',
    tag: 'runs',
    access: 'scoped',
    audit: 'run.delete',
    summary: 'Delete a run (soft delete; admin).',
    parameters: [runIdParam],
    responses: { 200: { description: 'Deleted.', schema: { type: 'object' } } },
    async handler(ctx, deps) {
      const run = await runWithRole(ctx, deps, 'admin', runParam(ctx));
      await deps.tracking.deleteRun(run.info.runId);
      ctx.body = {};
    },
  },
  logBatchRoute,
  {
    method: 'get',
    path: '/runs/{run_id}/metric-history',
    operationId: 'getMetricHistory',
    tag: 'runs',
    access: 'scoped',
    summary: 'All points of one metric of a run.',
    parameters: [runIdParam, { name: 'key', in: 'query', required: true, schema: { type: 'string', minLength: 1, maxLength: 250 } }, ...pageParams(25_000, 1000)],
    responses: {
      200: {
        description: 'A page of metric points.',
        schema: { type: 'object', required: ['metrics'], properties: { metrics: { type: 'array', items: ref('Metric') }, next_page_token: { type: 'string' } } },
      },
    },
    async handler(ctx, deps) {
      const runId = runParam(ctx);
      validateRunId(runId, 'run_id');
      const key = queryString(ctx, 'key', 250);
      if (key === undefined || key === '') badField('key', 'is required');
      validateKey('metric', key, 'key');
      const page = pageOf(ctx, 25_000, 1000);
      await runWithRole(ctx, deps, 'reader', runId);
      const history = await deps.tracking.getMetricHistory(runId, key, page);
      ctx.body = pageJson('metrics', history.items, metricJson, history.nextPageToken);
    },
  },
];
