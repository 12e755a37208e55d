import type { JsonSchema } from '../routes/route.js';

/** A `$ref` to a component schema. */
export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/** A list of `{ key, value }` pairs (tags, params) of at most `max` items. */
export const tagsSchema = (max: number): JsonSchema => ({ type: 'array', maxItems: max, items: ref('KeyValue') });

const int = { type: 'integer' } as const;
const str = { type: 'string' } as const;

/** Component schemas of the OpenAPI document. */
export const COMPONENT_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  KeyValue: { type: 'object', required: ['key', 'value'], properties: { key: { type: 'string', minLength: 1, maxLength: 250 }, value: { type: 'string' } } },
  Error: {
    type: 'object', required: ['error_code', 'message', 'request_id'],
    properties: { error_code: str, message: str, field: str, request_id: str },
  },
  Experiment: {
    type: 'object', required: ['experiment_id', 'name', 'lifecycle_stage'],
    properties: {
      experiment_id: str, name: str, artifact_location: str, lifecycle_stage: { type: 'string', enum: ['active', 'deleted'] },
      creation_time: int, last_update_time: int, tags: { type: 'array', items: ref('KeyValue') },
    },
  },
  Metric: {
    type: 'object', required: ['key', 'value', 'timestamp', 'step'],
    properties: { key: str, value: { oneOf: [{ type: 'number' }, { type: 'string', enum: ['NaN', 'Infinity', '-Infinity'] }] }, timestamp: int, step: int },
  },
  RunInfo: {
    type: 'object', required: ['run_id', 'experiment_id', 'status'],
    properties: {
      run_id: str, experiment_id: str, run_name: str, user_id: str, status: { type: 'string', enum: ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] },
      start_time: int, end_time: int, artifact_uri: str, lifecycle_stage: str,
    },
  },
  Run: {
    type: 'object', required: ['info', 'data'],
    properties: {
      info: ref('RunInfo'),
      data: { type: 'object', properties: { metrics: { type: 'array', items: ref('Metric') }, params: { type: 'array', items: ref('KeyValue') }, tags: { type: 'array', items: ref('KeyValue') } } },
    },
  },
  ModelVersion: {
    type: 'object', required: ['name', 'version', 'current_stage', 'source'],
    properties: {
      name: str, version: str, creation_timestamp: int, last_updated_timestamp: int,
      current_stage: { type: 'string', enum: ['None', 'Staging', 'Production', 'Archived'] }, description: str, source: str,
      run_id: str, status: str, tags: { type: 'array', items: ref('KeyValue') }, aliases: { type: 'array', items: str },
    },
  },
  RegisteredModel: {
    type: 'object', required: ['name'],
    properties: {
      name: str, creation_timestamp: int, last_updated_timestamp: int, description: str,
      latest_versions: { type: 'array', items: ref('ModelVersion') }, tags: { type: 'array', items: ref('KeyValue') },
      aliases: { type: 'array', items: { type: 'object', properties: { alias: str, version: str } } },
    },
  },
  RunComparison: {
    type: 'object', required: ['runs', 'params', 'metrics'],
    properties: {
      runs: { type: 'array', items: ref('RunInfo') },
      params: { type: 'array', items: { type: 'object', properties: { key: str, values: { type: 'array', items: { type: ['string', 'null'] } }, differs: { type: 'boolean' } } } },
      metrics: { type: 'array', items: { type: 'object', properties: { key: str, values: { type: 'array', items: { type: ['number', 'string', 'null'] } }, differs: { type: 'boolean' } } } },
    },
  },
  Health: {
    type: 'object', required: ['status', 'backend'],
    properties: {
      status: { type: 'string', enum: ['ok', 'degraded', 'unavailable'] },
      backend: {
        type: 'object',
        properties: {
          reachable: { type: 'boolean' }, latency_ms: int, error: str,
          writable: { type: 'boolean', description: 'Whether the store could take a write now (stores that can tell).' }, write_error: str,
        },
      },
      logging: { type: 'object', additionalProperties: { type: 'number' } },
    },
  },
  AuditEntry: {
    type: 'object', required: ['seq', 'time', 'request_id', 'actor', 'action', 'outcome', 'prev_hash', 'hash'],
    properties: {
      seq: int, time: { type: 'string', format: 'date-time' }, request_id: str, actor: str, auth_method: str, action: str,
      target: str, outcome: { type: 'string', enum: ['intent', 'success', 'unauthenticated', 'denied', 'rejected', 'error'] },
      status: { ...int, description: 'HTTP status; absent on intent entries.' }, intent_seq: { ...int, description: 'The intent entry this outcome completes.' },
      detail: { type: 'object' }, prev_hash: str, hash: str,
    },
  },
  AuditHead: {
    type: 'object', required: ['seq', 'hash', 'time'],
    properties: { seq: int, hash: str, time: { type: 'string', format: 'date-time' }, mac: { ...str, description: 'HMAC-SHA256 of the other fields; absent for an unkeyed log.' } },
  },
};
