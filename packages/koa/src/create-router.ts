import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context, Middleware, Next } from 'koa';
import { DEFAULT_MAX_ARTIFACT_SIZE, LogbookError, ModelRegistry, ModelVersioning, readLiveMonitoring } from '@logbook/core';
import { auditedRegistryStore } from '@logbook/core/spi';
import type { ErrorHandler } from '@logbook/core';
import { AuditLog } from './audit/audit-log.js';
import { auditIntent, auditMiddleware, inRegistryAuditScope } from './audit/audit-middleware.js';
import { AuditLogRegistrySink } from './audit/registry-sink.js';
import { authenticate } from './auth/authenticate.js';
import { requireRole } from './auth/authorize.js';
import { errorMiddleware } from './errors.js';
import type { ServerErrorReporter } from './errors.js';
import { requestId } from './http/request-id.js';
import { RouterMetrics } from './metrics.js';
import { buildOpenApiDocument } from './openapi/document.js';
import { artifactLocationPolicy } from './options.js';
import type { LogbookRouterOptions } from './options.js';
import { artifactRoutes } from './routes/artifacts.js';
import { experimentRoutes } from './routes/experiments.js';
import { modelLifecycleRoutes } from './routes/model-lifecycle.js';
import { modelVersionRoutes } from './routes/model-versions.js';
import { modelRoutes } from './routes/models.js';
import { runRoutes } from './routes/runs.js';
import { systemRoutes } from './routes/system.js';
import { uiRoutes } from './routes/ui.js';
import { koaPath } from './routes/route.js';
import type { JsonSchema, RouteDeps, RouteSpec } from './routes/route.js';

/** Path of the catch-all route that answers unknown paths under the prefix with JSON 404/405. */
export const CATCH_ALL_PATH = '{/*rest}';

const defaultReporter: ServerErrorReporter = (error, { requestId: id, status, route }) => {
  const code = (error as { code?: unknown }).code;
  process.stderr.write(`[koa] request ${id} ${route} failed with ${status}: ${(error as Error)?.name ?? 'Error'}${typeof code === 'string' ? ` (${code})` : ''}\n`);
};

/** Where a registry service the router builds itself reports alert-sink failures and degradations. */
const reportRegistryError: ErrorHandler = (error, { operation }) => {
  process.stderr.write(`[koa] ${operation}: ${error instanceof Error ? error.message : String(error)}\n`);
};

function resolveServices(options: LogbookRouterOptions) {
  const stores = options.stores ?? options.logbook?.stores;
  const tracking = options.tracking ?? stores?.tracking;
  const registry = options.registry ?? stores?.registry;
  const artifacts = options.artifacts ?? stores?.artifacts;
  if (!tracking || !registry || !artifacts) {
    throw new LogbookError('INVALID_CONFIGURATION', '[koa] createLogbookRouter needs `logbook`, `stores`, or all of `tracking`, `registry` and `artifacts`.', { field: 'stores' });
  }
  // The logbook's own services (its monitoring thresholds, alert sinks, error handler) when the
  // stores are the logbook's; otherwise services over the stores given.
  const own = options.stores === undefined && options.tracking === undefined && options.registry === undefined && options.artifacts === undefined;
  const models = (own ? options.logbook?.registry : undefined) ?? new ModelRegistry(registry);
  const versioning = (own ? options.logbook?.versioning : undefined) ?? new ModelVersioning(models, tracking, artifacts, reportRegistryError);
  return { tracking, registry, artifacts, models, versioning };
}

/**
 * The services with the registry store recording every change into `audit`: the store routes call
 * directly and the services the model routes call (the logbook's own keep their thresholds and
 * alert sinks through {@link ModelVersioning.over}).
 */
function withRegistryAudit(services: ReturnType<typeof resolveServices>, audit: AuditLog) {
  const registry = auditedRegistryStore(services.registry, new AuditLogRegistrySink(audit), { source: 'rest' });
  const models = new ModelRegistry(registry);
  return { ...services, registry, models, versioning: services.versioning.over(models) };
}

/** Rejects a body of another media type than `type` with 415; the handler streams the body. */
function requireType(type: string) {
  return async function requireBodyType(ctx: Context, next: Next): Promise<void> {
    if (!ctx.is(type)) throw Object.assign(new Error(`Request body must be ${type}.`), { status: 415 });
    await next();
  };
}

/** Rejects non-JSON bodies with 415 before the parser sees them. */
async function requireJson(ctx: Context, next: Next): Promise<void> {
  const length = ctx.get('content-length');
  const hasBody = (length !== '' && length !== '0') || ctx.get('transfer-encoding') !== '';
  if (hasBody && !ctx.is('json')) throw Object.assign(new Error('Request body must be application/json.'), { status: 415 });
  await next();
}

/** Every route of the API, in mounting order (`/runs/compare` before `/runs/{run_id}`). */
export function logbookRoutes(options: Pick<LogbookRouterOptions, 'publicMetrics'> = {}): RouteSpec[] {
  return [
    ...systemRoutes(options.publicMetrics ? 'public' : 'reader'),
    ...experimentRoutes,
    ...runRoutes,
    ...modelRoutes,
    ...modelVersionRoutes,
    ...modelLifecycleRoutes,
    ...artifactRoutes,
    ...uiRoutes,
  ];
}

