import type { LogbookCoreConfig } from './types.js';

/** 5 GiB: the default `maxArtifactSize`. */
export const DEFAULT_MAX_ARTIFACT_SIZE = 5 * 1024 ** 3;

/**
 * The configuration used when no layer sets a value. Kept in one place so the `@default` tags of
 * `LogbookCoreConfig` and the behaviour cannot drift apart (a test compares them).
 */
export const DEFAULT_CONFIG: LogbookCoreConfig = Object.freeze({
  environment: 'development',
  trackingUri: './logbook.db',
  authenticationEnabled: false,
  modelRegistryEnabled: true,
  experimentAutoLogging: true,
  artifactCompression: false,
  maxArtifactSize: DEFAULT_MAX_ARTIFACT_SIZE,
  credentials: Object.freeze({}),
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
}) as LogbookCoreConfig;
