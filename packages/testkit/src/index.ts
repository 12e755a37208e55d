// Suites
export { runTrackingConformance } from './tracking-conformance.js';
export { runRegistryConformance } from './registry-conformance.js';
export { runArtifactConformance } from './artifact-conformance.js';

// Fixtures
export type {
  StoreFixture,
  StoreFactory,
  TrackingFixture,
  RegistryFixture,
  ArtifactFixture,
  ConformanceOptions,
} from './fixture.js';

// Helpers for store-specific tests
export { uniqueName, expectCode, collectPages, readAll } from './support.js';
export { configProject, configFailure } from './config-support.js';

// Sync: a realistic offline history and a comparable snapshot of any stores
export { buildSyncHistory, metricSeries, logPoints, artifactBytes, LONG_PARAM, UNICODE_PARAM } from './sync/history.js';
export type { HistoryStores, SyncHistory, SyncHistoryOptions } from './sync/history.js';
export { snapshotLogbook } from './sync/snapshot.js';
export type { LogbookSnapshot, RunSnapshot, ModelVersionSnapshot } from './sync/snapshot.js';
