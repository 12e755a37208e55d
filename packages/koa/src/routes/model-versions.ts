import { Readable } from 'node:stream';
import type { Context } from 'koa';
import { ARTIFACT_PATH_TAG, LogbookError, SHA256_TAG, SIZE_TAG } from '@logbook/core';
import type { ModelVersionMetadata } from '@logbook/core';
import { exceedsCodePoints, validateModelName } from '@logbook/core/spi';
import { setAuditTarget } from '../audit/audit-middleware.js';
import { principalOf } from '../auth/authenticate.js';
import { requireRole } from '../auth/authorize.js';
import { badField } from '../errors.js';
import { queryString } from '../http/query.js';
import { ref } from '../openapi/schemas.js';
import { modelRole, runWithRole } from './access.js';
import { findModel, modelNameParam, param, versionRef, versionRefParam } from './model-params.js';
import { lineageEntryJson } from './registry-json.js';
import { modelVersionJson } from './serialize.js';
import type { ParameterDoc, RouteSpec } from './route.js';

const query = (name: string, description: string, schema: Readonly<Record<string, unknown>>): ParameterDoc => ({ name, in: 'query', description, schema });
const BUMPS = ['major', 'minor', 'patch'] as const;
/** Input datasets one upload may name (they are one version tag). */
const MAX_DATASETS = 20;

function queryEnum<T extends string>(ctx: Context, name: string, allowed: readonly T[]): T | undefined {
  const value = queryString(ctx, name, 32);
  if (value === undefined) return undefined;
  const found = allowed.find((a) => a === value.toLowerCase());
  if (found === undefined) badField(name, `must be one of ${allowed.join(', ')}`);
  return found;
}

/** The metadata of an upload, from its query parameters. The code version is never the server's own. */
function uploadMetadata(ctx: Context): ModelVersionMetadata {
  const semver = queryString(ctx, 'semver', 256);
  const bump = queryEnum(ctx, 'bump', BUMPS);
  const description = queryString(ctx, 'description', 5000);
  const parent = queryString(ctx, 'parent_version', 256);
  const fileName = queryString(ctx, 'file_name', 250);
  const onDuplicate = queryEnum(ctx, 'on_duplicate', ['error', 'return'] as const);
  const commit = queryString(ctx, 'git_commit', 64);
  const dirty = queryEnum(ctx, 'git_dirty', ['true', 'false'] as const);
  if (commit !== undefined && !/^[0-9a-f]{7,64}$/i.test(commit)) badField('git_commit', 'must be a hex commit id of 7 to 64 digits');
  if (dirty !== undefined && commit === undefined) badField('git_dirty', 'needs git_commit');
  const raw = ctx.query.dataset;
  const given = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  if (given.length > MAX_DATASETS) badField('dataset', `must be given at most ${MAX_DATASETS} times`);
  // The source is everything after the second comma: URIs may hold commas.
  const datasets = given.map((value, i) => {
    if (exceedsCodePoints(value, 2048)) badField(`dataset[${i}]`, 'must have at most 2048 characters');
    const [name = '', digest = '', ...rest] = value.split(',');
    const source = rest.join(',').trim();
    if (name.trim() === '' || digest.trim() === '' || source === '') badField(`dataset[${i}]`, 'must be <name>,<digest>,<source>');
    return { name: name.trim(), digest: digest.trim(), source };
  });
  return {
    // The server's working folder says nothing about the code that built the model.
    codeVersion: commit === undefined ? false : { commit: commit.toLowerCase(), dirty: dirty === 'true' },
    registeredBy: principalOf(ctx)?.id ?? 'anonymous',
    ...(semver !== undefined && { semver }),
    ...(bump !== undefined && { bump }),
    ...(description !== undefined && { description }),
    ...(parent !== undefined && { parentVersion: versionRef(parent, 'parent_version') }),
    ...(fileName !== undefined && { fileName }),
    ...(onDuplicate !== undefined && { onDuplicate }),
    ...(datasets.length > 0 && { datasets }),
  };
}

