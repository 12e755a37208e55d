import { registerBackend } from '@logbook/core/spi';
import { mlflowBackend } from './backend.js';
// Registers the `http` and `databaseUrl` settings (and types them on LogbookConfig) first.
import './config/http-config.js';

// Stores
export { MlflowStore } from './mlflow-store.js';
export type { MlflowStoreOptions } from './mlflow-store.js';
export { CLIENT_REQUEST_ID_TAG } from './tracking-calls.js';
export { MlflowArtifactStore } from './artifacts/mlflow-artifact-store.js';
export type { MlflowArtifactStoreOptions } from './artifacts/mlflow-artifact-store.js';
export { mlflowBackend, createMlflowBackend } from './backend.js';

// HTTP
export { HttpTransport } from './http/transport.js';
export type { TransportOptions, RawRequest } from './http/transport.js';
export type { Endpoint } from './http/connection.js';
export type { QueryValue } from './http/json.js';
export { DEFAULT_HTTP, HTTP_CONFIG_SECTION, DATABASE_URL_CONFIG_SECTION } from './config/http-config.js';
export type { HttpConfig } from './config/http-config.js';

// Running a server
export { MlflowServer } from './server/mlflow-server.js';
export type { MlflowServerEvents } from './server/mlflow-server.js';
export { ENVIRONMENT_PRESETS } from './server/types.js';
export type {
  ArtifactStorageConfig,
  S3Destination,
  AuthConfig,
  EnvironmentPreset,
  MlflowServerOptions,
  MlflowServerStatus,
} from './server/types.js';
export { parseDatabaseUrl } from './server/database-url.js';
export type { BackendStoreUri } from './server/database-url.js';
export { locateMlflowBinary } from './server/locate-binary.js';

// Importing the package makes http(s):// tracking URIs work with createLogbook().
registerBackend(mlflowBackend);
