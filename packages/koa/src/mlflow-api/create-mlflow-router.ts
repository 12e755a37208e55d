import type { bodyParser as BodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context, Middleware, Next } from 'koa';
import { LogbookError } from '@logbook/core';
import { auditedRegistryStore } from '@logbook/core/spi';
import { inRegistryAuditScope } from '../audit/audit-middleware.js';
import { authenticate } from '../auth/authenticate.js';
import { requireRole } from '../auth/authorize.js';
import type { ServerErrorReporter } from '../errors.js';
import { requestId } from '../http/request-id.js';
import { deleteArtifact, downloadArtifact, listProxied, runArtifactRoutes, uploadArtifact } from './artifact-routes.js';
import { endpointNotFound, mlflowErrorMiddleware } from './errors.js';
import { ArtifactLocations } from './locations.js';
import type { MlflowApiRouterOptions } from './options.js';
import { modelVersionRoutes, registeredModelRoutes } from './registry-routes.js';
import { paramsOf } from './request.js';
import type { MlflowApiDeps, MlflowRoute } from './route.js';
import { experimentRoutes, runRoutes } from './tracking-routes.js';

/** The MLflow version whose REST API this router answers (the one Logbook is tested against). */
export const MLFLOW_API_VERSION = '3.17.2';

/** Every JSON endpoint under `/api/2.0/mlflow`, in mounting order. */
export const mlflowApiRoutes: readonly MlflowRoute[] = [
  ...experimentRoutes,
  ...runRoutes,
  ...registeredModelRoutes,
  ...modelVersionRoutes,
  ...runArtifactRoutes,
  // The MLflow 3 client looks up logged models for `runs:/` URIs; this server keeps none.
  { methods: ['GET', 'POST'], path: '/logged-models/search', handler: async () => ({}) },
];

const defaultReporter: ServerErrorReporter = (error, { requestId: id, status, route }) => {
  const code = (error as { code?: unknown }).code;
  process.stderr.write(`[koa] request ${id} ${route} failed with ${status}: ${(error as Error)?.name ?? 'Error'}${typeof code === 'string' ? ` (${code})` : ''}\n`);
};

/** The stores given one by one, which win over `stores` and `logbook`. */
function pickDefined({ tracking, registry, artifacts }: MlflowApiRouterOptions) {
  return { ...(tracking && { tracking }), ...(registry && { registry }), ...(artifacts && { artifacts }) };
}

function resolveDeps(options: MlflowApiRouterOptions): MlflowApiDeps {
  const { tracking, registry, artifacts } = { ...(options.stores ?? options.logbook?.stores), ...pickDefined(options) };
  if (!tracking || !registry || !artifacts) {
    throw new LogbookError('INVALID_CONFIGURATION', '[koa] createMlflowApiRouter needs `logbook`, `stores`, or all of `tracking`, `registry` and `artifacts`.', { field: 'stores' });
  }
  const storeRoot = (tracking as { readonly artifactRootUri?: unknown }).artifactRootUri;
  const root = options.artifactsRoot ?? (typeof storeRoot === 'string' ? storeRoot : undefined);
  if (root === undefined) {
    throw new LogbookError('INVALID_CONFIGURATION', '[koa] createMlflowApiRouter needs `artifactsRoot` when the tracking store has no artifact root.', { field: 'artifactsRoot' });
  }
  const audited = options.registryAudit === undefined ? registry : auditedRegistryStore(registry, options.registryAudit, { source: 'rest' });
  return { tracking, registry: audited, artifacts, locations: new ArtifactLocations(root) };
}

/** MLflow's rule: POST and PUT JSON calls must say `application/json`. */
async function requireJson(ctx: Context, next: Next): Promise<void> {
  if ((ctx.method === 'POST' || ctx.method === 'PUT') && !ctx.is('json')) {
    throw new LogbookError('INVALID_PARAMETER_VALUE', "[koa] Bad Request. Content-Type must be one of ['application/json'].", { field: 'Content-Type' });
  }
  await next();
}

const mayRead = async (ctx: Context, next: Next) => {
  requireRole(ctx, 'reader');
  await next();
};
const mayWrite = async (ctx: Context, next: Next) => {
  requireRole(ctx, 'editor');
  await next();
};