function tooLarge(size: number | string, max: number): LogbookError {
  return new LogbookError('PAYLOAD_TOO_LARGE', `[koa] The model body is ${size} bytes; the limit is ${max} bytes (maxModelBytes).`, { field: 'body' });
}

/**
 * The request body as a stream cut at `max` bytes (PAYLOAD_TOO_LARGE). Nothing is read before the
 * library reads (an error raised earlier would have no listener yet), and a client that goes away
 * mid-body fails the stream, so the library discards what it stored.
 */
function limitedBody(ctx: Context, max: number): Readable {
  const declared = ctx.get('content-length');
  if (declared !== '' && Number(declared) > max) throw tooLarge(declared, max);
  const req = ctx.req;
  return Readable.from(
    (async function* bytes() {
      let seen = 0;
      for await (const chunk of req) {
        seen += (chunk as Buffer).length;
        if (seen > max) throw tooLarge(`over ${max}`, max);
        yield chunk as Buffer;
      }
      if (!req.complete) throw new LogbookError('CANCELLED', '[koa] The client went away before the model body ended.', { field: 'body' });
    })(),
    { objectMode: false },
  );
}

const created = {
  type: 'object',
  required: ['model_version', 'semver', 'duplicate'],
  properties: { model_version: ref('ModelVersion'), semver: { type: 'string' }, duplicate: { type: 'boolean', description: 'True when the bytes were already registered (on_duplicate=return).' } },
};

