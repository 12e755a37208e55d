import { ModelStage, isLogbookError } from '@logbook/core';
import { validateModelName, validateRunId } from '@logbook/core/spi';
import { bodyOf, optBool, optEnum, optKeyValues, optString, reqString, toRecord } from '../http/input.js';
import { pageOf, queryString } from '../http/query.js';
import { badField } from '../errors.js';
import { setAuditTarget } from '../audit/audit-middleware.js';
import { requireRole } from '../auth/authorize.js';
import { ref, tagsSchema } from '../openapi/schemas.js';
import { modelRole } from './access.js';
import { modelJson, modelVersionJson, pageJson } from './serialize.js';
import { findModel, modelNameParam, param, versionRef, versionRefParam } from './model-params.js';
import { pageParams } from './route.js';
import type { RouteSpec } from './route.js';

const nameParam = modelNameParam;
const versionResponse = (description: string) => ({ description, schema: { type: 'object', required: ['model_version'], properties: { model_version: ref('ModelVersion') } } });
const stages = Object.values(ModelStage);

/** A filter clause `name = '…'` with the name quoted so it cannot break out of the string. */
export function nameFilter(name: string): string {
  if (!name.includes("'")) return `name = '${name}'`;
  if (!name.includes('"')) return `name = "${name}"`;
  return badField('name', 'cannot contain both single and double quotes');
}

/** The model registry: list, register, versions, stage transitions. */
export const modelRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/models',
    operationId: 'listModels',
    tag: 'models',
    access: 'reader',
    audit: 'model.list',
    summary: 'List registered models.',
    parameters: [...pageParams(1000, 100), { name: 'filter', in: 'query', description: "e.g. `name LIKE 'churn%'`.", schema: { type: 'string', maxLength: 4096 } }],
    responses: {
      200: {
        description: 'A page of models.',
        schema: { type: 'object', required: ['models'], properties: { models: { type: 'array', items: ref('RegisteredModel') }, next_page_token: { type: 'string' } } },
      },
    },
    async handler(ctx, deps) {
      const filter = queryString(ctx, 'filter');
      const page = await deps.registry.searchRegisteredModels({ ...pageOf(ctx, 1000, 100), ...(filter && { filter }) });
      ctx.body = pageJson('models', page.items, modelJson, page.nextPageToken);
    },
  },
  {
    method: 'post',
    path: '/models/register',
    operationId: 'registerModel',
    tag: 'models',
    access: 'scoped',
    audit: 'model.register',
    summary: 'Register a model version (creating the model when new). Adding a version to a model that has versions needs admin.',
    requestBody: {
      type: 'object',
      required: ['name', 'source'],
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 256, pattern: '^[^/:]+$' },
        source: { type: 'string', minLength: 1, maxLength: 4096 },
        run_id: { type: 'string' },
        description: { type: 'string', maxLength: 5000 },
        tags: tagsSchema(100),
      },
    },
    responses: { 201: versionResponse('The new version.') },
    async handler(ctx, deps) {
      const body = bodyOf(ctx);
      const name = body.name;
      if (name === undefined || name === null) badField('name', 'is required');
      validateModelName(name, 'name');
      const source = reqString(body, 'source', { max: 4096 });
      const runId = optString(body, 'run_id');
      if (runId !== undefined) validateRunId(runId, 'run_id');
      const description = optString(body, 'description', { max: 5000 });
      const tags = toRecord(optKeyValues(body, 'tags', 100));
      setAuditTarget(ctx, `model:${name}`);
      const existing = await findModel(deps, name);
      // Registering over existing versions is an admin act; a first registration needs editor.
      const overExisting = existing !== undefined && existing.latestVersions.length > 0;
      requireRole(ctx, overExisting ? 'admin' : 'editor', { model: name });
      if (runId !== undefined) await deps.tracking.getRun(runId);
      if (existing === undefined) {
        try {
          await deps.registry.createRegisteredModel({ name });
        } catch (error) {
          if (!isLogbookError(error, 'RESOURCE_ALREADY_EXISTS')) throw error;
        }
      }
      const version = await deps.registry.createModelVersion({
        name,
        source,
        ...(runId !== undefined && { runId }),
        ...(description !== undefined && { description }),
        ...(tags && { tags }),
      });
      setAuditTarget(ctx, `model:${name}`, { version: version.version });
      ctx.status = 201;
      ctx.body = { model_version: modelVersionJson(version) };
    },
  },
  {
    method: 'get',
    path: '/models/{name}/versions',
    operationId: 'listModelVersions',
    tag: 'models',
    access: 'scoped',
    audit: 'model.versions',
    summary: 'List the versions of a registered model.',
    parameters: [nameParam, ...pageParams(1000, 100)],
    responses: {
      200: {
        description: 'A page of versions.',
        schema: { type: 'object', required: ['model_versions'], properties: { model_versions: { type: 'array', items: ref('ModelVersion') }, next_page_token: { type: 'string' } } },
      },
    },
    async handler(ctx, deps) {
      const name = modelRole(ctx, 'reader', param(ctx, 'name'));
      const page = pageOf(ctx, 1000, 100);
      await deps.registry.getRegisteredModel(name);
      const versions = await deps.registry.searchModelVersions({ ...page, filter: nameFilter(name) });
      ctx.body = pageJson('model_versions', versions.items, modelVersionJson, versions.nextPageToken);
    },
  },
  {
    method: 'post',
    path: '/models/{name}/versions/{version}/transition',
    operationId: 'transitionModelVersion',
    tag: 'models',
    access: 'scoped',
    audit: 'model.transition',
    summary: 'Move a version (any version reference) to a stage. Production, Archived and archive_existing_versions need admin.',
    parameters: [nameParam, versionRefParam],
    requestBody: { type: 'object', required: ['stage'], properties: { stage: { type: 'string', enum: stages }, archive_existing_versions: { type: 'boolean' } } },
    responses: { 200: versionResponse('The version after the transition.') },
    async handler(ctx, deps) {
      const name = param(ctx, 'name');
      validateModelName(name, 'name');
      const version = versionRef(param(ctx, 'version'), 'version');
      const body = bodyOf(ctx);
      const stage = optEnum(body, 'stage', stages);
      if (stage === undefined) badField('stage', `is required: one of ${stages.join(', ')}`);
      const archive = optBool(body, 'archive_existing_versions') ?? false;
      // MLflow's stores answer this with INTERNAL_ERROR (500); it is the caller's mistake.
      if (archive && stage !== ModelStage.Staging && stage !== ModelStage.Production) {
        badField('archive_existing_versions', 'can be true only for a transition to Staging or Production');
      }
      setAuditTarget(ctx, `model:${name}`, { version, stage, archive_existing_versions: archive });
      const privileged = stage === ModelStage.Production || stage === ModelStage.Archived || archive;
      modelRole(ctx, privileged ? 'admin' : 'editor', name);
      // Core's service reads any version reference (`2`, `Staging`, `1.2.0`, `champion`).
      const updated = await deps.models.transitionModelStage(name, version, stage, archive);
      ctx.body = { model_version: modelVersionJson(updated) };
    },
  },
];