/**
 * `@koa/bodyparser`, loaded on the first request with a body: loading it (and its CommonJS
 * dependencies) costs ~100 ms of CPU, a fifth of `logbook serve`'s start-up.
 */
function lazyJsonParser(options: Parameters<typeof BodyParser>[0]): Middleware {
  let parser: Promise<Middleware> | undefined;
  return async (ctx, next) => {
    parser ??= import('@koa/bodyparser').then(({ bodyParser }) => bodyParser(options) as unknown as Middleware);
    await (await parser)(ctx, next);
  };
}

/**
 * Creates a router that answers MLflow's own REST API (tracking, model registry, artifact proxy,
 * `/health`, `/version`) over any Logbook backend, so an unchanged Python script using `mlflow`
 * logs into it. Everything else answers MLflow's 404 `ENDPOINT_NOT_FOUND` JSON.
 *
 * @example
 * ```ts
 * const logbook = await createLogbook({ trackingUri: 'sqlite:./logbook.db' });
 * const router = createMlflowApiRouter({ logbook, auth: { authenticators: [], anonymousRole: 'editor' } });
 * new Koa().use(router.routes()).listen(5000);
 * // MLFLOW_TRACKING_URI=http://127.0.0.1:5000 python train.py
 * ```
 */
export function createMlflowApiRouter(options: MlflowApiRouterOptions): Router {
  if (options.auth === undefined || !Array.isArray(options.auth.authenticators)) {
    throw new LogbookError('INVALID_CONFIGURATION', '[koa] createMlflowApiRouter needs `auth.authenticators` (use `anonymousRole` for an open API).', { field: 'auth' });
  }
  const deps = resolveDeps(options);
  const prefix = (options.prefix ?? '').replace(/\/+$/, '');
  const version = options.version ?? MLFLOW_API_VERSION;
  const errors = mlflowErrorMiddleware(options.onServerError ?? defaultReporter);
  const auth = authenticate(options.auth, '[koa] You are not authenticated. Set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, or MLFLOW_TRACKING_TOKEN.');
  const parseJson = lazyJsonParser({ enableTypes: ['json'], jsonLimit: options.bodyLimit ?? '10mb', encoding: 'utf-8', jsonStrict: false, parsedMethods: ['POST', 'PUT', 'PATCH', 'DELETE'] });
  const router = new Router(prefix === '' ? {} : { prefix });
  const base: Middleware[] = [requestId, errors];

  router.get('/health', async (ctx) => {
    ctx.type = 'text/plain';
    ctx.body = 'OK';
  });
  router.get('/version', async (ctx) => {
    ctx.type = 'text/plain';
    ctx.body = version;
  });

  for (const api of ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow']) {
    for (const route of mlflowApiRoutes) {
      for (const method of route.methods) {
        const chain: Middleware[] = [...base, auth, method === 'GET' ? mayRead : mayWrite];
        if (method !== 'GET') chain.push(requireJson, parseJson);
        chain.push(async (ctx) => {
          ctx.body = await inRegistryAuditScope(ctx, () => route.handler(paramsOf(ctx), deps, ctx));
        });
        router.register(`${api}${route.path}`, [method], chain);
      }
    }
  }
  router.get('/api/3.0/mlflow/server-info', ...base, auth, mayRead, async (ctx) => {
    ctx.body = { store_type: 'SqlStore', workspaces_enabled: false };
  });

  for (const api of ['/api/2.0/mlflow-artifacts', '/ajax-api/2.0/mlflow-artifacts']) {
    router.get(`${api}/artifacts`, ...base, auth, mayRead, (ctx) => listProxied(ctx, deps));
    router.get(`${api}/artifacts/*path`, ...base, auth, mayRead, (ctx) => downloadArtifact(ctx, deps));
    router.put(`${api}/artifacts/*path`, ...base, auth, mayWrite, (ctx) => uploadArtifact(ctx, deps));
    router.delete(`${api}/artifacts/*path`, ...base, auth, mayWrite, (ctx) => deleteArtifact(ctx, deps));
  }
  // Everything else MLflow's server might answer (logged models, traces, prompts, …) is not served.
  router.all('{/*rest}', ...base, async (ctx) => endpointNotFound(ctx));
  return router;
}
