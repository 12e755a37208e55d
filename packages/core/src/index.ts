// reflect-metadata must be evaluated before tsyringe is imported anywhere.
import 'reflect-metadata';

// Model
export { RunStatus, ViewType, LifecycleStage, ModelStage, ModelVersionStatus, TERMINAL_RUN_STATUSES } from './model/enums.js';
export type { Tags, Page, PageRequest } from './model/common.js';
export type { Experiment, CreateExperimentInput } from './model/experiment.js';
export type {
  Metric, RunMetric, RunInfo, RunData, Run, CreateRunInput, UpdateRunInput, LogBatch, SearchRunsQuery,
} from './model/run.js';
export type {
  RegisteredModel, ModelVersion, CreateRegisteredModelInput, CreateModelVersionInput, RegistrySearchQuery,
} from './model/registry.js';
export type { FileInfo, ArtifactBody, PutArtifactOptions, ArtifactDownload } from './model/artifact.js';

// Errors
export { LogbookError, isLogbookError, errorCodeForHttpStatus, toErrorCode, HTTP_STATUS_BY_CODE } from './errors.js';
export type { ErrorCode, LogbookErrorOptions } from './errors.js';
export { NETWORK_ERROR_CODES, networkErrorCode, isNetworkError } from './network/network-codes.js';

// Validation
export { LIMITS } from './validation/limits.js';
export { validateKey } from './validation/keys.js';
export type { KeyKind } from './validation/keys.js';
export {
  checkStringValue, clampMetricValue, validateMetricValue, validateTimestamp, validateStep, requireString,
  checkLength, validateMaxResults,
} from './validation/values.js';
export type { LongValuePolicy } from './validation/values.js';
export { requireWellFormed } from './validation/values.js';
export {
  codePointLength, exceedsCodePoints, truncateCodePoints, hasLoneSurrogate, replaceLoneSurrogates,
} from './validation/code-points.js';
export { validateLogBatch, validateBatchSize, validateMetric } from './validation/batch.js';
export type { ValidatedBatch, KeyValue } from './validation/batch.js';
export {
  validateExperimentName, validateExperimentId, validateRunId, validateRunName, validateRunTag, RUN_NAME_TAG, validateExperimentTagValue,
  validateModelName, validateModelVersion, validateRegistryTag, validateAlias,
} from './validation/entities.js';
export { validateArtifactPath } from './validation/artifact-path.js';
export {
  DEFAULT_ARTIFACT_SCHEMES, appendToArtifactUri, isPathWithin, localArtifactRoot, parseArtifactLocation, validateArtifactLocation,
} from './validation/artifact-location.js';
export type { ArtifactLocationPolicy, ParsedArtifactLocation } from './validation/artifact-location.js';
export { posixNormpath, isPathUnstable } from './validation/posix-path.js';

// Search
export { parseRunFilter } from './search/run-filter.js';
export { parseExperimentFilter } from './search/experiment-filter.js';
export { parseRegisteredModelFilter, parseModelVersionFilter } from './search/registry-filter.js';
export {
  parseRunOrderBy, parseExperimentOrderBy, parseRegisteredModelOrderBy, parseModelVersionOrderBy,
} from './search/order-by.js';
export { encodePageToken, decodePageToken, paginate } from './search/page-token.js';
export { matchesRunFilter, compareRuns, runAttribute } from './search/run-evaluator.js';
export {
  matchesExperimentFilter, compareExperiments, matchesRegisteredModelFilter, compareRegisteredModels,
  matchesModelVersionFilter, compareModelVersions,
} from './search/entity-evaluators.js';
export {
  compareNumber, compareString, compareSortValues, matchesClauseValue, sortComparator,
} from './search/compare-values.js';
export type { AnyClause } from './search/compare-values.js';
export { likeToRegExp, matchesLike } from './search/like.js';
export type {
  NumericComparator, StringComparator, NullComparator, ListComparator, NumericClause, StringClause, NullClause,
  ListClause, RunStringAttribute, RunNumericAttribute, RunFilterClause, ExperimentFilterClause,
  RegisteredModelFilterClause, ModelVersionFilterClause, SearchFilter, OrderByClause, RunOrderByClause,
  ExperimentOrderByClause, RegisteredModelOrderByClause, ModelVersionOrderByClause,
} from './search/types.js';

// Contracts
export { TRACKING_STORE } from './contracts/tracking-store.js';
export type { TrackingStore, SearchExperimentsQuery } from './contracts/tracking-store.js';
export { REGISTRY_STORE } from './contracts/registry-store.js';
export type { RegistryStore } from './contracts/registry-store.js';
export { ARTIFACT_STORE } from './contracts/artifact-store.js';
export type { ArtifactStore } from './contracts/artifact-store.js';
export { OPERATIONAL_LOGGER, ERROR_HANDLER } from './contracts/logger.js';
export type { OperationalLogger, ErrorHandler } from './contracts/logger.js';
export { CLOCK } from './contracts/clock.js';
export type { Clock } from './contracts/clock.js';
export { ID_GENERATOR, randomId } from './contracts/id-generator.js';
export type { IdGenerator } from './contracts/id-generator.js';
export { LOGBOOK_CONFIG } from './contracts/backend.js';
export type { Backend, BackendProvider, BackendContext } from './contracts/backend.js';

// Sync
export { syncLogbook } from './sync/sync-logbook.js';
export { SYNC_STATION_TAG, SYNC_LOCAL_ID_TAG } from './sync/types.js';
export type {
  SyncEntityKind, SyncSource, SyncStatus, SyncTarget, ConflictPolicy, SyncOptions, SyncProgress, SyncConflict,
  SyncFailure, SyncReport, SyncExperiment, SyncRunRef, SyncRun, SyncMetricCursor, SyncMetricPage, SyncModelVersion,
  SyncRegisteredModel, SyncTombstone, SyncLease,
} from './sync/types.js';

