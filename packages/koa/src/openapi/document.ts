import type { JsonSchema, RouteSpec } from '../routes/route.js';
import { COMPONENT_SCHEMAS, ref } from './schemas.js';

/** Options of {@link buildOpenApiDocument}. */
export interface OpenApiOptions {
  /** Where the router is mounted, e.g. `/mlflow`; becomes the server URL. */
  readonly prefix: string;
  readonly title?: string;
  readonly version?: string;
}

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ref('Error') } } });

/** Error responses a route can give, by its access rule and shape. */
function errorResponses(spec: RouteSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (spec.parameters?.length || spec.requestBody) out['400'] = errorResponse('Invalid input; `field` names the offending field.');
  if (spec.access !== 'public') {
    out['401'] = errorResponse('Missing or invalid credentials.');
    out['403'] = errorResponse('The caller lacks the role this operation needs.');
  }
  if (spec.path.includes('{') || spec.requestBody) out['404'] = errorResponse('Unknown experiment, run, model, version or artifact.');
  if (spec.method === 'post' && spec.requestBody) out['409'] = errorResponse('Conflict, e.g. the name is taken.');
  if (spec.requestBody) {
    out['413'] = errorResponse('Request body over the size limit.');
    out['415'] = errorResponse(`Request body is not ${spec.requestType ?? 'application/json'}.`);
  }
  out['500'] = errorResponse('Unexpected error; the body has a request id.');
  out['503'] = errorResponse('Backend unavailable; see Retry-After.');
  return out;
}

function operation(spec: RouteSpec): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(spec.responses)) {
    const type = r.contentType ?? 'application/json';
    responses[status] = { description: r.description, content: { [type]: { schema: r.schema ?? { type: 'string' } } } };
  }
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    tags: [spec.tag],
    ...(spec.access === 'public' ? { security: [] } : {}),
    ...(spec.access !== 'public' && { 'x-logbook-role': spec.access === 'scoped' ? 'see summary; grants apply' : spec.access }),
    ...(spec.parameters?.length && { parameters: spec.parameters }),
    ...(spec.requestBody && { requestBody: { required: true, content: { [spec.requestType ?? 'application/json']: { schema: spec.requestBody } } } }),
    responses: { ...responses, ...errorResponses(spec) },
  };
}

/**
 * The OpenAPI 3.1 document of exactly the given routes. Built from the same route list the
 * router mounts, and checked against the mounted router by a test.
 */
export function buildOpenApiDocument(routes: readonly RouteSpec[], options: OpenApiOptions): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) (paths[spec.path] ??= {})[spec.method] = operation(spec);
  return {
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'Logbook REST API',
      version: options.version ?? '0.1.0',
      description: 'Experiments, runs, the model registry and artifacts. Errors are `{ error_code, message, field?, request_id }`; RESOURCE_ALREADY_EXISTS is 409 here (MLflow answers 400).',
    },
    servers: [{ url: options.prefix === '' ? '/' : options.prefix }],
    security: [{ apiKey: [] }, { bearer: [] }],
    paths,
    components: {
      schemas: COMPONENT_SCHEMAS,
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
    },
  };
}