/** Model bytes in and out, and one version with its lineage. */
export const modelVersionRoutes: RouteSpec[] = [
  {
    method: 'post',
    path: '/models/{name}/versions',
    operationId: 'createModelVersion',
    tag: 'models',
    access: 'scoped',
    audit: 'model.version.create',
    summary:
      'Create a version from the bytes in the body, streamed into the artifact store with their SHA-256 and size. Editor for a new model, admin to add to one that has versions; editor on the run given.',
    requestType: 'application/octet-stream',
    requestBody: { type: 'string', contentMediaType: 'application/octet-stream' },
    parameters: [
      modelNameParam,
      query('semver', 'The semantic version (default: the highest one bumped).', { type: 'string', maxLength: 256 }),
      query('bump', 'Part bumped when no semver is given; default minor.', { type: 'string', enum: [...BUMPS] }),
      query('run_id', "The training run: the version's run, holder of the bytes, baseline of monitoring.", { type: 'string', maxLength: 256 }),
      query('description', 'Description of the version.', { type: 'string', maxLength: 5000 }),
      query('parent_version', 'The version it derives from (any version reference).', { type: 'string', maxLength: 256 }),
      query('file_name', 'File name of the bytes in the artifact store; default model.bin.', { type: 'string', maxLength: 250 }),
      query('on_duplicate', 'Bytes already registered: `error` (409, default) or `return` that version (200).', { type: 'string', enum: ['error', 'return'] }),
      query('git_commit', 'Commit of the code that built it.', { type: 'string', pattern: '^[0-9a-fA-F]{7,64}$' }),
      query('git_dirty', 'Whether that working tree had uncommitted changes.', { type: 'string', enum: ['true', 'false'] }),
      query('dataset', 'An input dataset, `<name>,<digest>,<source>` (repeatable, at most 20).', { type: 'array', maxItems: MAX_DATASETS, items: { type: 'string', maxLength: 2048 } }),
    ],
    responses: { 201: { description: 'The new version.', schema: created }, 200: { description: 'on_duplicate=return: the version that already holds these bytes.', schema: created } },
    async handler(ctx, deps) {
      const name = param(ctx, 'name');
      validateModelName(name, 'name');
      const hasBody = (ctx.get('content-length') !== '' && ctx.get('content-length') !== '0') || ctx.get('transfer-encoding') !== '';
      if (!hasBody) badField('body', 'is required: the model bytes');
      const metadata = uploadMetadata(ctx);
      const runId = queryString(ctx, 'run_id', 256);
      setAuditTarget(ctx, `model:${name}`);
      const existing = await findModel(deps, name);
      const newest = Math.max(0, ...(existing?.latestVersions ?? []).map((v) => Number(v.version)));
      // As POST /models/register: adding to a model that has versions is an admin act.
      requireRole(ctx, newest > 0 ? 'admin' : 'editor', { model: name });
      if (runId !== undefined) await runWithRole(ctx, deps, 'editor', runId);
      setAuditTarget(ctx, `model:${name}`);
      const body = limitedBody(ctx, deps.maxModelBytes);
      const semver = await deps.versioning.createModelVersion(name, body, { ...metadata, ...(runId !== undefined && { runId }) });
      const version = await deps.models.getModelVersion(name, semver);
      const duplicate = Number(version.version) <= newest;
      setAuditTarget(ctx, `model:${name}`, { version: version.version, semver, duplicate });
      ctx.status = duplicate ? 200 : 201;
      ctx.body = { model_version: modelVersionJson(version), semver, duplicate };
    },
  },
  {
    method: 'get',
    path: '/models/{name}/versions/{version}',
    operationId: 'getModelVersion',
    tag: 'models',
    access: 'scoped',
    audit: 'model.version.get',
    summary: 'One version by any reference, with its lineage (the version, its parent, grandparent…). Reader.',
    parameters: [modelNameParam, versionRefParam],
    responses: {
      200: {
        description: 'The version and its lineage.',
        schema: { type: 'object', required: ['model_version', 'lineage'], properties: { model_version: ref('ModelVersion'), lineage: { type: 'array', items: ref('LineageEntry') } } },
      },
    },
    async handler(ctx, deps) {
      const name = modelRole(ctx, 'reader', param(ctx, 'name'));
      const version = await deps.models.getModelVersion(name, versionRef(param(ctx, 'version'), 'version'));
      const lineage = await deps.versioning.getLineage(name, version.version);
      ctx.body = { model_version: modelVersionJson(version), lineage: lineage.map(lineageEntryJson) };
    },
  },
  {
    method: 'get',
    path: '/models/{name}/versions/{version}/download',
    operationId: 'downloadModelVersion',
    tag: 'models',
    access: 'scoped',
    audit: 'model.version.download',
    summary: "A version's bytes, streamed (chunked); `Repr-Digest` carries the SHA-256 and `X-Logbook-Size` the size. Stored bytes that do not match them cut the response before its end. Reader.",
    parameters: [modelNameParam, versionRefParam],
    responses: { 200: { description: 'The bytes.', contentType: 'application/octet-stream', schema: { type: 'string', contentMediaType: 'application/octet-stream' } } },
    async handler(ctx, deps) {
      const name = modelRole(ctx, 'reader', param(ctx, 'name'));
      const version = await deps.models.getModelVersion(name, versionRef(param(ctx, 'version'), 'version'));
      const stream = await deps.versioning.openModelVersion(name, version.version);
      const path = version.tags[ARTIFACT_PATH_TAG] ?? 'model.bin';
      ctx.set('Repr-Digest', `sha-256=:${Buffer.from(version.tags[SHA256_TAG] ?? '', 'hex').toString('base64')}:`);
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(path.slice(path.lastIndexOf('/') + 1))}`);
      ctx.set('X-Logbook-Size', version.tags[SIZE_TAG] ?? '');
      ctx.type = 'application/octet-stream';
      // No Content-Length on purpose: the checksum is known only after the last byte, and a
      // complete-looking response could then carry damaged bytes. Chunked, the connection is cut
      // before the final chunk, and the client sees an incomplete response.
      ctx.body = stream;
    },
  },
];
