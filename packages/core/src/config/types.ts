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

/**
 * Sections backend packages add to the configuration, by module augmentation: importing
 * `@logbook/mlflow` adds `http` and `databaseUrl`, importing `@logbook/s3` adds `s3`. A backend
 * author declares theirs and registers it at run time with `registerConfigSection`:
 *
 * @example
 * ```ts
 * declare module '@logbook/core' {
 *   interface LogbookConfigSections { readonly myStore?: MyStoreConfig }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by module augmentation (see above)
export interface LogbookConfigSections {}

/**
 * Core's own settings: those every Logbook has, whichever backends are installed.
 */
export interface LogbookCoreConfig {
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
  readonly logging: LoggingConfig;
  readonly spool: SpoolConfig;
  /** Logbook's own operational log. @default 'silent' */
  readonly logLevel: LogLevel;
  /**
   * Hash-chained audit log (JSON lines) of the registry changes that CLI commands make; library
   * hosts wire their own through `createLogbook`'s `registryAudit`.
   */
  readonly auditLog?: string;
  /** Key of {@link LogbookCoreConfig.auditLog}'s chain (HMAC-SHA256, at least 32 bytes); unkeyed when absent. */
  readonly auditKey?: string;
}

/**
 * Everything Logbook reads from configuration: core's settings and those of the sections the
 * imported backend packages add ({@link LogbookConfigSections}). Precedence: explicit options,
 * then environment (`LOGBOOK_*` and MLflow's own `MLFLOW_TRACKING_*`), then the config file's
 * profile for the environment, then defaults.
 */
export type LogbookConfig = LogbookCoreConfig & { readonly [K in keyof LogbookConfigSections]: LogbookConfigSections[K] };

/** What a caller may pass: any subset, nested sections partial too. */
export type LogbookConfigInput = Partial<Omit<LogbookCoreConfig, 'credentials' | 'logging' | 'spool'>> & {
  readonly credentials?: Partial<CredentialsConfig>;
  readonly logging?: Partial<LoggingConfig>;
  readonly spool?: Partial<SpoolConfig>;
} & { readonly [K in keyof LogbookConfigSections]?: SectionInput<LogbookConfigSections[K]> };

/** A section as a caller may pass it: an object section partially, a single setting as is. */
export type SectionInput<T> = T extends object ? Partial<T> : T;
