/**
 * The schema of every configuration key: its dotted path, its kind and its bounds. Loading uses it
 * to coerce environment strings, type-check file and explicit values, and reject unknown keys.
 */
export type FieldKind = 'string' | 'uri' | 'boolean' | 'integer' | 'number' | 'size' | 'enum';

/** One configuration key. */
export interface FieldSpec {
  readonly kind: FieldKind;
  /** Inclusive bounds for numeric kinds. */
  readonly min?: number;
  readonly max?: number;
  /** Allowed values of an `enum`. */
  readonly values?: readonly string[];
  /** Never echo the value in an error message. */
  readonly secret?: boolean;
}

/** Every key of `LogbookConfigInput`, by dotted path. */
export const FIELDS: Readonly<Record<string, FieldSpec>> = {
  environment: { kind: 'enum', values: ['development', 'staging', 'production'] },
  trackingUri: { kind: 'uri', secret: true },
  registryUri: { kind: 'uri', secret: true },
  artifactRoot: { kind: 'string' },
  databaseUrl: { kind: 'string', secret: true },
  authenticationEnabled: { kind: 'boolean' },
  modelRegistryEnabled: { kind: 'boolean' },
  experimentAutoLogging: { kind: 'boolean' },
  artifactCompression: { kind: 'boolean' },
  maxArtifactSize: { kind: 'size', min: 1 },
  auditLog: { kind: 'string' },
  auditKey: { kind: 'string', secret: true },
  logLevel: { kind: 'enum', values: ['silent', 'error', 'warn', 'info', 'debug'] },
  'credentials.username': { kind: 'string' },
  'credentials.password': { kind: 'string', secret: true },
  'credentials.token': { kind: 'string', secret: true },
  'http.maxRetries': { kind: 'integer', min: 0, max: 100 },
  'http.backoffFactor': { kind: 'number', min: 0 },
  'http.backoffJitter': { kind: 'number', min: 0 },
  'http.requestTimeoutMs': { kind: 'integer', min: 1 },
  'http.deadlineMs': { kind: 'integer', min: 1 },
  'http.insecureTls': { kind: 'boolean' },
  'http.caCertPath': { kind: 'string' },
  'logging.maxBatchSize': { kind: 'integer', min: 1, max: 1000 },
  'logging.flushIntervalMs': { kind: 'integer', min: 1 },
  'logging.maxBufferedPoints': { kind: 'integer', min: 1 },
  'logging.drainOnExit': { kind: 'boolean' },
  'logging.exitDrainTimeoutMs': { kind: 'integer', min: 1 },
  'spool.enabled': { kind: 'boolean' },
  'spool.path': { kind: 'string' },
  'spool.failoverMs': { kind: 'integer', min: 1 },
  's3.bucket': { kind: 'string' },
  's3.prefix': { kind: 'string' },
  's3.endpoint': { kind: 'uri' },
  's3.region': { kind: 'string' },
  's3.forcePathStyle': { kind: 'boolean' },
  's3.accessKeyId': { kind: 'string', secret: true },
  's3.secretAccessKey': { kind: 'string', secret: true },
  's3.sessionToken': { kind: 'string', secret: true },
};

/** The nested sections of the config. */
export const SECTIONS: readonly string[] = ['credentials', 'http', 'logging', 'spool', 's3'];
