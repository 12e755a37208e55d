// The plug-in face of @logbook/core (`@logbook/core/spi`): what backend, artifact-store and
// host authors need and training code does not. Training code imports `@logbook/core`.
import 'reflect-metadata';

// Errors: mapping to and from HTTP
export { errorCodeForHttpStatus, toErrorCode, HTTP_STATUS_BY_CODE } from './errors.js';
export { NETWORK_ERROR_CODES, networkErrorCode, isNetworkError } from './network/network-codes.js';

// Validation (what every store checks on its way in, with MLflow's messages)
export { LIMITS } from './validation/limits.js';
export { validateKey } from './validation/keys.js';
export type { KeyKind } from './validation/keys.js';
export {
  checkStringValue,
  clampMetricValue,
  validateMetricValue,
  validateTimestamp,
  validateStep,
  requireString,
  checkLength,
  validateMaxResults,
  requireWellFormed,
} from './validation/values.js';
export type { LongValuePolicy } from './validation/values.js';
export {
  codePointLength,
  exceedsCodePoints,
  truncateCodePoints,
  hasLoneSurrogate,
  replaceLoneSurrogates,
} from './validation/code-points.js';
export { validateLogBatch, validateBatchSize, validateMetric, validateMetrics } from './validation/batch.js';
export type { ValidatedBatch, KeyValue } from './validation/batch.js';
export {
  validateExperimentName,
  validateExperimentId,
  validateRunId,
  validateRunName,
  validateRunTag,
  RUN_NAME_TAG,
  validateExperimentTagValue,
  validateModelName,
  validateModelVersion,
  validateRegistryTag,
  validateAlias,
} from './validation/entities.js';
export { validateArtifactPath } from './validation/artifact-path.js';
export {
  DEFAULT_ARTIFACT_SCHEMES,
  appendToArtifactUri,
  isPathWithin,
  localArtifactRoot,
  parseArtifactLocation,
  validateArtifactLocation,
} from './validation/artifact-location.js';
export type { ArtifactLocationPolicy, ParsedArtifactLocation } from './validation/artifact-location.js';
export { posixNormpath, isPathUnstable } from './validation/posix-path.js';

// Search: MLflow's filter and order_by grammar, evaluators for stores that search in memory, page tokens
export { parseRunFilter } from './search/run-filter.js';
export { parseExperimentFilter } from './search/experiment-filter.js';
export { PROMPT_TAG, parseRegisteredModelFilter, parseModelVersionFilter } from './search/registry-filter.js';
export { modelNameFilter } from './search/name-filter.js';
export {
  parseRunOrderBy,
  parseExperimentOrderBy,
  parseRegisteredModelOrderBy,
  parseModelVersionOrderBy,
} from './search/order-by.js';
export { encodePageToken, decodePageToken, paginate } from './search/page-token.js';
export { matchesRunFilter, compareRuns, runAttribute } from './search/run-evaluator.js';
export {
  matchesExperimentFilter,
  compareExperiments,
  matchesRegisteredModelFilter,
  compareRegisteredModels,
  matchesModelVersionFilter,
  compareModelVersions,
} from './search/entity-evaluators.js';
export {
  compareNumber,
  compareString,
  compareSortValues,
  matchesClauseValue,
  sortComparator,
} from './search/compare-values.js';
export type { AnyClause } from './search/compare-values.js';
export { likeToRegExp, matchesLike } from './search/like.js';
export type {
  NumericComparator,
  StringComparator,
  NullComparator,
  ListComparator,
  NumericClause,
  StringClause,
  NullClause,
  ListClause,
  RunStringAttribute,
  RunNumericAttribute,
  RunFilterClause,
  ExperimentFilterClause,
  RegisteredModelFilterClause,
  ModelVersionFilterClause,
  SearchFilter,
  OrderByClause,
  RunOrderByClause,
  ExperimentOrderByClause,
  RegisteredModelOrderByClause,
  ModelVersionOrderByClause,
} from './search/types.js';

