import { coerce } from './coerce.js';
import { FIELDS } from './fields.js';
import type { ConfigLayer } from './layer.js';

/** One environment variable and the key it sets. `scale` converts units (MLflow uses seconds). */
/** One environment variable and the setting it feeds. */
export interface EnvBinding {
  readonly name: string;
  readonly key: string;
  readonly scale?: number;
}

/**
 * Every environment variable Logbook reads, in priority order: for one key, the first variable
 * that is set wins, so `LOGBOOK_*` beats MLflow's and AWS's own names.
 */
export const ENV_BINDINGS: readonly EnvBinding[] = [
  { name: 'LOGBOOK_ENV', key: 'environment' },
  { name: 'LOGBOOK_TRACKING_URI', key: 'trackingUri' },
  { name: 'MLFLOW_TRACKING_URI', key: 'trackingUri' },
  { name: 'LOGBOOK_REGISTRY_URI', key: 'registryUri' },
  { name: 'MLFLOW_REGISTRY_URI', key: 'registryUri' },
  { name: 'LOGBOOK_ARTIFACT_ROOT', key: 'artifactRoot' },
  { name: 'LOGBOOK_DATABASE_URL', key: 'databaseUrl' },
  { name: 'LOGBOOK_AUTHENTICATION_ENABLED', key: 'authenticationEnabled' },
  { name: 'LOGBOOK_MODEL_REGISTRY_ENABLED', key: 'modelRegistryEnabled' },
  { name: 'LOGBOOK_AUDIT_LOG', key: 'auditLog' },
  { name: 'LOGBOOK_AUDIT_KEY', key: 'auditKey' },
  { name: 'LOGBOOK_EXPERIMENT_AUTO_LOGGING', key: 'experimentAutoLogging' },
  { name: 'LOGBOOK_ARTIFACT_COMPRESSION', key: 'artifactCompression' },
  { name: 'LOGBOOK_MAX_ARTIFACT_SIZE', key: 'maxArtifactSize' },
  { name: 'LOGBOOK_LOG_LEVEL', key: 'logLevel' },
  { name: 'LOGBOOK_TRACKING_USERNAME', key: 'credentials.username' },
  { name: 'MLFLOW_TRACKING_USERNAME', key: 'credentials.username' },
  { name: 'LOGBOOK_TRACKING_PASSWORD', key: 'credentials.password' },
  { name: 'MLFLOW_TRACKING_PASSWORD', key: 'credentials.password' },
  { name: 'LOGBOOK_TRACKING_TOKEN', key: 'credentials.token' },
  { name: 'MLFLOW_TRACKING_TOKEN', key: 'credentials.token' },
  { name: 'LOGBOOK_HTTP_MAX_RETRIES', key: 'http.maxRetries' },
  { name: 'MLFLOW_HTTP_REQUEST_MAX_RETRIES', key: 'http.maxRetries' },
  { name: 'LOGBOOK_HTTP_BACKOFF_FACTOR', key: 'http.backoffFactor' },
  { name: 'MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR', key: 'http.backoffFactor' },
  { name: 'LOGBOOK_HTTP_BACKOFF_JITTER', key: 'http.backoffJitter' },
  { name: 'MLFLOW_HTTP_REQUEST_BACKOFF_JITTER', key: 'http.backoffJitter' },
  { name: 'LOGBOOK_HTTP_REQUEST_TIMEOUT_MS', key: 'http.requestTimeoutMs' },
  { name: 'MLFLOW_HTTP_REQUEST_TIMEOUT', key: 'http.requestTimeoutMs', scale: 1000 },
  { name: 'LOGBOOK_HTTP_DEADLINE_MS', key: 'http.deadlineMs' },
  { name: 'LOGBOOK_HTTP_INSECURE_TLS', key: 'http.insecureTls' },
  { name: 'MLFLOW_TRACKING_INSECURE_TLS', key: 'http.insecureTls' },
  { name: 'LOGBOOK_HTTP_CA_CERT_PATH', key: 'http.caCertPath' },
  { name: 'MLFLOW_TRACKING_SERVER_CERT_PATH', key: 'http.caCertPath' },
  { name: 'LOGBOOK_MAX_BATCH_SIZE', key: 'logging.maxBatchSize' },
  { name: 'LOGBOOK_FLUSH_INTERVAL_MS', key: 'logging.flushIntervalMs' },
  { name: 'LOGBOOK_MAX_BUFFERED_POINTS', key: 'logging.maxBufferedPoints' },
  { name: 'LOGBOOK_DRAIN_ON_EXIT', key: 'logging.drainOnExit' },
  { name: 'LOGBOOK_EXIT_DRAIN_TIMEOUT_MS', key: 'logging.exitDrainTimeoutMs' },
  { name: 'LOGBOOK_SPOOL_ENABLED', key: 'spool.enabled' },
  { name: 'LOGBOOK_SPOOL_PATH', key: 'spool.path' },
  { name: 'LOGBOOK_SPOOL_FAILOVER_MS', key: 'spool.failoverMs' },
  { name: 'LOGBOOK_S3_BUCKET', key: 's3.bucket' },
  { name: 'LOGBOOK_S3_PREFIX', key: 's3.prefix' },
  { name: 'LOGBOOK_S3_ENDPOINT', key: 's3.endpoint' },
  { name: 'MLFLOW_S3_ENDPOINT_URL', key: 's3.endpoint' },
  { name: 'LOGBOOK_S3_REGION', key: 's3.region' },
  { name: 'AWS_REGION', key: 's3.region' },
  { name: 'AWS_DEFAULT_REGION', key: 's3.region' },
  { name: 'LOGBOOK_S3_FORCE_PATH_STYLE', key: 's3.forcePathStyle' },
  { name: 'LOGBOOK_S3_ACCESS_KEY_ID', key: 's3.accessKeyId' },
  { name: 'AWS_ACCESS_KEY_ID', key: 's3.accessKeyId' },
  { name: 'LOGBOOK_S3_SECRET_ACCESS_KEY', key: 's3.secretAccessKey' },
  { name: 'AWS_SECRET_ACCESS_KEY', key: 's3.secretAccessKey' },
  { name: 'LOGBOOK_S3_SESSION_TOKEN', key: 's3.sessionToken' },
  { name: 'AWS_SESSION_TOKEN', key: 's3.sessionToken' },
];