/**
 * Creates the Logbook REST router for a host Koa app. Everything it needs is passed in: no
 * globals, its own Prometheus registry, its own error handling (JSON errors with a request id).
 *
 * @example
 * ```ts
 * const router = createLogbookRouter({
 *   logbook: await createLogbook({ trackingUri: 'sqlite:./logbook.db' }),
 *   auth: { authenticators: [apiKeyAuth({ keys }), hostAuth()] },
 *   audit: new JsonlAuditSink({ path: './audit.jsonl' }),
 * });
 * app.use(router.routes()).use(router.allowedMethods());
 * ```
 */
export function createLogbookRouter(options: LogbookRouterOptions): Router {
  if (options.auth === undefined || !Array.isArray(options.auth.authenticators)) {
    throw new LogbookError('INVALID_CONFIGURATION', '[koa] createLogbookRouter needs `auth.authenticators` (use `anonymousRole` for an open API).', { field: 'auth' });
  }
  const prefix = (options.prefix ?? '/mlflow').replace(/\/+$/, '');
  const maxModelBytes = options.maxModelBytes ?? DEFAULT_MAX_ARTIFACT_SIZE;
  if (!Number.isSafeInteger(maxModelBytes) || maxModelBytes < 1) {
    throw new LogbookError('INVALID_CONFIGURATION', `[koa] maxModelBytes must be a positive integer, got ${String(maxModelBytes)}.`, { field: 'maxModelBytes' });
  }
  const routes = logbookRoutes(options);
  const logbook = options.logbook;
  const backlog = options.backlog ?? (typeof logbook?.stats === 'function' ? () => logbook.stats!() : undefined);
  const audit = options.audit === undefined ? undefined : options.audit instanceof AuditLog ? options.audit : new AuditLog(options.audit);
  let document: JsonSchema | undefined;
  const resolved = resolveServices(options);
  const monitoring = options.modelMonitoring;
  const metrics = new RouterMetrics(backlog, monitoring === false ? undefined : () => readLiveMonitoring(resolved.tracking, resolved.registry, monitoring ?? {}));
  // Every registry change a route makes lands in the audit chain with its before/after state.
  const services = audit === undefined ? resolved : withRegistryAudit(resolved, audit);
  const deps: RouteDeps = {
    ...services,
    artifactLocations: artifactLocationPolicy(options, services),
    maxModelBytes,
    ...(audit && { audit }),
    ...(backlog && { backlog }),
    metricsText: () => metrics.text(),
    openapi: () => (document ??= buildOpenApiDocument(routes, { prefix })),
  };
  const report = options.onServerError ?? defaultReporter;
  const errors = errorMiddleware(report, (_ctx, response) => {
    if (response.status >= 500) metrics.backendError(response.code);
  });
  const parseJson = bodyParser({ enableTypes: ['json'], jsonLimit: options.bodyLimit ?? '1mb', encoding: 'utf-8' }) as unknown as Middleware;
  const auth = authenticate(options.auth);

  const router = new Router(prefix === '' ? {} : { prefix });
  for (const spec of routes) {
    const chain: Middleware[] = [requestId, metrics.timer(spec.method.toUpperCase(), spec.path), errors];
    if (spec.audit !== undefined && audit !== undefined) chain.push(auditMiddleware(audit, spec.audit));
    if (spec.access !== 'public') chain.push(auth);
    if (spec.access === 'reader' || spec.access === 'editor' || spec.access === 'admin') {
      const role = spec.access;
      chain.push(async (ctx, next) => {
        requireRole(ctx, role);
        await next();
      });
    }
    if (spec.requestBody !== undefined) {
      if (spec.requestType === undefined || spec.requestType === 'application/json') chain.push(requireJson, parseJson);
      else chain.push(requireType(spec.requestType));
    }
    // A change is carried out only after its intent is on record (reads are audited after the fact).
    if (spec.audit !== undefined && audit !== undefined && spec.method !== 'get') chain.push(auditIntent(audit, spec.audit));
    chain.push(async (ctx) => {
      await inRegistryAuditScope(ctx, () => spec.handler(ctx, deps));
    });
    router.register(koaPath(spec), [spec.method], chain, { name: spec.operationId });
  }
  router.all(CATCH_ALL_PATH, requestId, metrics.timer('ANY', 'unmatched'), errors, async (ctx) => {
    const allowed = router.stack.filter((l) => l.path !== `${prefix}${CATCH_ALL_PATH}` && l.path !== CATCH_ALL_PATH && l.methods.length > 0 && l.match(ctx.path));
    if (allowed.length > 0) {
      ctx.set('Allow', [...new Set(allowed.flatMap((l) => l.methods))].join(', '));
      throw Object.assign(new Error(`Method ${ctx.method} not allowed.`), { status: 405 });
    }
    throw new LogbookError('ENDPOINT_NOT_FOUND', `[koa] No such endpoint: ${ctx.method} ${ctx.path}.`);
  });
  return router;
}
