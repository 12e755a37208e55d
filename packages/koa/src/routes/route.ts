import type { Context } from 'koa';
import type { ModelRegistry, ModelVersioning } from '@logbook/core';
import type { ArtifactLocationPolicy, ArtifactStore, RegistryStore, TrackingStore } from '@logbook/core/spi';
import type { Role } from '../auth/types.js';
import type { AuditLog } from '../audit/audit-log.js';

/**
 * Reads the batching logger's counters (core's `BatchingLogger.stats()`): an object whose numeric
 * fields are reported; other fields are ignored.
 */
export type BacklogSource = () => object | undefined;

/** The numeric fields of a backlog snapshot. */
export function backlogNumbers(source: BacklogSource | undefined): Record<string, number> | undefined {
  const stats = source?.();
  if (stats === undefined) return undefined;
  return Object.fromEntries(Object.entries(stats).filter(([, v]) => typeof v === 'number' && Number.isFinite(v)));
}

/** A JSON Schema (OpenAPI 3.1 dialect) fragment. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** One documented parameter of a route. */
export interface ParameterDoc {
  readonly name: string;
  readonly in: 'path' | 'query';
  readonly required?: boolean;
  readonly description?: string;
  readonly schema: JsonSchema;
}

/** The stores and logs a route handler works with. */
export interface RouteDeps {
  readonly tracking: TrackingStore;
  readonly registry: RegistryStore;
  readonly artifacts: ArtifactStore;
  /** Core's registry service over `registry`: reads every form of version reference. */
  readonly models: ModelRegistry;
  /** Core's versioning service: model bytes, compare, rollback, archive, deployments, monitoring. */
  readonly versioning: ModelVersioning;
  readonly audit?: AuditLog;
  /** Health and metrics read it: the batching logger's stats, when the host gave them. */
  readonly backlog?: BacklogSource;
  readonly metricsText: () => Promise<{ contentType: string; body: string }>;
  readonly openapi: () => JsonSchema;
  /** Largest model body `POST /models/{name}/versions` stores, in bytes. */
  readonly maxModelBytes: number;
  /** What `POST /experiments` accepts as `artifact_location`. */
  readonly artifactLocations: ArtifactLocationPolicy;
}

/**
 * One REST route: how it is reached, who may call it, how it is audited and documented, and what
 * it does. The router and the OpenAPI document are both built from the same list.
 */
export interface RouteSpec {
  readonly method: 'get' | 'post' | 'patch' | 'delete';
  /** OpenAPI path template, e.g. `/experiments/{experiment_id}`. */
  readonly path: string;
  /** Path parameters that may contain `/` (matched as a wildcard). */
  readonly wildcard?: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  /**
   * `public`: no authentication. A role: the global role checked before the handler. `scoped`:
   * authenticated, and the handler checks the role on the experiment or model (grants apply).
   */
  readonly access: Role | 'public' | 'scoped';
  /** Audit action name; when set, every request to the route is written to the audit log. */
  readonly audit?: string;
  readonly parameters?: readonly ParameterDoc[];
  readonly requestBody?: JsonSchema;
  /**
   * Media type of the request body. Anything but JSON is not parsed: the handler reads the
   * request as a stream, and a request with another type gets 415. @default 'application/json'
   */
  readonly requestType?: string;
  /** Success responses: status → description and schema (`undefined` schema for non-JSON bodies). */
  readonly responses: Readonly<Record<string, { readonly description: string; readonly schema?: JsonSchema; readonly contentType?: string }>>;
  readonly handler: (ctx: Context, deps: RouteDeps) => Promise<void>;
}

/** The koa-router path of a spec: `{x}` → `:x`, the wildcard → `{/*x}`. */
export function koaPath(spec: Pick<RouteSpec, 'path' | 'wildcard'>): string {
  return spec.path.replace(/\/\{([a-z_]+)\}/g, (_, name: string) => (name === spec.wildcard ? `/*${name}` : `/:${name}`));
}

/** A path parameter of a spec, shared by several routes. */
export const pathParam = (name: string, description: string, schema: JsonSchema = { type: 'string', minLength: 1 }): ParameterDoc => ({
  name,
  in: 'path',
  required: true,
  description,
  schema,
});

/** The paging query parameters every list route takes. */
export function pageParams(max: number, fallback: number): ParameterDoc[] {
  return [
    { name: 'max_results', in: 'query', description: `Page size, 1 to ${max}; default ${fallback}.`, schema: { type: 'integer', minimum: 1, maximum: max } },
    { name: 'page_token', in: 'query', description: 'next_page_token of the previous page.', schema: { type: 'string', maxLength: 2048 } },
  ];
}

/** The `run_id` path parameter, shared by every run route. */
export const runIdParam = pathParam('run_id', 'Run id.', { type: 'string', pattern: '^[a-zA-Z0-9][\\w-]{0,255}$' });