/** Keys that only complete an S3 section another layer (or `LOGBOOK_S3_BUCKET`) started. */
const S3_CREDENTIAL_ONLY = new Set(['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'MLFLOW_S3_ENDPOINT_URL']);

/**
 * Reads the environment layer. Empty variables count as unset. Other `LOGBOOK_*` variables are
 * left alone: servers and tools of the project define their own.
 * @returns the layer, plus `ambient`: AWS/MLflow S3 settings applied only when S3 is configured.
 */
export function readEnvLayer(env: NodeJS.ProcessEnv): { layer: ConfigLayer; ambient: ConfigLayer } {
  const layer: ConfigLayer = new Map();
  const ambient: ConfigLayer = new Map();
  for (const binding of ENV_BINDINGS) {
    const raw = env[binding.name];
    if (raw === undefined || raw === '') continue;
    const target = S3_CREDENTIAL_ONLY.has(binding.name) ? ambient : layer;
    if (layer.has(binding.key) || ambient.has(binding.key)) continue;
    const source = `environment variable ${binding.name}`;
    const spec = FIELDS[binding.key]!;
    // Scaled variables (seconds) may be fractional; the scaled value must fit the key's rule.
    const value = binding.scale === undefined
      ? coerce(binding.key, spec, raw, source)
      : coerce(binding.key, spec, Math.round((coerce(binding.key, { kind: 'number' }, raw, source) as number) * binding.scale), source);
    target.set(binding.key, { value, source });
  }
  return { layer, ambient };
}