// Config
export type {
  LogbookConfig, LogbookConfigInput, LogbookEnvironment, LogLevel, CredentialsConfig, HttpConfig, LoggingConfig, S3Config,
  SpoolConfig,
} from './config/types.js';
export { loadConfig } from './config/load-config.js';
export { DEFAULT_CONFIG, DEFAULT_MAX_ARTIFACT_SIZE, DEFAULT_S3_REGION } from './config/defaults.js';
export { CONFIG_FILE_NAME } from './config/config-file.js';
export { ENV_BINDINGS } from './config/env-vars.js';
export type { EnvBinding } from './config/env-vars.js';

// Logging (operational log and the batching metric logger)
export { silentLogger, createPinoLogger } from './logging/operational-logger.js';
export { redactSecrets, REDACTED } from './logging/redact.js';
export { createLoggingErrorHandler } from './logging/error-handler.js';
export { BatchingLogger } from './logging/batching-logger.js';
export type { BatchingLoggerOptions } from './logging/batching-logger.js';
export { BATCHING_LOGGER } from './logging/batching-logger-token.js';
export type { BatchingLoggerStats } from './logging/logger-stats.js';
export { isPermanentError, classifyFailure } from './logging/outcome.js';
export type { WriteOutcome } from './logging/outcome.js';
export type { RetryableHandoff } from './logging/handoff.js';
export { runInBackground, isBackgroundWork } from './logging/background-work.js';
export type { ExitProcess } from './logging/exit-hooks.js';

// Services
export { ExperimentTracker } from './services/experiment-tracker.js';
export type { StartRunOptions } from './services/experiment-tracker.js';
export type { ExperimentTreeNode } from './services/experiment-tree.js';
export type { RunComparison } from './services/run-comparison.js';
export type { ArtifactInput } from './services/artifact-input.js';
export { flattenParams, stringifyParam } from './services/flatten-params.js';
export type { FlattenedParams } from './services/flatten-params.js';
export { ModelRegistry } from './services/model-registry.js';
export type { RegisterModelOptions } from './services/model-registry.js';
export { ModelVersioning, SEMVER_TAG, PARENT_VERSION_TAG, PREVIOUS_HOLDER_TAG } from './services/model-versioning.js';
export type {
  CreateVersionOptions, ModelVersionMetadata, RollbackOptions, LineageEntry, LiveMetricsReport,
} from './services/model-versioning.js';
export { parseModelStage, resolveModelVersion } from './services/registry/resolve-version.js';
export {
  SHA256_TAG, SIZE_TAG, ARTIFACT_RUN_TAG, ARTIFACT_PATH_TAG, GIT_COMMIT_TAG, GIT_DIRTY_TAG, DATASETS_TAG, REGISTERED_BY_TAG,
  MODELS_EXPERIMENT, DEPLOYMENTS_EXPERIMENT,
} from './services/registry/tags.js';
export type { ModelData, ModelDigest } from './services/registry/model-bytes.js';
export type { DatasetRef, CodeVersion } from './services/registry/lineage.js';
export { DEPLOYMENT_TAGS } from './services/registry/deployments.js';
export type { Deployment, DeploymentInput, DeploymentStatus } from './services/registry/deployments.js';
export { WebhookAlertSink } from './services/registry/alert-sink.js';
export type { AlertSink, ModelAlert, DegradedMetric, WebhookAlertSinkOptions } from './services/registry/alert-sink.js';
export type { MonitoringOptions, MetricCheck } from './services/registry/monitoring.js';
export type { ModelVersionComparison, VersionSide } from './services/registry/compare-versions.js';

// Composition
export { registerBackend, unregisterBackend, registeredBackends } from './container/backend-registry.js';
export { registerArtifactStore } from './container/artifact-store-registry.js';
export type { ArtifactStoreProvider } from './container/artifact-store-registry.js';
export { RoutingArtifactStore } from './container/routing-artifact-store.js';
export { composeBackend } from './container/compose-backend.js';
export type { Closable } from './container/compose-backend.js';
export { createLogbook } from './container/create-logbook.js';
export type { CreateLogbookOptions } from './container/create-logbook.js';
export type { Logbook, LogbookStats } from './container/logbook.js';
export type { SpoolStats } from './spool/spool-stats.js';
export type { SpoolTiming } from './spool/open-spool.js';
export { httpTargetId } from './spool/target-id.js';
export { getDefaultLogbook, setDefaultLogbook } from './container/default-logbook.js';

// Memory store (unit tests of training code; `memory:` tracking URIs)
export { MemoryStore } from './memory/memory-store.js';
export type { MemoryStoreOptions } from './memory/memory-options.js';
export { MemoryArtifactStore } from './memory/memory-artifact-store.js';
export type { MemoryArtifactStoreOptions } from './memory/memory-artifact-store.js';
export { MemoryBackend, memoryBackendProvider } from './memory/memory-backend.js';

// Decorators
export { Track } from './decorators/track.js';
export type { TrackOptions, TrackDecorator } from './decorators/track.js';
export { Param } from './decorators/param.js';
export type { ParamOptions } from './decorators/param.js';
export { LogMetric } from './decorators/log-metric.js';
export type { LogMetricOptions } from './decorators/log-metric.js';
export type { StepSource } from './decorators/metric-step.js';
export { currentRunId, withRun } from './decorators/run-context.js';
export { ERROR_TAG } from './decorators/tracked-call.js';
export type { RunSink, LogbookLike, LogbookSource } from './decorators/run-sink.js';
