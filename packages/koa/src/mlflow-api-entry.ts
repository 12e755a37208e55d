// `@logbook/koa/mlflow-api`: only what a standalone MLflow-compatible server needs (what
// `logbook serve` loads), without the Logbook router, audit log, OpenAPI document and metrics of
// the package's main entry. Everything here is also exported from `@logbook/koa`.
export { listenMlflowApi } from './mlflow-api/listen.js';
export type { ListenMlflowApiOptions, MlflowApiServer } from './mlflow-api/listen.js';
export { createMlflowApiRouter } from './mlflow-api/create-mlflow-router.js';
export type { MlflowApiRouterOptions } from './mlflow-api/options.js';
export { basicAuth } from './mlflow-api/basic-auth.js';
export { bearerAuth } from './auth/bearer.js';
export type { AuthOptions } from './auth/types.js';
