import type { LogbookConfig } from './types.js';

/** 5 GiB: the default `maxArtifactSize`. */
export const DEFAULT_MAX_ARTIFACT_SIZE = 5 * 1024 ** 3;

/**
 * The configuration used when no layer sets a value. Kept in one place so the `@default` tags of
 * `LogbookConfig` and the behaviour cannot drift apart (a test compares them).
 */
export const DEFAULT_CONFIG: LogbookConfig = Object.freeze({
  environment: 'development',
  trackingUri: './logbook.db',
  authenticationEnabled: false,
  modelRegistryEnabled: true,
  experimentAutoLogging: true,
  artifactCompression: false,
  maxArtifactSize: DEFAULT_MAX_ARTIFACT_SIZE,
  credentials: Object.freeze({}),
  // MLflow's Python client defaults (MLFLOW_HTTP_REQUEST_*).
  http: Object.freeze({
    maxRetries: 7,
    backoffFactor: 2,
    backoffJitter: 1,
    requestTimeoutMs: 120_000,
    deadlineMs: 300_000,
    insecureTls: false,
  }),
  logging: Object.freeze({
    maxBatchSize: 1000,
    flushIntervalMs: 1000,
    maxBufferedPoints: 1_000_000,
    drainOnExit: true,
    exitDrainTimeoutMs: 10_000,
  }),
  spool: Object.freeze({
    enabled: true,
    path: './logbook-spool.db',
    failoverMs: 10_000,
  }),
  logLevel: 'silent',
}) as LogbookConfig;

/** Region used for S3 when none is configured: what Cloudflare R2 expects. */
export const DEFAULT_S3_REGION = 'auto';
