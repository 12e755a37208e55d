import { randomBytes } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLogbookError } from '@logbook/core';
import type { LogbookConfig, LogbookEnvironment } from '@logbook/core';
import { parseDatabaseUrl } from '@logbook/mlflow';
import type { ArtifactStorageConfig, AuthConfig, S3Destination } from '@logbook/mlflow';
import { CliError, ExitCode } from '../exit-codes.js';

/** The options of `logbook mlflow-server start`, as commander hands them over (strings). */
export interface StartFlags {
  readonly host?: string;
  readonly port?: string;
  readonly backendStoreUri?: string;
  readonly artifactsDestination?: string;
  readonly workers?: string;
  readonly auth?: boolean;
  readonly env?: string;
}

/** Everything `MlflowServer` needs, validated; absolute paths; secrets only in `auth`/`artifacts`. */
export interface StartPlan {
  readonly host: string;
  readonly port: number;
  readonly environment: LogbookEnvironment;
  /** `--workers`, else the environment preset's. */
  readonly workers?: number;
  readonly backendStoreUri: string;
  readonly artifacts: ArtifactStorageConfig;
  readonly auth?: AuthConfig;
}

const ENVIRONMENTS: readonly LogbookEnvironment[] = ['development', 'staging', 'production'];

const usage = (option: string, rule: string): CliError => new CliError(`[cli] ${option} ${rule}`, ExitCode.USAGE);

function integer(option: string, value: string, min: number, max: number): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw usage(option, `must be an integer from ${min} to ${max}; got '${value}'.`);
  return n;
}

/**
 * Validates a backend store URL and makes a relative `sqlite:///` path absolute against `cwd`
 * (the server runs in its own work folder). The message never repeats the URL (it may hold a password).
 */
function backendStore(option: string, url: string, cwd: string): string {
  let uri: string;
  try {
    uri = parseDatabaseUrl(url).uri;
  } catch (error) {
    if (!isLogbookError(error)) throw error;
    throw usage(option, `is not a usable backend store: ${error.message.replace(/^\[mlflow\] /, '')}`);
  }
  if (!uri.startsWith('sqlite:///') || uri.startsWith('sqlite:////')) return uri;
  return `sqlite:///${resolve(cwd, uri.slice('sqlite:///'.length))}`;
}

/**
 * The config's `s3` section: present when `@logbook/s3` is installed in the project (it registers
 * the section; the CLI does not depend on it) and some layer sets it.
 */
function s3Section(config: LogbookConfig): S3Destination | undefined {
  return (config as unknown as { readonly s3?: S3Destination }).s3;
}

/** `s3://bucket/prefix` (keys and endpoint from the config's s3 section), a `file:` URL, or a folder. */
function artifactStore(option: string, destination: string, config: LogbookConfig, cwd: string): ArtifactStorageConfig {
  const s3 = /^s3:\/\/([^/]+)\/?(.*)$/i.exec(destination);
  if (s3 !== null) {
    const { bucket: _configured, prefix: _prefix, ...connection } = s3Section(config) ?? { bucket: '' };
    return { kind: 's3', ...connection, bucket: s3[1]!, ...(s3[2] === '' ? {} : { prefix: s3[2]! }) };
  }
  if (/^file:/i.test(destination)) return { kind: 'local', directory: fileURLToPath(destination) };
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(destination)) {
    throw usage(option, `must be a folder or s3://bucket/prefix; '${destination.split('://')[0]}://' destinations are not supported.`);
  }
  if (destination.trim() === '') throw usage(option, 'must not be empty.');
  return { kind: 'local', directory: isAbsolute(destination) ? destination : resolve(cwd, destination) };
}

function authentication(config: LogbookConfig, env: NodeJS.ProcessEnv): AuthConfig {
  const { username, password } = config.credentials;
  if (username === undefined || password === undefined) {
    throw usage('--auth', 'needs the admin credentials: set LOGBOOK_TRACKING_USERNAME and LOGBOOK_TRACKING_PASSWORD (or credentials in logbook.config.json).');
  }
  if (password.length < 12) throw usage('--auth', "needs an admin password of at least 12 characters (MLflow's rule).");
  // Sessions survive restarts only with a fixed key; without one, this invocation's key is shared by
  // every worker and every supervised restart.
  const secretKey = env['MLFLOW_FLASK_SERVER_SECRET_KEY'] || randomBytes(32).toString('hex');
  return { adminUsername: username, adminPassword: password, secretKey };
}

/**
 * Turns the command line and the loaded configuration into a {@link StartPlan}. Precedence: the
 * option, then the configuration (`databaseUrl`, `s3`, `artifactRoot`, `authenticationEnabled`,
 * `environment`), then the defaults (`127.0.0.1:5000`, `./mlflow.db`, `./mlartifacts` in `cwd`).
 * @throws CliError (exit 2) naming the option and the rule.
 */
export function resolveStartPlan(flags: StartFlags, config: LogbookConfig, env: NodeJS.ProcessEnv, cwd: string): StartPlan {
  const host = flags.host ?? '127.0.0.1';
  if (host.trim() === '') throw usage('--host', 'must not be empty.');
  const environment = (flags.env ?? config.environment) as LogbookEnvironment;
  if (!ENVIRONMENTS.includes(environment)) throw usage('--env', `must be one of ${ENVIRONMENTS.join(', ')}; got '${environment}'.`);

  const backendStoreUri =
    flags.backendStoreUri !== undefined
      ? backendStore('--backend-store-uri', flags.backendStoreUri, cwd)
      : config.databaseUrl !== undefined
        ? backendStore('databaseUrl (LOGBOOK_DATABASE_URL)', config.databaseUrl, cwd)
        : `sqlite:///${resolve(cwd, 'mlflow.db')}`;

  let artifacts: ArtifactStorageConfig;
  if (flags.artifactsDestination !== undefined) artifacts = artifactStore('--artifacts-destination', flags.artifactsDestination, config, cwd);
  else if (s3Section(config) !== undefined) artifacts = { kind: 's3', ...s3Section(config)! };
  else if (config.artifactRoot !== undefined) artifacts = artifactStore('artifactRoot (LOGBOOK_ARTIFACT_ROOT)', config.artifactRoot, config, cwd);
  else artifacts = { kind: 'local', directory: resolve(cwd, 'mlartifacts') };

  const enableAuth = flags.auth === true || config.authenticationEnabled;
  return {
    host,
    port: integer('--port', flags.port ?? '5000', 1, 65535),
    environment,
    ...(flags.workers === undefined ? {} : { workers: integer('--workers', flags.workers, 1, 64) }),
    backendStoreUri,
    artifacts,
    ...(enableAuth ? { auth: authentication(config, env) } : {}),
  };
}
