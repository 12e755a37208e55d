/** The environments a config file can hold a profile for. */
export type LogbookEnvironment = 'development' | 'staging' | 'production';

/** Levels of Logbook's own operational log. */
export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';

/** Credentials for a tracking server. Never logged. */
export interface CredentialsConfig {
  readonly username?: string;
  readonly password?: string;
  /** Sent as `Authorization: Bearer <token>` when no username/password is set. */
  readonly token?: string;
}

/** HTTP transport settings (defaults are MLflow's Python client's). */
export interface HttpConfig {
  /** @default 7 */
  readonly maxRetries: number;
  /** Seconds; backoff before retry n is factor·2^(n-1), capped at 120 s. @default 2 */
  readonly backoffFactor: number;
  /** Seconds of random jitter added to each backoff. @default 1 */
  readonly backoffJitter: number;
  /** Per request, milliseconds. @default 120000 */
  readonly requestTimeoutMs: number;
  /** All attempts of one call together, milliseconds. @default 300000 */
  readonly deadlineMs: number;
  /** Skip TLS verification. @default false */
  readonly insecureTls: boolean;
  /** PEM file of extra trusted CAs. */
  readonly caCertPath?: string;
}

/** The batching metric logger's settings. */
export interface LoggingConfig {
  /** Points per flush. @default 1000 (MLflow's log-batch limit) */
  readonly maxBatchSize: number;
  /** A buffer older than this is flushed, milliseconds. @default 1000 */
  readonly flushIntervalMs: number;
  /** Points held in memory at most; past it new points go to the error handler as dropped. @default 1000000 */
  readonly maxBufferedPoints: number;
  /**
   * Longest wait of the exit drain (beforeExit, SIGINT, SIGTERM), milliseconds: what is not
   * delivered by then goes to the spool, or is reported as failed with its count. @default 10000
   */
  readonly exitDrainTimeoutMs: number;
  /** Drain on beforeExit, SIGINT and SIGTERM. @default true */
  readonly drainOnExit: boolean;
}

/**
 * The spool: a local Logbook SQLite database that takes the writes an MLflow server cannot take
 * (unreachable, or failing past the transport's deadline), drained into the server when it answers.
 */
export interface SpoolConfig {
  /** Used only with an `http(s)` trackingUri. @default true */
  readonly enabled: boolean;
  /** The spool database, relative to the working directory. @default './logbook-spool.db' */
  readonly path: string;
  /**
   * How long one call to the server may keep retrying before the spool takes its writes:
   * caps `http.deadlineMs` while the spool is in use. @default 10000
   */
  readonly failoverMs: number;
}

/** S3-compatible artifact storage (Cloudflare R2 first). Secrets never logged. */
export interface S3Config {
  readonly bucket: string;
  readonly prefix?: string;
  /** e.g. `https://<account>.r2.cloudflarestorage.com`. */
  readonly endpoint?: string;
  /** @default 'auto' (what R2 expects) */
  readonly region?: string;
  readonly forcePathStyle?: boolean;
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  readonly sessionToken?: string;
}

/**
 * Everything Logbook reads from configuration. Precedence: explicit options, then environment
 * (`LOGBOOK_*` and MLflow's own `MLFLOW_TRACKING_*`), then the config file's profile for the
 * environment, then defaults.
 */
export interface LogbookConfig {
  /** @default 'development' */
  readonly environment: LogbookEnvironment;
  /**
   * Where runs go: `http(s)://…` for an MLflow server, `sqlite:<path>` or a file path for the
   * embedded store. @default './logbook.db'
   */
  readonly trackingUri: string;
  /** Where models are registered; defaults to `trackingUri`. */
  readonly registryUri?: string;
  /** Root for artifacts of new experiments; defaults to a folder beside the SQLite file. */
  readonly artifactRoot?: string;
  /** Backend store of an MLflow server that Logbook starts (`postgresql://…`, `mysql://…`, `sqlite:///…`). */
  readonly databaseUrl?: string;
  /** @default false */
  readonly authenticationEnabled: boolean;
  /** @default true */
  readonly modelRegistryEnabled: boolean;
  /** Log params and metrics of decorated classes automatically. @default true */
  readonly experimentAutoLogging: boolean;
  /** gzip artifacts on upload where the store supports it. @default false */
  readonly artifactCompression: boolean;
  /** Bytes; larger artifacts are refused before a byte is sent. @default 5 GiB */
  readonly maxArtifactSize: number;
  readonly credentials: CredentialsConfig;
  readonly http: HttpConfig;
  readonly logging: LoggingConfig;
  readonly spool: SpoolConfig;
  readonly s3?: S3Config;
  /** Logbook's own operational log. @default 'silent' */
  readonly logLevel: LogLevel;
  /**
   * Hash-chained audit log (JSON lines) of the registry changes that CLI commands make; library
   * hosts wire their own through `createLogbook`'s `registryAudit`.
   */
  readonly auditLog?: string;
  /** Key of {@link LogbookConfig.auditLog}'s chain (HMAC-SHA256, at least 32 bytes); unkeyed when absent. */
  readonly auditKey?: string;
}

/** What a caller may pass: any subset, nested sections partial too. */
export type LogbookConfigInput = Partial<Omit<LogbookConfig, 'credentials' | 'http' | 'logging' | 'spool' | 's3'>> & {
  readonly credentials?: Partial<CredentialsConfig>;
  readonly http?: Partial<HttpConfig>;
  readonly logging?: Partial<LoggingConfig>;
  readonly spool?: Partial<SpoolConfig>;
  readonly s3?: Partial<S3Config>;
};
