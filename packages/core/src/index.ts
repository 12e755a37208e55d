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

// Validation
export { LIMITS } from './validation/limits.js';
export { validateKey } from './validation/keys.js';
export type { KeyKind } from './validation/keys.js';
export {
  checkStringValue, clampMetricValue, validateMetricValue, validateTimestamp, validateStep, requireString,
  checkLength, validateMaxResults,
} from './validation/values.js';
export type { LongValuePolicy } from './validation/values.js';
export { validateLogBatch, validateBatchSize, validateMetric } from './validation/batch.js';
export type { ValidatedBatch } from './validation/batch.js';
export {
  validateExperimentName, validateExperimentId, validateRunId, validateRunName, validateExperimentTagValue,
  validateModelName, validateModelVersion, validateRegistryTag, validateAlias,
} from './validation/entities.js';
export { validateArtifactPath } from './validation/artifact-path.js';
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
export { compareNumber, compareString, compareSortValues } from './search/compare-values.js';
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
export { LOGBOOK_CONFIG } from './contracts/backend.js';
export type { Backend, BackendProvider } from './contracts/backend.js';

// Config
export type {
  LogbookConfig, LogbookConfigInput, LogbookEnvironment, LogLevel, CredentialsConfig, HttpConfig, LoggingConfig, S3Config,
} from './config/types.js';

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
