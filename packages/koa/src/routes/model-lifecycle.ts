import type { DeploymentStatus } from '@logbook/core';
import { setAuditTarget } from '../audit/audit-middleware.js';
import { principalOf } from '../auth/authenticate.js';
import { badField } from '../errors.js';
import { bodyOf, kind, optEnum, optString, reqString } from '../http/input.js';
import type { Body } from '../http/input.js';
import { queryString } from '../http/query.js';
import { ref } from '../openapi/schemas.js';
import { modelRole } from './access.js';
import { modelNameParam, param, versionRef, versionRefParam } from './model-params.js';
import { comparisonJson, deploymentJson, liveReportJson } from './registry-json.js';
import { modelVersionJson } from './serialize.js';
import type { RouteSpec } from './route.js';

const STATUSES: readonly DeploymentStatus[] = ['pending', 'deployed', 'failed', 'retired'];
const MAX_LIVE_METRICS = 100;
const versionBody = { type: 'string', minLength: 1, maxLength: 256, description: 'Any version reference.' } as const;
const environmentBody = { type: 'string', minLength: 1, maxLength: 250 } as const;
const versionResponse = (description: string) => ({ description, schema: { type: 'object', required: ['model_version'], properties: { model_version: ref('ModelVersion') } } });

/** `metrics`: an object of 1 to 100 metric names to finite numbers. */
function liveMetrics(body: Body): Record<string, number> {
  const value = body.metrics;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) badField('metrics', `must be an object of metric names to numbers, got ${kind(value)}`);
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0 || entries.length > MAX_LIVE_METRICS) badField('metrics', `must have 1 to ${MAX_LIVE_METRICS} metrics, got ${entries.length}`);
  for (const [key, v] of entries) {
    if (typeof v !== 'number' || !Number.isFinite(v)) badField(`metrics.${key}`, `must be a finite number, got ${kind(v)}`);
  }
  return Object.fromEntries(entries) as Record<string, number>;
}

