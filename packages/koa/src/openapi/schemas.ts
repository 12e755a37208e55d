import type { JsonSchema } from '../routes/route.js';

/** A `$ref` to a component schema. */
export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/** A list of `{ key, value }` pairs (tags, params) of at most `max` items. */
export const tagsSchema = (max: number): JsonSchema => ({ type: 'array', maxItems: max, items: ref('KeyValue') });

const int = { type: 'integer' } as const;
const str = { type: 'string' } as const;
/** A metric value: NaN and ±Infinity travel as strings. */
const NUM = { oneOf: [{ type: 'number' }, { type: 'string', enum: ['NaN', 'Infinity', '-Infinity'] }] } as const;

/** Component schemas of the OpenAPI document. */
export const COMPONENT_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  KeyValue: { type: 'object', required: ['key', 'value'], properties: { key: { type: 'string', minLength: 1, maxLength: 250 }, value: { type: 'string' } } },
  Error: {
    type: 'object',
    required: ['error_code', 'message', 'request_id'],
    properties: { error_code: str, message: str, field: str, request_id: str },
  },
  Experiment: {
    type: 'object',
    required: ['experiment_id', 'name', 'lifecycle_stage'],
    properties: {
      experiment_id: str,
      name: str,
      artifact_location: str,
      lifecycle_stage: { type: 'string', enum: ['active', 'deleted'] },
      creation_time: int,
      last_update_time: int,
      tags: { type: 'array', items: ref('KeyValue') },
    },
  },
  Metric: {
    type: 'object',
    required: ['key', 'value', 'timestamp', 'step'],
    properties: { key: str, value: { oneOf: [{ type: 'number' }, { type: 'string', enum: ['NaN', 'Infinity', '-Infinity'] }] }, timestamp: int, step: int },
  },
  RunInfo: {
    type: 'object',
    required: ['run_id', 'experiment_id', 'status'],
    properties: {
      run_id: str,
      experiment_id: str,
      run_name: str,
      user_id: str,
      status: { type: 'string', enum: ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] },
      start_time: int,
      end_time: int,
      artifact_uri: str,
      lifecycle_stage: str,
    },
  },
  Run: {
    type: 'object',
    required: ['info', 'data'],
    properties: {
      info: ref('RunInfo'),
      data: { type: 'object', properties: { metrics: { type: 'array', items: ref('Metric') }, params: { type: 'array', items: ref('KeyValue') }, tags: { type: 'array', items: ref('KeyValue') } } },
    },
  },
  ModelVersion: {
    type: 'object',
    required: ['name', 'version', 'current_stage', 'source'],
    properties: {
      name: str,
      version: str,
      creation_timestamp: int,
      last_updated_timestamp: int,
      current_stage: { type: 'string', enum: ['None', 'Staging', 'Production', 'Archived'] },
      description: str,
      source: str,
      run_id: str,
      status: str,
      tags: { type: 'array', items: ref('KeyValue') },
      aliases: { type: 'array', items: str },
    },
  },
  RegisteredModel: {
    type: 'object',
    required: ['name'],
    properties: {
      name: str,
      creation_timestamp: int,
      last_updated_timestamp: int,
      description: str,
      latest_versions: { type: 'array', items: ref('ModelVersion') },
      tags: { type: 'array', items: ref('KeyValue') },
      aliases: { type: 'array', items: { type: 'object', properties: { alias: str, version: str } } },
    },
  },
  RunComparison: {
    type: 'object',
    required: ['runs', 'params', 'metrics'],
    properties: {
      runs: { type: 'array', items: ref('RunInfo') },
      params: { type: 'array', items: { type: 'object', properties: { key: str, values: { type: 'array', items: { type: ['string', 'null'] } }, differs: { type: 'boolean' } } } },
      metrics: { type: 'array', items: { type: 'object', properties: { key: str, values: { type: 'array', items: { type: ['number', 'string', 'null'] } }, differs: { type: 'boolean' } } } },
    },
  },
  Code: { type: 'object', required: ['commit', 'dirty'], properties: { commit: str, dirty: { type: 'boolean' } } },
  Dataset: { type: 'object', required: ['name', 'digest', 'source'], properties: { name: str, digest: str, source: str } },
  LineageEntry: {
    type: 'object',
    required: ['model_version', 'datasets'],
    properties: {
      model_version: ref('ModelVersion'),
      semver: str,
      parent_version: str,
      run_id: str,
      registered_by: str,
      code: ref('Code'),
      datasets: { type: 'array', items: ref('Dataset') },
    },
  },
  Deployment: {
    type: 'object',
    required: ['id', 'model_name', 'version', 'environment', 'status', 'by', 'kind', 'replaced', 'at', 'live_metrics'],
    properties: {
      id: { ...str, description: 'The run of the `logbook/deployments` experiment holding the event.' },
      model_name: str,
      version: str,
      semver: str,
      environment: str,
      status: { type: 'string', enum: ['pending', 'deployed', 'failed', 'retired'] },
      by: str,
      url: str,
      kind: { type: 'string', enum: ['deploy', 'rollback'] },
      replaced: { type: 'array', items: str },
      at: int,
      live_metrics: { type: 'object', additionalProperties: NUM },
    },
  },
  VersionSide: {
    type: 'object',
    required: ['version', 'stage', 'aliases', 'datasets', 'lineage', 'live'],
    properties: {
      version: str,
      semver: str,
      stage: str,
      aliases: { type: 'array', items: str },
      sha256: str,
      size: int,
      run_id: str,
      parent_version: str,
      code: ref('Code'),
      datasets: { type: 'array', items: ref('Dataset') },
      lineage: { type: 'array', items: str },
      live: { type: 'object', additionalProperties: { type: 'object', additionalProperties: NUM } },
    },
  },
  ModelVersionComparison: {
    type: 'object',
    required: ['model_name', 'v1', 'v2', 'metrics', 'params', 'same_bytes'],
    properties: {
      model_name: str,
      v1: ref('VersionSide'),
      v2: ref('VersionSide'),
      metrics: { type: 'array', items: { type: 'object', required: ['key'], properties: { key: str, v1: NUM, v2: NUM, delta: NUM } } },
      params: { type: 'array', items: { type: 'object', required: ['key'], properties: { key: str, v1: str, v2: str } } },
      same_bytes: { type: 'boolean' },
      size_delta: int,
      common_ancestor: str,
    },
  },
  ModelAlert: {
    type: 'object',
    required: ['kind', 'model_name', 'version', 'environment', 'deployment_id', 'metrics', 'at'],
    properties: {
      kind: { type: 'string', enum: ['model.degraded'] },
      model_name: str,
      version: str,
      semver: str,
      environment: str,
      deployment_id: str,
      at: { type: 'string', format: 'date-time' },
      metrics: { type: 'array', items: { type: 'object', properties: { key: str, baseline: NUM, live: NUM, degradation: NUM, threshold: { type: 'number' } } } },
    },
  },
  LiveMetricsReport: {
    type: 'object',
    required: ['deployment', 'checks'],
    properties: {
      deployment: ref('Deployment'),
      alert: ref('ModelAlert'),
      checks: { type: 'array', items: { type: 'object', required: ['key', 'live', 'degraded'], properties: { key: str, live: NUM, baseline: NUM, degradation: NUM, degraded: { type: 'boolean' } } } },
    },
  },
  Health: {
    type: 'object',
    required: ['status', 'backend'],
    properties: {
      status: { type: 'string', enum: ['ok', 'degraded', 'unavailable'] },
      backend: {
        type: 'object',
        properties: {
          reachable: { type: 'boolean' },
          latency_ms: int,
          error: str,
          writable: { type: 'boolean', description: 'Whether the store could take a write now (stores that can tell).' },
          write_error: str,
        },
      },
      logging: { type: 'object', additionalProperties: { type: 'number' } },
    },
  },
  AuditEntry: {
    type: 'object',
    required: ['seq', 'time', 'request_id', 'actor', 'action', 'outcome', 'prev_hash', 'hash'],
    properties: {
      seq: int,
      time: { type: 'string', format: 'date-time' },
      request_id: str,
      actor: str,
      auth_method: str,
      action: str,
      target: str,
      outcome: { type: 'string', enum: ['intent', 'success', 'unauthenticated', 'denied', 'rejected', 'error'] },
      status: { ...int, description: 'HTTP status; absent on intent entries.' },
      intent_seq: { ...int, description: 'The intent entry this outcome completes.' },
      detail: { type: 'object' },
      prev_hash: str,
      hash: str,
    },
  },
  AuditHead: {
    type: 'object',
    required: ['seq', 'hash', 'time'],
    properties: { seq: int, hash: str, time: { type: 'string', format: 'date-time' }, mac: { ...str, description: 'HMAC-SHA256 of the other fields; absent for an unkeyed log.' } },
  },
};
