// Suites
export { runTrackingConformance } from './tracking-conformance.js';
export { runRegistryConformance } from './registry-conformance.js';
export { runArtifactConformance } from './artifact-conformance.js';

// Fixtures
export type {
  StoreFixture, StoreFactory, TrackingFixture, RegistryFixture, ArtifactFixture, ConformanceOptions,
} from './fixture.js';

// Helpers for store-specific tests
export { uniqueName, expectCode, collectPages, readAll } from './support.js';
