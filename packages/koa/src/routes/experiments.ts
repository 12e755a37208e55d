import type { Context } from 'koa';
import { ViewType } from '@logbook/core';
import { validateArtifactLocation, validateExperimentId, validateExperimentName } from '@logbook/core/spi';
import { principalOf } from '../auth/authenticate.js';
import { bodyOf, optInt, optKeyValues, optString, toRecord } from '../http/input.js';
import { pageOf, queryList, queryString } from '../http/query.js';
import { badField } from '../errors.js';
import { experimentRole } from './access.js';
import { setAuditTarget } from '../audit/audit-middleware.js';
import { experimentJson, pageJson, runJson } from './serialize.js';
import { pageParams, pathParam } from './route.js';
import type { ParameterDoc, RouteSpec } from './route.js';
import { ref, tagsSchema } from '../openapi/schemas.js';

const experimentId = pathParam('experiment_id', 'Experiment id (decimal).', { type: 'string', pattern: '^[0-9]+$' });

const searchParams: ParameterDoc[] = [
  { name: 'filter', in: 'query', description: "MLflow filter, e.g. `name LIKE 'prod/%'`.", schema: { type: 'string', maxLength: 4096 } },
  { name: 'order_by', in: 'query', description: 'e.g. `name ASC`; repeatable.', schema: { type: 'string', maxLength: 4096 } },
  { name: 'view_type', in: 'query', schema: { type: 'string', enum: ['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'] } },
];

function viewType(ctx: Context): ViewType | undefined {
  const value = queryString(ctx, 'view_type');
  if (value === undefined || value === '') return undefined;
  const found = Object.values(ViewType).find((v) => v === value.toUpperCase());
  if (found === undefined) badField('view_type', 'must be one of ACTIVE_ONLY, DELETED_ONLY, ALL');
  return found;
}

function search(ctx: Context) {
  const filter = queryString(ctx, 'filter');
  const orderBy = queryList(ctx, 'order_by');
  const view = viewType(ctx);
  return { ...(filter && { filter }), ...(orderBy.length > 0 && { orderBy }), ...(view && { viewType: view }) };
}

function idParam(ctx: Context): string {
  const id = (ctx.params as Record<string, string>).experiment_id;
  validateExperimentId(id, 'experiment_id');
  return id;
}

/** Experiments: list, create, get; runs of one experiment: search, create. */
export const experimentRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/experiments',
    operationId: 'listExperiments',
    tag: 'experiments',
    access: 'reader',
    summary: 'List experiments, newest first.',
    parameters: [...pageParams(1000, 100), ...searchParams],
    responses: {
      200: {
        description: 'A page of experiments.',
        schema: { type: 'object', required: ['experiments'], properties: { experiments: { type: 'array', items: ref('Experiment') }, next_page_token: { type: 'string' } } },
      },
    },
    async handler(ctx, deps) {
      const page = await deps.tracking.searchExperiments({ ...pageOf(ctx, 1000, 100), ...search(ctx) });
      ctx.body = pageJson('experiments', page.items, experimentJson, page.nextPageToken);
    },
  },
  {
    method: 'post',
    path: '/experiments',
    operationId: 'createExperiment',
    tag: 'experiments',
    access: 'editor',
    audit: 'experiment.create',
    summary:
      "Create an experiment. 409 when the name is taken. `artifact_location`: an absolute URI of an allowed scheme (file, s3, mlflow-artifacts, and those of the host's artifact stores) without query, fragment or `..`; `file:` only inside the host's artifact root.",
    requestBody: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string', minLength: 1, maxLength: 500 }, artifact_location: { type: 'string', maxLength: 2048 }, tags: tagsSchema(100) },
    },
    responses: { 201: { description: 'Created.', schema: { type: 'object', required: ['experiment_id'], properties: { experiment_id: { type: 'string' } } } } },
    async handler(ctx, deps) {
      const body = bodyOf(ctx);
      const name = body.name;
      if (name === undefined || name === null) badField('name', 'is required');
      validateExperimentName(name, 'name');
      const artifactLocation = optString(body, 'artifact_location', { max: 2048 });
      // Checked here too, whatever the tracking store checks: the router serves these files.
      if (artifactLocation) validateArtifactLocation(artifactLocation, deps.artifactLocations, 'artifact_location');
      const tags = toRecord(optKeyValues(body, 'tags', 100));
      const id = await deps.tracking.createExperiment({ name, ...(artifactLocation && { artifactLocation }), ...(tags && { tags }) });
      setAuditTarget(ctx, `experiment:${id}`);
      ctx.status = 201;
      ctx.body = { experiment_id: id };
    },
  },
  {
    method: 'get',
    path: '/experiments/{experiment_id}',
    operationId: 'getExperiment',
    tag: 'experiments',
    access: 'scoped',
    summary: 'Get one experiment.',
    parameters: [experimentId],
    responses: { 200: { description: 'The experiment.', schema: { type: 'object', required: ['experiment'], properties: { experiment: ref('Experiment') } } } },
    async handler(ctx, deps) {
      const id = idParam(ctx);
      experimentRole(ctx, 'reader', id);
      ctx.body = { experiment: experimentJson(await deps.tracking.getExperiment(id)) };
    },
  },
  {
    method: 'get',
    path: '/experiments/{experiment_id}/runs',
    operationId: 'listRuns',
    tag: 'runs',
    access: 'scoped',
    summary: 'Search the runs of one experiment.',
    parameters: [experimentId, ...pageParams(1000, 100), ...searchParams],
    responses: {
      200: { description: 'A page of runs.', schema: { type: 'object', required: ['runs'], properties: { runs: { type: 'array', items: ref('Run') }, next_page_token: { type: 'string' } } } },
    },
    async handler(ctx, deps) {
      const id = idParam(ctx);
      experimentRole(ctx, 'reader', id);
      await deps.tracking.getExperiment(id);
      const page = await deps.tracking.searchRuns({ experimentIds: [id], ...pageOf(ctx, 1000, 100), ...search(ctx) });
      ctx.body = pageJson('runs', page.items, runJson, page.nextPageToken);
    },
  },
  {
    method: 'post',
    path: '/experiments/{experiment_id}/runs',
    operationId: 'createRun',
    tag: 'runs',
    access: 'scoped',
    audit: 'run.create',
    summary: 'Start a run in an experiment.',
    parameters: [experimentId],
    requestBody: { type: 'object', properties: { run_name: { type: 'string', maxLength: 250 }, start_time: { type: 'integer', minimum: 0 }, tags: tagsSchema(100) } },
    responses: { 201: { description: 'The new run.', schema: { type: 'object', required: ['run'], properties: { run: ref('Run') } } } },
    async handler(ctx, deps) {
      const id = idParam(ctx);
      experimentRole(ctx, 'editor', id);
      const body = bodyOf(ctx);
      const runName = optString(body, 'run_name', { max: 250 });
      const startTime = optInt(body, 'start_time', 0);
      const tags = toRecord(optKeyValues(body, 'tags', 100));
      const run = await deps.tracking.createRun({
        experimentId: id,
        userId: principalOf(ctx)!.id,
        ...(runName !== undefined && { runName }),
        ...(startTime !== undefined && { startTime }),
        ...(tags && { tags }),
      });
      ctx.status = 201;
      ctx.body = { run: runJson(run) };
    },
  },
];