// Contracts and their DI tokens
export { TRACKING_STORE } from './contracts/tracking-store.js';
export type { TrackingStore, SearchExperimentsQuery } from './contracts/tracking-store.js';
export { REGISTRY_STORE } from './contracts/registry-store.js';
export type { RegistryStore } from './contracts/registry-store.js';
export { ARTIFACT_STORE } from './contracts/artifact-store.js';
export type { ArtifactStore } from './contracts/artifact-store.js';
export { OPERATIONAL_LOGGER, ERROR_HANDLER } from './contracts/logger.js';
// Also on the main entry: createLogbook's options take them.
export type { OperationalLogger, ErrorHandler } from './contracts/logger.js';
export { LOGBOOK_CONFIG } from './contracts/backend.js';
export type { Backend, BackendProvider, BackendContext } from './contracts/backend.js';
export { generateRunId } from './contracts/id-generator.js';
export { BATCHING_LOGGER } from './logging/batching-logger-token.js';

// Batching: the one chunker for MLflow's log-batch limits, outcome classification, background work
export { chunkLogBatch } from './logging/chunk-entries.js';
export { isPermanentError, classifyFailure } from './logging/outcome.js';
export type { WriteOutcome } from './logging/outcome.js';
export type { RetryableHandoff } from './logging/handoff.js';
export { runInBackground, isBackgroundWork } from './logging/background-work.js';
export type { ExitProcess } from './logging/exit-hooks.js';

// Sync: what a backend implements to be a sync source or target
export { SYNC_STATION_TAG, SYNC_LOCAL_ID_TAG, SYNC_FINGERPRINT_TAG, SYNC_STANDS_FOR_TAG, STAND_IN_RUN_NAME, STAND_IN_EXPERIMENT_PREFIX } from './sync/types.js';
export { listArtifactFiles } from './sync/sync-artifacts.js';
export type {
  SyncEntityKind,
  SyncSource,
  SyncTarget,
  SyncExperiment,
  SyncRunRef,
  SyncRun,
  SyncMetricCursor,
  SyncMetricPage,
  SyncModelVersion,
  SyncRegisteredModel,
  SyncTombstone,
  SyncLease,
} from './sync/types.js';

// Registry audit: the contract hosts implement, the store wrapper that reports to it
export { REGISTRY_AUDIT_SINK } from './contracts/registry-audit.js';
export type { RegistryAuditSink, RegistryChange, RegistryChangeSource } from './contracts/registry-audit.js';
export { withRegistryAuditContext, currentRegistryAuditContext } from './audit/audit-context.js';
export type { RegistryAuditContext } from './audit/audit-context.js';
export { auditedRegistryStore, registryAuditorOf } from './audit/audited-registry-store.js';
export type { RegistryAuditOptions, RegistryAuditor, RegistryChangeFacts } from './audit/audited-registry-store.js';

// Composition: registering plug-ins, composing a backend
export { registerBackend, unregisterBackend, registeredBackends } from './container/backend-registry.js';
export { registerArtifactStore } from './container/artifact-store-registry.js';
export { registerConfigSection, unregisterConfigSection, registeredConfigSections } from './config/sections.js';
export type { ConfigSection } from './config/sections.js';
export type { FieldSpec, FieldKind } from './config/fields.js';
export { badConfig } from './config/coerce.js';
export type { ConfigSource } from './config/coerce.js';
export type { ArtifactStoreProvider } from './container/artifact-store-registry.js';
export { RoutingArtifactStore } from './container/routing-artifact-store.js';
export { ChangeMarkingArtifactStore } from './container/change-marking-artifact-store.js';
export { composeBackend } from './container/compose-backend.js';
export type { Closable } from './container/compose-backend.js';
export { isMemoryUri } from './memory/memory-backend.js';
export type { ResolvedMemoryOptions } from './memory/memory-options.js';

// Quoting of values inside MLflow search filters (one owner: core).
export { filterString } from './services/paging.js';
