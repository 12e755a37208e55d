import { registerConfigSection } from '@logbook/core/spi';
import type { ConfigSection } from '@logbook/core/spi';

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

declare module '@logbook/core' {
  /** The settings `@logbook/mlflow` adds to the configuration when imported. */
  interface LogbookConfigSections {
    /** How the MLflow client talks to the server. */
    readonly http: HttpConfig;
    /** Backend store of an MLflow server that Logbook starts (`postgresql://…`, `mysql://…`, `sqlite:///…`). */
    readonly databaseUrl?: string;
  }
}

/** Defaults of {@link HttpConfig}: MLflow's Python client's (`MLFLOW_HTTP_REQUEST_*`). */
export const DEFAULT_HTTP: HttpConfig = Object.freeze({
  maxRetries: 7,
  backoffFactor: 2,
  backoffJitter: 1,
  requestTimeoutMs: 120_000,
  deadlineMs: 300_000,
  insecureTls: false,
});

/** The `http` section: its keys, defaults and environment variables (`LOGBOOK_*` before MLflow's own). */
export const HTTP_CONFIG_SECTION: ConfigSection = {
  name: 'http',
  package: '@logbook/mlflow',
  fields: {
    'http.maxRetries': { kind: 'integer', min: 0, max: 100 },
    'http.backoffFactor': { kind: 'number', min: 0 },
    'http.backoffJitter': { kind: 'number', min: 0 },
    'http.requestTimeoutMs': { kind: 'integer', min: 1 },
    'http.deadlineMs': { kind: 'integer', min: 1 },
    'http.insecureTls': { kind: 'boolean' },
    'http.caCertPath': { kind: 'string' },
  },
  defaults: DEFAULT_HTTP,
  env: [
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
  ],
};

/** The `databaseUrl` setting, read by `logbook mlflow-server start`. */
export const DATABASE_URL_CONFIG_SECTION: ConfigSection = {
  name: 'databaseUrl',
  package: '@logbook/mlflow',
  fields: { databaseUrl: { kind: 'string', secret: true } },
  env: [{ name: 'LOGBOOK_DATABASE_URL', key: 'databaseUrl' }],
};

registerConfigSection(HTTP_CONFIG_SECTION);
registerConfigSection(DATABASE_URL_CONFIG_SECTION);
