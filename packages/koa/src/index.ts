export { createLogbookRouter, logbookRoutes, CATCH_ALL_PATH } from './create-router.js';
export type { LogbookRouterOptions, LogbookLike } from './options.js';
export { errorMiddleware, httpStatusOf, toErrorResponse, RETRY_AFTER_SECONDS } from './errors.js';
export type { ErrorResponse, ServerErrorReporter } from './errors.js';
export { RouterMetrics } from './metrics.js';
export { ModelGauges } from './model-gauges.js';
export type { ModelMonitoringSource } from './model-gauges.js';
export { buildOpenApiDocument } from './openapi/document.js';
export type { OpenApiOptions } from './openapi/document.js';
export type { RouteSpec, RouteDeps, JsonSchema, ParameterDoc, BacklogSource } from './routes/route.js';
export { koaPath } from './routes/route.js';

// Report: the same page as `logbook report` writes, served at `GET {prefix}/ui`
export { collectReport } from './report/collect-report.js';
export { renderReportHtml, reportContentSecurityPolicy } from './report/render-html.js';
export { lttbIndices } from './report/lttb.js';
export type {
  ReportChart,
  ReportData,
  ReportDeployment,
  ReportModel,
  ReportModelVersion,
  ReportOptions,
  ReportRun,
  ReportSelection,
  ReportSeries,
} from './report/types.js';

// Authentication and authorization
export { apiKeyAuth, generateApiKey, hashApiKey, verifyApiKey } from './auth/api-keys.js';
export type { ApiKeyRecord, ApiKeyAuthOptions } from './auth/api-keys.js';
export { bearerAuth } from './auth/bearer.js';
export type { TokenVerifier } from './auth/bearer.js';
export { hostAuth, readStateUser } from './auth/host.js';
export type { HostUserReader } from './auth/host.js';
export { authenticate, principalOf } from './auth/authenticate.js';
export { hasRole, requireRole } from './auth/authorize.js';
export type { Scope } from './auth/authorize.js';
export { ROLE_RANK } from './auth/types.js';
export type { Role, Grants, Principal, Authenticator, AuthOptions } from './auth/types.js';

// Audit
export { AuditLog } from './audit/audit-log.js';
export type { AuditQuery, AuditLogOptions } from './audit/audit-log.js';
export type { AuditEvent, AuditEventHandler } from './audit/audit-events.js';
export { JsonlAuditSink } from './audit/jsonl-sink.js';
export { AuditLogRegistrySink } from './audit/registry-sink.js';
export type { JsonlAuditSinkOptions } from './audit/jsonl-sink.js';
export { SqliteAuditSink } from './audit/sqlite-sink.js';
export type { SqliteAuditSinkOptions, SqliteDatabaseLike } from './audit/sqlite-sink.js';
export { verifyAuditLog } from './audit/verify.js';
export type { AuditVerification, AuditVerifyOptions } from './audit/verify.js';
export { canonicalJson, entryHash, headMac, GENESIS_HASH } from './audit/hash-chain.js';
export type { AuditKey } from './audit/hash-chain.js';
export { FENCE_ACTION } from './audit/jsonl-walk.js';
export type { AuditEntry, AuditRecordInput, AuditOutcome, AuditSink, AuditHead, AuditDamage } from './audit/types.js';

// MLflow's own REST API over any Logbook backend (`logbook serve`)
export { createMlflowApiRouter, mlflowApiRoutes, MLFLOW_API_VERSION } from './mlflow-api/create-mlflow-router.js';
export type { MlflowApiRouterOptions } from './mlflow-api/options.js';
export type { MlflowRoute, MlflowApiDeps } from './mlflow-api/route.js';
export type { Params as MlflowRequestParams } from './mlflow-api/request.js';
export { ArtifactLocations } from './mlflow-api/locations.js';
export { basicAuth } from './mlflow-api/basic-auth.js';
export type { PasswordVerifier } from './mlflow-api/basic-auth.js';
export { listenMlflowApi } from './mlflow-api/listen.js';
export type { ListenMlflowApiOptions, MlflowApiServer } from './mlflow-api/listen.js';