/** Compare, roll back, archive, deployments and live monitoring of registered models' versions. */
export const modelLifecycleRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/models/{name}/compare',
    operationId: 'compareModelVersions',
    tag: 'models',
    access: 'scoped',
    audit: 'model.compare',
    summary: 'Two versions side by side: source-run metrics with deltas (v2 - v1), differing params, bytes, stages, lineage, live metrics. Reader.',
    parameters: [
      modelNameParam,
      { name: 'v1', in: 'query', required: true, description: 'The base version (any version reference).', schema: versionBody },
      { name: 'v2', in: 'query', required: true, description: 'The version compared with it.', schema: versionBody },
    ],
    responses: { 200: { description: 'The comparison.', schema: ref('ModelVersionComparison') } },
    async handler(ctx, deps) {
      const name = modelRole(ctx, 'reader', param(ctx, 'name'));
      const v1 = versionRef(queryString(ctx, 'v1', 256), 'v1');
      const v2 = versionRef(queryString(ctx, 'v2', 256), 'v2');
      ctx.body = comparisonJson(await deps.versioning.compareModelVersions(name, v1, v2));
    },
  },
  {
    method: 'post',
    path: '/models/{name}/rollback',
    operationId: 'rollbackModelVersion',
    tag: 'models',
    access: 'scoped',
    audit: 'model.rollback',
    summary: 'Put a chosen version in Production; the versions it replaces there are archived (or kept), and a rollback deployment event is recorded. Admin.',
    parameters: [modelNameParam],
    requestBody: {
      type: 'object',
      required: ['version'],
      properties: { version: versionBody, replaced: { type: 'string', enum: ['archive', 'keep'] }, environment: environmentBody },
    },
    responses: { 200: versionResponse('The version, now in Production.') },
    async handler(ctx, deps) {
      const body = bodyOf(ctx);
      const target = versionRef(reqString(body, 'version', { max: 256 }), 'version');
      const replaced = optEnum(body, 'replaced', ['archive', 'keep'] as const);
      const environment = optString(body, 'environment', { min: 1, max: 250 });
      const name = modelRole(ctx, 'admin', param(ctx, 'name'));
      setAuditTarget(ctx, `model:${name}`, { version: target, ...(environment !== undefined && { environment }) });
      const moved = await deps.versioning.rollbackModelVersion(name, target, {
        by: principalOf(ctx)?.id ?? 'anonymous',
        ...(replaced !== undefined && { replaced }),
        ...(environment !== undefined && { environment }),
      });
      ctx.body = { model_version: modelVersionJson(moved) };
    },
  },
  {
    method: 'post',
    path: '/models/{name}/versions/{version}/archive',
    operationId: 'archiveModelVersion',
    tag: 'models',
    access: 'scoped',
    audit: 'model.archive',
    summary: 'Move a version to Archived. Admin.',
    parameters: [modelNameParam, versionRefParam],
    responses: { 200: versionResponse('The version, now Archived.') },
    async handler(ctx, deps) {
      const name = modelRole(ctx, 'admin', param(ctx, 'name'));
      const version = versionRef(param(ctx, 'version'), 'version');
      setAuditTarget(ctx, `model:${name}`, { version });
      ctx.body = { model_version: modelVersionJson(await deps.versioning.archiveModelVersion(name, version)) };
    },
  },
  {
    method: 'get',
    path: '/models/{name}/deployments',
    operationId: 'listDeployments',
    tag: 'models',
    access: 'scoped',
    audit: 'model.deployments',
    summary: 'Deployment events of a model, newest first, and the live version per environment. Reader.',
    parameters: [modelNameParam, { name: 'environment', in: 'query', description: 'Only this environment.', schema: environmentBody }],
    responses: {
      200: {
        description: 'History and live versions.',
        schema: {
          type: 'object',
          required: ['deployments', 'live'],
          properties: { deployments: { type: 'array', items: ref('Deployment') }, live: { type: 'object', additionalProperties: ref('Deployment') } },
        },
      },
    },
    async handler(ctx, deps) {
      const name = modelRole(ctx, 'reader', param(ctx, 'name'));
      const environment = queryString(ctx, 'environment', 250);
      const [history, live] = await Promise.all([deps.versioning.getDeploymentHistory(name, environment), deps.versioning.getLiveVersions(name)]);
      const shown = Object.entries(live).filter(([env]) => environment === undefined || env === environment);
      ctx.body = { deployments: history.map(deploymentJson), live: Object.fromEntries(shown.map(([env, d]) => [env, deploymentJson(d)])) };
    },
  },
  {
    method: 'post',
    path: '/models/{name}/deployments',
    operationId: 'recordDeployment',
    tag: 'models',
    access: 'scoped',
    audit: 'model.deploy',
    summary: 'Record a deployment event of a version (one run in the `logbook/deployments` experiment); `by` is the caller. Editor.',
    parameters: [modelNameParam],
    requestBody: {
      type: 'object',
      required: ['version', 'environment', 'status'],
      properties: { version: versionBody, environment: environmentBody, status: { type: 'string', enum: [...STATUSES] }, url: { type: 'string', maxLength: 2048 } },
    },
    responses: { 201: { description: 'The event recorded.', schema: { type: 'object', required: ['deployment'], properties: { deployment: ref('Deployment') } } } },
    async handler(ctx, deps) {
      const body = bodyOf(ctx);
      const version = versionRef(reqString(body, 'version', { max: 256 }), 'version');
      const environment = reqString(body, 'environment', { max: 250 });
      const status = optEnum(body, 'status', STATUSES);
      if (status === undefined) badField('status', `is required: one of ${STATUSES.join(', ')}`);
      const url = optString(body, 'url', { max: 2048 });
      const name = modelRole(ctx, 'editor', param(ctx, 'name'));
      setAuditTarget(ctx, `model:${name}`, { version, environment, status });
      const deployment = await deps.versioning.recordDeployment(name, version, {
        environment,
        status,
        by: principalOf(ctx)?.id ?? 'anonymous',
        ...(url !== undefined && { url }),
      });
      ctx.status = 201;
      ctx.body = { deployment: deploymentJson(deployment) };
    },
  },
  {
    method: 'post',
    path: '/models/{name}/monitor',
    operationId: 'logLiveMetrics',
    tag: 'models',
    access: 'scoped',
    audit: 'model.monitor',
    summary: "Log live metrics of a deployed version and check them against its source run's; a degradation past the host's threshold raises an alert (its alert sinks). Editor.",
    parameters: [modelNameParam],
    requestBody: {
      type: 'object',
      required: ['version', 'environment', 'metrics'],
      properties: {
        version: versionBody,
        environment: environmentBody,
        metrics: { type: 'object', minProperties: 1, maxProperties: MAX_LIVE_METRICS, additionalProperties: { type: 'number' } },
      },
    },
    responses: { 200: { description: 'The checks, and the alert when one was raised.', schema: ref('LiveMetricsReport') } },
    async handler(ctx, deps) {
      const body = bodyOf(ctx);
      const version = versionRef(reqString(body, 'version', { max: 256 }), 'version');
      const environment = reqString(body, 'environment', { max: 250 });
      const metrics = liveMetrics(body);
      const name = modelRole(ctx, 'editor', param(ctx, 'name'));
      setAuditTarget(ctx, `model:${name}`, { version, environment });
      ctx.body = liveReportJson(await deps.versioning.logLiveMetrics(name, version, environment, metrics));
    },
  },
];
