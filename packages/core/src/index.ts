// The user face of @logbook/core: what training code and its tests import. What only backend,
// artifact-store and host authors need is on `@logbook/core/spi` (src/spi.ts).
// reflect-metadata must be evaluated before tsyringe is imported anywhere.
import 'reflect-metadata';

// Model
export { RunStatus, ViewType, LifecycleStage, ModelStage, ModelVersionStatus, TERMINAL_RUN_STATUSES } from './model/enums.js';
export type { Tags, Page, PageRequest } from './model/common.js';
export type { Experiment, CreateExperimentInput } from './model/experiment.js';
export type {
  Metric,
  RunMetric,
  RunInfo,
  RunData,
  Run,
  CreateRunInput,
  UpdateRunInput,
  LogBatch,
  SearchRunsQuery,
} from './model/run.js';
export type {
  RegisteredModel,
  ModelVersion,
  CreateRegisteredModelInput,
  CreateModelVersionInput,
  RegistrySearchQuery,
} from './model/registry.js';
export type { FileInfo, ArtifactBody, PutArtifactOptions, ArtifactDownload } from './model/artifact.js';

// Errors
export { LogbookError, isLogbookError } from './errors.js';
export type { ErrorCode, LogbookErrorOptions } from './errors.js';

// What createLogbook's options take, and the tokens a parent container overrides in tests.
// Store contracts, DI tokens, validators, parsers and page tokens are on `@logbook/core/spi`.
export type { OperationalLogger, ErrorHandler } from './contracts/logger.js';
export { CLOCK } from './contracts/clock.js';
export type { Clock } from './contracts/clock.js';
export { ID_GENERATOR, randomId } from './contracts/id-generator.js';
export type { IdGenerator } from './contracts/id-generator.js';

// Sync
export { syncLogbook } from './sync/sync-logbook.js';
export type { SyncStatus, ConflictPolicy, SyncOptions, SyncProgress, SyncConflict, SyncFailure, SyncReport } from './sync/types.js';

// Config
export type {
  LogbookConfig,
  LogbookCoreConfig,
  LogbookConfigSections,
  LogbookConfigInput,
  SectionInput,
  LogbookEnvironment,
  LogLevel,
  CredentialsConfig,
  LoggingConfig,
  SpoolConfig,
} from './config/types.js';
export { loadConfig } from './config/load-config.js';
export { resolveConfig } from './container/resolve-config.js';
export { DEFAULT_CONFIG, DEFAULT_MAX_ARTIFACT_SIZE } from './config/defaults.js';
export { CONFIG_FILE_NAME } from './config/config-file.js';
export { ENV_BINDINGS } from './config/env-vars.js';
export type { EnvBinding } from './config/env-vars.js';

// Logging (operational log and the batching metric logger)
export { silentLogger, createPinoLogger } from './logging/operational-logger.js';
export { redactSecrets, REDACTED } from './logging/redact.js';
export { createLoggingErrorHandler } from './logging/error-handler.js';
export { BatchingLogger } from './logging/batching-logger.js';
export type { BatchingLoggerOptions } from './logging/batching-logger.js';
export type { BatchingLoggerStats } from './logging/logger-stats.js';
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
export { ModelVersioning, SEMVER_TAG, SEMVER_BUMP_TAG, PARENT_VERSION_TAG, PREVIOUS_HOLDER_TAG } from './services/model-versioning.js';
export type {
  CreateVersionOptions,
  ModelVersionMetadata,
  RollbackOptions,
  LineageEntry,
  LiveMetricsReport,
} from './services/model-versioning.js';
export { parseModelStage, resolveModelVersion } from './services/registry/resolve-version.js';
export {
  SHA256_TAG,
  SIZE_TAG,
  ARTIFACT_RUN_TAG,
  ARTIFACT_PATH_TAG,
  GIT_COMMIT_TAG,
  GIT_DIRTY_TAG,
  DATASETS_TAG,
  REGISTERED_BY_TAG,
  MODELS_EXPERIMENT,
  DEPLOYMENTS_EXPERIMENT,
} from './services/registry/tags.js';
export type { ModelData, ModelDigest } from './services/registry/model-bytes.js';
export type { DatasetRef, CodeVersion } from './services/registry/lineage.js';
export type { DatasetInput } from './model/dataset-input.js';
export { INPUTS_TAG, datasetSource, logDatasetInputs, parseInputsTag, runDatasetInputs, validateDatasetInputs } from './services/run-inputs.js';
export { DEPLOYMENT_TAGS } from './services/registry/deployments.js';
export type { Deployment, DeploymentInput, DeploymentStatus } from './services/registry/deployments.js';
export { WebhookAlertSink } from './services/registry/alert-sink.js';
export type { AlertSink, ModelAlert, DegradedMetric, WebhookAlertSinkOptions } from './services/registry/alert-sink.js';
export type { MonitoringOptions, MetricCheck } from './services/registry/monitoring.js';
export { readLiveMonitoring } from './services/registry/live-monitoring.js';
export type { LiveModelStatus } from './services/registry/live-monitoring.js';
export type { ModelVersionComparison, VersionSide } from './services/registry/compare-versions.js';

// Registry audit: one contract for every registry change (library, CLI, REST)
export { REGISTRY_AUDIT_SINK } from './contracts/registry-audit.js';
export type { RegistryAuditSink, RegistryChange, RegistryChangeSource } from './contracts/registry-audit.js';
export { withRegistryAuditContext, currentRegistryAuditContext } from './audit/audit-context.js';
export type { RegistryAuditContext } from './audit/audit-context.js';
// createLogbook's `registryAudit` option; the store wrapper itself is on `@logbook/core/spi`.
export type { RegistryAuditOptions } from './audit/audited-registry-store.js';

// Composition
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
