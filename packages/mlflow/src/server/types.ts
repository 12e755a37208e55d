import type { LogbookEnvironment } from '@logbook/core';
import type { OperationalLogger } from '@logbook/core/spi';

/**
 * An S3-compatible bucket a started server keeps proxied artifacts in: the fields of
 * `@logbook/s3`'s `s3` config section, which this package does not depend on.
 */
export interface S3Destination {
  readonly bucket: string;
  readonly prefix?: string;
  readonly endpoint?: string;
  readonly region?: string;
  readonly forcePathStyle?: boolean;
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  readonly sessionToken?: string;
}

/** Where a started server keeps proxied artifacts (`--artifacts-destination`). */
export type ArtifactStorageConfig = { readonly kind: 'local' /** Absolute or cwd-relative folder. */; readonly directory: string } | ({ readonly kind: 's3' } & S3Destination);

/** Basic-auth app settings (`mlflow server --app-name basic-auth`). Secrets are never logged. */
export interface AuthConfig {
  readonly adminUsername: string;
  /** At least 12 characters (MLflow's rule for passwords). */
  readonly adminPassword: string;
  /** `MLFLOW_FLASK_SERVER_SECRET_KEY`: the same for every worker and every restart. */
  readonly secretKey: string;
  /** Permission of users on resources they were not granted anything on. @default 'READ' */
  readonly defaultPermission?: 'READ' | 'USE' | 'EDIT' | 'MANAGE' | 'NO_PERMISSIONS';
  /** Database of users and grants. @default a SQLite file in the server's working folder */
  readonly databaseUri?: string;
}

/** Options of {@link MlflowServer}. Explicit options win over the environment preset. */
export interface MlflowServerOptions {
  /**
   * The `mlflow` executable. @default `LOGBOOK_MLFLOW_BIN`, else `$LOGBOOK_VENV/bin/mlflow`, else
   * the nearest `.cache/venv/bin/mlflow` above the working directory (what `scripts/setup-python.sh` installs)
   */
  readonly mlflowBin?: string;
  /** Picks the preset for workers and restarts (see {@link ENVIRONMENT_PRESETS}). @default 'development' */
  readonly environment?: LogbookEnvironment;
  /** uvicorn workers (`--workers`). @default from the environment preset */
  readonly workers?: number;
  /** Restarts after unexpected exits before giving up. @default from the environment preset */
  readonly maxRestarts?: number;
  /** Wait before the first restart, doubled after each. @default 1000 ms */
  readonly restartBackoffMs?: number;
  /** How long to wait for `/health` after a (re)start. @default 180000 ms */
  readonly startupTimeoutMs?: number;
  /** SIGTERM grace period before SIGKILL. @default 10000 ms */
  readonly stopTimeoutMs?: number;
  /** Lines of server output kept for {@link MlflowServer.logs}. @default 2000 */
  readonly logLines?: number;
  /**
   * Working folder of the child (basic-auth ini and its user database). Without a database or
   * artifact store configured, the server uses `./mlflow.db` and `./mlartifacts` of this process's
   * working directory, as `mlflow server` would. @default a temp folder, removed by stop()
   */
  readonly workDir?: string;
  /**
   * MLflow's background job runner (huey consumers for GenAI jobs, ~7 processes). Off unless asked
   * for: tracking, registry and artifacts do not use it. @default false
   */
  readonly jobExecution?: boolean;
  /** Extra environment of the child, on top of this process's. */
  readonly env?: Readonly<Record<string, string>>;
  /** Extra `mlflow server` arguments. */
  readonly extraArgs?: readonly string[];
  /** Restarts, give-ups and exits are reported here (never secrets). */
  readonly logger?: OperationalLogger;
}

/** Defaults per deployment environment. */
export interface EnvironmentPreset {
  readonly workers: number;
  readonly maxRestarts: number;
}

/** Development runs light (one worker); production keeps more workers and restarts longer. */
export const ENVIRONMENT_PRESETS: Readonly<Record<LogbookEnvironment, EnvironmentPreset>> = {
  development: { workers: 1, maxRestarts: 3 },
  staging: { workers: 2, maxRestarts: 5 },
  production: { workers: 4, maxRestarts: 10 },
};

/** What {@link MlflowServer.status} reports. */
export interface MlflowServerStatus {
  /** `failed` = gave up restarting. */
  readonly state: 'stopped' | 'starting' | 'running' | 'restarting' | 'failed';
  readonly uri?: string;
  readonly pid?: number;
  /** `/health` answered 200 just now. */
  readonly healthy: boolean;
  /** `/version` body, when it answered (it needs credentials under basic-auth). */
  readonly version?: string;
  readonly restarts: number;
  readonly backendStoreUri?: string;
  readonly authentication: boolean;
}
